/**
 * Every free-text field of every operation refuses, locally and naming itself, what must never reach a
 * provider: control and bidi characters, 10 KB and 1 MB strings; e-mail fields also refuse broken addresses.
 */
import fc from 'fast-check';
import { embed, FORBIDDEN_CHARS, hostileStrings, INVALID_EMAILS } from '../support/hostile';
import {
	ANSWERS,
	answerArb,
	check,
	expectOneResult,
	fieldRows,
	isEmailField,
	labelled,
	notRefusedLocally,
	OPERATIONS,
	paramsForEmail,
	paramsShowing,
	run,
	show,
	transportFor,
} from './harness';

const HOSTILE_RANDOM_RUNS = 40;
const EMAIL_RANDOM_RUNS = 60;

const insertAt = (s: string, at: number, x: string) => `${s.slice(0, at)}${x}${s.slice(at)}`;
const alnum = fc.string({ unit: fc.constantFrom(...'abcXYZ0189'.split('')), minLength: 1, maxLength: 6 });
const forbiddenChar = fc.constantFrom(...FORBIDDEN_CHARS);

describe.each(OPERATIONS.map((c) => [c.label, c] as const))('%s', (label, c) => {
	const strings = fieldRows(c, (f) => f.type === 'string');
	it.each(strings)(`${label}: %s refuses control and bidi characters, 10 KB and 1 MB locally`, async (_name, field) => {
		const base = paramsShowing(c, field);
		const valid = String(base[field.name]);
		const hostile = hostileStrings(valid).map((h) => labelled(h.value, `${h.label}: ${show(h.value)}`));
		// Random placements too: a forbidden character between arbitrary text, or anywhere inside the valid value.
		const random = fc.oneof(
			fc.tuple(alnum, forbiddenChar, alnum).map(([a, x, b]) => `${a}${x}${b}`),
			fc
				.tuple(fc.integer({ min: 1, max: Math.max(1, valid.length - 1) }), forbiddenChar)
				.map(([i, x]) => (valid.length < 2 ? embed(valid, x) : insertAt(valid, i, x))),
		);
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(
					fc.constantFrom(...hostile),
					random.map((v) => labelled(v)),
				),
				answerArb,
				async ({ value }, answer) => {
					const r = await run(c, { ...base, [field.name]: value }, transportFor(answer));
					expectOneResult(c, r.result);
					const problem = notRefusedLocally(r, new Set([field.name]), field.name);
					check(!problem, () => `${field.name} was not refused locally: ${problem}`);
				},
			),
			// Every hostile value runs first, as an example (examples count within numRuns), then the random ones.
			{ numRuns: hostile.length + HOSTILE_RANDOM_RUNS, examples: hostile.map((h, i) => [h, ANSWERS[i % ANSWERS.length]]) },
		);
	});

	const emails = fieldRows(c, isEmailField);
	if (emails.length === 0) return;
	it.each(emails)(
		`${label}: e-mail field %s refuses quotes, missing parts, spaces, double dots, dotless domains and over 254 characters`,
		async (_name, field) => {
			const base = paramsForEmail(c, field);
			check(base !== undefined, () => `no combination of options makes ${field.name} take an e-mail address`);
			const bad = INVALID_EMAILS.map((e) => labelled(e.value, `${e.label}: ${show(e.value)}`));
			// A valid address broken one way: a quote anywhere, a space or a double dot inside, padded past 254.
			const broken = fc.tuple(fc.emailAddress(), fc.nat(), fc.constantFrom('"', ' ', '..', 'pad')).map(([address, i, how]) => {
				if (how === 'pad') return labelled(`${'x'.repeat(Math.max(1, 255 - address.length))}${address}`);
				const at = how === '"' ? i % (address.length + 1) : 1 + (i % (address.length - 1));
				return labelled(insertAt(address, at, how));
			});
			await fc.assert(
				fc.asyncProperty(fc.oneof(fc.constantFrom(...bad), broken), answerArb, async ({ value }, answer) => {
					const r = await run(c, { ...base, [field.name]: value }, transportFor(answer));
					expectOneResult(c, r.result);
					const problem = notRefusedLocally(r, new Set([field.name]), field.name);
					check(!problem, () => `${field.name} was not refused locally: ${problem}`);
				}),
				{ numRuns: bad.length + EMAIL_RANDOM_RUNS, examples: bad.map((b, i) => [b, ANSWERS[i % ANSWERS.length]]) },
			);
		},
	);
});
