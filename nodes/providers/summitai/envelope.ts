/**
 * Every SummitAI service is one POST to the instance's CommonWS_JsonObjCall endpoint; the body's
 * ServiceName picks the service and `objCommonParameters._ProxyDetails` carries the authentication.
 */
import { joinUrl, type OperationInput } from '../../core';
import { NUMERIC_FIELDS } from './fields';

export const ENDPOINT = 'REST/Summit_RESTWCF.svc/RESTService/CommonWS_JsonObjCall';

/** ADM_SearchAllUser is documented at its own URL, with `_ProxyDetails` and `objFilters` at the top of the body. */
export const SEARCH_ENDPOINT = 'REST/Summit_RESTWCF.svc/RESTService/ADM_SearchAllUser';

/**
 * The non-secret proxy fields SummitAI's "Common API Parameters" page fixes (ProxyID 0, OrgID 1,
 * ReturnType, TokenID empty), plus SAASOrgID "0" as in the OTP sample. The sample's RequestType
 * "mobile", MobileVersion and LoginUID 0 identify SummitAI's own mobile app and are left out.
 * AuthType and the secrets are added by the credential's `authenticate`.
 */
export const PROXY_DEFAULTS = Object.freeze({ SAASOrgID: '0', ProxyID: 0, OrgID: '1', ReturnType: 'JSON', TokenID: '' });

export function serviceBody(serviceName: string, user: Record<string, unknown>): Record<string, unknown> {
	return { ServiceName: serviceName, objCommonParameters: { _ProxyDetails: { ...PROXY_DEFAULTS }, objUserInformation: user } };
}

export function serviceRequest(baseUrl: string | undefined, serviceName: string, user: Record<string, unknown>) {
	return { method: 'POST' as const, url: joinUrl(baseUrl, ENDPOINT), body: serviceBody(serviceName, user) };
}

/** The proxy fields of ADM_SearchAllUser's own sample (ProxyID 0, ReturnType, OrgID 1 as a number). */
export const SEARCH_PROXY_DEFAULTS = Object.freeze({ ProxyID: 0, ReturnType: 'JSON', OrgID: 1 });

export function searchRequest(baseUrl: string | undefined, objFilters: Record<string, unknown>) {
	return { method: 'POST' as const, url: joinUrl(baseUrl, SEARCH_ENDPOINT), body: { _ProxyDetails: { ...SEARCH_PROXY_DEFAULTS }, objFilters } };
}

/** objUserInformation as the documentation sends it: the numeric ids as JSON numbers. */
export function userInformation(input: OperationInput, names: readonly string[]): Record<string, unknown> {
	const user: Record<string, unknown> = {};
	for (const name of names) {
		const v = input.params[name];
		user[name] = (NUMERIC_FIELDS as readonly string[]).includes(name) ? Number(v) : v;
	}
	return user;
}
