import { joinUrl, pattern, type OperationSpec } from '../../../core';
import { IDENTITY, identityBody, interpretWith } from '../call';
import { identityFields, passedOnSessionField } from '../fields';

/**
 * Logs the customer out by expiring their token (docs/providers.md §Capillary). Capillary documents only the MFA path,
 * one path for mobile and web apps. Its page names POST while its sample request sends DELETE: DELETE by default, the
 * method an option.
 */
export const expireToken: OperationSpec = {
	id: 'expireToken',
	name: 'Expire Token',
	action: 'Log the customer out',
	description: "Expires the customer's token (logout), taken from Validate OTP or Validate Password",
	fields: [
		...identityFields(true, { externalId: true }),
		{
			name: 'token',
			label: 'Customer Token',
			type: 'password',
			required: true,
			sensitive: 'secret',
			fromPrevious: 'reference.token',
			description: "The customer's token from Validate OTP, Validate Password or Regenerate Token (the customer's credential: keep it out of logs)",
			rules: [pattern(/^[\w.~+/=-]{8,4096}$/, 'must be the token Validate OTP returned')],
			maxLength: 4096,
		},
		{
			name: 'method',
			label: 'HTTP Method',
			type: 'options',
			options: [
				{ name: 'DELETE', value: 'DELETE', description: "What Capillary's sample request sends" },
				{ name: 'POST', value: 'POST', description: "What Capillary's page names" },
			],
			default: 'DELETE',
			advanced: true,
			description: "Capillary's page names POST while its sample request sends DELETE; change it if your cluster answers only to POST",
		},
		passedOnSessionField,
	],
	carry: [...IDENTITY, 'sessionId'],
	continues: 'validateOtp',
	request: (input) => ({
		method: input.params.method === 'POST' ? 'POST' : 'DELETE',
		url: joinUrl(input.account.baseUrl, 'auth/v1/mfa/token/expire'),
		body: { ...identityBody(input.params), token: input.params.token },
	}),
	interpret: interpretWith(() => ({ status: 'completed', message: 'Token expired: the customer is logged out' })),
};
