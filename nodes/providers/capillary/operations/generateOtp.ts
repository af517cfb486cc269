import { inMinutes, pattern, type FieldSpec, type OperationSpec } from '../../../core';
import { identityFields, sessionIdField, validityOption } from '../fields';
import { IDENTITY, url, identityBody, interpretWith, isMfa } from '../call';

/** Sent only when set: required by Capillary when the brand encrypts payloads, otherwise not applicable (5004 when stale). */
const hashField: FieldSpec = {
	name: 'hash',
	label: 'Hash',
	type: 'string',
	advanced: true,
	placeholder: 'FA+9qCX9VSu',
	description:
		"The hash your mobile app generates (e.g. Android's SMS Retriever app hash, or the payload-encryption hash). Required only when the brand has API payload encryption on; leave empty otherwise",
	rules: [pattern(/^[A-Za-z0-9+/=_.:-]{1,512}$/, 'must be 1–512 letters, digits or + / = _ . : -')],
	maxLength: 512,
};

export const generateOtp: OperationSpec = {
	id: 'generateOtp',
	name: 'Generate OTP',
	action: 'Send an OTP to the customer',
	description: "Sends an OTP to the customer's mobile number or email for an open session (Second Factor: the MFA session's)",
	fields: [
		...identityFields(true, { mfa: true }),
		sessionIdField,
		hashField,
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
		body: {
			...identityBody(input.params),
			sessionId: input.params.sessionId,
			...(input.params.hash !== undefined ? { hash: input.params.hash } : {}),
		},
	}),
	interpret: (body, input) => {
		const outcome = interpretWith((_body, input) => ({
			status: 'otp_sent',
			message: isMfa(input.params) ? 'Second factor (MFA) OTP sent' : 'OTP sent',
			expiresAt: inMinutes(input.now, Number(input.params.otpValidityMinutes ?? 15)),
		}))(body, input);
		// 1534 says no more OTPs for now but not for how long: the brand's otpTimeOut window is the answer.
		if (outcome?.code === '1534') return { ...outcome, retryAfterSeconds: Math.round(Number(input.params.otpLimitWindowMinutes ?? 10) * 60) };
		return outcome;
	},
};
