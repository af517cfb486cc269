/**
 * What the property suite needs to drive every operation without naming a provider: the operation list,
 * a valid parameter set built from each field's spec, sandbox credentials, plausible provider answers
 * and a way to find what of a request came from one field.
 */
import fc from 'fast-check';
import * as core from '../../nodes/core';
import {
	runOperation,
	STATUSES,
	type FieldSpec,
	type FieldValue,
	type HttpRequest,
	type HttpResponse,
	type OperationSpec,
	type OtpResult,
	type ProviderSpec,
} from '../../nodes/core';
import { PROVIDERS } from '../../nodes/providers';
import { SANDBOX_ACCOUNTS } from '../../sandbox/accounts';
import { testAadhaar } from '../support/aadhaar';
import { codePoint, FORBIDDEN, FORBIDDEN_CHARS, LONG_STRINGS } from '../support/hostile';
import { FakeTransport, json } from '../support/fake-transport';

export const NOW = new Date('2026-11-22T10:00:00Z');
export const now = (): Date => NOW;

/** The core's default maximum for text fields; read loosely so that a core without it is held to the contract's 256. */
export const DEFAULT_MAX_LENGTH: number = (core as { DEFAULT_MAX_LENGTH?: number }).DEFAULT_MAX_LENGTH ?? 256;
export const maxLengthOf = (field: FieldSpec): number => field.maxLength ?? DEFAULT_MAX_LENGTH;

export interface OperationCase {
	/** 'iserveu sendOtp' */
	label: string;
	provider: ProviderSpec;
	op: OperationSpec;
	/** The operation's fields and the provider's options: everything runOperation validates. */
	fields: readonly FieldSpec[];
}

export const OPERATIONS: readonly OperationCase[] = PROVIDERS.flatMap((provider) =>
	provider.operations.map((op) => ({ label: `${provider.id} ${op.id}`, provider, op, fields: [...op.fields, ...(provider.options ?? [])] })),
);

/** One row per field, for it.each: [field name, field]. */
export const fieldRows = (c: OperationCase, filter: (f: FieldSpec) => boolean = () => true): Array<[string, FieldSpec]> =>
	c.fields.filter(filter).map((f) => [f.name, f]);

export const isEmailField = (f: FieldSpec): boolean => (f.rules ?? []).some((r) => /email/i.test(r.message));

// Shapes a rule asks for, keyed by the rule's message, then by the field's name; never by provider.
const BY_RULE: ReadonlyArray<[RegExp, string]> = [
	[/Indian mobile/i, '9876543210'],
	[/Aadhaar/i, testAadhaar()],
	[/\bPAN\b/, 'ABCDE1234F'],
	[/past date/i, '1990-04-23'],
	[/IPv4|IPv6/, '192.168.1.1'],
	[/latitude/i, '12.9716,77.5946'],
	[/email/i, 'name@example.com'],
	[/IFSC/, 'SBIN0001234'],
	[/PIN code/i, '560001'],
	[/digits|whole number/i, '123456'],
];
const BY_NAME: ReadonlyArray<[RegExp, string]> = [
	[/mobile/i, '9876543210'],
	[/e-?mail/i, 'name@example.com'],
	[/name/i, 'Asha Rao'],
	[/address/i, '1 MG Road'],
	[/account/i, '1234567890'],
];
const GENERIC = ['Asha Rao', 'ORD-1001', '123456', 'K1', '1 MG Road', '1234567890', 'abc'];

function passes(field: FieldSpec, v: FieldValue, all: Record<string, unknown>): boolean {
	if (field.type === 'options' && !field.options?.some((o) => o.value === String(v))) return false;
	return (field.rules ?? []).every((r) => r.test(String(v), all));
}

/** A value the field accepts given the other values: its default, first option, a shaped value, its placeholder. */
export function validValue(field: FieldSpec, all: Record<string, unknown>): FieldValue | undefined {
	const shaped = (table: ReadonlyArray<[RegExp, string]>, key: (re: RegExp) => boolean) => table.filter(([re]) => key(re)).map(([, v]) => v);
	const candidates: FieldValue[] = [
		...(field.default !== undefined && field.default !== '' ? [field.default] : []),
		...(field.options?.length ? [field.options[0].value] : []),
		...shaped(BY_RULE, (re) => (field.rules ?? []).some((r) => re.test(r.message))),
		...shaped(BY_NAME, (re) => re.test(field.name)),
		...(field.placeholder ? [field.placeholder] : []),
		...(field.type === 'number' ? [1] : field.type === 'boolean' ? [false] : GENERIC),
	];
	return candidates.find((v) => passes(field, v, { ...all, [field.name]: v }));
}

