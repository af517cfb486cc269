import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { credentialTestFunction, executeProvider, webhookProvider, nodeDescription } from '../n8n';
import { aopay } from '../providers/cibil';

export class AoPay implements INodeType {
	description: INodeTypeDescription = {
		...nodeDescription(aopay, 'aoPay'),
		icon: { light: 'file:../../icons/aopay.svg', dark: 'file:../../icons/aopay.dark.svg' },
		subtitle: '={{ $parameter["operation"] }}',
		usableAsTool: true,
		// CIBIL authenticates in a GET body, which n8n's declarative credential test drops: a function tests it.
		credentials: [{ name: 'aopayCibilApi', required: true, testedBy: 'cibilCredentialTest' }],
	};

	methods = { credentialTest: { cibilCredentialTest: credentialTestFunction(aopay) } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeProvider.call(this, aopay);
	}

	/** Send and Wait for Code: the page and the app's requests while the run waits. */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return webhookProvider.call(this, aopay);
	}
}
