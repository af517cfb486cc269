/**
 * How each operation field becomes a Node-RED typed input: the value in `<name>`, its type in
 * `<name>Type`. Shared by the runtime (fallback defaults) and the editor (defaults and typedInput setup).
 */
import type { FieldSpec, OperationSpec, ProviderSpec } from '../nodes/core';

/** typedInput type for a field's own dropdown of options (a custom type; evaluates to its value). */
export const OPTION_TYPE = 'option';

const DYNAMIC_TYPES = ['msg', 'flow', 'global', 'env', 'jsonata'];

export interface PropertyDefault {
	value: string;
	type: string;
}

/** Properties every operation node has besides its fields (`reference` only on steps that continue another). */
export const NODE_PROPERTIES: readonly string[] = ['name', 'config', 'includeRaw', 'timeout', 'reference', 'referenceType'];

/** Where a continuing step finds the previous step's reference unless told otherwise. */
export const REFERENCE_DEFAULT: PropertyDefault = { value: 'payload.reference', type: 'msg' };

/** The typedInput types the reference can be read from: it is an object, never typed in as text. */
export const REFERENCE_TYPES: readonly string[] = ['msg', 'flow', 'global', 'json', 'jsonata'];

/** Every field the node shows: the operation's own, then the provider's shared options. */
export function nodeFields(provider: ProviderSpec, op: OperationSpec): FieldSpec[] {
	const own = new Set(op.fields.map((f) => f.name));
	const fields = [...op.fields, ...(provider.options ?? []).filter((f) => !own.has(f.name))];
	// Each field is stored as <name> and <name>Type: neither may collide with another property.
	const taken = new Set(NODE_PROPERTIES);
	for (const f of fields) {
		for (const property of [f.name, typeProperty(f.name)]) {
			if (taken.has(property)) throw new Error(`${provider.label} ${op.name}: field "${f.name}" collides with the node property "${property}"`);
			taken.add(property);
		}
	}
	return fields;
}

export function staticType(field: FieldSpec): string {
	switch (field.type) {
		case 'number':
			return 'num';
		case 'boolean':
			return 'bool';
		case 'options':
			return OPTION_TYPE;
		default:
			return 'str';
	}
}

/**
 * Chained fields stay empty: the node's reference input fills them (Generate → Verify needs no configuration).
 * The code a person typed is read from the message (`msg.otp`).
 */
export function propertyDefault(field: FieldSpec): PropertyDefault {
	if (field.fromPrevious) return { value: '', type: staticType(field) };
	if (field.fromMessage) return { value: field.fromMessage, type: 'msg' };
	return { value: field.default === undefined ? '' : String(field.default), type: staticType(field) };
}

/** The typedInput types offered, static type first. */
export function allowedTypes(field: FieldSpec): string[] {
	return [staticType(field), ...DYNAMIC_TYPES];
}

export function typeProperty(name: string): string {
	return `${name}Type`;
}
