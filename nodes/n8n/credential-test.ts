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
import { CREDENTIAL_TEST_TIMEOUT_MS, credentialTestRequest, evaluateCredentialTest, parseJson, Redactor, splitCredential, type ProviderSpec } from '../core';

/** The Node error code n8n's legacy helper rejects with (ECONNREFUSED, ETIMEDOUT, ...), if any. */
function errorCode(error: unknown): string | undefined {
	const e = error as { code?: unknown; cause?: { code?: unknown } };
	const code = e?.code ?? e?.cause?.code;
	return typeof code === 'string' ? code : undefined;
}

export function credentialTestFunction(provider: ProviderSpec): ICredentialTestFunction {
	return async function (this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
		const data = (credential.data ?? {}) as Record<string, unknown>;
		const redactor = new Redactor(splitCredential(provider, data).secrets);
		let request;
		let response: FullResponse;
		try {
			request = provider.credential.authenticate(data, credentialTestRequest(provider, data));
			response = await credentialTestGetWithBody(this.helpers, request, CREDENTIAL_TEST_TIMEOUT_MS);
		} catch (error) {
			const code = errorCode(error);
			const message = code ?? (error instanceof Error ? error.message : 'The test request failed');
			return { status: 'Error', message: redactor.text(`The test request failed: ${message}. Check the base URL.`) };
		}
		// The same reading as the Node-RED account's Test button: failWhen rules, a redirect, a status outside 2xx.
		const body = typeof response.body === 'string' ? parseJson(response.body) : response.body;
		const location = response.headers.location;
		const verdict = evaluateCredentialTest(
			provider,
			{ status: response.statusCode, body, location: Array.isArray(location) ? location[0] : location, requestUrl: request.url },
			redactor,
		);
		return { status: verdict.ok ? 'OK' : 'Error', message: verdict.message };
	};
}
