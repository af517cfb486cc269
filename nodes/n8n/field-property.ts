/** One provider field as an n8n parameter (shared by every operation's properties and Send and Wait for Code's). */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import type { FieldSpec } from '../core';

function fieldDefault(field: FieldSpec): string | number | boolean {
	// Chained fields stay empty: the Reference parameter fills them.
	if (field.fromPrevious) return '';
	if (field.default !== undefined) return field.default;
	return field.type === 'number' ? 0 : field.type === 'boolean' ? false : '';
}

export function fieldProperty(field: FieldSpec, show: Record<string, Array<string | number | boolean>> = {}): INodeProperties {
	const requiredNote = field.requiredWhen ? ` Required when ${field.requiredWhen.field} is ${field.requiredWhen.equals.join(' or ')}.` : '';
	const chainedNote = field.fromPrevious ? ' Leave empty to take it from the Reference.' : '';
	const property: INodeProperties = {
		displayName: field.label,
		name: field.name,
		type: field.type === 'password' ? 'string' : field.type,
		default: fieldDefault(field),
		description: `${field.description}${requiredNote}${chainedNote}`,
	};
	if (field.type === 'password') property.typeOptions = { password: true };
	// A chained field is filled from the Reference at run time, so the editor must not demand it.
	if (field.required && !field.fromPrevious) property.required = true;
	if (field.placeholder) property.placeholder = field.placeholder;
	if (field.options) {
		const fromReference = field.fromPrevious ? [{ name: 'From the Reference', value: '', description: 'As the previous step had it' }] : [];
		property.options = [...fromReference, ...field.options.map((o) => ({ ...o }))] as INodePropertyOptions[];
	}
	if (field.showWhen) show = { ...show, [field.showWhen.field]: [...field.showWhen.equals] };
	if (Object.keys(show).length > 0) property.displayOptions = { show };
	return property;
}

/** The "Options" collection of an operation: its advanced parameters, sorted by label. */
export function optionsCollection(show: Record<string, Array<string | number | boolean>>, options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [...options].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}
