/**
 * The core's Transport over n8n's own request helper, so n8n's proxy settings and the credential's
 * `authenticate` apply. HTTP errors come back as responses; only "no response" becomes a TransportError.
 */
import type { ICredentialDataDecryptedObject, IExecuteFunctions, IHttpRequestOptions, IAdditionalCredentialOptions } from 'n8n-workflow';
import { failureKindFromCode, TransportError, type HttpRequest, type HttpResponse, type Transport } from '../core';

import { nodeGetWithBody, type FullResponse } from './legacy-request';

/** Socket, DNS and TLS error codes (ECONNRESET, ERR_TLS_CERT_ALTNAME_INVALID, CERT_HAS_EXPIRED, ...). */
const NODE_ERROR_CODE = /^E[A-Z_]+$|^ERR_|^CERT_|^UNABLE_TO_|^DEPTH_ZERO_SELF_SIGNED_CERT$|^SELF_SIGNED_CERT_IN_CHAIN$|^HOSTNAME_MISMATCH$/;

/** n8n wraps axios errors (NodeApiError.httpCode, cause.code); look everywhere for the Node error code. */
function errorCode(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	let e = error as { code?: unknown; httpCode?: unknown; cause?: unknown } | undefined;
	while (e && typeof e === 'object' && !seen.has(e)) {
		seen.add(e);
		if (typeof e.code === 'string' && NODE_ERROR_CODE.test(e.code)) return e.code;
		if (typeof e.httpCode === 'string' && NODE_ERROR_CODE.test(e.httpCode)) return e.httpCode;
		e = e.cause as typeof e;
	}
	return undefined;
}

function flattenHeaders(headers: FullResponse['headers']): Record<string, string | undefined> {
	const out: Record<string, string | undefined> = {};
	for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
	return out;
}

export class N8nTransport implements Transport {
	/** The credential, decrypted once by the node: n8n's helpers would otherwise read and decrypt it again per request. */
	private readonly decrypted: IAdditionalCredentialOptions;

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly credentialType: string,
		credentials: ICredentialDataDecryptedObject,
	) {
		this.decrypted = { credentialsDecrypted: { id: '', name: credentialType, type: credentialType, data: credentials } };
	}

	async send(request: HttpRequest, timeoutMs: number, signal?: AbortSignal): Promise<HttpResponse | TransportError> {
		try {
			const response = request.method === 'GET' && request.body ? await this.getWithBody(request, timeoutMs) : await this.modern(request, timeoutMs, signal);
			const body = response.body;
			const text = typeof body === 'string' ? body : body === undefined || body === null ? '' : JSON.stringify(body);
			return { status: response.statusCode, headers: flattenHeaders(response.headers), text };
		} catch (error) {
			const code = errorCode(error);
			return new TransportError(failureKindFromCode(code), code ?? 'request failed', code);
		}
	}

	/** Redirects are not followed (the credential would go to the other host): the core reports the 3xx. */
	private async modern(request: HttpRequest, timeoutMs: number, signal?: AbortSignal): Promise<FullResponse> {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: request.url,
			headers: request.headers,
			body: request.body,
			json: false,
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: timeoutMs,
			...(signal ? { abortSignal: signal } : {}),
		};
		return (await this.context.helpers.httpRequestWithAuthentication.call(this.context, this.credentialType, options, this.decrypted)) as FullResponse;
	}

	/**
	 * The CIBIL APIs are documented as GET with a JSON body, which only n8n's legacy helper sends (legacy-request.ts).
	 * That helper takes no abort signal: the core's deadline still ends the call on time; its timeout frees the socket.
	 */
	private async getWithBody(request: HttpRequest, timeoutMs: number): Promise<FullResponse> {
		return await nodeGetWithBody(this.context, this.credentialType, request, timeoutMs, this.decrypted);
	}
}
