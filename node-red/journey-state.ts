/**
 * What a journey page carries between two requests, and the checks a request passes before anything reaches the
 * provider. The browser holds the state, sealed (AES-GCM, nodes/core/seal.ts) under the user's own key, so any Node-RED
 * copy can serve any page; the state is bound to its journey, to the step(s) it allows next and to an expiry, and a run
 * id + sequence make each state good for one request (the claim: see `claim`).
 *
 * Runtime-neutral and free of Node-RED: the guard node (journey.ts) feeds it the form, the time and a CounterStore.
 */
import { randomBytes } from 'crypto';
import { seal, unseal, type CounterStore, isStoreFailure } from '../nodes/core';

/** What a journey state unlocks. */
export const JOURNEY_STEPS = ['verify', 'resend', 'check'] as const;
export type JourneyStep = (typeof JOURNEY_STEPS)[number];

/** The longest a journey lives from its first page's post: the claim counter's window outlives every state in it. */
export const JOURNEY_MAX_MS = 60 * 60 * 1000;
/** The longest a first page may be filled in. */
export const FIRST_PAGE_MAX_MS = 60 * 60 * 1000;
export const DEFAULT_STATE_MINUTES = 10;
export const DEFAULT_MIN_FILL_SECONDS = 3;
export const MIN_KEY_LENGTH = 16;

export interface JourneyState {
	/** The journey id the state belongs to. */
	j: string;
	/** The run: one first-page post and everything that follows it. */
	run: string;
	/** The claim count this state was handed out at. */
	seq: number;
	/** Steps the page may post next. */
	next: JourneyStep[];
	/** Epoch ms after which the state is refused. */
	exp: number;
	/** Epoch ms of the run's first page post. */
	born: number;
	/** Whether the code was verified in this run (only the page after a verified code says so). */
	verified: boolean;
	/** The last step's reference (the provider's ids). */
	ref: Record<string, unknown>;
	/** When the code expires, as the provider said. */
	codeExpiresAt?: string;
	/** The first page's answers the later steps read. */
	ans: Record<string, string>;
}

interface IssueToken {
	k: 'issue';
	j: string;
	t: number;
}

/** Key separation: a journey state never opens as anything else sealed with the same text. */
const stateKey = (key: string) => `otpflow-journey-state:${key}`;
const issueKey = (key: string) => `otpflow-journey-issue:${key}`;

export function sealState(state: JourneyState, key: string): string {
	return seal(JSON.stringify(state), stateKey(key));
}

export function sealIssue(journey: string, now: number, key: string): string {
	return seal(JSON.stringify({ k: 'issue', j: journey, t: now } satisfies IssueToken), issueKey(key));
}

export const newRun = () => randomBytes(16).toString('base64url');

/** Why a request is refused before anything is sent; each has plain words for the page. */
export type StateRefusal = 'missing' | 'altered' | 'other-journey' | 'expired' | 'wrong-step' | 'not-verified' | 'replayed' | 'store';

export const STATE_WORDS: Readonly<Record<StateRefusal, string>> = {
	missing: 'This page has lost its place in the sign-in. Please start again.',
	altered: 'This page could not be read: it was changed or comes from somewhere else. Please start again.',
	'other-journey': 'This page belongs to another service. Please start again.',
	expired: 'This page has expired. Please start again to get a new code.',
	'wrong-step': 'This page cannot do that. Please start again.',
	'not-verified': 'Your code was not confirmed on this page. Please start again.',
	replayed: 'This page was already sent once. Please start again.',
	store: 'We cannot check this page just now. Please try again in a moment.',
};

