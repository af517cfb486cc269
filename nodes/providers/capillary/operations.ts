import { inMinutes, joinUrl, type InterpretInput, type OperationInput, type OperationSpec, type Outcome, type Params, type Reference } from '../../core';
import { capillaryFailure, capillaryStatus } from './codes';
import { identityFields, otpField, sessionIdField, validityOption } from './fields';

const IDENTITY = ['flavour', 'identifierType', 'identifierValue', 'deviceId'] as const;

/** `/auth/v1/<call>` for mobile apps, `/auth/v1/web/<call>` for web apps. */
function url(input: OperationInput, call: string): string {
	const web = input.params.flavour === 'web' ? 'web/' : '';
	return joinUrl(input.account.baseUrl, `auth/v1/${web}${call}`);
}

function identityBody(params: Params): Record<string, unknown> {
	const body: Record<string, unknown> = { identifierType: params.identifierType, identifierValue: params.identifierValue };
	if (params.flavour !== 'web') body.deviceId = params.deviceId;
	return body;
}

/** Shared shape of every Auth Engine answer: success decided by `status.success`, failures by code. */
function interpretWith(onSuccess: (body: Record<string, any>, input: InterpretInput) => Outcome) {
	return (body: unknown, input: InterpretInput): Outcome | undefined => {
		const status = capillaryStatus(body);
		if (!status) return undefined;
		if (!status.success) return capillaryFailure(status.code, status.message);
		return { code: String(status.code), text: status.message, ...onSuccess(body as Record<string, any>, input) };
	};
}

const sessionMinutes = validityOption(
	'sessionMinutes',
	'Session Validity (Minutes)',
	15,
	'How long a session lasts, reported as expiresAt. Capillary pages say 15 and 20 minutes; the shorter is the default',
);

export const generateToken: OperationSpec = {
	id: 'generateToken',
	name: 'Generate Token',
	action: 'Start an authentication session',
	description: 'Opens an Auth Engine session for the customer; its sessionId is needed to generate and validate the OTP',
	fields: [...identityFields(false), sessionMinutes],
	carry: IDENTITY,
	next: 'generateOtp',
	request: (input) => ({ method: 'POST', url: url(input, 'token/generate'), body: identityBody(input.params) }),
	interpret: interpretWith((body, input) => {
		const sessionId = body.user?.sessionId;
		if (typeof sessionId !== 'string' || sessionId === '') {
			return { status: 'provider_error', message: 'Capillary reported success but returned no sessionId', retryable: true };
		}
		return {
			status: 'completed',
			message: 'Session started',
			reference: { sessionId },
			expiresAt: inMinutes(input.now, Number(input.params.sessionMinutes ?? 15)),
		};
	}),
};

export const generateOtp: OperationSpec = {
	id: 'generateOtp',
	name: 'Generate OTP',
	action: 'Send an OTP to the customer',
	description: "Sends an OTP to the customer's mobile number or email for an open session",
	fields: [
		...identityFields(true),
		sessionIdField,
		validityOption('otpValidityMinutes', 'OTP Validity (Minutes)', 15, 'How long the OTP lives (it ends with the session), reported as expiresAt'),
		validityOption(
			'otpLimitWindowMinutes',
			'OTP Limit Window (Minutes)',
			10,
			"Your brand's otpTimeOut: after too many OTPs for one customer (Capillary 1534) new ones are refused for this long, reported as retryAfterSeconds",
		),
	],
	carry: [...IDENTITY, 'sessionId'],
	next: 'validateOtp',
	continues: 'generateToken',
	sendsCode: true,
	request: (input) => ({
		method: 'POST',
		url: url(input, 'otp/generate'),
		body: { ...identityBody(input.params), sessionId: input.params.sessionId },
	}),
	interpret: (body, input) => {
		const outcome = interpretWith((_body, input) => ({
			status: 'otp_sent',
			message: 'OTP sent',
			expiresAt: inMinutes(input.now, Number(input.params.otpValidityMinutes ?? 15)),
		}))(body, input);
		// 1534 says no more OTPs for now but not for how long: the brand's otpTimeOut window is the answer.
		if (outcome?.code === '1534') return { ...outcome, retryAfterSeconds: Math.round(Number(input.params.otpLimitWindowMinutes ?? 10) * 60) };
		return outcome;
	},
};

export const validateOtp: OperationSpec = {
	id: 'validateOtp',
	name: 'Validate OTP',
	action: 'Verify the code the customer typed',
	description: 'Checks the OTP for the session; on success the customer is authenticated',
	fields: [...identityFields(true), sessionIdField, otpField],
	carry: [...IDENTITY, 'sessionId'],
	continues: 'generateOtp',
	request: (input) => ({
		method: 'POST',
		url: url(input, 'otp/validate'),
		body: { ...identityBody(input.params), sessionId: input.params.sessionId, otp: input.params.otp },
	}),
	// The user token in `auth` is a secret: it never leaves the node. The user's id does.
	interpret: interpretWith((body): Outcome => {
		const userId = body.user?.userId;
		const reference: Reference = userId !== undefined && userId !== null ? { userId: String(userId) } : {};
		return { status: 'verified', message: 'OTP verified', reference };
	}),
};
