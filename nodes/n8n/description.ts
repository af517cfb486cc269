/** The n8n node description of a provider: one node, each operation an action, Success and Failure outputs. */
import { NodeConnectionTypes, type INodeTypeDescription } from 'n8n-workflow';
import type { ProviderSpec } from '../core';
import { nodeProperties } from './properties';

export function nodeDescription(provider: ProviderSpec, name: string): INodeTypeDescription {
	return {
		displayName: provider.label,
		name,
		icon: { light: `file:../../icons/${provider.icon}.svg`, dark: `file:../../icons/${provider.icon}.dark.svg` },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] }}',
		description: provider.description,
		defaults: { name: provider.label },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Success', 'Failure'],
		credentials: [{ name: provider.credential.name, required: true }],
		properties: nodeProperties(provider),
	};
}
