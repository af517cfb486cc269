/**
 * The normalised result: the one contract every provider operation keeps, in both runtimes.
 * A non-developer branches on `ok` (Success / Failure output) and, for finer routing, on `status`.
 */

export const STATUSES = [
	'otp_sent',
	'verified',
	'completed',
	'pending',
	'invalid_otp',
	'expired',
	'max_attempts',
	'rate_limited',
	'invalid_request',
	'auth_failed',
	'provider_error',
	'network_error',
] as const;

export type Status = (typeof STATUSES)[number];

/** A registered provider's id (nodes/providers/index.ts): the core knows no provider by name. */
export type ProviderId = string;

/** What each status means to a workflow author (README table and node help are generated from this). */
export const STATUS_MEANING: Record<Status, string> = {
	otp_sent: 'OTP generated and sent; wait for the user to type the code',
	verified: 'the code was accepted',
	completed: 'a step without an OTP succeeded (session issued, customer registered, report fetched)',
	pending: 'accepted but not final: call the step named in `next` (later)',
	invalid_otp: 'wrong code; the user may try again',
	expired: 'code or session expired: generate a new one',
	max_attempts: 'too many wrong codes or sends: start again (later)',
	rate_limited: 'too many requests: wait `retryAfterSeconds` when given',
	invalid_request: 'input rejected, locally (nothing sent) or by the provider; `message` names the field',
	auth_failed: 'the credentials were rejected: fix the credential',
	provider_error: 'the provider failed or answered something unreadable',
	network_error: 'no usable answer: timeout, DNS failure or connection reset',
};

/** Statuses that go to the Success output. */
export const OK_STATUSES: ReadonlySet<Status> = new Set<Status>(['otp_sent', 'verified', 'completed']);

/** Whether the same call can succeed later or with another code, when the provider does not say. */
const RETRYABLE_BY_DEFAULT: ReadonlySet<Status> = new Set<Status>(['invalid_otp', 'rate_limited', 'provider_error', 'network_error', 'pending']);

export type ReferenceValue = string | number | boolean;
export type Reference = Record<string, ReferenceValue>;

export interface ProviderStatus {
	httpStatus?: number;
	code?: string;
	text?: string;
}

export interface FieldError {
	field: string;
	message: string;
}

export interface OtpResult {
	ok: boolean;
	status: Status;
	provider: ProviderId;
	operation: string;
	message: string;
	/** Every id the next step needs; the next node's fields read it by default. */
	reference: Reference;
	retryable: boolean;
	retryAfterSeconds?: number;
	expiresAt?: string;
	attemptsRemaining?: number;
	/** The natural next operation, e.g. 'verifyOtp'. */
	next?: string;
	/** Input fields that failed local validation (status invalid_request, nothing sent). */
	errors?: FieldError[];
	providerStatus: ProviderStatus;
	/** Provider body with secrets and PII masked; only when "Include Raw Response" is on. */
	raw?: unknown;
}

/** What a provider's interpreter decides about one response; the runner completes it into an OtpResult. */
export interface Outcome {
	status: Status;
	message: string;
	code?: string;
	text?: string;
	reference?: Reference;
	retryable?: boolean;
	retryAfterSeconds?: number;
	expiresAt?: string;
	attemptsRemaining?: number;
	next?: string;
}

export function isOk(status: Status): boolean {
	return OK_STATUSES.has(status);
}

export function defaultRetryable(status: Status): boolean {
	return RETRYABLE_BY_DEFAULT.has(status);
}
