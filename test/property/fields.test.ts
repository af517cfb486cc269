/**
 * Every field of every operation of every provider, one at a time, with the others valid: any value is
 * either refused locally naming the field (nothing sent) or sent once within the field's rules.
 */
import fc from 'fast-check';
import {
	ANSWERS,
	answerArb,
	anyValue,
	AWKWARD_VALUES,
	baselineRequest,
	brokenRules,
	check,
	dependents,
	expectOneResult,
	fieldRows,
	notRefusedLocally,
	OPERATIONS,
	paramsShowing,
	run,
	transportFor,
} from './harness';

const ANY_VALUE_RUNS = 200;

describe.each(OPERATIONS.map((c) => [c.label, c] as const))('%s', (label, c) => {
	it.each(fieldRows(c))(`${label}: any value of %s is refused locally or sent within its rules`, async (_name, field) => {
		const base = paramsShowing(c, field);
		const baseline = await baselineRequest(c, base);
		await fc.assert(
			fc.asyncProperty(anyValue(field, String(base[field.name] ?? '')), answerArb, async ({ value }, answer) => {
				const all = { ...base, [field.name]: value };
				const r = await run(c, all, transportFor(answer));
				expectOneResult(c, r.result);
				if (r.transport.sent.length === 0) {
					const problem = notRefusedLocally(r, dependents(c, field, base, value), field.name);
					check(!problem, () => `not sent, yet not a local refusal naming ${field.name}: ${problem}`);
				} else {
					check(r.transport.sent.length === 1, () => `sent ${r.transport.sent.length} times`);
					const problem = brokenRules(r.transport.sent[0], baseline, field, value, all);
					check(!problem, () => `sent outside the rules of ${field.name}: ${problem}`);
				}
			}),
			{ numRuns: AWKWARD_VALUES.length + ANY_VALUE_RUNS, examples: AWKWARD_VALUES.map((v, i) => [v, ANSWERS[i % ANSWERS.length]]) },
		);
	});
});