/** Every field of the operation set to a valid value (hidden ones too, so a condition can show them). */
export function validParams(c: OperationCase): Record<string, FieldValue> {
	const params: Record<string, FieldValue> = {};
	for (const field of c.fields) {
		const v = validValue(field, params);
		if (v !== undefined) params[field.name] = v;
	}
	return params;
}

/** Valid parameters in which `field` applies: its showWhen condition holds. */
export function paramsShowing(c: OperationCase, field: FieldSpec): Record<string, FieldValue> {
	const params = validParams(c);
	if (field.showWhen) params[field.showWhen.field] = field.showWhen.equals[0];
	return params;
}

/**
 * Valid parameters in which an e-mail field is an e-mail field: when its rule depends on another field
 * (an identifier type), the options of the other fields are tried until a plain address is accepted.
 */
export function paramsForEmail(c: OperationCase, field: FieldSpec): Record<string, FieldValue> | undefined {
	const base = paramsShowing(c, field);
	const accepts = (all: Record<string, unknown>) => passes(field, 'name@example.com', { ...all, [field.name]: 'name@example.com' });
	const tries: Array<Record<string, FieldValue>> = [
		base,
		...c.fields.filter((o) => o.type === 'options' && o !== field).flatMap((o) => (o.options ?? []).map((opt) => ({ ...base, [o.name]: opt.value }))),
	];
	const found = tries.find(accepts);
	return found && { ...found, [field.name]: 'name@example.com' };
}

/**
 * Fields whose verdict may change when `field` takes `value`: they are shown, required or ruled by it.
 * A refusal naming one of them instead of `field` is still a refusal caused by `field`.
 */
export function dependents(c: OperationCase, field: FieldSpec, base: Record<string, unknown>, value: unknown): Set<string> {
	const out = new Set<string>([field.name]);
	const changed = { ...base, [field.name]: value };
	for (const g of c.fields) {
		if (g.showWhen?.field === field.name || g.requiredWhen?.field === field.name) out.add(g.name);
		for (const rule of g.rules ?? []) {
			try {
				if (rule.test(String(base[g.name] ?? ''), base) !== rule.test(String(base[g.name] ?? ''), changed)) out.add(g.name);
			} catch {
				out.add(g.name);
			}
		}
	}
	return out;
}

/** Sandbox credentials for any provider, read from SANDBOX_ACCOUNTS by the credential's own field names. */
export function credentialsFor(provider: ProviderSpec, overrides: Record<string, unknown> = {}): Record<string, unknown> {
	const account = (SANDBOX_ACCOUNTS as unknown as Record<string, Record<string, unknown>>)[provider.id] ?? {};
	const credentials: Record<string, unknown> = {};
	for (const f of provider.credential.fields) {
		const v = account[f.name] ?? f.default;
		if (v !== undefined) credentials[f.name] = v;
	}
	// Nothing is sent: the fake transport answers. A discard port, in case something ever is.
	return { ...credentials, baseUrl: 'http://127.0.0.1:9/', ...overrides };
}

export const passwordFields = (provider: ProviderSpec): string[] => provider.credential.fields.filter((f) => f.type === 'password').map((f) => f.name);

/** What a fake provider puts in its answer: `text` in every place a provider writes words, `extra` beside them. */
export interface Echo {
	text: string;
	extra: Record<string, unknown>;
}

export interface Answer {
	name: string;
	respond(echo: Echo): HttpResponse;
	[fc.toStringMethod](): string;
}

const answer = (name: string, respond: (echo: Echo) => HttpResponse): Answer => ({ name, respond, [fc.toStringMethod]: () => `answer "${name}"` });

const html = (status: number, text: string): HttpResponse => ({ status, headers: { 'content-type': 'text/html' }, text });

/**
 * Plausible answers of the five providers' documented shapes (success and refusal), plus generic HTTP
 * failures. Every operation gets every shape: a property must hold whatever the provider says.
 */
