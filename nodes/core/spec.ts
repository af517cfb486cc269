/**
 * How a provider is described, once, for both runtimes. The n8n node, the n8n credential, the Node-RED
 * palette nodes, their editor forms and help are all generated from these descriptions; adding a provider
 * means writing one of these in nodes/providers/<provider>/, never touching the adapters.
 */
import type { Outcome, ProviderId, Reference } from './result';
import type { Rule } from './rules';
import type { ProviderSamples } from './samples';
import type { HttpRequest } from './transport';

export type FieldValue = string | number | boolean;
export type Params = Record<string, FieldValue | undefined>;

export interface FieldCondition {
	field: string;
	equals: readonly FieldValue[];
}

export interface FieldSpec {
	/** Parameter name in n8n and property name in Node-RED; usually the provider's own field name. */
	name: string;
	label: string;
	/** Help shown under the field; say what it is, its form, and where it comes from. */
	description: string;
	/** 'password': text a person must not see typed in the editor (a customer's credential): a secret like `sensitive: 'secret'`. */
	type: 'string' | 'password' | 'number' | 'options' | 'boolean';
	options?: ReadonlyArray<{ name: string; value: string; description?: string }>;
	required?: boolean;
	/** Required only when another field has one of these values (e.g. externalRefNumber for otpType 2). */
	requiredWhen?: FieldCondition;
	/** Shown (and sent) only when another field has one of these values. */
	showWhen?: FieldCondition;
	default?: FieldValue;
	/**
	 * Where a chained step finds this value in the previous step's result, e.g. 'reference.sessionId'. Left empty,
	 * the field is filled from the reference the step is handed (n8n: the Reference parameter, by default
	 * `{{ $json.reference }}`; Node-RED: the reference typed input, by default `msg.payload.reference`).
	 */
	fromPrevious?: string;
	/**
	 * The field's role as a message property: 'otp' marks the code the person typed (generators and journeys find
	 * the code field by it), and Node-RED reads the field from msg.otp by default.
	 */
	fromMessage?: 'otp';
	placeholder?: string;
	/** Rarely changed: n8n puts it under "Options", Node-RED under an "Advanced" heading. */
	advanced?: boolean;
	rules?: readonly Rule[];
	/** Longest text accepted (the provider's documented limit); DEFAULT_MAX_LENGTH when not set. */
	maxLength?: number;
	/** Aadhaar numbers are masked to their last 4 digits wherever they could be echoed. */
	sensitive?: 'aadhaar' | 'secret';
}

/** Everything an operation's request builder and interpreter may read. */
export interface OperationInput {
	/** Validated field values; strings trimmed, empty fields absent, numbers as numbers. */
	params: Params;
	/** The credential's non-secret values (base URL, brand, ...). Secrets are added by `authenticate`. */
	account: Record<string, string>;
	now: Date;
}

export interface InterpretInput extends OperationInput {
	httpStatus: number;
	headers: Record<string, string | undefined>;
}

