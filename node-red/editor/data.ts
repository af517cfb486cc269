/** The plain data each generated registerType call is built from (read by CLIENT_HELPERS in the browser). */
import type { CredentialField, FieldSpec, OperationSpec, ProviderSpec } from '../../nodes/core';
import { CATEGORY, DEFAULT_TIMEOUT_SECONDS, OUTPUT_LABELS, configType, defaultLabel, paletteLabel } from '../names';
import { allowedTypes, nodeFields, propertyDefault } from '../properties';

export interface ClientField {
	name: string;
	label: string;
	value: string;
	type: string;
	types: string[];
	options?: Array<{ value: string; label: string }>;
	required: boolean;
	requiredWhen?: FieldSpec['requiredWhen'];
	showWhen?: FieldSpec['showWhen'];
}

export function clientField(field: FieldSpec): ClientField {
	const d = propertyDefault(field);
	const out: ClientField = {
		name: field.name,
		label: field.label,
		value: d.value,
		type: d.type,
		types: allowedTypes(field),
		required: field.required === true,
	};
	if (field.options) out.options = field.options.map((o) => ({ value: o.value, label: o.name }));
	if (field.requiredWhen) out.requiredWhen = field.requiredWhen;
	if (field.showWhen) out.showWhen = field.showWhen;
	return out;
}

export function operationData(provider: ProviderSpec, op: OperationSpec) {
	return {
		configType: configType(provider),
		category: CATEGORY,
		color: provider.color,
		icon: `${provider.icon}.svg`,
		label: defaultLabel(provider, op),
		paletteLabel: paletteLabel(provider, op),
		outputLabels: [...OUTPUT_LABELS],
		timeout: DEFAULT_TIMEOUT_SECONDS,
		fields: nodeFields(provider, op).map(clientField),
	};
}

export interface ClientCredentialField {
	name: string;
	label: string;
	type: CredentialField['type'];
	value: string;
	required: boolean;
	url: boolean;
	showWhen?: CredentialField['showWhen'];
}

export function configData(provider: ProviderSpec) {
	return {
		label: `${provider.label} account`,
		fields: provider.credential.fields.map(
			(f): ClientCredentialField => ({
				name: f.name,
				label: f.label,
				type: f.type,
				// A password never gets a default: it would be written into the flow file.
				value: f.type === 'password' ? '' : (f.default ?? ''),
				required: f.required === true,
				url: /url$/i.test(f.name),
				...(f.showWhen ? { showWhen: f.showWhen } : {}),
			}),
		),
	};
}