export const ANSWERS: readonly Answer[] = [
	answer('status/statusCode success', ({ text, extra }) => json(200, { status: 'SUCCESS', statusCode: '0', statusDesc: text, ...extra })),
	answer('status/statusCode failure', ({ text, extra }) => json(200, { status: 'FAILED', statusCode: '1', statusDesc: text, ...extra })),
	answer('status/statusCode -1', ({ text, extra }) => json(200, { status: 'FAILED', statusCode: '-1', statusDesc: text, ...extra })),
	answer('result with a question', ({ text, extra }) =>
		json(200, {
			status: 'SUCCESS',
			message: text,
			error_code: '',
			merchant_trans_id: 'MT-1001',
			result: {
				cibil_id: '102277100',
				cibil_status: 'Pending',
				next_api_call: 'SubmitOTP',
				questions: {
					Key: 'Q1',
					AnswerChoice: { AnswerChoiceId: 'A1', AnswerChoiceText: text },
					FullQuestionText: `The One Time Password is sent to 94138****. ${text}`,
					resendEligible: 'true',
				},
			},
			...extra,
		}),
	),
	answer('result with a score', ({ text, extra }) =>
		json(200, {
			status: 'SUCCESS',
			message: text,
			error_code: '',
			result: { cibil_id: '102277100', cibil_status: 'Success', cibil_score: '750', report_date: '2026-11-22' },
			...extra,
		}),
	),
	answer('result refused', ({ text, extra }) =>
		json(200, { status: 'False', message: text, error_code: 'SPC-401', result: { attempts_remaining: '2' }, ...extra }),
	),
	answer('code/description refusal', ({ text, extra }) => json(200, { code: '207', description: text, status: 'False', ...extra })),
	answer('responsecode 401', ({ text, extra }) => json(401, { responsecode: 401, status: false, message: text, ...extra })),
	answer('OutputObject success', ({ text, extra }) =>
		json(200, {
			Errors: '',
			Message: text,
			OutputObject: { OTP_Communication: [{ TransactionID: 'T-1001', Message: text }], OTP_Validation: [{ Message: text }] },
			...extra,
		}),
	),
	answer('Errors refusal', ({ text, extra }) => json(200, { Errors: text, Message: '', OutputObject: {}, ...extra })),
	// SummitAI's user search, as documented: JSON text in a JSON string, its Output JSON text again, rows with Frm_PWD.
	answer('user rows encoded twice', ({ text, extra }) =>
		json(
			200,
			JSON.stringify({
				Errors: '',
				Message: text,
				OrgID: 0,
				Output: JSON.stringify({ AllUserDetails: { 'UserDetails ': [{ UserID: 17, UserName: text, EmailID: text, Frm_PWD: text, ...extra }] } }),
				...extra,
			}),
		),
	),
	answer('status.success true', ({ text, extra }) =>
		json(200, {
			status: { success: true, code: 200, message: text },
			user: { sessionId: 'S-100200300', userId: 4242 },
			auth: { token: 'user-token-xyz' },
			...extra,
		}),
	),
	answer('status.success false', ({ text, extra }) => json(200, { status: { success: false, code: 1506, message: text }, ...extra })),
	answer('HTTP 429', ({ text, extra }) => json(429, { message: text, ...extra }, { 'retry-after': '30' })),
	answer('HTTP 400', ({ text, extra }) => json(400, { error: text, ...extra })),
	answer('HTTP 500', ({ text, extra }) => json(500, { error: { message: text }, ...extra })),
	answer('HTML page', ({ text }) => html(502, `<html><body>${text}</body></html>`)),
];

export const answerArb: fc.Arbitrary<Answer> = fc.constantFrom(...ANSWERS);

/** A transport that records every request and answers `answer` with `echo(request)`. */
export function transportFor(answer: Answer, echo: (req: HttpRequest) => Echo = () => ({ text: 'OK', extra: {} })): FakeTransport {
	return new FakeTransport((req) => answer.respond(echo(req)));
}

export interface Run {
	result: OtpResult;
	transport: FakeTransport;
}

export async function run(c: OperationCase, params: Record<string, unknown>, transport: FakeTransport, credentials = credentialsFor(c.provider)): Promise<Run> {
	const result = await runOperation(c.provider, c.op, params, credentials, transport, { now, includeRaw: true });
	return { result, transport };
}

