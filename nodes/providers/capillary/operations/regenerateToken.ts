import { pattern, type OperationSpec, type Outcome, type Reference } from '../../../core';
import { IDENTITY, identityBody, interpretWith, url } from '../call';
import { identityFields, passedOnSessionField } from '../fields';

/** The customer's own credentials: sent to Capillary, never shown in errors (sensitive), taken from Validate OTP's reference. */
const credentialRule = pattern(/^[\w.~+/=-]{8,4096}$/, 'must be the value Validate OTP returned');

/**
 * A new user token for a customer who logged in before (docs/providers.md §Capillary): mobile apps send the device
 * key Validate OTP returned, web apps the expired token. Without either the customer logs in again (Generate Token).
 * Second Factor (MFA): /auth/v1/mfa/token/regenerate with the key the MFA Validate OTP or Validate Password returned
 * (MFA is mobile apps only, so the key is always the credential).
 */
export const regenerateToken: OperationSpec = {
	id: 'regenerateToken',
	name: 'Regenerate Token',
	action: "Renew the customer's token",
	description: 'Gets the customer a new user token without a new OTP: mobile apps with the key, web apps with the expired token, both from Validate OTP',
	fields: [
		...identityFields(true, { mfa: true }),
		{
			name: 'key',
			label: 'Device Key',
			type: 'password',
			sensitive: 'secret',
			requiredWhen: { field: 'flavour', equals: ['mobile'] },
			showWhen: { field: 'flavour', equals: ['mobile'] },
			fromPrevious: 'reference.key',
			description: "The key Validate OTP returned for this customer's device (the customer's credential: keep it out of logs)",
			rules: [credentialRule],
			maxLength: 4096,
		},
		{
			name: 'expiredToken',
			label: 'Expired Token',
			type: 'password',
			sensitive: 'secret',
			requiredWhen: { field: 'flavour', equals: ['web'] },
			showWhen: { field: 'flavour', equals: ['web'] },
			fromPrevious: 'reference.token',
			description: "The customer's token from Validate OTP that has expired (the customer's credential: keep it out of logs)",
			rules: [credentialRule],
			// Capillary's tokens and keys are JWTs of about 400 characters: past the default limit.
			maxLength: 4096,
		},
		passedOnSessionField,
	],
	carry: [...IDENTITY, 'sessionId'],
	continues: 'validateOtp',
	handsOn: ['token', 'key'],
	request: (input) => {
		const p = input.params;
		const credential = p.flavour === 'web' ? { expiredToken: p.expiredToken } : { key: p.key };
		return { method: 'POST', url: url(input, 'token/regenerate'), body: { ...identityBody(p), ...credential } };
	},
	interpret: interpretWith((body, input): Outcome => {
		const token = body.auth?.token;
		if (typeof token !== 'string' || token === '') {
			return { status: 'provider_error', message: 'Capillary reported success but returned no token', retryable: true };
		}
		const reference: Reference = { token };
		// A mobile customer keeps the device key unless Capillary issues a new one.
		const key = typeof body.auth?.key === 'string' && body.auth.key !== '' ? body.auth.key : input.params.key;
		if (input.params.flavour !== 'web' && typeof key === 'string') reference.key = key;
		if (body.user?.userId !== undefined && body.user?.userId !== null) reference.userId = String(body.user.userId);
		return { status: 'completed', message: 'Token renewed', reference };
	}),
};
