import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { executeProvider, nodeDescription } from '../n8n';
import { aopay } from '../providers/cibil';

export class AoPay implements INodeType {
	description: INodeTypeDescription = {
		...nodeDescription(aopay, 'aoPay'),
		icon: { light: 'file:../../icons/aopay.svg', dark: 'file:../../icons/aopay.dark.svg' },
		subtitle: '={{ $parameter["operation"] }}',
		usableAsTool: true,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeProvider.call(this, aopay);
	}
}
