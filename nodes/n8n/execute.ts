/**
 * The execute() shared by every provider's n8n node: one result per input item, routed to the
 * Success or Failure output, with pairedItem. Data problems become results; only workflow-author
 * mistakes (no credential, a required field left empty in the node itself) stop the node.
 *
 * Items run concurrently, at most "Max Concurrent Requests" at a time (OTP providers wait on SMS gateways and
 * rate-limit), optionally in batches with a pause between them; the outputs keep the input order whatever order
 * the answers arrive in. The credential is read and decrypted once per execution.
 */
import {
	NodeOperationError,
	sleep,
	sleepWithAbort,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import {
	asReference,
	codeFlow,
	fillFromReference,
	sendIdentifier,
	findOperation,
	SEND_AND_WAIT,
	Redactor,
	runOperation,
	splitCredential,
	takesReference,
	type FieldSpec,
	type OperationSpec,
	type OtpResult,
	type ProviderSpec,
} from '../core';
import { DEFAULT_MAX_CONCURRENT, REFERENCE_PARAMETER } from './properties';
import { N8nTransport } from './transport';
import { executeSendAndWait, webhookSendAndWait } from './send-and-wait';
import { guardOne, guardStore } from './send-guard';

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

/** How the node spreads its items over time: read once, from the first item's options. */
interface Pacing {
	concurrency: number;
	/** 0: one batch of every item. */
	batchSize: number;
	batchIntervalMs: number;
}

function wholeNumber(v: unknown, fallback: number, min: number): number {
	const n = Number(v);
	return Number.isFinite(n) && n >= min ? Math.floor(n) : fallback;
}

function pacingOf(options: IDataObject): Pacing {
	return {
		concurrency: wholeNumber(options.maxConcurrent, DEFAULT_MAX_CONCURRENT, 1),
		batchSize: wholeNumber(options.batchSize, 0, 0),
		batchIntervalMs: wholeNumber(options.batchIntervalMs, 0, 0),
	};
}

/**
 * Runs `task` for items 0..count-1, at most `concurrency` at a time, batch after batch. A task that throws stops
 * new tasks from starting; the ones in flight finish, then the error of the lowest item index is rethrown.
 */
async function forEachBounded(count: number, pacing: Pacing, task: (i: number) => Promise<void>): Promise<void> {
	const batch = pacing.batchSize > 0 ? pacing.batchSize : count;
	// An object, not a reassigned variable: the workers write to it from their closures.
	const failed: { index: number; error?: unknown } = { index: Number.POSITIVE_INFINITY };
	for (let start = 0; start < count && failed.index === Number.POSITIVE_INFINITY; start += batch) {
		if (start > 0 && pacing.batchIntervalMs > 0) await sleep(pacing.batchIntervalMs);
		const end = Math.min(count, start + batch);
		let next = start;
		const worker = async () => {
			while (next < end && failed.index === Number.POSITIVE_INFINITY) {
				const i = next++;
				try {
					await task(i);
				} catch (error) {
					if (i < failed.index) Object.assign(failed, { index: i, error });
				}
			}
		};
		await Promise.all(Array.from({ length: Math.min(pacing.concurrency, end - start) }, worker));
	}
	if (failed.index !== Number.POSITIVE_INFINITY) throw failed.error;
}

export async function executeProvider(this: IExecuteFunctions, provider: ProviderSpec): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[], []];
	const asTool = runningAsTool(this);
	// The operation cannot be an expression (noDataExpression): the same for every item.
	const operation = this.getNodeParameter('operation', 0) as string;
	const flow = codeFlow(provider);
	if (operation === SEND_AND_WAIT && flow) return await executeSendAndWait.call(this, provider, flow);
	const op = findOperation(provider, operation);
	const empty = emptyInNode(this, op);
	if (empty) {
		throw new NodeOperationError(this.getNode(), `${empty.label} is required`, {
			description: `Enter a value for "${empty.label}" or map it from the input with an expression.`,
		});
	}
	// A missing credential is a configuration error: let n8n report it for the node.
	const credentials = await this.getCredentials(provider.credential.name, 0);
	const transport = new N8nTransport(this, provider.credential.name, credentials);
	const continuing = takesReference(op);
	const pacing = pacingOf(this.getNodeParameter('options', 0, {}) as IDataObject);
	// The send guard's store, asked only when an item has the guard on (the store of the credential; see send-guard.ts).
	const store = op.sendsCode ? guardStore(this, credentials) : undefined;
	const results: Array<{ output: number; item: INodeExecutionData }> = new Array(items.length);
	// A stopped execution ends a wait at once (Get Credit History's "Wait for the Final Result").
	const wait = (ms: number) =>
		sleepWithAbort(ms, this.getExecutionCancelSignal?.()).then(
			() => true,
			() => false,
		);

	await forEachBounded(items.length, pacing, async (i) => {
		let result: OtpResult;
		try {
			const advanced = this.getNodeParameter('options', i, {}) as IDataObject;
			const params = readParams(this, op, i, advanced);
			// Hidden when no chained field applies (Generate Token's first factor): then there is none ({} is no reference).
			const reference = continuing ? this.getNodeParameter(REFERENCE_PARAMETER, i, {}) : undefined;
			const refused =
				store && advanced.sendGuard === true
					? await guardOne(store, provider, op.id, credentials, advanced, {
							identifier: sendIdentifier([{ op, values: fillFromReference(op, params, asReference(reference)) }]),
							client: typeof advanced.sendGuardClient === 'string' ? advanced.sendGuardClient : undefined,
						})
					: undefined;
			result =
				refused ??
				(await runOperation(provider, op, params, credentials, transport, {
					includeRaw: advanced.includeRaw === true,
					timeoutMs: Number(advanced.timeoutSeconds ?? 15) * 1000,
					reference,
					wait,
				}));
		} catch (error) {
			// An expression that cannot be resolved for this item, or an unexpected fault.
			// The text may quote a provider or an expression: scrub the account's secrets first.
			const message = new Redactor(splitCredential(provider, credentials).secrets).text((error as Error).message);
			if (!this.continueOnFail()) throw new NodeOperationError(this.getNode(), message, { itemIndex: i });
			// Still the normalised result (every item carries status), plus n8n's usual `error`.
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
			results[i] = { output: asTool ? SUCCESS : FAILURE, item: { json: failed as unknown as IDataObject, pairedItem: { item: i } } };
			return;
		}
		results[i] = { output: result.ok || asTool ? SUCCESS : FAILURE, item: { json: result as unknown as IDataObject, pairedItem: { item: i } } };
	});

	const outputs: INodeExecutionData[][] = [[], []];
	for (const { output, item } of results) outputs[output].push(item);
	return outputs;
}

/** The requests a paused Send and Wait for Code run receives (its page, the app's code). */
export async function webhookProvider(this: IWebhookFunctions, provider: ProviderSpec): Promise<IWebhookResponseData> {
	const flow = codeFlow(provider);
	if (!flow) throw new NodeOperationError(this.getNode(), `${provider.label} has no operation that waits for a code`);
	return await webhookSendAndWait.call(this, provider, flow);
}
