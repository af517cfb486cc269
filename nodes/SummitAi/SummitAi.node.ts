import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { executeProvider, nodeDescription } from '../n8n';
import { summitai } from '../providers/summitai';

export class SummitAi implements INodeType {
	description: INodeTypeDescription = nodeDescription(summitai, 'summitAi');

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeProvider.call(this, summitai);
	}
}
