/** Which value each field of a journey step takes: typed by the person, fixed by the journey, or from the reference. */
import { findOperation, type FieldValue, type OperationSpec } from '../nodes/core';
import { isUnique, type Ask, type Journey, type Step, type Unique } from './model';

export type Source = { kind: 'ask'; ask: Ask } | { kind: 'fixed'; value: FieldValue } | { kind: 'unique'; prefix: string } | { kind: 'code' };

/** Every step of the journey in the order it runs. */
export function stepsOf(journey: Journey): Array<{ step: Step; role: 'before' | 'send' | 'verify' | 'after'; op: OperationSpec }> {
	const op = (s: Step) => findOperation(journey.provider, s.op);
	return [
		...journey.before.map((step) => ({ step, role: 'before' as const, op: op(step) })),
		{ step: journey.send, role: 'send' as const, op: op(journey.send) },
		{ step: journey.verify, role: 'verify' as const, op: op(journey.verify) },
		...(journey.after ? [{ step: journey.after, role: 'after' as const, op: op(journey.after) }] : []),
	];
}

/** The page inputs whose values reach a step: the first page's, and the code page's for the verify step. */
export function asksFor(journey: Journey, role: 'before' | 'send' | 'verify' | 'after'): readonly Ask[] {
	return role === 'verify' ? [...journey.ask, ...(journey.codeAsk ?? [])] : journey.ask;
}

/**
 * The fields of one step that the journey sets, by field name. Fields not listed are left empty: chained ones
 * come from the previous step's reference, the rest keep their defaults.
 */
export function sourcesOf(journey: Journey, role: 'before' | 'send' | 'verify' | 'after', step: Step, op: OperationSpec): Record<string, Source> {
	const sources: Record<string, Source> = {};
	const names = new Set(op.fields.map((f) => f.name));
	for (const ask of asksFor(journey, role)) {
		for (const field of ask.fills ?? [ask.name]) if (names.has(field)) sources[field] = { kind: 'ask', ask };
	}
	for (const [field, value] of Object.entries(step.fixed ?? {})) {
		sources[field] = isUnique(value) ? { kind: 'unique', prefix: (value as Unique).unique } : { kind: 'fixed', value: value as FieldValue };
	}
	if (role === 'verify') {
		const code = op.fields.find((f) => f.fromMessage === 'otp');
		if (code) sources[code.name] = { kind: 'code' };
	}
	return sources;
}

/** Plain values for a runtime-neutral run (tests): the samples typed in, unique values made now. */
export function sampleParams(journey: Journey, role: 'before' | 'send' | 'verify' | 'after', step: Step, op: OperationSpec, code: string, now = Date.now()) {
	const params: Record<string, FieldValue> = {};
	for (const [field, source] of Object.entries(sourcesOf(journey, role, step, op))) {
		if (source.kind === 'ask') params[field] = source.ask.sample;
		else if (source.kind === 'fixed') params[field] = source.value;
		else if (source.kind === 'unique') params[field] = `${source.prefix}${now}`;
		else params[field] = code;
	}
	return params;
}
