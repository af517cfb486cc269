/** The edit dialogs (`data-template-name`): typed inputs for operation fields, plain inputs for accounts. */
import { takesReference, type CredentialField, type FieldSpec, type OperationSpec, type ProviderSpec } from '../../nodes/core';
import { configType, operationType } from '../names';
import { nodeFields, typeProperty } from '../properties';
import { html } from './escape';

function row(id: string, label: string, control: string, icon?: string, title?: string): string {
	const i = icon ? `<i class="fa fa-${icon}"></i> ` : '';
	const t = title ? ` title="${html(title)}"` : '';
	return ['<div class="form-row">', `\t<label for="${id}"${t}>${i}${html(label)}</label>`, `\t${control}`, '</div>'].join('\n');
}

function fieldRow(field: FieldSpec): string {
	const id = `node-input-${field.name}`;
	const placeholder = field.placeholder ? ` placeholder="${html(field.placeholder)}"` : '';
	const control = `<input type="text" id="${id}" style="width:70%"${placeholder}>` + `<input type="hidden" id="node-input-${typeProperty(field.name)}">`;
	return row(id, field.label, control, undefined, field.description);
}

export function operationForm(provider: ProviderSpec, op: OperationSpec): string {
	const fields = nodeFields(provider, op);
	const main = fields.filter((f) => !f.advanced).map(fieldRow);
	const advanced = fields.filter((f) => f.advanced).map(fieldRow);
	return [
		`<script type="text/html" data-template-name="${html(operationType(provider, op))}">`,
		row('node-input-name', 'Name', '<input type="text" id="node-input-name" placeholder="Name">', 'tag'),
		row('node-input-config', 'Account', '<input type="text" id="node-input-config">', 'key'),
		...(op.sendsCode
			? [
					row(
						'node-input-sendGuard',
						'Send guard',
						'<input type="text" id="node-input-sendGuard">',
						'shield',
						'OTP Flow public pages: limits how many codes the public can make this node send (per number, per client, per account); none: no limit',
					),
				]
			: []),
		...(takesReference(op)
			? [
					row(
						'node-input-reference',
						'Reference',
						'<input type="text" id="node-input-reference" style="width:70%"><input type="hidden" id="node-input-referenceType">',
						'link',
						"The previous step's result reference; fields left empty are taken from it",
					),
				]
			: []),
		...main,
		'<div class="form-row"><h4 style="margin:12px 0 0">Advanced</h4></div>',
		...advanced,
		row(
			'node-input-timeout',
			'Timeout (s)',
			'<input type="number" id="node-input-timeout" min="0" step="any" style="width:100px">',
			'clock-o',
			'Seconds to wait for the provider before reporting network_error',
		),
		'<div class="form-row">',
		'\t<label>&nbsp;</label>',
		'\t<input type="checkbox" id="node-input-includeRaw" style="display:inline-block;width:auto;vertical-align:top">',
		'\t<label for="node-input-includeRaw" style="width:auto">Include raw response (masked) in <code>msg.payload.raw</code></label>',
		'</div>',
		'</script>',
	].join('\n');
}

function credentialControl(field: CredentialField): string {
	const id = `node-config-input-${field.name}`;
	const placeholder = field.placeholder ? ` placeholder="${html(field.placeholder)}"` : '';
	if (field.type === 'options') {
		const options = (field.options ?? []).map((o) => `<option value="${html(o.value)}">${html(o.name)}</option>`).join('');
		return `<select id="${id}" style="width:70%">${options}</select>`;
	}
	const type = field.type === 'password' ? 'password' : 'text';
	return `<input type="${type}" id="${id}" style="width:70%"${placeholder}${type === 'password' ? ' autocomplete="new-password"' : ''}>`;
}

export function configForm(provider: ProviderSpec): string {
	const rows = provider.credential.fields.map((f) =>
		row(`node-config-input-${f.name}`, f.label, credentialControl(f), f.type === 'password' ? 'lock' : undefined, f.description),
	);
	return [
		`<script type="text/html" data-template-name="${html(configType(provider))}">`,
		row('node-config-input-name', 'Name', '<input type="text" id="node-config-input-name" placeholder="Name">', 'tag'),
		...rows,
		'<div class="form-row">',
		'\t<label>&nbsp;</label>',
		'\t<button type="button" class="red-ui-button" id="node-config-otpflow-test" title="Send a harmless request with these values; nothing is saved"><i class="fa fa-plug"></i> Test</button>',
		'\t<span id="node-config-otpflow-test-result" role="status" aria-live="polite" style="display:inline-block;max-width:60%;margin-left:8px;vertical-align:middle;white-space:normal"></span>',
		'</div>',
		'<div class="form-row"><h4 style="margin:12px 0 0">Limits</h4></div>',
		row(
			'node-config-input-maxConcurrent',
			'Max concurrent',
			'<input type="number" id="node-config-input-maxConcurrent" min="1" step="1" style="width:100px">',
			'tachometer',
			'Requests to the provider in flight at once, for every node using this account; more messages wait in order',
		),
		row(
			'node-config-input-ratePerSecond',
			'Per second',
			'<input type="number" id="node-config-input-ratePerSecond" min="0" step="1" style="width:100px"> <span>requests started per second (0 = no limit)</span>',
			'clock-o',
			'Requests started per second at most, for providers that rate-limit',
		),
		'</script>',
	].join('\n');
}
