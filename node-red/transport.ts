/**
 * The Node-RED transport: axios over keep-alive agents. HTTP statuses are returned, never thrown;
 * bodies come back as raw text for the core to parse; only a missing response becomes a TransportError.
 */
import http from 'node:http';
import https from 'node:https';
import type { AxiosResponse, AxiosStatic } from 'axios';
import { TransportError, failureKindFromCode, type HttpRequest, type HttpResponse, type Transport } from '../nodes/core';

/** Adds the account's authentication (the provider credential's `authenticate`) to a request. */
export type Authenticate = (request: HttpRequest) => HttpRequest;

/**
 * axios takes 60–80 ms to load, most of Node-RED's load time for this package: it is loaded on the first
 * request instead of when Node-RED starts.
 */
let loaded: AxiosStatic | undefined;
function axios(): AxiosStatic {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	loaded ??= require('axios') as AxiosStatic;
	return loaded;
}

export class AxiosTransport implements Transport {
	private readonly httpAgent: http.Agent;
	private readonly httpsAgent: https.Agent;

	constructor(
		private readonly authenticate: Authenticate = (r) => r,
		{ maxSockets = Infinity }: { maxSockets?: number } = {},
	) {
		// Sockets are bounded like requests: the account's limiter allows no more in flight anyway.
		this.httpAgent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: Math.min(maxSockets, 256) });
		this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets, maxFreeSockets: Math.min(maxSockets, 256) });
	}

	async send(unauthenticated: HttpRequest, timeoutMs: number, signal?: AbortSignal): Promise<HttpResponse | TransportError> {
		const request = this.authenticate(unauthenticated);
		let response: AxiosResponse<string>;
		try {
			response = await axios().request<string>({
				method: request.method,
				url: request.url,
				headers: request.headers,
				// A string body is sent as is, with any method: the CIBIL providers want GET with a body.
				data: request.body === undefined ? undefined : JSON.stringify(request.body),
				// axios' timeout only watches for a silent socket; the signal is the core's deadline for the whole answer.
				timeout: timeoutMs,
				signal,
				responseType: 'text',
				responseEncoding: 'utf8',
				transformResponse: [(data: unknown) => data],
				validateStatus: () => true,
				// A redirect would resend the credential to another host; report it instead.
				maxRedirects: 0,
				proxy: false,
				httpAgent: this.httpAgent,
				httpsAgent: this.httpsAgent,
			});
		} catch (e) {
			return toTransportError(e);
		}
		return { status: response.status, headers: plainHeaders(response.headers), text: asText(response.data) };
	}

	/** Closes pooled sockets so a redeploy or shutdown leaves nothing open. */
	destroy(): void {
		this.httpAgent.destroy();
		this.httpsAgent.destroy();
	}
}

function asText(data: unknown): string {
	if (typeof data === 'string') return data;
	if (data === undefined || data === null) return '';
	return Buffer.isBuffer(data) ? data.toString('utf8') : String(data);
}

function plainHeaders(headers: unknown): Record<string, string | undefined> {
	const out: Record<string, string | undefined> = {};
	const source = (
		headers && typeof (headers as { toJSON?: unknown }).toJSON === 'function' ? (headers as { toJSON(): Record<string, unknown> }).toJSON() : headers
	) as Record<string, unknown> | undefined;
	for (const [key, value] of Object.entries(source ?? {})) {
		if (value === undefined || value === null) continue;
		out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	return out;
}

/** The error's code, looking through axios' wrapper to the socket error underneath. */
function errorCode(e: unknown): string | undefined {
	const err = e as { code?: string; cause?: { code?: string } };
	if (err?.code && err.code !== 'ERR_NETWORK') return err.code;
	return err?.cause?.code ?? err?.code;
}

export function toTransportError(e: unknown): TransportError {
	if (e instanceof TransportError) return e;
	const code = errorCode(e);
	const message = e instanceof Error ? e.message : String(e);
	let kind = failureKindFromCode(code);
	if (kind === 'other' && /socket hang up/i.test(message)) kind = 'connection_reset';
	if (kind === 'other' && /timeout/i.test(message) && (e as { isAxiosError?: boolean })?.isAxiosError) kind = 'timeout';
	return new TransportError(kind, code ? `${code}: ${message}` : message, code);
}
