import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { executeProvider, webhookProvider, nodeDescription } from '../n8n';
import { iserveu } from '../providers/iserveu';

export class IServeU implements INodeType {
	description: INodeTypeDescription = {
		...nodeDescription(iserveu, 'iServeU'),
		icon: { light: 'file:../../icons/iserveu.svg', dark: 'file:../../icons/iserveu.dark.svg' },
		subtitle: '={{ $parameter["operation"] }}',
		usableAsTool: true,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeProvider.call(this, iserveu);
	}

	/** Send and Wait for Code: the page and the app's requests while the run waits. */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return webhookProvider.call(this, iserveu);
	}
}
