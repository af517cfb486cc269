/**
 * What a response means when the provider's own interpreter does not recognise it:
 * classification by transport failure and HTTP status, shared by every provider.
 */
import type { Outcome } from './result';
import type { TransportError } from './transport';

const TRANSPORT_MESSAGES: Record<Exclude<TransportError['kind'], 'timeout'>, string> = {
	connection_reset: 'The connection to the provider was reset before it answered',
	connection_refused: 'The provider refused the connection: check the base URL in the credential',
	dns: 'The provider host could not be found: check the base URL in the credential',
	tls: "The provider's certificate is not trusted (or the secure connection failed): check the base URL, or ask the provider about its certificate",
	other: 'The provider could not be reached',
};

function seconds(ms: number): string {
	const s = ms / 1000;
	return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

/** `timeoutMs` is the deadline the call had, for the timeout's message. */
export function fromTransportError(error: TransportError, timeoutMs?: number): Outcome {
	const message =
		error.kind === 'timeout'
			? `No complete answer from the provider within ${timeoutMs ? seconds(timeoutMs) : 'the timeout'} (raise Timeout in the node's options if the provider is slow)`
			: `${TRANSPORT_MESSAGES[error.kind]}${error.code ? ` (${error.code})` : ''}`;
	return { status: 'network_error', message, text: error.kind, retryable: error.kind !== 'tls' };
}

/**
 * A 3xx: redirects are never followed, because the request carries the account's secrets (headers or body) and
 * would take them to another host. Only the host is named: a Location's path or query may carry anything.
 */
export function fromRedirect(httpStatus: number, location: string | undefined, requestUrl: string): Outcome {
	let where = 'another address';
	try {
		if (location) {
			const target = new URL(location, requestUrl);
			where = target.host === new URL(requestUrl).host ? `another path on ${target.host}` : target.host;
		}
	} catch {
		where = 'an address that is not a valid URL';
	}
	return {
		status: 'provider_error',
		message: `The provider redirected the request to ${where} (HTTP ${httpStatus}); redirects are not followed, so nothing was sent there. Check the base URL in the credential.`,
		retryable: false,
	};
}

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(header: string | undefined, now: Date): number | undefined {
	if (!header) return undefined;
	if (/^\d+$/.test(header.trim())) return Number(header.trim());
	const at = Date.parse(header);
	return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

/** Parses a body as JSON; undefined when it is not JSON (HTML error pages, truncated bodies). */
export function parseJson(text: string): unknown {
	if (text.trim() === '') return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** The value at a dot path ('status.message') of a parsed body, or undefined. */
export function valueAt(body: unknown, path: string): unknown {
	return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), body);
}

/** The provider's own words, wherever its body shape keeps them. */
export function providerText(body: unknown): string | undefined {
	for (const path of ['statusDesc', 'message', 'description', 'Errors', 'Message', 'status.message', 'error.message', 'error']) {
		const v = valueAt(body, path);
		if (typeof v === 'string' && v.trim() !== '') return v.trim();
	}
	return undefined;
}

export function fromHttp(httpStatus: number, headers: Record<string, string | undefined>, body: unknown, now: Date): Outcome {
	const said = providerText(body);
	const suffix = said ? `: ${said}` : '';
	if (httpStatus === 429) {
		const retryAfterSeconds = parseRetryAfter(headers['retry-after'], now);
		// The provider's own words usually say "too many requests" and when to retry: say each thing once.
		const base = said ? `The provider is limiting requests (HTTP 429): ${said.replace(/[\s.;,]+$/, '')}` : 'Too many requests (HTTP 429)';
		const saysWhen = retryAfterSeconds !== undefined && new RegExp(`\\b${retryAfterSeconds}\\b`).test(said ?? '');
		const when = retryAfterSeconds !== undefined && !saysWhen ? `. Retry after ${retryAfterSeconds} s` : '';
		return { status: 'rate_limited', message: `${base}${when}.`, retryAfterSeconds, retryable: true };
	}
	if (httpStatus === 401 || httpStatus === 403) {
		return { status: 'auth_failed', message: `The provider rejected the credentials (HTTP ${httpStatus})${suffix}. Check the credential.` };
	}
	if (httpStatus >= 500) {
		return { status: 'provider_error', message: `The provider failed (HTTP ${httpStatus})${suffix}`, retryable: true };
	}
	if (body === undefined) {
		return {
			status: 'provider_error',
			message: `The provider answered HTTP ${httpStatus} with a body that is not JSON (an HTML page or a truncated response)`,
			retryable: true,
		};
	}
	if (httpStatus >= 400) {
		return { status: 'invalid_request', message: `The provider rejected the request (HTTP ${httpStatus})${suffix}` };
	}
	return { status: 'provider_error', message: `The provider's answer was not recognised (HTTP ${httpStatus})${suffix}`, retryable: true };
}