function parse<T>(text: string | undefined): T | undefined {
	if (text === undefined) return undefined;
	try {
		return JSON.parse(text) as T;
	} catch {
		return undefined;
	}
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function wellFormed(s: unknown): s is JourneyState {
	if (!isRecord(s)) return false;
	return (
		typeof s.j === 'string' &&
		typeof s.run === 'string' &&
		Number.isInteger(s.seq) &&
		Array.isArray(s.next) &&
		s.next.every((n) => (JOURNEY_STEPS as readonly unknown[]).includes(n)) &&
		typeof s.exp === 'number' &&
		typeof s.born === 'number' &&
		typeof s.verified === 'boolean' &&
		isRecord(s.ref) &&
		isRecord(s.ans)
	);
}

/** Opens a posted state for `step` of `journey`: the state, or why not. No counter is touched. */
export function openState(
	token: unknown,
	{ journey, step, key, previousKeys = [], now }: { journey: string; step: JourneyStep; key: string; previousKeys?: readonly string[]; now: number },
): { state: JourneyState } | { refused: StateRefusal } {
	if (typeof token !== 'string' || token === '') return { refused: 'missing' };
	// A key being retired still opens the pages it sealed (they expire within minutes); new pages use the current one.
	const state = parse<unknown>(unseal(token, [key, ...previousKeys].map(stateKey)));
	if (!wellFormed(state)) return { refused: 'altered' };
	if (state.j !== journey) return { refused: 'other-journey' };
	if (!(now < state.exp) || now - state.born > JOURNEY_MAX_MS) return { refused: 'expired' };
	if (!state.next.includes(step)) return { refused: 'wrong-step' };
	if (step === 'check' && state.verified !== true) return { refused: 'not-verified' };
	return { state };
}

export const claimKey = (run: string) => `otpflow:journey:run:${run}`;

/**
 * The agreed single-use rule: every request acting on a state counts its run once; it may act only when the count is
 * the state's seq + 1, and the state it hands back carries the new count. An older, reused or double-sent state is
 * refused. A store that has never seen the run (another Node-RED copy with its own memory) answers 1: with a store not
 * shared between copies that is taken as "first seen here" and counted once more, so the same state cannot act twice
 * on this copy either; a shared store (`shared`) refuses it.
 */
export async function claim(
	store: CounterStore,
	state: JourneyState,
	{ shared, now }: { shared: boolean; now: number },
): Promise<{ seq: number } | { refused: StateRefusal }> {
	const window = state.born + JOURNEY_MAX_MS + 60000 - now;
	const hit = await store.hit(claimKey(state.run), Math.max(60000, window), now);
	if (isStoreFailure(hit)) return { refused: 'store' };
	if (hit.count === state.seq + 1) return { seq: hit.count };
	if (hit.count === 1 && !shared) {
		const again = await store.hit(claimKey(state.run), Math.max(60000, window), now);
		return isStoreFailure(again) ? { refused: 'store' } : { seq: again.count };
	}
	return { refused: 'replayed' };
}

/** The first claim of a new run (the first page's post): the state handed out next carries seq 1. */
export async function startRun(store: CounterStore, now: number): Promise<{ run: string; seq: number } | { refused: StateRefusal }> {
	const run = newRun();
	const hit = await store.hit(claimKey(run), JOURNEY_MAX_MS + 60000, now);
	if (isStoreFailure(hit)) return { refused: 'store' };
	return { run, seq: hit.count };
}

/** Why a first page's post is taken for a bot's. */
export type BotRefusal = 'honeypot' | 'too-fast' | 'stale' | 'no-issue' | 'captcha';

export const BOT_WORDS: Readonly<Record<BotRefusal, string>> = {
	honeypot: 'We could not accept this form. Please reload the page and fill it in again.',
	'too-fast': 'That was quicker than we expected. Please wait a few seconds and send the form again.',
	stale: 'This page is too old. Please reload it and fill it in again.',
	'no-issue': 'This form could not be read. Please reload the page and fill it in again.',
	captcha: 'Please complete the check that you are not a robot, then send the form again.',
};

/** The honeypot: an input people never see or fill (hidden by the page's style), bots fill every input. */
export const HONEYPOT = 'website';

/** The issue token, the honeypot and the fill time of a first page's post. */
export function checkFirstPage(
	form: Record<string, unknown>,
	{
		journey,
		key,
		previousKeys = [],
		now,
		minFillSeconds,
	}: { journey: string; key: string; previousKeys?: readonly string[]; now: number; minFillSeconds: number },
): BotRefusal | undefined {
	const trap = form[HONEYPOT];
	if (trap !== undefined && String(trap) !== '') return 'honeypot';
	const issued = parse<IssueToken>(typeof form.issued === 'string' ? unseal(form.issued, [key, ...previousKeys].map(issueKey)) : undefined);
	if (!issued || issued.k !== 'issue' || issued.j !== journey || typeof issued.t !== 'number') return 'no-issue';
	if (now - issued.t < minFillSeconds * 1000) return 'too-fast';
	if (now - issued.t > FIRST_PAGE_MAX_MS) return 'stale';
	return undefined;
}

/** A state's expiry: the state's own lifetime, never past the code's validity nor the run's end. */
export function stateExpiry({ now, born, minutes, codeExpiresAt }: { now: number; born: number; minutes: number; codeExpiresAt?: unknown }): number {
	let exp = Math.min(now + minutes * 60000, born + JOURNEY_MAX_MS);
	const code = typeof codeExpiresAt === 'string' ? Date.parse(codeExpiresAt) : NaN;
	if (Number.isFinite(code) && code > now) exp = Math.min(exp, code);
	return exp;
}

/** A state's content without any check, for tests and diagnostics that hold the key. */
export function readState(token: string, key: string): JourneyState | undefined {
	return parse<JourneyState>(unseal(token, [stateKey(key)]));
}
