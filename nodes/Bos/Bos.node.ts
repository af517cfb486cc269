import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { executeProvider, nodeDescription } from '../n8n';
import { bos } from '../providers/cibil';

export class Bos implements INodeType {
	description: INodeTypeDescription = nodeDescription(bos, 'bos');

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeProvider.call(this, bos);
	}
}
