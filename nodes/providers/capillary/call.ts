/** What every Auth Engine call shares: the flavour's path, the identity in the body, the answer's status block. */
import { joinUrl, type InterpretInput, type OperationInput, type Outcome, type Params, type Reference } from '../../core';
import { capillaryFailure, capillaryStatus } from './codes';

/** What a step hands on for the next one: the identity, and whether it is a Second Factor (MFA) step. */
export const IDENTITY = ['flavour', 'factor', 'identifierType', 'identifierValue', 'deviceId'] as const;

export const isMfa = (params: Params) => params.factor === 'mfa';

/** `/auth/v1/<call>` for mobile apps, `/auth/v1/web/<call>` for web apps, `/auth/v1/mfa/<call>` for a Second Factor (MFA) step. */
export function url(input: OperationInput, call: string): string {
	const prefix = isMfa(input.params) ? 'mfa/' : input.params.flavour === 'web' ? 'web/' : '';
	return joinUrl(input.account.baseUrl, `auth/v1/${prefix}${call}`);
}

export function identityBody(params: Params): Record<string, unknown> {
	const body: Record<string, unknown> = { identifierType: params.identifierType, identifierValue: params.identifierValue };
	if (params.flavour !== 'web') body.deviceId = params.deviceId;
	return body;
}

/** The parts of a successful Auth Engine answer the operations read; each value is checked where it is read. */
export interface AuthEngineAnswer {
	user?: Record<string, unknown>;
	auth?: Record<string, unknown>;
	[key: string]: unknown;
}

/** Shared shape of every Auth Engine answer: success decided by `status.success`, failures by code. */
export function interpretWith(onSuccess: (body: AuthEngineAnswer, input: InterpretInput) => Outcome) {
	return (body: unknown, input: InterpretInput): Outcome | undefined => {
		const status = capillaryStatus(body);
		if (!status) return undefined;
		if (!status.success) return capillaryFailure(status.code, status.message);
		return { code: String(status.code), text: status.message, ...onSuccess(body as AuthEngineAnswer, input) };
	};
}

/**
 * What a login (Validate OTP, Validate Password) hands on: the customer's token, on mobile the device key, and the user
 * ID. The token and key are the customer's credentials: the operation lists them in `handsOn` so they are scrubbed from
 * everything but `reference`.
 */
export function loginReference(body: AuthEngineAnswer): Reference {
	const reference: Reference = {};
	const userId = body.user?.userId;
	if (userId !== undefined && userId !== null) reference.userId = String(userId);
	if (typeof body.auth?.token === 'string' && body.auth.token !== '') reference.token = body.auth.token;
	if (typeof body.auth?.key === 'string' && body.auth.key !== '') reference.key = body.auth.key;
	return reference;
}
