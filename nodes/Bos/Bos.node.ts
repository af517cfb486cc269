import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { credentialTestFunction, executeProvider, webhookProvider, nodeDescription } from '../n8n';
import { bos } from '../providers/cibil';

export class Bos implements INodeType {
	description: INodeTypeDescription = {
		...nodeDescription(bos, 'bos'),
		icon: { light: 'file:../../icons/bos.svg', dark: 'file:../../icons/bos.dark.svg' },
		subtitle: '={{ $parameter["operation"] }}',
		usableAsTool: true,
		// CIBIL authenticates in a GET body, which n8n's declarative credential test drops: a function tests it.
		credentials: [{ name: 'bosCibilApi', required: true, testedBy: 'cibilCredentialTest' }],
	};

	methods = { credentialTest: { cibilCredentialTest: credentialTestFunction(bos) } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeProvider.call(this, bos);
	}

	/** Send and Wait for Code: the page and the app's requests while the run waits. */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return webhookProvider.call(this, bos);
	}
}
