/**
 * What a provider's examples and templates run: its samples (nodes/providers/<p>/samples.ts), its chains as `next`,
 * `continues` and `sendsCode` describe them, its sandbox account, and where each field of a step takes its value from.
 */
import {
	conditionHolds,
	isUniqueValue,
	type FieldSpec,
	type FieldValue,
	type OperationSamples,
	type OperationSpec,
	type ProviderSpec,
	type SampleValue,
	type StepSamples,
} from '../nodes/core';
import { providerBaseUrls, SANDBOX_ACCOUNTS } from '../sandbox/accounts';

export const DEFAULT_SANDBOX_URL = 'http://127.0.0.1:4010';

/** The OTP typed into a verify step before the real code is known. */
export const OTP_PLACEHOLDER = '123456';

/** One step of a run: an operation and the values it takes over the provider's samples. */
export interface Step {
	op: OperationSpec;
	options: Readonly<Record<string, FieldValue>>;
	input: Readonly<Record<string, SampleValue>>;
}

/** The steps up to the one that sends the code (one click, one trigger), then the steps that take the code. */
export interface Run {
	send: Step[];
	verify: Step[];
}

export interface Plan {
	provider: ProviderSpec;
	input: Readonly<Record<string, SampleValue>>;
	options: Readonly<Record<string, FieldValue>>;
	inboxTo?: string;
	/** The whole chain: the "00 - Full chain" example and the <slug>-chain template. */
	chain: Run;
}

export const step = (op: OperationSpec, values: StepSamples = {}): Step => ({ op, options: values.options ?? {}, input: values.input ?? {} });

export const operationSamples = (provider: ProviderSpec, op: OperationSpec): OperationSamples => provider.samples?.operations?.[op.id] ?? {};

const operation = (provider: ProviderSpec, id: string | undefined) => provider.operations.find((o) => o.id === id);

/**
 * From the first operation, each step's `next`, or where that depends on the answer (a send step whose OTP type decides
 * what consumes the code) the first operation that continues it; until one repeats.
 */
function chainOf(provider: ProviderSpec): OperationSpec[] {
	const chain: OperationSpec[] = [];
	let op: OperationSpec | undefined = provider.operations[0];
	while (op && !chain.includes(op)) {
		chain.push(op);
		const from: OperationSpec = op;
		op = operation(provider, from.next) ?? provider.operations.find((o) => o.continues === from.id);
	}
	return chain;
}

/** Splits after the step that sends the code; when none does, there is no code to wait for: one part. */
function split(steps: Step[]): Run {
	const at = steps.findIndex((s) => s.op.sendsCode);
	if (at < 0) return { send: steps, verify: [] };
	return { send: steps.slice(0, at + 1), verify: steps.slice(at + 1) };
}

export function planOf(provider: ProviderSpec): Plan {
	const samples = provider.samples;
	// A misspelt operation id in samples.ts would otherwise be ignored without a word.
	for (const id of Object.keys(samples?.operations ?? {})) if (!operation(provider, id)) throw new Error(`${provider.label} samples: no operation ${id}`);
	return {
		provider,
		input: samples?.input ?? {},
		options: samples?.options ?? {},
		inboxTo: samples?.inboxTo,
		chain: split(chainOf(provider).map((op) => step(op))),
	};
}

/**
 * What an operation's own n8n template runs: the operations it continues, each with the values the operation's samples
 * give it (`before`), then itself with its own.
 */
export function templateRun(provider: ProviderSpec, op: OperationSpec): Run {
	const own = operationSamples(provider, op);
	const steps = [step(op, own)];
	for (let prev = operation(provider, op.continues); prev && !steps.some((s) => s.op === prev); prev = operation(provider, prev.continues)) {
		steps.unshift(step(prev, own.before?.[prev.id]));
	}
	for (const id of Object.keys(own.before ?? {})) {
		if (!steps.some((s) => s.op.id === id)) throw new Error(`${provider.label} samples: ${op.id} does not continue ${id}`);
	}
	return split(steps);
}

