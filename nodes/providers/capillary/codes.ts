import type { Outcome, Status } from '../../core';

/**
 * Capillary Auth Engine status codes (docs/providers.md §Capillary) and what each means for a workflow. 1522 and 1533
 * are not on Capillary's list: like any unknown code they read as provider_error with Capillary's own words.
 */
export const CAPILLARY_CODES: Record<number, { status: Status; hint: string; retryable?: boolean }> = {
	1502: { status: 'provider_error', hint: 'Capillary could not validate the OTP' },
	1503: { status: 'provider_error', hint: 'Capillary could not generate the OTP' },
	1504: { status: 'provider_error', hint: 'Capillary could not generate the token' },
	1505: { status: 'expired', hint: 'the session is invalid or expired: generate a new token' },
	1506: { status: 'invalid_otp', hint: 'wrong OTP' },
	1507: { status: 'invalid_request', hint: 'the mobile number does not match the session' },
	1508: { status: 'invalid_request', hint: 'the device ID does not match the session' },
	1509: { status: 'invalid_request', hint: 'the brand does not match the session' },
	1515: { status: 'invalid_request', hint: 'the user does not exist' },
	1518: { status: 'max_attempts', hint: 'too many wrong OTPs: restart from Generate Token' },
	1519: { status: 'invalid_request', hint: 'invalid details (brand, device ID or identifier)' },
	1520: { status: 'invalid_request', hint: 'the brand has passwords enabled: the password cannot be empty' },
	1521: { status: 'invalid_request', hint: 'the password and the confirmation do not match' },
	1523: { status: 'provider_error', hint: 'Capillary could not change the password' },
	1524: { status: 'invalid_request', hint: 'passwords are not enabled for this brand: log in by OTP, or ask Capillary to enable passwords' },
	1525: { status: 'expired', hint: 'the token cannot be regenerated: log the customer in again (Generate Token, then the OTP)' },
	1526: {
		status: 'invalid_request',
		hint: 'Capillary could not validate the password. A first-time customer has no password yet: log in by OTP first (Generate Token, Generate OTP, Validate OTP)',
	},
	1527: { status: 'invalid_request', hint: 'the new password cannot be the same as the old one' },
	1528: { status: 'invalid_otp', hint: 'wrong password: the customer may try again' },
	1529: { status: 'expired', hint: 'the token expired: generate a new token' },
	1530: { status: 'max_attempts', hint: 'too many wrong passwords: reset it with Forgot Password' },
	1531: { status: 'provider_error', hint: 'Capillary could not expire the token' },
	1532: { status: 'provider_error', hint: 'Capillary could not reset the password' },
	1534: { status: 'rate_limited', hint: 'the maximum number of OTPs for this customer was reached for now' },
	1535: { status: 'provider_error', retryable: false, hint: "the brand's OTP limit per customer (otpMaxCount) is 0: Capillary must set it to 1 or more" },
	1537: { status: 'invalid_request', hint: 'no OTP was generated for this session: call Generate OTP first' },
	1540: { status: 'invalid_request', hint: 'a mobile number or email is required' },
	1541: { status: 'invalid_request', hint: 'the identifier does not match the session' },
	1542: { status: 'invalid_request', hint: "the password does not meet the brand's requirements" },
	1543: { status: 'invalid_request', hint: 'the username already exists' },
	1546: { status: 'invalid_request', hint: 'invalid identifierType' },
	5004: { status: 'invalid_request', hint: 'response tampered: the payload hash expired (payload encryption is on)' },
	429: { status: 'rate_limited', hint: 'too many requests' },
};

interface CapillaryBody {
	status?: { success?: boolean | string; code?: number | string; message?: string };
}

/** Reads Capillary's `status` block; undefined when the body has none (the runner falls back to HTTP). */
export function capillaryStatus(body: unknown): { success: boolean; code: number; message: string } | undefined {
	const status = (body as CapillaryBody | null)?.status;
	if (!status || typeof status !== 'object') return undefined;
	return {
		success: status.success === true || status.success === 'true',
		code: Number(status.code),
		message: String(status.message ?? ''),
	};
}

export function capillaryFailure(code: number, message: string): Outcome {
	const known = CAPILLARY_CODES[code];
	const words = message || known?.hint || 'unknown error';
	return {
		status: known?.status ?? 'provider_error',
		message: known ? `${words} (Capillary ${code}: ${known.hint})` : `Capillary error ${code}: ${words}`,
		code: String(code),
		text: message,
		...(known?.retryable !== undefined ? { retryable: known.retryable } : {}),
	};
}
