/**
 * The registerType definitions as object literals with every key written out: Node-RED's scorecard
 * (node-red-dev validate) and the Flow Library read them statically, so no helper may build them.
 * Functions are JS source that calls the browser helpers in client.ts.
 */
import type { OperationSpec, ProviderSpec } from '../../nodes/core';
import { DEFAULT_MAX_CONCURRENT } from '../account';
import { PUBLIC_PAGES_TYPE } from '../journey';
import { configType, operationType } from '../names';
import { configData, operationData } from './data';
import { js } from './escape';

/** `{ a: 1, b: fn }` from [key, JS source] pairs; keys are identifiers, checked. */
function literal(entries: ReadonlyArray<readonly [string, string]>, indent: string): string {
	const inner = `${indent}\t`;
	const lines = entries.map(([key, source]) => {
		if (!/^[A-Za-z_$][\w$]*$/.test(key)) throw new Error(`"${key}" cannot be a Node-RED property name`);
		return `${inner}${key}: ${source}`;
	});
	return `{\n${lines.join(',\n')}\n${indent}}`;
}

export function operationDefinition(provider: ProviderSpec, op: OperationSpec): string {
	const d = operationData(provider, op);
	const data = `D[${js(operationType(provider, op))}]`;
	const defaults: Array<readonly [string, string]> = [
		['name', '{ value: "" }'],
		['config', `{ value: "", type: ${js(d.configType)}, required: true }`],
		...(d.reference ? [['reference', `{ value: ${js(d.reference.value)} }`] as const, ['referenceType', `{ value: ${js(d.reference.type)} }`] as const] : []),
		...d.fields.flatMap((f, i) => [
			[f.name, `{ value: ${js(f.value)}, validate: fieldValidator(${data}.fields[${i}]) }`] as const,
			[`${f.name}Type`, `{ value: ${js(f.type)} }`] as const,
		]),
		['includeRaw', '{ value: false }'],
		['timeout', `{ value: ${js(d.timeout)}, required: true, validate: positiveSeconds }`],
		...(op.sendsCode ? [['sendGuard', `{ value: "", type: ${js(PUBLIC_PAGES_TYPE)}, required: false }`] as const] : []),
	];
	return literal(
		[
			['category', js(d.category)],
			['color', js(d.color)],
			['defaults', literal(defaults, '\t\t')],
			['inputs', '1'],
			['outputs', '2'],
			['outputLabels', js(d.outputLabels)],
			['icon', js(d.icon)],
			['paletteLabel', js(d.paletteLabel)],
			['label', `function () { return this.name || ${js(d.label)}; }`],
			['labelStyle', 'function () { return this.name ? "node_label_italic" : ""; }'],
			['oneditprepare', `function () { prepareOperation(${data}); }`],
		],
		'\t',
	);
}

export function configDefinition(provider: ProviderSpec): string {
	const d = configData(provider);
	const defaults: Array<readonly [string, string]> = [
		['name', '{ value: "" }'],
		['maxConcurrent', `{ value: ${DEFAULT_MAX_CONCURRENT}, required: true, validate: wholeAtLeast(1, "Max concurrent requests") }`],
		['ratePerSecond', '{ value: 0, validate: wholeAtLeast(0, "Requests per second") }'],
	];
	const credentials: Array<readonly [string, string]> = [];
	for (const f of d.fields) {
		const required = f.required && !f.showWhen;
		if (f.type === 'password') credentials.push([f.name, `{ type: "password", required: ${required} }`]);
		else defaults.push([f.name, `{ value: ${js(f.value)}, required: ${required}${f.url ? `, validate: urlValidator(${js(f.label)})` : ''} }`]);
	}
	return literal(
		[
			['category', '"config"'],
			['defaults', literal(defaults, '\t\t')],
			['credentials', literal(credentials, '\t\t')],
			['paletteLabel', js(d.label)],
			['label', `function () { return this.name || ${js(d.label)}; }`],
			['oneditprepare', `function () { prepareConfig(${js(d.fields)}, ${js(d.testPath)}, this.id); }`],
		],
		'\t',
	);
}

/** The data the dialogs need at edit time, keyed by node type. */
export function editorData(provider: ProviderSpec): string {
	const entries = provider.operations.map((op) => [operationType(provider, op), operationData(provider, op)] as const);
	return `var D = ${js(Object.fromEntries(entries))};`;
}

export function registrations(provider: ProviderSpec): string[] {
	return [
		`RED.nodes.registerType(${js(configType(provider))}, ${configDefinition(provider)});`,
		...provider.operations.map((op) => `RED.nodes.registerType(${js(operationType(provider, op))}, ${operationDefinition(provider, op)});`),
	];
}
