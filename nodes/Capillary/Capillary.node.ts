import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { executeProvider, webhookProvider, nodeDescription } from '../n8n';
import { capillary } from '../providers/capillary';

export class Capillary implements INodeType {
	description: INodeTypeDescription = {
		...nodeDescription(capillary, 'capillary'),
		icon: { light: 'file:../../icons/capillary.svg', dark: 'file:../../icons/capillary.dark.svg' },
		subtitle: '={{ $parameter["operation"] }}',
		usableAsTool: true,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeProvider.call(this, capillary);
	}

	/** Send and Wait for Code: the page and the app's requests while the run waits. */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return webhookProvider.call(this, capillary);
	}
}
