import { PROVIDER_IDS, type ProviderId } from './accounts';

export const FAULT_KINDS = ['latency', 'timeout', 'reset', 'status', 'html', 'malformed', 'rate_limit', 'redirect', 'drip'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What a caller asks for (POST /_sandbox/faults or `sandbox.faults.add`). */
export interface FaultSpec {
	/** Only requests to this provider; omitted = any provider. */
	provider?: ProviderId | string;
	/** Case-insensitive substring of the request path (e.g. "GenerateOTP", "/otp/validate"). */
	path?: string;
	kind: FaultKind;
	/** latency: delay before the normal answer (default 1000). timeout: how long to hold the socket (default and cap: config.faultMaxHoldMs). */
	ms?: number;
	/** status: the HTTP status to answer (default 503). */
	status?: number;
	/** rate_limit: Retry-After in seconds (default 30). */
	retryAfter?: number;
	/**
	 * redirect: the absolute http(s) URL sent in Location (a careless or hijacked provider pointing the caller at
	 * another host); the request path and query are appended when it ends with '/'. Status from `status` (default 302).
	 */
	location?: string;
	/** drip: the delay between body bytes of an otherwise normal 200 answer (default 400). */
	intervalMs?: number;
	/** How many matching requests it applies to (default 1). */
	times?: number;
}

/** An active fault; `remaining` counts down as matching requests arrive. */
export interface Fault {
	id: string;
	provider?: ProviderId;
	path?: string;
	kind: FaultKind;
	ms?: number;
	status?: number;
	retryAfter?: number;
	location?: string;
	intervalMs?: number;
	remaining: number;
}

export class FaultSpecError extends Error {}

export class Faults {
	private active: Fault[] = [];
	private seq = 0;

	/** Validates and queues a fault. Throws FaultSpecError on a bad spec. */
	add(spec: FaultSpec): Fault {
		const fault = normalise(spec, `fault-${this.seq + 1}`);
		this.seq++;
		this.active.push(fault);
		return { ...fault };
	}

	list(): Fault[] {
		return this.active.map((f) => ({ ...f }));
	}

	clear(): void {
		this.active = [];
	}

	/** The first active fault matching this request, consuming one of its `times`. */
	take(provider: ProviderId, path: string): Fault | undefined {
		const lower = path.toLowerCase();
		const idx = this.active.findIndex(
			(f) => (!f.provider || f.provider === provider) && (!f.path || lower.includes(f.path.toLowerCase())),
		);
		if (idx < 0) return undefined;
		const fault = this.active[idx];
		fault.remaining--;
		if (fault.remaining <= 0) this.active.splice(idx, 1);
		return { ...fault };
	}
}

function normalise(spec: FaultSpec, id: string): Fault {
	if (!spec || typeof spec !== 'object') throw new FaultSpecError('fault must be a JSON object');
	if (!FAULT_KINDS.includes(spec.kind)) {
		throw new FaultSpecError(`kind must be one of ${FAULT_KINDS.join(', ')}`);
	}
	const fault: Fault = { id, kind: spec.kind, remaining: 1 };
	if (spec.provider !== undefined && spec.provider !== null && spec.provider !== '') {
		if (!PROVIDER_IDS.includes(spec.provider as ProviderId)) {
			throw new FaultSpecError(`provider must be one of ${PROVIDER_IDS.join(', ')}`);
		}
		fault.provider = spec.provider as ProviderId;
	}
	if (spec.path !== undefined && spec.path !== null && spec.path !== '') {
		if (typeof spec.path !== 'string') throw new FaultSpecError('path must be a string');
		fault.path = spec.path;
	}
	if (spec.times !== undefined) {
		if (!Number.isInteger(spec.times) || spec.times < 1) throw new FaultSpecError('times must be a positive integer');
		fault.remaining = spec.times;
	}
	if (spec.ms !== undefined) {
		if (typeof spec.ms !== 'number' || !Number.isFinite(spec.ms) || spec.ms < 0) {
			throw new FaultSpecError('ms must be a non-negative number');
		}
	}
	switch (spec.kind) {
		case 'latency':
			fault.ms = spec.ms ?? 1000;
			break;
		case 'timeout':
			if (spec.ms !== undefined) fault.ms = spec.ms;
			break;
		case 'status': {
			const status = spec.status ?? 503;
			if (!Number.isInteger(status) || status < 400 || status > 599) {
				throw new FaultSpecError('status must be an HTTP error status (400-599)');
			}
			fault.status = status;
			break;
		}
		case 'redirect': {
			const status = spec.status ?? 302;
			if (![301, 302, 303, 307, 308].includes(status)) throw new FaultSpecError('status must be a redirect status (301, 302, 303, 307, 308)');
			if (typeof spec.location !== 'string' || !/^https?:\/\/[^/\s]+/i.test(spec.location)) {
				throw new FaultSpecError('location must be an absolute http(s) URL');
			}
			fault.status = status;
			fault.location = spec.location;
			break;
		}
		case 'drip': {
			const intervalMs = spec.intervalMs ?? 400;
			if (typeof intervalMs !== 'number' || !Number.isFinite(intervalMs) || intervalMs < 1) {
				throw new FaultSpecError('intervalMs must be a positive number');
			}
			fault.intervalMs = intervalMs;
			break;
		}
		case 'rate_limit': {
			const retryAfter = spec.retryAfter ?? 30;
			if (!Number.isInteger(retryAfter) || retryAfter < 0) {
				throw new FaultSpecError('retryAfter must be a non-negative integer (seconds)');
			}
			fault.retryAfter = retryAfter;
			break;
		}
		default:
			break;
	}
	return fault;
}
