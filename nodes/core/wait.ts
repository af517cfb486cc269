/**
 * Send and Wait for Code, runtime-neutral: which operations make a provider's code flow (found from the
 * descriptions, no provider named), the state a paused run hands to the person's page or app, and what each
 * answer (a code, "send a new code") does to it.
 *
 * Nothing is kept in memory between the requests of one run: the state travels with the page or the app's request,
 * sealed (AES-256-GCM, see seal.ts) with a key derived from the run's secret resume token and the account's secrets.
 * Whoever holds the waiting URL knows the resume token but not the account's secrets, so a state cannot be read,
 * forged or altered; any main instance or worker that has the credential can answer.
 */
import { createHmac } from 'crypto';
import { conditionHolds } from './validate';
import { isOk, type OtpResult, type Reference, type Status } from './result';
import { seal, unseal } from './seal';
import type { FieldCondition, FieldSpec, FieldValue, OperationSpec, ProviderSpec } from './spec';

/** The operation id the adapters add to every provider whose flow has a code. */
export const SEND_AND_WAIT = 'sendAndWait';

/** How long a new code may not be asked for when the provider does not say (seconds). */
export const DEFAULT_RESEND_SECONDS = 30;
/** How long the run waits when neither the node nor the send step says (minutes). */
export const DEFAULT_WAIT_MINUTES = 10;

export type ResponseMode = 'page' | 'app';

export interface CodeFlow {
	/** Steps that run before the code is sent, in order (Capillary's Generate Token, the CIBIL registration). */
	before: readonly OperationSpec[];
	send: OperationSpec;
	/** The steps that take the code; `when` (on the send step's fields) picks one when there are several. */
	verifies: ReadonlyArray<{ op: OperationSpec; when?: FieldCondition }>;
}

export const codeFieldOf = (op: OperationSpec): FieldSpec | undefined => op.fields.find((f) => f.fromMessage === 'otp');

/**
 * The provider's code flow: an operation that sends a code, an operation continuing it that takes the code, and the
 * operations the send step continues (recursively). Undefined when the provider has none.
 */
export function codeFlow(provider: ProviderSpec): CodeFlow | undefined {
	for (const send of provider.operations.filter((o) => o.sendsCode)) {
		const verifies = provider.operations.filter((o) => o.continues === send.id && codeFieldOf(o)).map((op) => ({ op, when: op.continuesWhen }));
		if (verifies.length === 0) continue;
		const before: OperationSpec[] = [];
		const seen = new Set([send.id]);
		for (let at = send.continues; at && !seen.has(at);) {
			const op = provider.operations.find((o) => o.id === at);
			if (!op) break;
			before.unshift(op);
			seen.add(at);
			at = op.continues;
		}
		return { before, send, verifies };
	}
	return undefined;
}

/** A parameter of the operation, and the verify step it belongs to when only one uses it. */
export interface FlowField {
	field: FieldSpec;
	when?: FieldCondition;
}

/** The steps up to the code, in order. */
export const sendSteps = (flow: CodeFlow): readonly OperationSpec[] => [...flow.before, flow.send];

/**
 * Whether a field of step `index` (of sendSteps) is a parameter the person building the flow sets: every field of
 * the first step, and the fields of later steps that are not filled from the previous step's reference.
 */
const ownField = (index: number, f: FieldSpec) => index === 0 || !f.fromPrevious;

/**
 * The operation's parameters: the send path's fields and the verify steps' own fields (not the code, not what the
 * send step's reference fills), each name once. A field of the first step loses its `fromPrevious`: nothing precedes it.
 */
export function flowFields(flow: CodeFlow): FlowField[] {
	const out = new Map<string, FlowField>();
	sendSteps(flow).forEach((op, i) => {
		for (const f of op.fields) {
			if (!ownField(i, f) || out.has(f.name)) continue;
			out.set(f.name, { field: i === 0 && f.fromPrevious ? { ...f, fromPrevious: undefined } : f });
		}
	});
	for (const { op, when } of flow.verifies) {
		for (const f of op.fields) {
			if (f.fromPrevious || f.fromMessage === 'otp') continue;
			const known = out.get(f.name);
			if (!known) out.set(f.name, { field: f, when });
			// Used by two verify steps with different conditions: always shown.
			else if (known.when && known.when !== when) out.set(f.name, { field: known.field });
		}
	}
	return [...out.values()];
}

