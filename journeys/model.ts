/**
 * A journey: what a person does to prove who they are with a one-time code, described once for both runtimes.
 * A first page asks for what the provider's first step needs; the steps before the code run; the code is sent;
 * a code page asks for it (saying where it went and until when); the verify step runs; an outcome page follows.
 * The n8n generator turns a journey into a Form Trigger + Form workflow, the Node-RED generator into an
 * http-in / template / http-response flow; both route on the normalised `status` the same way (OUTCOMES).
 */
import type { FieldValue, ProviderSpec, Status } from '../nodes/core';

/** One input on a page; its value fills the operation fields named in `fills` (default: `name`) in every step that has them. */
export interface Ask {
	/** Name of the page input. */
	name: string;
	fills?: readonly string[];
	label: string;
	hint?: string;
	/** The input's kind in the browser (keyboard, validation). */
	input: 'tel' | 'email' | 'text' | 'numeric' | 'date';
	/** What the tests and the demo type: valid for the sandbox. */
	sample: string;
	/** Never shown again on a later page and never put in a page's hidden data (an Aadhaar number). */
	sensitive?: boolean;
}

/** A value the journey makes up on each run (the sandbox and the providers refuse a reused order id). */
export interface Unique {
	unique: string; // prefix: 'ORD-' → 'ORD-1767225600000'
}

export interface Step {
	/** Operation id of the journey's provider. */
	op: string;
	/** Values the journey sets for this step's fields (choices, the agent's username, ...). */
	fixed?: Readonly<Record<string, FieldValue | Unique>>;
}

export interface Poll {
	/** How often a `pending` answer is asked again before the person is told to come back later. */
	times: number;
	waitSeconds: number;
}

export interface Journey {
	/** 'capillary-mobile': the Node-RED page is /otp/capillary-mobile, the n8n form path otp-capillary-mobile. */
	id: string;
	provider: ProviderSpec;
	/** The pages' heading: 'Sign in with a one-time code'. */
	title: string;
	/** The first page's text. */
	intro: string;
	/** The first page's inputs. */
	ask: readonly Ask[];
	/** Steps that run before the code is sent (Generate Token, Register Customer). */
	before: readonly Step[];
	/** The step that sends the code. */
	send: Step;
	/** Inputs on the code page besides the code (registration details the verify step needs). */
	codeAsk?: readonly Ask[];
	/** The step that takes the code. */
	verify: Step;
	/** A step after a verified code (Get Credit History), asked again while it answers `pending`. */
	after?: Step & { poll?: Poll };
	/** Where the code went, for the code page: a key of the send step's reference, or an ask whose value is shown masked. */
	sentTo: { reference: string } | { ask: string } | { text: string };
	/** The ending page after success; {name} is replaced by reference[name] of the last step's result. */
	done: { title: string; text: string };
}

/** What a journey does with each status of the verify (or after) step. */
export type Outcome = 'done' | 'code_again' | 'new_code' | 'poll' | 'error';

export const OUTCOMES: Readonly<Record<Status, Outcome>> = {
	otp_sent: 'done',
	verified: 'done',
	completed: 'done',
	pending: 'poll',
	invalid_otp: 'code_again',
	expired: 'new_code',
	max_attempts: 'new_code',
	rate_limited: 'error',
	invalid_request: 'error',
	auth_failed: 'error',
	provider_error: 'error',
	network_error: 'error',
};

/**
 * What the person reads for each status: plain words, never a secret, a stack trace or a full Aadhaar number
 * ({message}, {attemptsRemaining} and {retryAfterSeconds} come from the result, which is already scrubbed).
 */
export const CUSTOMER_WORDS: Readonly<Record<Status, string>> = {
	otp_sent: 'We sent you a code.',
	verified: 'Your code is confirmed.',
	completed: 'Done.',
	pending: 'This is still being prepared. Please come back in a few minutes.',
	invalid_otp: 'That code is not right. Please check it and try again.',
	expired: 'That code has expired. Ask for a new one.',
	max_attempts: 'That code was tried too many times. Ask for a new one.',
	rate_limited: 'Too many requests just now. Please try again in a little while.',
	invalid_request: 'Some of the details could not be used: {message}',
	auth_failed: 'This service is not set up correctly. Please try again later.',
	provider_error: 'The service could not answer just now. Please try again in a moment.',
	network_error: 'We could not reach the service. Please try again in a moment.',
};

/** Masks what the person typed for the code page: 9876543210 → 98******10, asha@example.com → as***@example.com. */
export function maskContact(value: string): string {
	const at = value.indexOf('@');
	if (at > 0) return `${value.slice(0, Math.min(2, at))}***${value.slice(at)}`;
	return value.length > 4 ? `${value.slice(0, 2)}${'*'.repeat(value.length - 4)}${value.slice(-2)}` : '****';
}

export const isUnique = (v: unknown): v is Unique => typeof v === 'object' && v !== null && 'unique' in v;