/** A sample value as text: a unique one as it reads on one run. */
export const sampleText = (value: SampleValue): FieldValue => (isUniqueValue(value) ? `${value.unique}1767225600000` : value);

/** The sample reference an example's inject supplies: every reference key the operation's chained fields read. */
export function sampleReference(plan: Plan, op: OperationSpec, overrides: Readonly<Record<string, FieldValue>> = {}): Record<string, FieldValue> {
	const reference: Record<string, FieldValue> = {};
	for (const field of op.fields) {
		if (!field.fromPrevious?.startsWith('reference.')) continue;
		const key = field.fromPrevious.slice('reference.'.length);
		const fromInput = plan.input[field.name] !== undefined ? sampleText(plan.input[field.name]) : undefined;
		reference[key] = overrides[key] ?? fromInput ?? plan.options[field.name] ?? field.placeholder ?? field.default ?? `sample-${key}`;
	}
	return reference;
}

/**
 * How one field of one step gets its value, runtime-neutral: 'static' (an option), 'chained' (from the previous step's
 * reference), 'sample' (a stand-in reference value where no previous step exists), 'otp' (the code the user types),
 * 'input' (sample data) or 'default' (left as the node's default).
 */
export type Source = { kind: 'static' | 'sample'; value: FieldValue } | { kind: 'input'; value: SampleValue } | { kind: 'otp' | 'chained' | 'default' };

export function fieldSource(plan: Plan, field: FieldSpec, s: Step, firstOfPart: boolean): Source {
	const options = { ...plan.options, ...s.options };
	if (field.fromPrevious && !firstOfPart) return { kind: 'chained' };
	if (field.type === 'options' && options[field.name] !== undefined) return { kind: 'static', value: options[field.name] };
	if (field.fromPrevious) {
		// A chained field that does not apply with these options (a Second Factor's token on a first-factor step) stays empty.
		const defaults = Object.fromEntries(s.op.fields.filter((f) => f.default !== undefined).map((f) => [f.name, f.default]));
		if (!conditionHolds(field.showWhen, { ...defaults, ...options })) return { kind: 'default' };
		// A step's own sample data wins (each example uses its own customer), else the stand-in reference.
		const own = s.input[field.name];
		if (own !== undefined) return { kind: 'input', value: own };
		const key = field.fromPrevious.replace(/^reference\./, '');
		return { kind: 'sample', value: sampleReference(plan, s.op)[key] ?? '' };
	}
	if (field.fromMessage === 'otp') return { kind: 'otp' };
	const input = { ...plan.input, ...s.input };
	if (input[field.name] === undefined || !conditionHolds(field.showWhen, options)) return { kind: 'default' };
	if (field.requiredWhen && !field.required && !conditionHolds(field.requiredWhen, options)) return { kind: 'default' };
	return { kind: 'input', value: input[field.name] };
}

// ---------------------------------------------------------------------------------------------------
// The sandbox account
// ---------------------------------------------------------------------------------------------------

/** The sandbox account of a provider, as credential field values (only the fields that apply). */
export function sandboxAccount(provider: ProviderSpec, sandboxUrl: string): Record<string, string> {
	const account: Readonly<Record<string, unknown>> = SANDBOX_ACCOUNTS[provider.id] ?? {};
	const values: Record<string, string> = {};
	for (const field of provider.credential.fields) {
		const value = (field.name === 'baseUrl' ? providerBaseUrls(sandboxUrl)[provider.id] : account[field.name]) ?? field.default;
		if (value !== undefined && typeof value !== 'object') values[field.name] = String(value);
	}
	for (const field of provider.credential.fields) if (!conditionHolds(field.showWhen, values)) delete values[field.name];
	return values;
}

export const secretFields = (provider: ProviderSpec) => provider.credential.fields.filter((f) => f.type === 'password');

export const accountLabel = (provider: ProviderSpec) => `${provider.label} sandbox`;
