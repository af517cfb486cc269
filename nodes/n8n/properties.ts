/**
 * Generates n8n node and credential properties from the runtime-neutral provider descriptions.
 * Only n8n-workflow types are imported here (n8n's community lint allows nothing else).
 */
import type { ICredentialTestRequest, INodeProperties } from 'n8n-workflow';
import { chainedFields, codeFlow, takesReference, type CredentialSpec, type OperationSpec, type ProviderSpec } from '../core';

import { fieldProperty, optionsCollection } from './field-property';
import { SEND_AND_WAIT_OPTION, sendAndWaitProperties } from './send-and-wait';
import { SEND_GUARD_CREDENTIAL_PROPERTIES, sendGuardOptions } from './send-guard';

export { fieldProperty };

/** Requests in flight at once per node execution unless the node says otherwise. */
export const DEFAULT_MAX_CONCURRENT = 10;

/** Options every operation offers, beside the provider's own advanced fields. */
export const COMMON_OPTIONS: INodeProperties[] = [
	{
		displayName: 'Max Concurrent Requests',
		name: 'maxConcurrent',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 200 },
		default: DEFAULT_MAX_CONCURRENT,
		description: 'How many items may wait on the provider at once (1 = one at a time). Read from the first item. Lower it if the provider rate-limits.',
	},
	{
		displayName: 'Items per Batch',
		name: 'batchSize',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Split the items into batches of this many, with Batch Interval between them (0 = no batches). Read from the first item.',
	},
	{
		displayName: 'Batch Interval (Ms)',
		name: 'batchIntervalMs',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 1000,
		description: 'Pause between batches, in milliseconds, when Items per Batch is set. Read from the first item.',
	},
	{
		displayName: 'Include Raw Response',
		name: 'includeRaw',
		type: 'boolean',
		default: false,
		description: "Whether to add the provider's answer, with secrets and Aadhaar numbers masked, as raw",
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 120 },
		default: 15,
		description: 'How long to wait for the provider before reporting network_error',
	},
];

/** The one parameter that points a continuing step at the step it continues. */
export const REFERENCE_PARAMETER = 'reference';

function referenceProperty(provider: ProviderSpec, op: OperationSpec): INodeProperties {
	const from = provider.operations.find((o) => o.id === op.continues)?.name ?? 'the previous step';
	return {
		displayName: 'Reference',
		name: REFERENCE_PARAMETER,
		type: 'json',
		default: '={{ $json.reference }}',
		description: `The result's reference of ${from}: every field below left empty is taken from it. Straight after ${from} keep the default; after a Form or Wait node, point it at ${from}'s reference (drag it here from ${from}'s output in the input panel).`,
		// The expression itself as a hint: n8n shows it under the field, ready to copy.
		hint: `After a Form or Wait node: {{ $('${from}').item.json.reference }}`,
		displayOptions: { show: { operation: [op.id], ...referenceShownWhen(op) } },
	};
}

/**
 * When every field the reference could fill is shown only for one value of the same own (not chained) field, the Reference
 * is shown only then too (Capillary's Generate Token reads it only for a Second Factor).
 */
function referenceShownWhen(op: OperationSpec): Record<string, Array<string | number | boolean>> {
	if (op.continues) return {};
	const conditions = chainedFields(op).map((f) => f.showWhen);
	const first = conditions[0];
	if (!first || conditions.some((c) => c?.field !== first.field)) return {};
	if (op.fields.some((f) => f.name === first.field && f.fromPrevious)) return {};
	return { [first.field]: [...new Set(conditions.flatMap((c) => c!.equals))] };
}

/** The properties of one operation: its main fields, then an Options collection for the advanced ones. */
export function operationProperties(provider: ProviderSpec, op: OperationSpec): INodeProperties[] {
	const show = { operation: [op.id] };
	const chained = new Set(op.fields.filter((f) => f.fromPrevious).map((f) => f.name));
	// The editor cannot know what an expression will give, so a field that depends on a chained field
	// stays visible; the core still drops it at run time when it does not apply.
	const all = [...op.fields, ...(provider.options ?? [])].map((f) =>
		f.showWhen && chained.has(f.showWhen.field)
			? { ...f, showWhen: undefined, description: `${f.description}. Used only when ${f.showWhen.field} is ${f.showWhen.equals.join(' or ')}` }
			: f,
	);
	const main = all.filter((f) => !f.advanced).map((f) => fieldProperty(f, show));
	const advanced = all.filter((f) => f.advanced).map((f) => fieldProperty(f));
	// A step that sends a code can be guarded (on when the public can trigger it: a webhook, a form).
	const guard = op.sendsCode ? sendGuardOptions('node') : [];
	return [...(takesReference(op) ? [referenceProperty(provider, op)] : []), ...main, optionsCollection(show, [...advanced, ...COMMON_OPTIONS, ...guard])];
}

export function nodeProperties(provider: ProviderSpec): INodeProperties[] {
	const firstOperation = provider.operations[0].id;
	const flow = codeFlow(provider);
	const operation: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			...provider.operations.map((op) => ({ name: op.name, value: op.id, action: op.action, description: op.description })),
			// Send and Wait for Code, on every provider whose flow has a code (send-and-wait.ts).
			...(flow ? [SEND_AND_WAIT_OPTION] : []),
		],
		default: firstOperation,
	};
	return [operation, ...provider.operations.flatMap((op) => operationProperties(provider, op)), ...(flow ? sendAndWaitProperties(flow) : [])];
}

/** The provider's credential fields, then the send guard's (its counter store and the account's hourly ceiling). */
export function credentialProperties(spec: CredentialSpec): INodeProperties[] {
	return [...providerCredentialProperties(spec), ...SEND_GUARD_CREDENTIAL_PROPERTIES];
}

function providerCredentialProperties(spec: CredentialSpec): INodeProperties[] {
	return spec.fields.map((f) => {
		const property: INodeProperties = {
			displayName: f.label,
			name: f.name,
			type: f.type === 'password' ? 'string' : f.type,
			default: f.default ?? '',
		};
		if (f.type === 'password') property.typeOptions = { password: true };
		if (f.required) property.required = true;
		if (f.description) property.description = f.description;
		if (f.placeholder) property.placeholder = f.placeholder;
		if (f.options) property.options = f.options.map((o) => ({ ...o }));
		if (f.showWhen) property.displayOptions = { show: { [f.showWhen.field]: [...f.showWhen.equals] } };
		return property;
	});
}

/** n8n runs the test request through the credential's `authenticate`, so secrets are added there. */
export function credentialTest(spec: CredentialSpec): ICredentialTestRequest {
	const built = spec.test.request({});
	return {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: built.url,
			method: built.method,
			body: built.body,
			headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(built.headers ?? {}) },
			// The test request carries the secrets: a redirect must not take them to another host.
			disableFollowRedirect: true,
		},
		rules: (spec.test.failWhen ?? []).map((rule) => ({
			type: 'responseSuccessBody' as const,
			properties: { key: rule.key, value: rule.value, message: rule.message },
		})),
	};
}
