import type { OperationSpec, Outcome } from '../../../core';
import { identityFields, otpField, sessionIdField } from '../fields';
import { IDENTITY, url, identityBody, interpretWith, isMfa, loginReference } from '../call';

export const validateOtp: OperationSpec = {
	id: 'validateOtp',
	name: 'Validate OTP',
	action: 'Verify the code the customer typed',
	description:
		"Checks the OTP for the session; on success the customer is authenticated and the customer's token handed on (Second Factor: the MFA token and key)",
	fields: [...identityFields(true, { mfa: true }), sessionIdField, otpField],
	carry: [...IDENTITY, 'sessionId'],
	continues: 'generateOtp',
	request: (input) => ({
		method: 'POST',
		url: url(input, 'otp/validate'),
		body: { ...identityBody(input.params), sessionId: input.params.sessionId, otp: input.params.otp },
	}),
	// The customer's token (and, on mobile, key) is what every later Capillary call for this customer needs: it is
	// handed on in reference, deliberately, and kept out of messages, raw and error texts.
	handsOn: ['token', 'key'],
	interpret: interpretWith((body, input): Outcome => ({
		status: 'verified',
		message: isMfa(input.params) ? 'Second factor (MFA) OTP verified' : 'OTP verified',
		reference: loginReference(body),
	})),
};
