/**
 * Whatever a provider answers, no secret of the credential, no full Aadhaar number and no token-like value
 * reaches the result (message, errors, providerStatus, reference, or raw with Include Raw Response on).
 */
import fc from 'fast-check';
import type { HttpRequest, OtpResult } from '../../nodes/core';
import { testAadhaar } from '../support/aadhaar';
import { aadhaarForms, aadhaarFrom } from '../support/hostile';
import {
	ANSWERS,
	answerArb,
	check,
	credentialsFor,
	expectOneResult,
	OPERATIONS,
	passwordFields,
	run,
	transportFor,
	validParams,
	type Answer,
	type Echo,
	type OperationCase,
} from './harness';

const AADHAAR_RUNS = 20;
const SECRET_RUNS = 20;
const TOKEN_RUNS = 40;

/** Where in `result` a text shows up, as dot paths: the report says which part leaked. */
function whereIn(result: OtpResult, needle: string): string[] {
	const found: string[] = [];
	const walk = (path: string, v: unknown): void => {
		if (typeof v === 'string' || typeof v === 'number') {
			if (String(v).includes(needle)) found.push(path);
		} else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(path ? `${path}.${k}` : k, x);
	};
	walk('', result);
	return found;
}

function expectAbsent(result: OtpResult, needle: string, what: string): void {
	const json = JSON.stringify(result);
	check(!json.includes(needle), () => `${what} "${needle}" appears in the result at ${whereIn(result, needle).join(', ') || '(escaped)'}`);
}

const digit = fc.constantFrom(...'0123456789'.split(''));
/** Random Verhoeff-valid 12-digit numbers starting with 2–9, as Aadhaar numbers are. */
const aadhaarArb = fc
	.tuple(fc.integer({ min: 2, max: 9 }), fc.string({ unit: digit, minLength: 10, maxLength: 10 }))
	.map(([first, rest]) => aadhaarFrom(`${first}${rest}`));

type Forms = ReturnType<typeof aadhaarForms>;
type Form = keyof Forms;
const FORMS: readonly Form[] = ['contiguous', 'spaced', 'hyphenated'];

/** The places a provider has been seen (or could be) to echo an Aadhaar number. */
const AADHAAR_ECHOES: ReadonlyArray<[string, (f: Forms, request: HttpRequest) => Echo]> = [
	['in its message, contiguous', (f) => ({ text: `Customer with Aadhaar ${f.contiguous} found`, extra: {} })],
	['in its message, in groups with spaces', (f) => ({ text: `Customer with Aadhaar ${f.spaced} found`, extra: {} })],
	['in its message, in groups with hyphens', (f) => ({ text: `Customer with Aadhaar ${f.hyphenated} found`, extra: {} })],
	['under aadhaar_number', (f) => ({ text: 'OK', extra: { aadhaar_number: f.contiguous } })],
	['under uidNumber', (f) => ({ text: 'OK', extra: { uidNumber: f.spaced } })],
	['under ovdData', (f) => ({ text: 'OK', extra: { ovdData: f.hyphenated } })],
	['as a JSON number under an innocent key', (f) => ({ text: 'OK', extra: { data: { value: Number(f.contiguous) } } })],
	[
		'nested anywhere, in every form',
		(f) => ({ text: 'OK', extra: { data: { customer: { kyc: [{ note: `doc ${f.spaced}` }, f.hyphenated, { id: f.contiguous }] } } } }),
	],
	['by repeating the request it got', (f, request) => ({ text: 'OK', extra: { request: request.body, customer: { documentNumber: f.contiguous } } })],
];

const TOKEN_KEYS = [
	'refreshToken',
	'sessionToken',
	'access_token',
	'clientSecret',
	'api_key',
	'APIKey',
	'Authorization',
	'x-api-key',
	'passwd',
	'id_token',
	'client_secret',
];
const TOKEN_WORDS = [
	'token',
	'Token',
	'TOKEN',
	'secret',
	'Secret',
	'password',
	'Password',
	'passwd',
	'api_key',
	'apiKey',
	'ApiKey',
	'API-KEY',
	'authorization',
	'Authorization',
];

// Any key naming a token, secret, password, API key or authorization, however it is cased or joined.
const tokenKey = fc
	.tuple(
		fc.constantFrom('', 'refresh', 'session', 'access', 'id', 'auth', 'user', 'x', 'client', 'app', 'device'),
		fc.constantFrom('', '_', '-'),
		fc.constantFrom(...TOKEN_WORDS),
		fc.constantFrom('', 'Value', '_v2'),
	)
	.map(([prefix, sep, word, suffix]) => (prefix ? `${prefix}${sep}${word}${suffix}` : `${word}${suffix}`));
const secretValue = fc.oneof(
	fc.string({ unit: fc.constantFrom(...'abcdefghijkmnpqrstuvwxyz0123456789'.split('')), minLength: 12, maxLength: 24 }).map((s) => `tk-${s}`),
	fc.integer({ min: 10 ** 9, max: Number.MAX_SAFE_INTEGER }),
);
const placed = (key: string, value: unknown): Record<string, unknown>[] => [
	{ [key]: value },
	{ data: { [key]: value } },
	{ data: { items: [{ deep: { [key]: value } }] } },
];

