import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { executeProvider, nodeDescription } from '../n8n';
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
}
