/**
 * Chaining: a step that continues another (Verify after Generate) takes what it needs from the previous step's
 * `reference`, handed in as one object. Fields the user mapped one by one win; fields left empty are filled from it.
 */
import type { FieldError } from './result';
import type { OperationSpec, ProviderSpec } from './spec';
import { isSealed, unseal, UNOPENED } from './seal';
import { conditionHolds, isEmpty } from './validate';

const PREFIX = 'reference.';

/** A reference handed in as an object, or as JSON text (typed into a JSON parameter); anything else is none. */
export function asReference(value: unknown): Record<string, unknown> | undefined {
	let v = value;
	if (typeof v === 'string' && v.trim().startsWith('{')) {
		try {
			v = JSON.parse(v);
		} catch {
			return undefined;
		}
	}
	if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
	return Object.keys(v).length > 0 ? (v as Record<string, unknown>) : undefined;
}

/** Whether the operation takes a previous step's reference (it continues one, or has fields filled from one). */
export function takesReference(op: OperationSpec): boolean {
	return op.continues !== undefined || chainedFields(op).length > 0;
}

/** The fields this operation can take from a previous step's reference. */
export function chainedFields(op: OperationSpec) {
	return op.fields.filter((f) => f.fromPrevious?.startsWith(PREFIX));
}

/**
 * The raw parameters with every empty chained field filled from the reference (when it has the value). A sealed
 * value is opened with the account's secrets; one that does not open becomes UNOPENED, which validation refuses by name.
 */
export function fillFromReference(
	op: OperationSpec,
	raw: Record<string, unknown>,
	reference: Record<string, unknown> | undefined,
	secrets: readonly string[] = [],
): Record<string, unknown> {
	if (!reference) return raw;
	const filled = { ...raw };
	for (const field of chainedFields(op)) {
		if (!isEmpty(filled[field.name])) continue;
		const v = reference[field.fromPrevious!.slice(PREFIX.length)];
		if (isSealed(v)) {
			const opened = unseal(v, secrets);
			filled[field.name] = opened ?? UNOPENED;
		} else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') filled[field.name] = v;
	}
	return filled;
}

/**
 * When a continuing step has no reference and the ids it needs are missing, the useful answer is "run the
 * previous step first", not a list of ids the user has never seen.
 */
export function missingPrevious(
	provider: ProviderSpec,
	op: OperationSpec,
	filled: Record<string, unknown>,
	reference: Record<string, unknown> | undefined,
): { message: string; errors: FieldError[] } | undefined {
	if (!op.continues || reference) return undefined;
	// A field with a default is never missing (App Type defaults to mobile): only ids the previous step returns are.
	// Nor is one that does not apply (a device ID for a web app): its condition is read with the defaults filled in.
	const values = { ...filled };
	for (const f of op.fields) if (isEmpty(values[f.name]) && f.default !== undefined) values[f.name] = f.default;
	const needed = chainedFields(op).filter(
		(f) =>
			f.default === undefined &&
			conditionHolds(f.showWhen, values) &&
			(f.required || (f.requiredWhen && conditionHolds(f.requiredWhen, values))) &&
			isEmpty(filled[f.name]),
	);
	if (needed.length === 0) return undefined;
	const previous = provider.operations.find((o) => o.id === op.continues);
	const name = previous?.name ?? op.continues;
	const message = previous?.sendsCode
		? `No code was sent for this reference yet: send one first with ${name}, and hand its result's reference to this step's Reference (reference)`
		: `Nothing to continue from: run ${name} first, and hand its result's reference to this step's Reference (reference)`;
	return { message, errors: [{ field: 'reference', message }] };
}
