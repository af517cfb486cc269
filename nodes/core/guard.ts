/**
 * The send guard: how many codes the public may make a business send. Every send a stranger can trigger (a journey's
 * first page and its resends, Send and Wait's page and app, a Generate OTP node behind a public webhook) asks it first;
 * a refused send becomes the normalised `rate_limited` with `retryAfterSeconds`, and nothing reaches the provider.
 *
 * Three budgets, each a fixed window that starts at its first send (Twilio Verify: 5 per number per 10 minutes; Firebase:
 * per address per minute and hour):
 *   per identifier   the number or address the code goes to: stops harassment of one person and resend loops
 *   per client       the connecting address: stops one script spraying many numbers (SMS pumping)
 *   per account      every send of the account in an hour: a ceiling on what a leak of the page can cost
 *
 * The counters live in a CounterStore the runtime provides (Node-RED: a context store the user picks; n8n: this
 * process, or a Redis every main and worker reaches over HTTP), so the rules are written once. Keys are hashed: a shared
 * store never holds a phone number, an e-mail address or an IP address.
 */
import { createHash } from 'crypto';
import type { OtpResult, ProviderId } from './result';

export interface Budget {
	/** How many sends the window allows; 0 switches the budget off. */
	max: number;
	windowSeconds: number;
}

export interface SendLimits {
	perIdentifier: Budget;
	perClient: Budget;
	/** Per hour; 0 (the default) is no ceiling: the user sets it to what the account may spend. */
	perAccount: Budget;
}

export const DEFAULT_SEND_LIMITS: Readonly<SendLimits> = Object.freeze({
	perIdentifier: { max: 5, windowSeconds: 600 },
	perClient: { max: 10, windowSeconds: 60 },
	perAccount: { max: 0, windowSeconds: 3600 },
});

export interface WindowCount {
	count: number;
	/** Epoch ms at which the key's window ends. */
	resetAt: number;
}

/** The store could not be asked (no answer, refused, not its protocol): the guard refuses the send. */
export interface StoreFailure {
	storeFailure: string;
}

export const isStoreFailure = (v: unknown): v is StoreFailure => typeof v === 'object' && v !== null && 'storeFailure' in v;

/** Fixed-window counters by key, shared by every process that must agree on a count. */
export interface CounterStore {
	/**
	 * Adds one to the key's count. A key's window starts at its first hit and lasts `windowMs`; afterwards the key starts
	 * from nothing. Resolves to the count including this hit and the epoch ms at which the window ends.
	 */
	hit(key: string, windowMs: number, now: number): Promise<WindowCount | StoreFailure>;
	/** The key's count in its current window, 0 when it has none (read only). */
	peek(key: string, now: number): Promise<number | StoreFailure>;
}

/** A store in this process's memory: right for one process; several processes each count their own. */
export class MemoryCounterStore implements CounterStore {
	private readonly windows = new Map<string, { count: number; resetAt: number }>();

	/** Past this many keys, ended windows are dropped before a new key is added (no timer: nothing outlives a call). */
	constructor(private readonly sweepAbove = 10000) {}

	async hit(key: string, windowMs: number, now: number): Promise<WindowCount> {
		let window = this.windows.get(key);
		if (!window || window.resetAt <= now) {
			if (!window && this.windows.size >= this.sweepAbove) this.sweep(now);
			window = { count: 0, resetAt: now + windowMs };
			this.windows.set(key, window);
		}
		window.count++;
		return { count: window.count, resetAt: window.resetAt };
	}

	async peek(key: string, now: number): Promise<number> {
		const window = this.windows.get(key);
		return window && window.resetAt > now ? window.count : 0;
	}

	private sweep(now: number): void {
		for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
	}
}

/** Which budget refused a send, in words a page may show (no number, no address). */
export type Refusal = 'identifier' | 'client' | 'account';

export const REFUSAL_WORDS: Readonly<Record<Refusal, string>> = {
	identifier: 'Too many codes were asked for this number or address',
	client: 'Too many codes were asked from this device or network',
	account: 'This service has reached its limit of codes for now',
};

/** Who asks for a send. Any part left empty is not counted (a node without a client, a flow without an identifier). */
export interface SendRequest {
	provider: ProviderId;
	/** The number or address the code goes to, as typed; normalised here. */
	identifier?: string;
	/** The client's address (see clientAddress). */
	client?: string;
	/** What tells the account apart from others of the same provider (a hash of its host and id, never a secret). */
	account?: string;
}

export interface GuardDecision {
	allowed: boolean;
	refusedBy?: Refusal;
	/** The counter store could not be asked: refused without counting (fail closed). */
	storeFailure?: string;
	/** When the refusing window ends. */
	retryAfterSeconds?: number;
}

/** 098765 43210, +91 98765-43210 and 919876543210 are one number; e-mail addresses compare without case. */
export function normaliseIdentifier(value: string): string {
	const text = value.trim();
	if (text.includes('@')) return text.toLowerCase();
	const digits = text.replace(/[\s\-().]/g, '').replace(/^\+/, '');
	if (!/^\d+$/.test(digits)) return text.toLowerCase();
	// An Indian mobile number with its country code or a trunk 0 is the same 10 digits.
	if (/^91[6-9]\d{9}$/.test(digits)) return digits.slice(2);
	if (/^0[6-9]\d{9}$/.test(digits)) return digits.slice(1);
	return digits;
}

const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 22);

