import type { OperationSpec, Outcome } from '../../../core';
import { IDENTITY, identityBody, interpretWith, isMfa, loginReference, url } from '../call';
import { identityFields, passwordField, sessionIdField } from '../fields';

/**
 * Logs a returning customer in with their password instead of an OTP (docs/providers.md §Capillary): the session from
 * Generate Token, then the password; the customer's token (and, on mobile, key) is handed on exactly as Validate OTP
 * hands it on. A first-time customer has no password yet and logs in by OTP first (Capillary 1526). Second Factor (MFA):
 * Capillary wants it after the MFA OTP, with a new MFA session (Generate Token, Second Factor, with the token the MFA
 * Validate OTP returned).
 */
export const validatePassword: OperationSpec = {
	id: 'validatePassword',
	name: 'Validate Password',
	action: 'Log the customer in with their password',
	description:
		"Checks a returning customer's password for the session; on success the customer is authenticated. First-time customers log in by OTP first. Second Factor (MFA): after the MFA OTP, in a new MFA session",
	fields: [...identityFields(true, { mfa: true }), sessionIdField, passwordField('password', 'Password', "The customer's password")],
	carry: [...IDENTITY, 'sessionId'],
	continues: 'generateToken',
	handsOn: ['token', 'key'],
	request: (input) => ({
		method: 'POST',
		url: url(input, 'password/validate'),
		body: { ...identityBody(input.params), password: input.params.password, sessionId: input.params.sessionId },
	}),
	interpret: interpretWith((body, input): Outcome => ({
		status: 'verified',
		message: isMfa(input.params) ? 'Second factor (MFA) password verified' : 'Password verified',
		reference: loginReference(body),
	})),
};
