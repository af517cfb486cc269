/**
 * Options for n8n's legacy request helpers, the only ones that send a GET with a JSON body (the CIBIL platform's
 * calls; n8n's httpRequest drops GET bodies). Shared by the node's transport and the CIBIL credential test.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import type { HttpRequest } from '../core';

export interface FullResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

/** The legacy helpers' options type, named through the helper so the deprecated type name is not needed here. */
type LegacyOptions = Parameters<IExecuteFunctions['helpers']['requestWithAuthentication']>[1];

export function legacyRequestOptions(request: HttpRequest, timeoutMs: number): LegacyOptions {
	return {
		method: request.method,
		uri: request.url,
		headers: request.headers,
		body: request.body,
		json: true,
		resolveWithFullResponse: true,
		// HTTP errors come back as responses, for the core to read.
		simple: false,
		// The body carries the account's access token: never take it to another host.
		followRedirect: false,
		followAllRedirects: false,
		timeout: timeoutMs,
	};
}