const pick = (values: Record<string, unknown>, fields: readonly FieldSpec[]) =>
	Object.fromEntries(fields.filter((f) => values[f.name] !== undefined).map((f) => [f.name, values[f.name]])) as Record<string, FieldValue>;

/** What step `index` of the send path is given from the operation's parameters. */
export const givenFor = (flow: CodeFlow, index: number, values: Record<string, unknown>) =>
	pick(
		values,
		sendSteps(flow)[index].fields.filter((f) => ownField(index, f)),
	);

/** The verify step for these parameters (the first whose condition holds). */
export function chooseVerify(flow: CodeFlow, values: Record<string, unknown>): OperationSpec {
	return (flow.verifies.find((v) => conditionHolds(v.when, values)) ?? flow.verifies[0]).op;
}

/** The verify step's own parameters (without the code). */
export const verifyGiven = (op: OperationSpec, values: Record<string, unknown>) =>
	pick(
		values,
		op.fields.filter((f) => !f.fromPrevious && f.fromMessage !== 'otp'),
	);

// ---------------------------------------------------------------------------------------------------
// The state that travels with the page or the app's request
// ---------------------------------------------------------------------------------------------------

export interface WaitState {
	v: 1;
	/** The run's id (random, per run) and this state's place in it: only the latest state acts (claim.ts). */
	run: string;
	seq: number;
	/** Who the codes go to, for the send guard's per-identifier budget (sealed like the rest). */
	sendTo?: string;
	mode: ResponseMode;
	/** The verify step's operation id. */
	vop: string;
	/** What the send step was given (to send again), and the reference it was handed (the steps before it). */
	given: Record<string, FieldValue>;
	inRef?: Reference;
	/** The current code's reference (the last send's result). */
	ref: Reference;
	/** The verify step's own parameters. */
	verify: Record<string, FieldValue>;
	/** Codes sent so far. */
	sends: number;
	/** Wrong codes still allowed, when the provider says. */
	left?: number;
	/** When the current code expires (ISO), when the provider says. */
	codeExp?: string;
	/** Epoch ms: a new code may be asked for from then on. */
	resendAt: number;
	/** Epoch ms: the run's wait ends then (n8n then ends it as `expired` on Failure). */
	end: number;
	/** Where the code went, masked. */
	to: string;
	title: string;
	text: string;
	timeoutMs: number;
	includeRaw: boolean;
}

const KEY_CONTEXT = 'otpflow-wait-v1';

/**
 * The run's sealing key: HMAC-SHA256 keyed with the account's secrets over the run's resume token. Without both, no
 * state opens; a state of another run (another token) or another account does not open either.
 */
export function waitKey(resumeToken: string, secrets: readonly string[], account: Record<string, string> = {}): string {
	const keyMaterial = secrets.length > 0 ? secrets.join('\u0000') : JSON.stringify(account);
	return createHmac('sha256', keyMaterial).update(`${KEY_CONTEXT}|${resumeToken}`).digest('hex');
}

export function sealState(state: WaitState, key: string): string {
	return seal(JSON.stringify(state), key);
}

/** The state, or undefined when the text is not a state sealed with this key (forged, altered, another run's). */
export function openState(sealed: unknown, key: string): WaitState | undefined {
	if (typeof sealed !== 'string' || sealed.length > 20000) return undefined;
	const text = unseal(sealed, [key]);
	if (text === undefined) return undefined;
	try {
		const state = JSON.parse(text) as WaitState;
		return state && state.v === 1 && typeof state.run === 'string' && Number.isInteger(state.seq) ? state : undefined;
	} catch {
		return undefined;
	}
}

/** Masks where a code went: 9876543210 → 98******10, asha@example.com → as***@example.com. */
export function maskDestination(value: string): string {
	const at = value.indexOf('@');
	if (at > 0) return `${value.slice(0, Math.min(2, at))}***${value.slice(at)}`;
	return value.length > 4 ? `${value.slice(0, 2)}${'*'.repeat(value.length - 4)}${value.slice(-2)}` : '****';
}

const PHONE = /^\+?\d{8,15}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Where the code went, for the page: the provider's own masked destination when it gives one, else the first phone
 * number or email address among the send path's inputs (never a sensitive field), masked; else a plain phrase.
 */
