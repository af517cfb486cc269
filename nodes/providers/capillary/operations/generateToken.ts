import { inMinutes, type OperationSpec } from '../../../core';
import { identityFields, validityOption } from '../fields';
import { IDENTITY, url, identityBody, interpretWith } from '../call';

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