/** Exactly one result object, of a known status, naming its provider and operation. */
export function expectOneResult(c: OperationCase, result: unknown): asserts result is OtpResult {
	expect(result).not.toBeNull();
	expect(typeof result).toBe('object');
	expect(Array.isArray(result)).toBe(false);
	const r = result as OtpResult;
	expect(STATUSES).toContain(r.status);
	expect(r.provider).toBe(c.provider.id);
	expect(r.operation).toBe(c.op.id);
}

/** Every leaf of a request (url, method, headers, body) by its path. */
export function leaves(request: HttpRequest): Map<string, unknown> {
	const out = new Map<string, unknown>();
	const walk = (path: string, v: unknown): void => {
		if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(`${path}.${k}`, x);
		else out.set(path, v);
	};
	walk('url', request.url);
	walk('method', request.method);
	walk('headers', request.headers);
	walk('body', request.body ?? {});
	return out;
}

/** The leaves of `request` that differ from the same operation's request with valid parameters: what one field changed. */
export function changedLeaves(request: HttpRequest, baseline: HttpRequest): Array<[string, unknown]> {
	const before = leaves(baseline);
	return [...leaves(request)].filter(([path, v]) => !Object.is(before.get(path), v));
}

/** The request the operation sends with `params`, which must be valid. */
export async function baselineRequest(c: OperationCase, params: Record<string, unknown>): Promise<HttpRequest> {
	const { result, transport } = await run(c, params, transportFor(ANSWERS[0]));
	if (transport.sent.length !== 1) throw new Error(`${c.label}: the valid parameters were refused: ${result.message}`);
	return transport.sent[0];
}

/** A short, escaped picture of a value for counterexamples: a megabyte string is not printed in full. */
export function show(v: unknown): string {
	if (v === undefined) return 'undefined';
	if (typeof v === 'string' && v.length > 80) return `${show(v.slice(0, 24))}… (${v.length} characters)`;
	let s: string;
	try {
		s = JSON.stringify(v) ?? String(v);
	} catch {
		s = Object.prototype.toString.call(v);
	}
	if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === null) s = `null-prototype ${s}`;
	return s.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A generated value that fast-check reports by `label` (its own picture unless given). */
export interface Labelled {
	value: unknown;
	label: string;
	[fc.toStringMethod](): string;
}

export const labelled = (value: unknown, label = show(value)): Labelled => ({ value, label, [fc.toStringMethod]: () => label });

/** Throws with `problem` unless `ok`: fast-check reports the message beside the counterexample. */
export function check(ok: unknown, problem: () => string): asserts ok {
	if (!ok) throw new Error(problem());
}

/** The problem with a run that should be a local refusal naming `fields` (or undefined when it is one). */
export function notRefusedLocally(r: Run, fields: ReadonlySet<string>, field: string): string | undefined {
	if (r.transport.sent.length > 0) return `sent to the provider (status ${r.result.status})`;
	if (r.result.status !== 'invalid_request') return `status ${r.result.status}, not invalid_request`;
	const named = (r.result.errors ?? []).map((e) => e.field);
	if (named.length === 0) return `no errors: ${r.result.message}`;
	// A continuing step handed no reference and missing the ids it needs says "run the previous step first",
	// naming its Reference parameter rather than ids the user never typed (nodes/core/chain.ts).
	const runFirst = named.length === 1 && named[0] === 'reference' && /run .+ first|send one first/.test(r.result.message);
	if (!named.includes(field) && !named.every((n) => fields.has(n)) && !runFirst) return `errors name ${named.join(', ')}, not ${field}`;
	const unnamed = (r.result.errors ?? []).find((e) => !e.message.includes(`(${e.field})`));
	if (unnamed) return `error "${unnamed.message}" does not name (${unnamed.field})`;
	if (named.includes(field) && !r.result.message.includes(`(${field})`)) return `message "${r.result.message}" does not name (${field})`;
	return undefined;
}

/**
 * The problem with a request that carries `value` of `field` (or undefined): what the field changed in
 * the request has no control or bidi characters, fits the field's maximum length, and is a finite
 * number when it is a number (JSON has no Infinity).
 */