export function destinationOf(flow: CodeFlow, values: Record<string, unknown>, sent: OtpResult): string {
	const masked = sent.reference.maskedDestination;
	if (typeof masked === 'string' && masked !== '') return masked;
	for (const op of sendSteps(flow)) {
		for (const f of op.fields) {
			const v = values[f.name];
			if (f.sensitive || f.type === 'password' || typeof v !== 'string') continue;
			if (PHONE.test(v.trim()) || EMAIL.test(v.trim())) return maskDestination(v.trim());
		}
	}
	return 'your registered phone or email';
}

/** A new value for a field that must differ on every send: the same length, its end replaced by R<n>. */
export function renewed(value: FieldValue, sends: number): FieldValue {
	const text = String(value);
	const suffix = `R${sends}`;
	const base = text.replace(/R\d+$/, '');
	return `${base.slice(0, Math.max(1, text.length - suffix.length))}${suffix}`;
}

export interface InitialState {
	run: string;
	seq: number;
	sendTo?: string;
	mode: ResponseMode;
	verify: OperationSpec;
	values: Record<string, unknown>;
	given: Record<string, FieldValue>;
	inRef?: Reference;
	sent: OtpResult;
	now: number;
	/** 0: the code's validity (as the send step reports it), else DEFAULT_WAIT_MINUTES. */
	waitMinutes: number;
	title: string;
	text: string;
	timeoutMs: number;
	includeRaw: boolean;
}

export function initialState(flow: CodeFlow, init: InitialState): WaitState {
	const { sent, now } = init;
	const codeEnd = sent.expiresAt ? Date.parse(sent.expiresAt) : NaN;
	const end = init.waitMinutes > 0 ? now + init.waitMinutes * 60000 : Number.isFinite(codeEnd) && codeEnd > now ? codeEnd : now + DEFAULT_WAIT_MINUTES * 60000;
	return {
		v: 1,
		run: init.run,
		seq: init.seq,
		...(init.sendTo ? { sendTo: init.sendTo } : {}),
		mode: init.mode,
		vop: init.verify.id,
		given: init.given,
		...(init.inRef ? { inRef: init.inRef } : {}),
		ref: sent.reference,
		verify: verifyGiven(init.verify, init.values),
		sends: 1,
		...(sent.attemptsRemaining !== undefined ? { left: sent.attemptsRemaining } : {}),
		...(sent.expiresAt ? { codeExp: sent.expiresAt } : {}),
		resendAt: now + (sent.retryAfterSeconds ?? DEFAULT_RESEND_SECONDS) * 1000,
		end,
		to: destinationOf(flow, init.values, sent),
		title: init.title,
		text: init.text,
		timeoutMs: init.timeoutMs,
		includeRaw: init.includeRaw,
	};
}

// ---------------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------------

/** What the person (or app) sent: a code, or a request for a new one. */
export interface WaitInput {
	code?: string;
	resend?: boolean;
}

/** Runs one provider operation for the state machine (the adapter's runOperation with its transport). */
export type RunStep = (op: OperationSpec, given: Record<string, unknown>, reference: Reference | undefined, state: WaitState) => Promise<OtpResult>;

export interface WaitReply {
	/** The run ends with this result (Success when ok, Failure otherwise). */
	final?: OtpResult;
	/** The state to hand back (unchanged, or after a new code). */
	state: WaitState;
	/** What to tell the person when the run goes on waiting. */
	notice?: { status: Status | 'wait' | 'resent' | 'empty'; message: string };
	/** The provider's answer that led to the notice (a wrong code), for the app. */
	last?: OtpResult;
}

/** The run's result as the node emits it: the step that produced it stays readable as `step`. */
export function finalResult(result: OtpResult): OtpResult & { step: string } {
	return { ...result, operation: SEND_AND_WAIT, step: result.operation };
}

