/** The plain data each generated registerType call is built from (read by CLIENT_HELPERS in the browser). */
import { takesReference, type CredentialField, type FieldSpec, type OperationSpec, type ProviderSpec } from '../../nodes/core';
import { CATEGORY, DEFAULT_TIMEOUT_SECONDS, OUTPUT_LABELS, accountLabel, configType, credentialTestPath, defaultLabel, paletteLabel } from '../names';
import { allowedTypes, nodeFields, propertyDefault, REFERENCE_DEFAULT, REFERENCE_TYPES } from '../properties';

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
	/** Filled from the reference when left empty. */
	chained: boolean;
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
		chained: field.fromPrevious !== undefined,
	};
	if (field.options) {
		const fromReference = field.fromPrevious ? [{ value: '', label: 'from the reference' }] : [];
		out.options = [...fromReference, ...field.options.map((o) => ({ value: o.value, label: o.name }))];
	}
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
		/** The reference typed input, on steps that continue another. */
		reference: takesReference(op) ? { ...REFERENCE_DEFAULT, types: [...REFERENCE_TYPES] } : null,
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
		label: accountLabel(provider),
		testPath: credentialTestPath(provider),
		fields: provider.credential.fields.map((f): ClientCredentialField => ({
			name: f.name,
			label: f.label,
			type: f.type,
			// A password never gets a default: it would be written into the flow file.
			value: f.type === 'password' ? '' : (f.default ?? ''),
			required: f.required === true,
			url: /url$/i.test(f.name),
			...(f.showWhen ? { showWhen: f.showWhen } : {}),
		})),
	};
}
