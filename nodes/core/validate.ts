/**
 * Turns what a runtime hands us (n8n parameters, Node-RED typed inputs) into validated, typed values.
 * Messages name the field and the rule, and never echo the value (it may be an Aadhaar number).
 */
import type { FieldError } from './result';
import type { FieldCondition, FieldSpec, FieldValue, Params } from './spec';
import { UNOPENED } from './seal';

/**
 * The longest text any field takes unless it says otherwise (FieldSpec.maxLength): enough for a name, an
 * address or an id, and far below what could hurt a provider or a log (a 1 MB value is refused, not sent).
 */
export const DEFAULT_MAX_LENGTH = 256;

/**
 * C0 and C1 control characters (NUL, tab, line breaks, escape, ...): never part of a value a provider expects. The
 * Unicode category Cc is exactly U+0000–U+001F and U+007F–U+009F, written without control characters in the pattern.
 */
const CONTROL = /\p{Cc}/u;
/** Invisible text-direction marks and overrides: they make a value read differently from what is sent. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** What is wrong with a text value whatever the field: too long, control or text-direction characters. */
function textProblem(field: FieldSpec, s: string): string | undefined {
	const max = field.maxLength ?? DEFAULT_MAX_LENGTH;
	if (s.length > max) return `must be at most ${max} characters long (it has ${s.length})`;
	if (CONTROL.test(s)) return 'must not contain control characters (such as NUL, a tab or a line break)';
	if (BIDI.test(s)) return 'must not contain invisible text-direction characters';
	return undefined;
}

/** Stands in for an object or list given as a field value, so that it is reported by its own field. */
const OBJECT = Object.freeze({ notAPlainValue: true });

export function isEmpty(v: unknown): boolean {
	return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

export function conditionHolds(condition: FieldCondition | undefined, raw: Record<string, unknown>): boolean {
	if (!condition) return true;
	const actual = raw[condition.field];
	const given = typeof actual === 'object' && actual !== null ? undefined : String(actual ?? '');
	return condition.equals.some((expected) => String(expected) === given);
}

function describe(field: FieldSpec): string {
	return `${field.label} (${field.name})`;
}

function coerce(field: FieldSpec, v: unknown): { value?: FieldValue; error?: string } {
	// Objects and lists never convert safely (one without a prototype throws when turned into text).
	if (typeof v === 'object' || typeof v === 'function' || typeof v === 'symbol') {
		return { error: field.type === 'number' ? 'must be a number' : field.type === 'boolean' ? 'must be true or false' : 'must be text, not an object or list' };
	}
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
			const s = String(v).trim();
			const problem = textProblem(field, s);
			if (problem) return { error: problem };
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
	// Only plain values reach rules and conditions: an object in one field is that field's error, not a crash in another's rule.
	const raw: Record<string, unknown> = {};
	for (const [name, v] of Object.entries(given)) raw[name] = v === UNOPENED ? v : v !== null && (typeof v === 'object' || typeof v === 'function') ? OBJECT : v;
	for (const field of fields) if (isEmpty(raw[field.name]) && field.default !== undefined) raw[field.name] = field.default;
	const params: Params = {};
	const errors: FieldError[] = [];
	const fail = (field: FieldSpec, rule: string) => errors.push({ field: field.name, message: `${describe(field)} ${rule}` });

	for (const field of fields) {
		if (!conditionHolds(field.showWhen, raw)) continue;
		const v = raw[field.name];
		if (v === UNOPENED) {
			fail(field, 'was handed on sealed by another account (or altered) and cannot be opened with this one: give it again, or use the account that sent it');
			continue;
		}
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
