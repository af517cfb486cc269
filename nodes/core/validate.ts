/**
 * Turns what a runtime hands us (n8n parameters, Node-RED typed inputs) into validated, typed values.
 * Messages name the field and the rule, and never echo the value (it may be an Aadhaar number).
 */
import type { FieldError } from './result';
import type { FieldCondition, FieldSpec, FieldValue, Params } from './spec';

function isEmpty(v: unknown): boolean {
	return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

export function conditionHolds(condition: FieldCondition | undefined, raw: Record<string, unknown>): boolean {
	if (!condition) return true;
	const actual = raw[condition.field];
	return condition.equals.some((expected) => String(expected) === String(actual ?? ''));
}

function describe(field: FieldSpec): string {
	return `${field.label} (${field.name})`;
}

function coerce(field: FieldSpec, v: unknown): { value?: FieldValue; error?: string } {
	switch (field.type) {
		case 'number': {
			const n = typeof v === 'number' ? v : Number(String(v).trim());
			return Number.isFinite(n) ? { value: n } : { error: 'must be a number' };
		}
		case 'boolean':
			if (typeof v === 'boolean') return { value: v };
			if (v === 'true' || v === 'false') return { value: v === 'true' };
			return { error: 'must be true or false' };
		default: {
			if (typeof v === 'object') return { error: 'must be text, not an object or list' };
			const s = String(v).trim();
			if (field.type === 'options' && field.options && !field.options.some((o) => o.value === s)) {
				return { error: `must be one of ${field.options.map((o) => o.value).join(', ')}` };
			}
			return { value: s };
		}
	}
}

export interface Prepared {
	params: Params;
	errors: FieldError[];
}

/**
 * Validates the fields that apply (their showWhen holds); fields that do not apply are dropped.
 * An empty field takes its documented default, so both runtimes send the same request.
 */
export function prepareParams(fields: readonly FieldSpec[], given: Record<string, unknown>): Prepared {
	const raw: Record<string, unknown> = { ...given };
	for (const field of fields) if (isEmpty(raw[field.name]) && field.default !== undefined) raw[field.name] = field.default;
	const params: Params = {};
	const errors: FieldError[] = [];
	const fail = (field: FieldSpec, rule: string) => errors.push({ field: field.name, message: `${describe(field)} ${rule}` });

	for (const field of fields) {
		if (!conditionHolds(field.showWhen, raw)) continue;
		const v = raw[field.name];
		if (isEmpty(v)) {
			if (field.required) fail(field, 'is required');
			else if (field.requiredWhen && conditionHolds(field.requiredWhen, raw)) {
				fail(field, `is required when ${field.requiredWhen.field} is ${field.requiredWhen.equals.join(' or ')}`);
			}
			continue;
		}
		const { value, error } = coerce(field, v);
		if (error) {
			fail(field, error);
			continue;
		}
		const broken = field.rules?.find((rule) => !rule.test(String(value), raw));
		if (broken) fail(field, broken.message);
		else params[field.name] = value;
	}
	return { params, errors };
}
