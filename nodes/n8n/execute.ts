/**
 * The execute() shared by every provider's n8n node: one result per input item, routed to the
 * Success or Failure output, with pairedItem. Data problems become results; only workflow-author
 * mistakes (no credential, a required field left empty in the node itself) stop the node.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { findOperation, Redactor, runOperation, splitCredential, takesReference, type FieldSpec, type OperationSpec, type OtpResult, type ProviderSpec } from '../core';
import { REFERENCE_PARAMETER } from './properties';
import { N8nTransport } from './transport';


const SUCCESS = 0;
const FAILURE = 1;

/** A required field typed as an empty literal in the node (not an expression) can never succeed. */
function emptyInNode(context: IExecuteFunctions, op: OperationSpec): FieldSpec | undefined {
	const parameters = context.getNode().parameters;
	return op.fields.find((f) => f.required && !f.showWhen && !f.fromPrevious && f.name in parameters && parameters[f.name] === '');
}

function readParams(context: IExecuteFunctions, op: OperationSpec, i: number, advanced: IDataObject): Record<string, unknown> {
	const raw: Record<string, unknown> = {};
	for (const field of op.fields) {
		raw[field.name] = field.advanced ? advanced[field.name] : context.getNodeParameter(field.name, i, '');
	}
	return raw;
}

/**
 * n8n hands an AI agent only the first output of a tool node, so when running as a tool every
 * result, failures included, goes to output 0 and the agent reads `ok` and `status`.
 */
function runningAsTool(context: IExecuteFunctions): boolean {
	return context.getNode().type.endsWith('Tool');
}

export async function executeProvider(this: IExecuteFunctions, provider: ProviderSpec): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const outputs: INodeExecutionData[][] = [[], []];
	const asTool = runningAsTool(this);

	for (let i = 0; i < items.length; i++) {
		const opId = this.getNodeParameter('operation', i) as string;
		const op = findOperation(provider, opId);
		if (i === 0) {
			const empty = emptyInNode(this, op);
			if (empty) {
				throw new NodeOperationError(this.getNode(), `${empty.label} is required`, {
					description: `Enter a value for "${empty.label}" or map it from the input with an expression.`,
				});
			}
		}
		// A missing credential is a configuration error: let n8n report it for the node.
		const credentials = await this.getCredentials(provider.credential.name, i);

		let result: OtpResult;
		try {
			const advanced = this.getNodeParameter('options', i, {}) as IDataObject;
			result = await runOperation(provider, op, readParams(this, op, i, advanced), credentials, new N8nTransport(this, provider.credential.name), {
				includeRaw: advanced.includeRaw === true,
				timeoutMs: Number(advanced.timeoutSeconds ?? 15) * 1000,
				reference: takesReference(op) ? this.getNodeParameter(REFERENCE_PARAMETER, i, undefined) : undefined,
			});
		} catch (error) {
			// An expression that cannot be resolved for this item, or an unexpected fault.
			// The text may quote a provider or an expression: scrub the account's secrets first.
			const message = new Redactor(splitCredential(provider, credentials).secrets).text((error as Error).message);
			if (!this.continueOnFail()) throw new NodeOperationError(this.getNode(), message, { itemIndex: i });
			// Still the normalised result (DESIGN §2: every item carries status), plus n8n's usual `error`.
			const failed: OtpResult & { error: string } = {
				ok: false,
				status: 'invalid_request',
				provider: provider.id,
				operation: op.id,
				message: `This item could not be read: ${message}`,
				reference: {},
				retryable: false,
				providerStatus: {},
				error: message,
			};
			outputs[asTool ? SUCCESS : FAILURE].push({ json: failed as unknown as IDataObject, pairedItem: { item: i } });
			continue;
		}
		const output = result.ok || asTool ? SUCCESS : FAILURE;
		outputs[output].push({ json: result as unknown as IDataObject, pairedItem: { item: i } });
	}
	return outputs;
}