/** The result when the wait ended without a verified code: never a success. */
export function expiredResult(provider: ProviderSpec, state: Pick<WaitState, 'ref'>, message = 'No code was confirmed before the wait ended'): OtpResult {
	return {
		ok: false,
		status: 'expired',
		provider: provider.id,
		operation: SEND_AND_WAIT,
		message,
		reference: state.ref,
		retryable: false,
		providerStatus: {},
	};
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * One answer to a waiting run. A wrong code (attempts left) or a new code keeps the run waiting with the new state;
 * a verified code, max_attempts, expired, a provider failure or an unusable request ends it.
 */
/**
 * The send guard before a new code (the adapter's checkSend): a refused send as its normalised result, or undefined
 * when the send may go.
 */
export type GuardStep = (state: WaitState) => Promise<OtpResult | undefined>;

/** A send refused by the guard (rate_limited, or the counter store unavailable) or by the provider (rate_limited). */
const refusedSend = (sent: OtpResult) => sent.status === 'rate_limited' || String(sent.providerStatus.code ?? '').startsWith('send_guard');

export async function answerWait(
	provider: ProviderSpec,
	flow: CodeFlow,
	state: WaitState,
	input: WaitInput,
	run: RunStep,
	now: number,
	guard?: GuardStep,
): Promise<WaitReply> {
	if (now >= state.end) return { state, final: expiredResult(provider, state, 'The time to enter the code has run out') };
	if (input.resend) {
		if (now < state.resendAt) {
			return { state, notice: { status: 'wait', message: `You can ask for a new code in ${seconds(state.resendAt - now)} seconds.` } };
		}
		const sends = state.sends + 1;
		const given = { ...state.given };
		for (const name of flow.send.renewOnResend ?? []) if (given[name] !== undefined && given[name] !== '') given[name] = renewed(given[name], sends);
		const sent = (guard ? await guard(state) : undefined) ?? (await run(flow.send, given, state.inRef, state));
		if (refusedSend(sent)) {
			if (sent.status !== 'rate_limited') {
				// The guard could not count (its store did not answer): nothing was sent; the person may ask again.
				return { state, last: sent, notice: { status: sent.status, message: 'A new code cannot be sent just now. Please try again in a little while.' } };
			}
			const wait = (sent.retryAfterSeconds ?? DEFAULT_RESEND_SECONDS) * 1000;
			return {
				state: { ...state, resendAt: now + wait },
				last: sent,
				notice: { status: 'rate_limited', message: `Too many codes were asked just now. You can ask for a new one in ${seconds(wait)} seconds.` },
			};
		}
		if (!sent.ok) return { state, final: sent };
		const next: WaitState = {
			...state,
			given,
			ref: sent.reference,
			sends,
			resendAt: now + (sent.retryAfterSeconds ?? DEFAULT_RESEND_SECONDS) * 1000,
		};
		if (sent.attemptsRemaining !== undefined) next.left = sent.attemptsRemaining;
		else delete next.left;
		if (sent.expiresAt) next.codeExp = sent.expiresAt;
		else delete next.codeExp;
		return { state: next, notice: { status: 'resent', message: 'We sent you a new code.' } };
	}
	const code = (input.code ?? '').trim();
	if (code === '') return { state, notice: { status: 'empty', message: 'Enter the code you received.' } };
	const verify = provider.operations.find((o) => o.id === state.vop);
	const field = verify && codeFieldOf(verify);
	if (!verify || !field) return { state, final: expiredResult(provider, state, 'This waiting run does not know its verify step') };
	const result = await run(verify, { ...state.verify, [field.name]: code }, state.ref, state);
	if (isOk(result.status)) return { state, final: result };
	// A code the provider would never accept (letters, too short): nothing was sent, no attempt used.
	const onlyTheCode = result.status === 'invalid_request' && (result.errors ?? []).length > 0 && (result.errors ?? []).every((e) => e.field === field.name);
	if (onlyTheCode) return { state, last: result, notice: { status: 'invalid_otp', message: 'That code is not right. Please check it and try again.' } };
	if (result.status === 'invalid_otp') {
		if (result.attemptsRemaining === 0) {
			return { state, final: { ...result, status: 'max_attempts', retryable: false, message: `${result.message} (no attempts left)` } };
		}
		const next: WaitState = { ...state };
		if (result.attemptsRemaining !== undefined) next.left = result.attemptsRemaining;
		const left = result.attemptsRemaining !== undefined ? ` Attempts left: ${result.attemptsRemaining}.` : '';
		return { state: next, last: result, notice: { status: 'invalid_otp', message: `That code is not right. Please check it and try again.${left}` } };
	}
	return { state, final: result };
}