const withAadhaar = (c: OperationCase, aadhaar: string) => {
	const params: Record<string, unknown> = validParams(c);
	for (const f of c.fields) if (f.sensitive === 'aadhaar') params[f.name] = aadhaar;
	return params;
};

describe.each(OPERATIONS.map((c) => [c.label, c] as const))('%s', (label, c) => {
	it.each(AADHAAR_ECHOES.map(([where, echo]) => [where, echo] as const))(
		`${label}: an Aadhaar number the provider echoes %s never appears in full in the result`,
		async (_where, echo) => {
			const examples = ANSWERS.map((a): [string, typeof a] => [testAadhaar(), a]);
			await fc.assert(
				fc.asyncProperty(aadhaarArb, answerArb, async (aadhaar, answer) => {
					const forms = aadhaarForms(aadhaar);
					const { result } = await run(
						c,
						withAadhaar(c, aadhaar),
						transportFor(answer, (request) => echo(forms, request)),
					);
					expectOneResult(c, result);
					expectAbsent(result, forms.contiguous, 'the Aadhaar number');
					expectAbsent(result, forms.spaced, 'the spaced Aadhaar number');
					expectAbsent(result, forms.hyphenated, 'the hyphenated Aadhaar number');
				}),
				{ numRuns: examples.length + AADHAAR_RUNS, examples },
			);
		},
	);

	it(`${label}: an Aadhaar number typed into any field is not echoed when the field refuses it`, async () => {
		const names = c.fields.map((f) => f.name);
		const examples = names.flatMap((name) => FORMS.map((form): [string, string, Form] => [testAadhaar(), name, form]));
		await fc.assert(
			fc.asyncProperty(aadhaarArb, fc.constantFrom(...names), fc.constantFrom(...FORMS), async (aadhaar, name, form) => {
				const forms = aadhaarForms(aadhaar);
				const { result, transport } = await run(c, { ...validParams(c), [name]: forms[form] }, transportFor(ANSWERS[0]));
				expectOneResult(c, result);
				// Sent, it may be carried on as an id in `reference` (kept by design); refused, it has no reason to be anywhere.
				if (transport.sent.length > 0) return;
				for (const f of Object.values(forms)) expectAbsent(result, f, `the Aadhaar number refused in ${name}`);
			}),
			{ numRuns: examples.length + AADHAAR_RUNS, examples },
		);
	});

	const secrets = passwordFields(c.provider);
	if (secrets.length > 0) {
		const secretArb = fc.string({
			unit: fc.constantFrom(...'abcdefghkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789-_.'.split('')),
			minLength: 8,
			maxLength: 40,
		});
		const ECHOES: ReadonlyArray<[string, (values: string[]) => Echo]> = [
			['in its message', (values) => ({ text: `Rejected credentials ${values.join(' and ')}`, extra: {} })],
			['under an innocent key', (values) => ({ text: 'OK', extra: { detail: values.join(','), echoed: values } })],
			['nested in a list', (values) => ({ text: 'OK', extra: { data: [{ note: { said: values.map((v) => `got ${v}!`) } }] } })],
		];
		it.each(ECHOES.map(([where, echo]) => [where, echo] as const))(
			`${label}: the credential's secrets (${secrets.join(', ')}) echoed by the provider %s never appear in the result`,
			async (_where, echo) => {
				const sandbox = credentialsFor(c.provider);
				const examples = ANSWERS.map((a): [string[], typeof a] => [secrets.map((name) => String(sandbox[name])), a]);
				await fc.assert(
					fc.asyncProperty(fc.array(secretArb, { minLength: secrets.length, maxLength: secrets.length }), answerArb, async (values, answer) => {
						const credentials = credentialsFor(c.provider, Object.fromEntries(secrets.map((name, i) => [name, values[i]])));
						const { result } = await run(
							c,
							validParams(c),
							transportFor(answer, () => echo(values)),
							credentials,
						);
						expectOneResult(c, result);
						values.forEach((v, i) => expectAbsent(result, v, `the credential's ${secrets[i]}`));
					}),
					{ numRuns: examples.length + SECRET_RUNS, examples },
				);
			},
		);
	}

	it(`${label}: token-like keys in raw (refreshToken, x-api-key, passwd, … in any casing or nesting) never show their value`, async () => {
		const examples = TOKEN_KEYS.flatMap((key, i) =>
			[0, 1, 2].map((where): [string, unknown, number, Answer] => [key, `tk-example-${i}-secret`, where, ANSWERS[(i + where) % ANSWERS.length]]),
		);
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(fc.constantFrom(...TOKEN_KEYS), tokenKey),
				secretValue,
				fc.integer({ min: 0, max: 2 }),
				answerArb,
				async (key, value, where, answer) => {
					const { result } = await run(
						c,
						validParams(c),
						transportFor(answer, () => ({ text: 'OK', extra: placed(key, value)[where] })),
					);
					expectOneResult(c, result);
					expectAbsent(result, String(value), `the value of "${key}"`);
				},
			),
			{ numRuns: examples.length + TOKEN_RUNS, examples },
		);
	});
});
