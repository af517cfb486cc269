import type { IAuthenticate, ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';
import type { CredentialSpec, HttpRequest } from '../core';

/**
 * n8n's `authenticate`, as a function so that it is the very code the Node-RED transport runs:
 * one definition of where each provider's secrets go (headers for iServeU, body for Capillary's brand).
 */
export function credentialAuthenticate(spec: CredentialSpec): IAuthenticate {
	return async (credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions): Promise<IHttpRequestOptions> => {
		const request: HttpRequest = {
			method: (options.method ?? 'GET') as HttpRequest['method'],
			url: options.url,
			headers: { ...((options.headers as Record<string, string>) ?? {}) },
			body: options.body && typeof options.body === 'object' ? { ...(options.body as Record<string, unknown>) } : undefined,
		};
		const authenticated = spec.authenticate(credentials, request);
		return { ...options, headers: authenticated.headers, ...(authenticated.body ? { body: authenticated.body } : {}) };
	};
}
