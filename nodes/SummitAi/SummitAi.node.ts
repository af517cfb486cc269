import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { executeProvider, webhookProvider, nodeDescription } from '../n8n';
import { summitai } from '../providers/summitai';

export class SummitAi implements INodeType {
	description: INodeTypeDescription = {
		...nodeDescription(summitai, 'summitAi'),
		icon: { light: 'file:../../icons/summitai.svg', dark: 'file:../../icons/summitai.dark.svg' },
		subtitle: '={{ $parameter["operation"] }}',
		usableAsTool: true,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeProvider.call(this, summitai);
	}

	/** Send and Wait for Code: the page and the app's requests while the run waits. */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return webhookProvider.call(this, summitai);
	}
}
