/**
 * A credential test as a node method (`methods.credentialTest`, named by `testedBy` in the node's
 * credentials), for credentials whose test request is a GET with a JSON body (BOS and AOPay CIBIL).
 *
 * Why: n8n runs a credential type's declarative `test` through RoutingNode → httpRequestWithAuthentication
 * → httpRequest, and httpRequest deletes the body of every GET (n8n-core request-helper-functions). The
 * CIBIL platform authenticates in the body only, so that test can never pass. The credential-test context
 * offers only the legacy `helpers.request`, which does send a GET body (see legacy-request.ts).
 */
import { credentialTestGetWithBody, type FullResponse } from './legacy-request';
import type { ICredentialTestFunction, ICredentialTestFunctions, ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';
import { joinUrl, splitCredential, valueAt, type CredentialSpec, type ProviderSpec } from '../core';

export function credentialTestFunction(provider: ProviderSpec): ICredentialTestFunction {
	const spec: CredentialSpec = provider.credential;
	return async function (this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
		const data = (credential.data ?? {}) as Record<string, unknown>;
		let response: FullResponse;
		try {
			const { account } = splitCredential(provider, data);
			const built = spec.test.request(account);
			const request = spec.authenticate(data, {
				...built,
				url: joinUrl(account.baseUrl, built.url),
				headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(built.headers ?? {}) },
			});
			response = await credentialTestGetWithBody(this.helpers, request, 15000);
		} catch (error) {
			const e = error as { code?: string; cause?: { code?: string }; message?: string };
			return { status: 'Error', message: e.code ?? e.cause?.code ?? e.message ?? 'The test request failed' };
		}
		for (const rule of spec.test.failWhen ?? []) {
			if (valueAt(response.body, rule.key) === rule.value) return { status: 'Error', message: rule.message };
		}
		if (response.statusCode >= 300 && response.statusCode <= 399) {
			return { status: 'Error', message: `The provider redirected the test (HTTP ${response.statusCode}); it was not followed. Check the base URL.` };
		}
		if (response.statusCode < 200 || response.statusCode > 299) {
			return { status: 'Error', message: `Received HTTP status code: ${response.statusCode}` };
		}
		return { status: 'OK', message: 'Connection successful!' };
	};
}
