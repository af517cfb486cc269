/**
 * A credential test ("does this account work?") run through any Transport: the credential's `test` request, sent
 * with the account's authentication, read with its `failWhen` rules, redirects reported and never followed. The
 * answer is one sentence a person can act on, with no secret in it. Used by Node-RED's config-node Test button;
 * `evaluateCredentialTest` reads an answer however it was fetched (n8n's credential test reads the same rules).
 */
import { parseJson, providerText, valueAt } from './classify';
import { Redactor } from './redact';
import { splitCredential } from './run';
import type { ProviderSpec } from './spec';
import { TransportError, type HttpRequest, type Transport } from './transport';
import { joinUrl } from './url';
import { conditionHolds } from './validate';

export interface CredentialTestResult {
	ok: boolean;
	message: string;
}

export const CREDENTIAL_TEST_TIMEOUT_MS = 15000;
export const CREDENTIAL_TEST_SUCCESS = 'Connection successful';

function isEmpty(v: unknown): boolean {
	return v === undefined || v === null || String(v).trim() === '';
}

/** The credential fields still empty that the account needs (as shown: secrets marked), or [] when complete. */
export function missingCredentialFields(provider: ProviderSpec, credentials: Record<string, unknown>): string[] {
	return provider.credential.fields
		.filter((f) => f.required && conditionHolds(f.showWhen, credentials) && isEmpty(credentials[f.name]))
		.map((f) => `${f.label}${f.type === 'password' ? ' (secret)' : ''}`);
}

/** The test request without authentication (the transport adds it): base URL joined, JSON headers. */
export function credentialTestRequest(provider: ProviderSpec, credentials: Record<string, unknown>): HttpRequest {
	const { account } = splitCredential(provider, credentials);
	const built = provider.credential.test.request(account);
	return {
		...built,
		url: joinUrl(account.baseUrl, built.url),
		headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(built.headers ?? {}) },
	};
}

function redirectTarget(location: string | undefined, requestUrl: string): string {
	try {
		if (!location) return 'another address';
		const target = new URL(location, requestUrl);
		return target.host === new URL(requestUrl).host ? `another path on ${target.host}` : target.host;
	} catch {
		return 'an address that is not a valid URL';
	}
}

function statusHint(status: number): string {
	if (status === 401 || status === 403) return 'the credentials were refused: check the secret and the account fields';
	if (status === 404 || status === 405) return 'nothing answers the test there: check the base URL';
	if (status === 429) return 'the provider is limiting requests: try again in a minute';
	if (status >= 500) return 'the provider had a problem: try again later, or check the base URL';
	return 'check the base URL and the account fields';
}

/**
 * What a test answer means, in the order n8n's credential test reads it: the credential's `failWhen` rules on the
 * body, then a redirect (never followed), then any other status outside 2xx. `body` is the parsed JSON, if any.
 */
export function evaluateCredentialTest(
	provider: ProviderSpec,
	response: { status: number; body: unknown; location?: string; requestUrl?: string },
	redactor: Redactor = new Redactor(),
): CredentialTestResult {
	for (const rule of provider.credential.test.failWhen ?? []) {
		if (valueAt(response.body, rule.key) === rule.value) return { ok: false, message: redactor.text(rule.message) };
	}
	const { status } = response;
	if (status >= 300 && status <= 399) {
		const where = response.requestUrl ? ` to ${redirectTarget(response.location, response.requestUrl)}` : '';
		return {
			ok: false,
			message: `${provider.label} redirected the test${where} (HTTP ${status}); redirects are not followed, so the credentials went nowhere else. Check the base URL.`,
		};
	}
	if (status < 200 || status > 299) {
		const said = providerText(response.body);
		const words = said ? ` (${redactor.text(said).slice(0, 200)})` : '';
		return { ok: false, message: `HTTP ${status} from ${provider.label}${words}: ${statusHint(status)}.` };
	}
	return { ok: true, message: CREDENTIAL_TEST_SUCCESS };
}

function transportMessage(provider: ProviderSpec, error: TransportError, timeoutMs: number): string {
	const code = error.code ? ` (${error.code})` : '';
	switch (error.kind) {
		case 'timeout':
			return `${provider.label} did not answer within ${Number((timeoutMs / 1000).toFixed(1))} s${code}: check the base URL and that the host is reachable.`;
		case 'dns':
			return `The base URL's host name was not found${code}: check the base URL.`;
		case 'connection_refused':
			return `Nothing accepted the connection at the base URL${code}: check the base URL and its port.`;
		case 'tls':
			return `The secure connection failed${code}: the host's certificate did not check out. Check the base URL.`;
		case 'connection_reset':
			return `The connection was closed before ${provider.label} answered${code}: try again, or check the base URL.`;
		default:
			return `The test request failed${code || `: ${error.message}`}.`;
	}
}

/**
 * Runs the credential test through `transport` (which adds the account's authentication and never follows a
 * redirect) within a deadline for the whole answer. Never throws; nothing is logged; every secret of `credentials`
 * is scrubbed from the message.
 */
export async function runCredentialTest(
	provider: ProviderSpec,
	credentials: Record<string, unknown>,
	transport: Transport,
	timeoutMs: number = CREDENTIAL_TEST_TIMEOUT_MS,
): Promise<CredentialTestResult> {
	const { secrets } = splitCredential(provider, credentials);
	const redactor = new Redactor(secrets);
	try {
		const missing = missingCredentialFields(provider, credentials);
		if (missing.length > 0) return { ok: false, message: `Fill in ${missing.join(', ')} first.` };
		const request = credentialTestRequest(provider, credentials);
		const signal = AbortSignal.timeout(timeoutMs);
		const expired = new Promise<TransportError>((resolve) => {
			signal.addEventListener('abort', () => resolve(new TransportError('timeout', `no complete answer within ${timeoutMs} ms`)), { once: true });
		});
		const answer = await Promise.race([transport.send(request, timeoutMs, signal), expired]);
		if (answer instanceof TransportError) return { ok: false, message: redactor.text(transportMessage(provider, answer, timeoutMs)) };
		return evaluateCredentialTest(
			provider,
			{ status: answer.status, body: parseJson(answer.text), location: answer.headers.location, requestUrl: request.url },
			redactor,
		);
	} catch (e) {
		// A base URL that is not a URL, an authenticate that throws: the message says which, with secrets masked.
		const message = e instanceof Error ? e.message : String(e);
		return { ok: false, message: redactor.text(`The test could not be sent: ${message}`) };
	}
}
