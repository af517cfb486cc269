import type { OperationSpec } from '../../../core';
import { IDENTITY, identityBody, interpretWith, url } from '../call';
import { identityFields, passwordField, sameAs, sessionIdField } from '../fields';

/**
 * Sets a new password for a customer who forgot theirs (docs/providers.md §Capillary): the session from Generate Token,
 * the new password twice. Capillary then wants the customer authenticated again: Generate Token, Generate OTP, Validate OTP.
 * Second Factor (MFA): /auth/v1/mfa/password/forget with the MFA session (its page names GET in one place and POST in
 * another; POST, like every other Auth Engine call with a body, is sent).
 */
export const forgotPassword: OperationSpec = {
	id: 'forgotPassword',
	name: 'Forgot Password',
	action: 'Set a new password for the customer',
	description: 'Sets a new password for a customer who forgot theirs (brands with passwords enabled); the customer then logs in again by OTP',
	fields: [
		...identityFields(true, { mfa: true }),
		sessionIdField,
		passwordField('password', 'New Password', 'The new password the customer chose'),
		passwordField('confirmPassword', 'Confirm New Password', 'The new password typed again', [sameAs('password')]),
	],
	carry: [...IDENTITY, 'sessionId'],
	continues: 'generateToken',
	next: 'generateToken',
	request: (input) => {
		const p = input.params;
		return {
			method: 'POST',
			url: url(input, 'password/forget'),
			body: { ...identityBody(p), password: p.password, confirmPassword: p.confirmPassword, sessionId: p.sessionId },
		};
	},
	interpret: interpretWith(() => ({
		status: 'completed',
		message: 'New password set: log the customer in again (Generate Token, Generate OTP, Validate OTP)',
	})),
};