export function brokenRules(request: HttpRequest, baseline: HttpRequest, field: FieldSpec, value: unknown, all: Record<string, unknown>): string | undefined {
	const max = maxLengthOf(field);
	const trimmed = typeof value === 'string' ? value.trim() : undefined;
	for (const [path, v] of changedLeaves(request, baseline)) {
		if (typeof v === 'number' && !Number.isFinite(v)) return `${path} is ${v}`;
		if (typeof v !== 'string') continue;
		const bad = FORBIDDEN.exec(v);
		if (bad) return `${path} carries ${codePoint(bad[0])}`;
		// A URL holds the field beside the base URL and path: only the field's share is limited.
		const limit = path === 'url' ? baseline.url.length + max : max;
		if (v.length > limit) return `${path} is ${v.length} characters, more than ${limit}`;
		if (v === trimmed && v !== '') {
			const broken = (field.rules ?? []).find((rule) => !rule.test(v, all));
			if (broken) return `${path} was sent although it breaks "${broken.message}"`;
		}
	}
	return undefined;
}

const insertAt = (s: string, at: number, x: string) => `${s.slice(0, at)}${x}${s.slice(at)}`;
const forbiddenChar = fc.constantFrom(...FORBIDDEN_CHARS);

/** Objects a JSON message can carry that break naive String(): `{"toString":0}` has no usable toString. */
const AWKWARD_OBJECTS: readonly unknown[] = [
	{ toString: 0 },
	{ valueOf: 1, toString: 'x' },
	Object.create(null),
	[],
	['5'],
	[[]],
	new Date(Number.NaN),
	{ length: 3 },
];

/** Run first by every any-value property, so these never depend on the random draw. */
export const AWKWARD_VALUES: readonly Labelled[] = [
	...[undefined, null, '', '   ', true, 0, -1, Number.NaN, Number.POSITIVE_INFINITY, 1e21, {}, ...AWKWARD_OBJECTS].map((v) => labelled(v)),
	// Whole numbers past what a Date can add (about 1.44e11 minutes): a duration option must not crash the run.
	...[1.5e11, Number.MAX_SAFE_INTEGER, '99999999999999'].map((v) => labelled(v)),
	...LONG_STRINGS.map((l) => labelled(l.value, l.label)),
];

/** Values near the field's valid one (to reach the "sent" side often) and anything at all. */
export function anyValue(field: FieldSpec, valid: string): fc.Arbitrary<Labelled> {
	const max = maxLengthOf(field);
	const near = fc.oneof(
		fc.constant(valid),
		fc.tuple(fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 })).map(([i, s]) => insertAt(valid, i % (valid.length + 1), s)),
		fc.tuple(fc.nat(), forbiddenChar).map(([i, c]) => insertAt(valid, i % (valid.length + 1), c)),
		fc.string({ unit: 'binary-ascii', maxLength: 4 }).map((s) => `${valid}${s}`),
		fc.tuple(fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u2028'), fc.constantFrom('', ' ', '\r\n')).map(([a, b]) => `${a}${valid}${b}`),
		// Around the maximum length, made of the valid value so that only the length is in question.
		fc.integer({ min: max - 2, max: max + 2 }).map((n) => valid.padEnd(n, valid || 'a')),
	);
	const any = fc.oneof(
		fc.string(),
		fc.string({ unit: 'binary-ascii' }),
		fc.string({ unit: 'binary' }),
		fc.string({ unit: 'grapheme' }),
		fc.integer(),
		fc.double(),
		fc.boolean(),
		fc.constantFrom(null, undefined, '', 'true', 'false', 'null', 'undefined', '0', '-1', 'NaN', 'Infinity', '1e400'),
		fc.object(),
		fc.array(fc.anything(), { maxLength: 3 }),
		fc.anything(),
		fc.constantFrom(...AWKWARD_OBJECTS),
		...(field.options?.length ? [fc.constantFrom(...field.options.map((o) => o.value))] : []),
	);
	const long = fc.constantFrom(...LONG_STRINGS).map((l) => labelled(l.value, l.label));
	return fc.oneof(
		{ arbitrary: near.map((v) => labelled(v)), weight: 4 },
		{ arbitrary: any.map((v) => labelled(v)), weight: 4 },
		{ arbitrary: long, weight: 1 },
	);
}
