import { PROVIDER_IDS, type ProviderId } from './accounts';
import { seededRandom } from './random';

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
	/**
	 * The chance (0..1) that a matching request takes this fault, drawn per request from a seeded generator so a
	 * run is repeatable; a request it passes over goes on to the next fault in line, or to the provider. Default 1.
	 */
	probability?: number;
	/** The generator's seed for `probability` (a 32-bit unsigned integer); default: the fault's sequence number. */
	seed?: number;
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
	probability?: number;
	seed?: number;
	remaining: number;
}

export class FaultSpecError extends Error {}

export class Faults {
	private active: Fault[] = [];
	private seq = 0;
	/** The draw of each fault with a probability, by fault id (kept out of the listed Fault). */
	private readonly draws = new Map<string, () => number>();

	/** Validates and queues a fault. Throws FaultSpecError on a bad spec. */
	add(spec: FaultSpec): Fault {
		const fault = normalise(spec, `fault-${this.seq + 1}`, this.seq + 1);
		this.seq++;
		this.active.push(fault);
		if (fault.probability !== undefined) this.draws.set(fault.id, seededRandom(fault.seed ?? 0));
		return { ...fault };
	}

	list(): Fault[] {
		return this.active.map((f) => ({ ...f }));
	}

	clear(): void {
		this.active = [];
		this.draws.clear();
	}

	/**
	 * The first active fault matching this request (and, when it has a probability, drawing it), consuming one of
	 * its `times`.
	 */
	take(provider: ProviderId, path: string): Fault | undefined {
		const lower = path.toLowerCase();
		const idx = this.active.findIndex((f) => (!f.provider || f.provider === provider) && (!f.path || lower.includes(f.path.toLowerCase())) && this.drawn(f));
		if (idx < 0) return undefined;
		const fault = this.active[idx];
		fault.remaining--;
		if (fault.remaining <= 0) {
			this.active.splice(idx, 1);
			this.draws.delete(fault.id);
		}
		return { ...fault };
	}

	/** Whether a matching request takes the fault: always without a probability, else one seeded draw. */
	private drawn(fault: Fault): boolean {
		const draw = this.draws.get(fault.id);
		return !draw || draw() < (fault.probability ?? 1);
	}
}

function normalise(spec: FaultSpec, id: string, seq: number): Fault {
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
	if (spec.probability !== undefined) {
		if (typeof spec.probability !== 'number' || !(spec.probability >= 0 && spec.probability <= 1)) {
			throw new FaultSpecError('probability must be a number from 0 to 1');
		}
		fault.probability = spec.probability;
		fault.seed = seq;
	}
	if (spec.seed !== undefined) {
		if (!Number.isInteger(spec.seed) || spec.seed < 0 || spec.seed > 0xffffffff) {
			throw new FaultSpecError('seed must be an integer from 0 to 4294967295');
		}
		if (spec.probability === undefined) throw new FaultSpecError('seed applies only with probability');
		fault.seed = spec.seed;
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
