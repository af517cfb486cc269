/**
 * One input, one result: a batch of inputs run together yields exactly as many results, each its own,
 * in order, and only the inputs that were not refused reach the provider. Also checks the suite's own
 * ground: the generated valid parameters are accepted by every operation.
 */
import fc from 'fast-check';
import type { HttpRequest } from '../../nodes/core';
import { FakeTransport } from '../support/fake-transport';
import {
	ANSWERS,
	anyValue,
	answerArb,
	check,
	credentialsFor,
	dependents,
	expectOneResult,
	fieldRows,
	isEmailField,
	OPERATIONS,
	paramsForEmail,
	paramsShowing,
	run,
	transportFor,
	validParams,
	validValue,
} from './harness';

const BATCH_RUNS = 40;

describe.each(OPERATIONS.map((c) => [c.label, c] as const))('%s', (label, c) => {
	it(`${label}: every field gets a generated valid value, and the valid parameters are sent exactly once`, async () => {
		const params = validParams(c);
		const missing = c.fields.filter((f) => params[f.name] === undefined && validValue(f, params) === undefined).map((f) => f.name);
		expect(missing).toEqual([]);
		const { result, transport } = await run(c, params, transportFor(ANSWERS[0]));
		expect(result.errors).toBeUndefined();
		expect(transport.sent).toHaveLength(1);
	});

	const conditional = fieldRows(c, (f) => f.showWhen !== undefined || isEmailField(f));
	if (conditional.length > 0)
		it.each(conditional)(`${label}: the parameters that make %s apply are valid`, async (_name, field) => {
			for (const params of [paramsShowing(c, field), ...(isEmailField(field) ? [paramsForEmail(c, field)] : [])]) {
				check(params !== undefined, () => `no valid parameters make ${field.name} apply`);
				const { result, transport } = await run(c, params, transportFor(ANSWERS[0]));
				expect(result.errors).toBeUndefined();
				expect(transport.sent).toHaveLength(1);
			}
		});

	it(`${label}: a batch of random inputs run together yields exactly one result per input, each its own`, async () => {
		const base = validParams(c);
		const input = fc.integer({ min: 0, max: c.fields.length - 1 }).chain((i) => {
			const field = c.fields[i];
			return anyValue(field, String(base[field.name] ?? '')).map((v) => ({ field, v, [fc.toStringMethod]: () => `${field.name}=${v.label}` }));
		});
		await fc.assert(
			fc.asyncProperty(
				fc.array(input, { minLength: 1, maxLength: 30 }),
				fc.array(fc.nat(5), { minLength: 1, maxLength: 30 }),
				answerArb,
				async (inputs, delays, answer) => {
					// Answers come back out of order: each request waits a different number of turns.
					let k = 0;
					const transport = new FakeTransport(async (request: HttpRequest) => {
						for (let turns = delays[k++ % delays.length]; turns > 0; turns--) await Promise.resolve();
						return answer.respond({ text: 'OK', extra: { echoedUrl: request.url } });
					});
					const credentials = credentialsFor(c.provider);
					const results = await Promise.all(
						inputs.map(({ field, v }) => run(c, { ...base, [field.name]: v.value }, transport, credentials).then((r) => r.result)),
					);
					check(results.length === inputs.length, () => `${inputs.length} inputs gave ${results.length} results`);
					check(new Set(results).size === results.length, () => 'two inputs share one result object');
					results.forEach((result, i) => {
						expectOneResult(c, result);
						const named = (result.errors ?? []).map((e) => e.field);
						const own = dependents(c, inputs[i].field, base, inputs[i].v.value);
						// "Run the previous step first" names the Reference parameter (nodes/core/chain.ts).
						const runFirst = named.length === 1 && named[0] === 'reference' && inputs[i].field.fromPrevious !== undefined;
						check(runFirst || named.every((n) => own.has(n)), () => `result ${i} names ${named.join(', ')}, not input ${i}'s field ${inputs[i].field.name}`);
					});
					const sent = results.filter((r) => r.errors === undefined).length;
					check(transport.sent.length === sent, () => `${transport.sent.length} requests sent for ${sent} inputs that were not refused locally`);
				},
			),
			{ numRuns: BATCH_RUNS },
		);
	});
});