export interface OperationSpec {
	/** Stable id, used as the n8n `operation` value and in Node-RED type names: 'generateOtp'. */
	id: string;
	/** 'Generate OTP' */
	name: string;
	/** n8n action label: 'Generate an OTP'. */
	action: string;
	description: string;
	fields: readonly FieldSpec[];
	/** The natural next operation after a success, reported as `next`. */
	next?: string;
	/**
	 * The operation whose result this one continues (Verify continues Generate): its `reference` fills the fields
	 * with `fromPrevious`, and without it (and without those fields) nothing is sent: "run <that operation> first".
	 */
	continues?: string;
	/** This operation sends the customer a code (a continuing step without its reference says "send one first"). */
	sendsCode?: boolean;
	/**
	 * When several operations continue the same one (iServeU's Register Customer and Verify Beneficiary both continue
	 * Send OTP), the condition on that operation's fields under which this one is the step that follows.
	 */
	continuesWhen?: FieldCondition;
	/**
	 * Fields whose value must differ on every send (a transaction's own reference): sending again (Send and Wait for
	 * Code's "send a new code") gives them a new value, the same length, ending R<n>.
	 */
	renewOnResend?: readonly string[];
	/**
	 * Ask again while the answer is `pending`, when the boolean field `enabledBy` is true: at most `times` (a number
	 * field) more times, `intervalSeconds` (a number field) apart, through the runtime's wait (RunOptions.wait).
	 */
	pollPending?: { enabledBy: string; times: string; intervalSeconds: string };
	/** Field names copied from the input into `reference` so the next step can read them. */
	carry?: readonly string[];
	/** Reference key for a carried field when it differs from the field name, e.g. { cibil_id: 'cibilId' }. */
	carryAs?: Readonly<Record<string, string>>;
	/**
	 * Sensitive fields a later step needs again, carried sealed (encrypted with the account's secret, see seal.ts)
	 * under the given reference key, e.g. { ovdData: 'ovdDataSealed' }. A field reading that key is unsealed.
	 */
	carrySealed?: Readonly<Record<string, string>>;
	/**
	 * Reference keys that hold the customer's own credential (Capillary's user token), handed on to the next step on
	 * purpose: not masked in `reference`, but scrubbed from every message, status text, `raw` and error.
	 */
	handsOn?: readonly string[];
	/** Builds the request without credentials; `CredentialSpec.authenticate` adds those. */
	request(input: OperationInput): Omit<HttpRequest, 'headers'> & { headers?: Record<string, string> };
	/**
	 * Decides what a parsed JSON response means. Return undefined when the body is not one this
	 * operation recognises: the runner then classifies by HTTP status.
	 */
	interpret(body: unknown, input: InterpretInput): Outcome | undefined;
	/**
	 * What "Include Raw Response" shows of a body this operation read, when the whole body says more than any result
	 * may (a search answer listing other people's records): by default the body itself. Masked like any raw body.
	 */
	rawView?(body: unknown): unknown;
}

export interface CredentialField {
	name: string;
	label: string;
	description?: string;
	type: 'string' | 'password' | 'options';
	options?: ReadonlyArray<{ name: string; value: string }>;
	default?: string;
	required?: boolean;
	placeholder?: string;
	showWhen?: FieldCondition;
}

export interface CredentialTest {
	/** A cheap request that only succeeds with working credentials (a wrong secret must fail). */
	request(account: Record<string, string>): Omit<HttpRequest, 'headers'> & { headers?: Record<string, string> };
	/** n8n-style body rules: when `key` (dot path) equals `value`, the test fails with `message`. */
	failWhen?: ReadonlyArray<{ key: string; value: FieldValue; message: string }>;
}

export interface CredentialSpec {
	/** n8n credential type name, e.g. 'iServeUApi'. */
	name: string;
	label: string;
	documentationUrl: string;
	fields: readonly CredentialField[];
	/** Adds the account's authentication to a request (headers or body). Shared by n8n and Node-RED. */
	authenticate(credentials: Record<string, unknown>, request: HttpRequest): HttpRequest;
	test: CredentialTest;
}

export interface ProviderSpec {
	id: ProviderId;
	/** 'iServeU DMT Lite' */
	label: string;
	/** Short lowercase name in Node-RED type names: 'iserveu' → 'otpflow-iserveu-send-otp'. */
	slug: string;
	/** Node-RED palette colour. */
	color: string;
	/** One sentence for n8n's node description and the Node-RED help. */
	description: string;
	/** Base file name of the icon in icons/ (without extension). */
	icon: string;
	credential: CredentialSpec;
	operations: readonly OperationSpec[];
	/** Options every operation of this provider accepts (timing rules, etc.), beyond the common ones. */
	options?: readonly FieldSpec[];
	/** Sample values the shipped examples and templates are filled from (nodes/providers/<p>/samples.ts). */
	samples?: ProviderSamples;
}

export type { Reference };
