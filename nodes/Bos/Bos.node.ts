import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { executeProvider, nodeDescription } from '../n8n';
import { bos } from '../providers/cibil';

export class Bos implements INodeType {
	description: INodeTypeDescription = {
		...nodeDescription(bos, 'bos'),
		icon: { light: 'file:../../icons/bos.svg', dark: 'file:../../icons/bos.dark.svg' },
		subtitle: '={{ $parameter["operation"] }}',
		usableAsTool: true,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeProvider.call(this, bos);
	}
}
