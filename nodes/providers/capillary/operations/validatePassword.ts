import type { OperationSpec, Outcome } from '../../../core';
import { IDENTITY, identityBody, interpretWith, loginReference, url } from '../call';
import { identityFields, passwordField, sessionIdField } from '../fields';

/**
 * Logs a returning customer in with their password instead of an OTP (docs/providers.md §Capillary): the session from
 * Generate Token, then the password; the customer's token (and, on mobile, key) is handed on exactly as Validate OTP
 * hands it on. A first-time customer has no password yet and logs in by OTP first (Capillary 1526).
 */
export const validatePassword: OperationSpec = {
	id: 'validatePassword',
	name: 'Validate Password',
	action: 'Log the customer in with their password',
	description: "Checks a returning customer's password for the session; on success the customer is authenticated. First-time customers log in by OTP first",
	fields: [...identityFields(true), sessionIdField, passwordField('password', 'Password', "The customer's password")],
	carry: [...IDENTITY, 'sessionId'],
	continues: 'generateToken',
	handsOn: ['token', 'key'],
	request: (input) => ({
		method: 'POST',
		url: url(input, 'password/validate'),
		body: { ...identityBody(input.params), password: input.params.password, sessionId: input.params.sessionId },
	}),
	interpret: interpretWith((body): Outcome => ({ status: 'verified', message: 'Password verified', reference: loginReference(body) })),
};
