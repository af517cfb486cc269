/**
 * The one seam between the runtime-neutral core and a runtime's HTTP client.
 * n8n supplies a transport over `httpRequestWithAuthentication`; Node-RED one over axios.
 * A transport never throws: it resolves to the response, whatever its HTTP status, or to a
 * TransportError when there is no usable response at all.
 */

/** DELETE carries a JSON body too (Capillary's token/expire sample sends one). */
export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface HttpRequest {
	method: HttpMethod;
	/** Absolute URL. */
	url: string;
	headers: Record<string, string>;
	/** JSON body; sent even with GET when present (the CIBIL APIs are documented that way). */
	body?: Record<string, unknown>;
}

export interface HttpResponse {
	status: number;
	headers: Record<string, string | undefined>;
	/** The body as text, unparsed: the core decides whether it is JSON. */
	text: string;
}

export type TransportFailure = 'timeout' | 'connection_reset' | 'connection_refused' | 'dns' | 'tls' | 'other';

export class TransportError extends Error {
	constructor(
		readonly kind: TransportFailure,
		message: string,
		/** The Node.js / TLS error code when there is one (ECONNRESET, CERT_HAS_EXPIRED, ...). */
		readonly code?: string,
	) {
		super(message);
		this.name = 'TransportError';
	}
}

export interface Transport {
	/**
	 * `timeoutMs` is the deadline for the whole answer, body included (a provider that drips bytes must not hold
	 * a flow); `signal` aborts at that deadline, so a transport should hand it to its HTTP client to free the socket.
	 * Redirects are never followed: the credential would go to the other host.
	 */
	send(request: HttpRequest, timeoutMs: number, signal?: AbortSignal): Promise<HttpResponse | TransportError>;
}

/** TLS failures: the certificate chain or name did not check out, or the handshake failed. */
const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_|ERR_SSL_|EPROTO$|HOSTNAME_MISMATCH|ERR_OSSL)/;

/** Maps a Node.js / axios error code to a transport failure kind. */
export function failureKindFromCode(code: string | undefined): TransportFailure {
	switch (code) {
		case 'ECONNABORTED':
		case 'ETIMEDOUT':
		case 'ESOCKETTIMEDOUT':
		case 'ERR_CANCELED':
			return 'timeout';
		case 'ECONNRESET':
		case 'EPIPE':
		case 'ERR_BAD_RESPONSE':
		case 'HPE_INVALID_CONSTANT':
			return 'connection_reset';
		case 'ECONNREFUSED':
			return 'connection_refused';
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return 'dns';
		default:
			return code && TLS_CODES.test(code) ? 'tls' : 'other';
	}
}
