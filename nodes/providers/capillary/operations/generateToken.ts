import { inMinutes, pattern, type FieldSpec, type OperationSpec } from '../../../core';
import { identityFields, validityOption } from '../fields';
import { IDENTITY, url, identityBody, interpretWith, isMfa } from '../call';

const sessionMinutes = validityOption(
	'sessionMinutes',
	'Session Validity (Minutes)',
	15,
	'How long a session lasts, reported as expiresAt. Capillary pages say 15 and 20 minutes; the shorter is the default',
);

/**
 * The first factor's customer token: what lets Capillary open a Second Factor (MFA) session. A credential of the customer:
 * sent to Capillary only, scrubbed from messages, errors and raw, never carried on.
 */
const authorizedToken: FieldSpec = {
	name: 'authorizedToken',
	label: 'Authorized Token',
	type: 'password',
	sensitive: 'secret',
	showWhen: { field: 'factor', equals: ['mfa'] },
	requiredWhen: { field: 'factor', equals: ['mfa'] },
	fromPrevious: 'reference.token',
	description:
		"The customer's token from the first factor's Validate OTP or Validate Password (or from a Second Factor Validate OTP, for the new session a Second Factor Validate Password needs); read from the previous step's reference by default (the customer's credential: keep it out of logs)",
	rules: [pattern(/^[\w.~+/=-]{8,4096}$/, 'must be the token Validate OTP or Validate Password returned')],
	// Capillary's tokens are JWTs of about 400 characters: past the default limit.
	maxLength: 4096,
};

export const generateToken: OperationSpec = {
	id: 'generateToken',
	name: 'Generate Token',
	action: 'Start an authentication session',
	description:
		"Opens an Auth Engine session for the customer; its sessionId is needed to generate and validate the OTP. Second Factor (MFA): opens the MFA session with the first login's token",
	fields: [...identityFields(false, { mfa: true }), authorizedToken, sessionMinutes],
	carry: IDENTITY,
	next: 'generateOtp',
	request: (input) => ({
		method: 'POST',
		url: url(input, 'token/generate'),
		body: { ...identityBody(input.params), ...(isMfa(input.params) ? { authorizedToken: input.params.authorizedToken } : {}) },
	}),
	interpret: interpretWith((body, input) => {
		const sessionId = body.user?.sessionId;
		if (typeof sessionId !== 'string' || sessionId === '') {
			return { status: 'provider_error', message: 'Capillary reported success but returned no sessionId', retryable: true };
		}
		return {
			status: 'completed',
			message: isMfa(input.params) ? 'Second factor (MFA) session started' : 'Session started',
			reference: { sessionId },
			expiresAt: inMinutes(input.now, Number(input.params.sessionMinutes ?? 15)),
		};
	}),
};