/** The store keys of one request: hashed, prefixed by budget. */
export function guardKeys(request: SendRequest): Partial<Record<Refusal, string>> {
	const keys: Partial<Record<Refusal, string>> = {};
	if (request.identifier && request.identifier.trim() !== '')
		keys.identifier = `otpflow:send:id:${digest(`${request.provider}|${normaliseIdentifier(request.identifier)}`)}`;
	if (request.client && request.client !== '') keys.client = `otpflow:send:ip:${digest(request.client)}`;
	if (request.account && request.account !== '') keys.account = `otpflow:send:acct:${digest(`${request.provider}|${request.account}`)}`;
	return keys;
}

const ORDER: readonly Refusal[] = ['identifier', 'client', 'account'];
const budgetOf = (limits: SendLimits, which: Refusal): Budget =>
	which === 'identifier' ? limits.perIdentifier : which === 'client' ? limits.perClient : limits.perAccount;

/**
 * Counts one send against every budget that applies and says whether it may go. Every budget is counted, refused
 * sends too: a client hammering a refused number keeps its own count climbing, and no window is ever lengthened.
 */
export async function checkSend(store: CounterStore, limits: SendLimits, request: SendRequest, now = Date.now()): Promise<GuardDecision> {
	const keys = guardKeys(request);
	const counted = await Promise.all(
		ORDER.map(async (which) => {
			const key = keys[which];
			const budget = budgetOf(limits, which);
			if (!key || !(budget.max > 0) || !(budget.windowSeconds > 0)) return undefined;
			const counted = await store.hit(key, budget.windowSeconds * 1000, now);
			if (isStoreFailure(counted)) return counted;
			return counted.count > budget.max ? { which, retryAfterSeconds: Math.max(1, Math.ceil((counted.resetAt - now) / 1000)) } : undefined;
		}),
	);
	const failed = counted.find(isStoreFailure);
	if (failed) return { allowed: false, storeFailure: failed.storeFailure };
	const refused = counted.find((c): c is { which: Refusal; retryAfterSeconds: number } => c !== undefined);
	return refused ? { allowed: false, refusedBy: refused.which, retryAfterSeconds: refused.retryAfterSeconds } : { allowed: true };
}

/**
 * The normalised result of a refused send: Failure, retryable after the window, nothing sent. A store that could not be
 * asked is a `network_error` that names the store (the provider was not called).
 */
export function refusedSendResult(provider: ProviderId, operation: string, decision: GuardDecision): OtpResult {
	if (decision.storeFailure !== undefined) {
		return {
			ok: false,
			status: 'network_error',
			provider,
			operation,
			message: `${decision.storeFailure}: OTP Flow's send guard cannot count sends, so nothing was sent (check the counter store setting)`,
			reference: {},
			retryable: true,
			providerStatus: { code: 'send_guard_store' },
		};
	}
	const which = decision.refusedBy ?? 'client';
	const seconds = decision.retryAfterSeconds ?? 60;
	return {
		ok: false,
		status: 'rate_limited',
		provider,
		operation,
		message: `${REFUSAL_WORDS[which]}: try again in ${seconds} seconds (OTP Flow's send guard; nothing was sent)`,
		reference: {},
		retryable: true,
		retryAfterSeconds: seconds,
		providerStatus: { code: `send_guard_${which}` },
	};
}

/**
 * The client's address. Without a trusted proxy it is the connecting address: X-Forwarded-For is the client's to
 * write. Behind `trustedProxies` proxies, each appends the address it saw, so the client is that many entries from
 * the right. An IPv6 client counts by its /64 (one household or phone holds a whole /64); IPv4-mapped IPv6 as IPv4.
 */
export function clientAddress(remoteAddress: string | undefined, forwardedFor: string | string[] | undefined, trustedProxies = 0): string {
	let address = remoteAddress ?? '';
	if (trustedProxies > 0 && forwardedFor !== undefined) {
		const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
			.split(',')
			.map((s) => s.trim())
			.filter((s) => s !== '');
		const candidate = hops[hops.length - trustedProxies];
		if (candidate) address = candidate;
	}
	return addressBucket(address);
}

function addressBucket(address: string): string {
	const text = address.trim().replace(/^\[|\]$/g, '');
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
	if (mapped) return mapped[1];
	if (!text.includes(':')) return text;
	const [head, tail = ''] = text.toLowerCase().split('::');
	const left = head ? head.split(':') : [];
	const right = tail ? tail.split(':') : [];
	const groups = text.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
	return `${groups
		.slice(0, 4)
		.map((g) => g.replace(/^0+(?=.)/, ''))
		.join(':')}::/64`;
}

/** The limits from user settings, each missing or unreadable part at its default. */
export function sendLimits(settings: {
	perIdentifierMax?: unknown;
	perIdentifierWindowMinutes?: unknown;
	perClientMax?: unknown;
	perClientWindowMinutes?: unknown;
	perAccountPerHour?: unknown;
}): SendLimits {
	const num = (v: unknown, fallback: number) => {
		const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : typeof v === 'number' ? v : NaN;
		return Number.isFinite(n) && n >= 0 ? n : fallback;
	};
	const d = DEFAULT_SEND_LIMITS;
	return {
		perIdentifier: {
			max: num(settings.perIdentifierMax, d.perIdentifier.max),
			windowSeconds: num(settings.perIdentifierWindowMinutes, d.perIdentifier.windowSeconds / 60) * 60,
		},
		perClient: { max: num(settings.perClientMax, d.perClient.max), windowSeconds: num(settings.perClientWindowMinutes, d.perClient.windowSeconds / 60) * 60 },
		perAccount: { max: num(settings.perAccountPerHour, d.perAccount.max), windowSeconds: 3600 },
	};
}
