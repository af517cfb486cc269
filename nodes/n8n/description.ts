/**
 * The n8n node description of a provider: one node, each operation an action, Success and Failure outputs.
 * Icon, subtitle and usableAsTool are written in each node file, where n8n's lint reads them.
 */
import { NodeConnectionTypes, type INodeTypeDescription } from 'n8n-workflow';
import { codeFlow, type ProviderSpec } from '../core';
import { nodeProperties } from './properties';
import { SEND_AND_WAIT_WEBHOOKS } from './send-and-wait';

export function nodeDescription(provider: ProviderSpec, name: string): Omit<INodeTypeDescription, 'icon' | 'subtitle' | 'usableAsTool'> {
	return {
		displayName: provider.label,
		name,
		group: ['transform'],
		version: 1,
		description: provider.description,
		defaults: { name: provider.label },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Success', 'Failure'],
		credentials: [{ name: provider.credential.name, required: true }],
		properties: nodeProperties(provider),
		// Send and Wait for Code's page and the app's requests reach the paused run through these.
		...(codeFlow(provider) ? { webhooks: SEND_AND_WAIT_WEBHOOKS } : {}),
	};
}
