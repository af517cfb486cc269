/**
 * Runs n8n workflows in process with the real engine: n8n-core's WorkflowExecute over n8n-workflow's
 * Workflow (expressions, parameter defaults, credentials, httpRequest, pairedItem, continueOnFail),
 * without a server or a database. Written for n8n-core 2.11.1 / n8n-workflow 2.11.1 (internal API: pinned).
 *
 *   runWorkflow({ nodeTypes, credentialTypes, credentials, workflow, items })
 *     → { outputs[nodeName][outputIndex] = items, errors[nodeName], error, status, ... }
 *   testCredential(credentialType, data)  → what n8n's "Test credential" button reports
 *
 * Node types are addressed by the names given in `nodeTypes`; the harness adds `harness.manualTrigger`
 * (startNode()) which emits the items handed to runWorkflow.
 */
import './env';
import { Container } from '@n8n/di';
import { CredentialTestContext, ExecuteContext, ExecutionLifecycleHooks, RoutingNode, WorkflowExecute } from 'n8n-core';
import {
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	isExpression,
	type ExecutionError,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialTestFunction,
	type ICredentialType,
	type ICredentialsDecrypted,
	type IDataObject,
	type IExecuteData,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialTestResult,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRequestOptionsSimplified,
	type IRun,
	type IRunExecutionData,
	type ITaskData,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
	type IConnections,
	type IWorkflowSettings,
	type WorkflowExecuteMode,
} from 'n8n-workflow';
// Not re-exported by n8n-core's index; see stopN8n().
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';

export const HARNESS_TRIGGER = 'harness.manualTrigger';

/**
 * The one thing n8n-core 2.11.1 leaves running: every ExecuteContext fetches the SSHClientsManager singleton
 * (for SSH-tunnel helpers), whose constructor starts a 60 s setInterval that only its onShutdown(), wired to
 * process 'exit', clears. Jest waits for that timer ("Jest did not exit"). Shutting the manager down clears it.
 * Registered automatically after each test file that loads the harness.
 */
export function stopN8n(): void {
	Container.get(SSHClientsManager).onShutdown();
}

if (typeof afterAll === 'function') afterAll(stopN8n);

/** A Manual-Trigger-like start node: no inputs, one output, emits the items given to runWorkflow. */
class HarnessManualTrigger implements INodeType {
	description = {
		displayName: 'Manual Trigger (harness)',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Start node for harness runs',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// The harness puts the items on the execution stack for this node.
		return [this.getInputData()];
	}
}

/**
 * A node whose behaviour is a plain function over the input items, for steps a test needs in the middle
 * of a workflow (e.g. "the customer reads the code from their phone"). One item out per item in, paired.
 */
export function functionNode(name: string, fn: (item: INodeExecutionData, index: number) => IDataObject): INodeType {
	return {
		description: {
			displayName: name,
			name,
			group: ['transform'],
			version: 1,
			description: name,
			defaults: { name },
			inputs: ['main'],
			outputs: ['main'],
			properties: [],
		} as unknown as INodeType['description'],
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			return [this.getInputData().map((item, i) => ({ json: fn(item, i), pairedItem: { item: i } }))];
		},
	};
}

export function startNode(name = 'Start'): INode {
	return { id: 'start', name, type: HARNESS_TRIGGER, typeVersion: 1, position: [0, 0], parameters: {} };
}

/** A workflow node; parameters left out take the node description's defaults (n8n fills them in). */
export function node(name: string, type: string, parameters: INode['parameters'] = {}, extra: Partial<INode> = {}): INode {
	return { id: name, name, type, typeVersion: 1, position: [0, 0], parameters, ...extra };
}

/**
 * The tool variant of a usableAsTool node, as n8n's convertNodeToAiTool builds it
 * (packages/cli/src/tool-generation): name + 'Tool', no inputs, one ai_tool output.
 * Register it under '<package>.<name>Tool'.
 */
export function asTool(nodeInstance: INodeType): INodeType {
	const d = nodeInstance.description;
	const description = {
		...d,
		name: `${d.name}Tool`,
		displayName: `${d.displayName} Tool`,
		inputs: [],
		outputs: ['ai_tool'],
		properties: [...d.properties, { displayName: 'Description', name: 'toolDescription', type: 'string', default: d.description }],
	} as INodeType['description'];
	delete (description as { usableAsTool?: unknown }).usableAsTool;
	delete (description as { outputNames?: unknown }).outputNames;
	return Object.create(nodeInstance, { description: { value: description } }) as INodeType;
}

/** Linear main connections a → b → c, each from output `fromOutput` (0 = Success, 1 = Failure). */
export function chain(names: string[], fromOutput = 0): IConnections {
	const connections: IConnections = {};
	for (let i = 0; i < names.length - 1; i++) {
		const main: IConnections[string]['main'] = [];
		main[fromOutput] = [{ node: names[i + 1], type: 'main', index: 0 }];
		for (let o = 0; o < fromOutput; o++) main[o] = [];
		connections[names[i]] = { main };
	}
	return connections;
}

class HarnessNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType | IVersionedNodeType>;

	constructor(types: Record<string, INodeType | IVersionedNodeType>) {
		this.types = { [HARNESS_TRIGGER]: new HarnessManualTrigger(), ...types };
	}

	getByName(type: string): INodeType | IVersionedNodeType {
		const t = this.types[type];
		if (!t) throw new Error(`harness: unknown node type "${type}"`);
		return t;
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		const t = this.types[type];
		return (t ? NodeHelpers.getVersionedNodeType(t, version) : undefined) as INodeType;
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

/**
 * Stands in for packages/cli's CredentialsHelper: hands out the decrypted data given to the harness and
 * applies the credential type's `authenticate` exactly as n8n does (function style, or generic with
 * `={{$credentials.x}}` expressions).
 */
export class HarnessCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly credentialTypes: Record<string, ICredentialType>,
		private readonly credentials: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	getParentTypes(name: string): string[] {
		return this.credentialTypes[name]?.extends ?? [];
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.credentialTypes[type]?.properties ?? [];
	}

	/** How many times n8n read and decrypted a credential, by type: each is a database read and a decryption in n8n. */
	static readonly decrypts: Record<string, number> = {};

	async getDecrypted(_additionalData: IWorkflowExecuteAdditionalData, _nodeCredentials: INodeCredentialsDetails, type: string) {
		if (!(type in this.credentials)) throw new Error(`harness: no credentials data for "${type}"`);
		HarnessCredentialsHelper.decrypts[type] = (HarnessCredentialsHelper.decrypts[type] ?? 0) + 1;
		// A copy, so that authenticate/preAuthentication cannot change the fixture.
		return structuredClone(this.credentials[type]);
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		const data = this.credentials[type];
		return {
			id: nodeCredentials?.id ?? null,
			name: nodeCredentials?.name ?? type,
			type,
			getData: () => structuredClone(data),
			getDataToSave: () => ({ id: nodeCredentials?.id ?? null, name: type, type, data: '' }),
			setData: () => {},
		} as unknown as ICredentials;
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	/** packages/cli/src/credentials-helper.ts#authenticate */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const credentialType = this.credentialTypes[typeName];
		if (!credentialType) throw new Error(`harness: unknown credential type "${typeName}"`);
		const { authenticate } = credentialType;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		if (authenticate && authenticate.type === 'generic') {
			const options = requestOptions as unknown as Record<string, Record<string, unknown>>;
			const resolve = (value: string): string => {
				if (!isExpression(value)) return value;
				const r = workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '');
				return r ? String(r) : '';
			};
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(outerValue as Record<string, string>)) {
					options[outerKey] ??= {};
					options[outerKey][resolve(key)] = resolve(value);
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}
}

/** Every *Url n8n-core may read must be a valid URL, though nothing here listens on them. */
const URLS = {
	restApiUrl: 'http://localhost:5678/rest',
	instanceBaseUrl: 'http://localhost:5678/',
	formBaseUrl: 'http://localhost:5678/form',
	formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
	formTestBaseUrl: 'http://localhost:5678/form-test',
	webhookBaseUrl: 'http://localhost:5678/webhook',
	webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
	webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
	mcpBaseUrl: 'http://localhost:5678/mcp',
	mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
};

function additionalDataFor(credentialsHelper: ICredentialsHelper, executionId: string, hooks?: ExecutionLifecycleHooks): IWorkflowExecuteAdditionalData {
	return {
		...URLS,
		hooks,
		executionId,
		credentialsHelper,
		currentNodeParameters: undefined,
		currentNodeExecutionIndex: 0,
		variables: {},
		userId: 'harness-user',
		workflowId: 'harness-wf',
		executeWorkflow: async () => {
			throw new Error('harness: sub-workflows are not supported');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('harness: task runners (Code node) are not supported');
		},
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface HarnessWorkflow {
	nodes: INode[];
	connections?: IConnections;
	settings?: IWorkflowSettings;
	/** The node that receives `items`; default: the harness trigger, else the first node without parents. */
	startNode?: string;
}

export interface RunOptions {
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	credentialTypes?: Record<string, ICredentialType>;
	/** Decrypted credential data by credential type name. A node gets every declared type found here. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	workflow: HarnessWorkflow;
	/** Items fed to the start node: INodeExecutionData or plain json objects. Default [{ json: {} }]. */
	items?: Array<INodeExecutionData | IDataObject>;
	mode?: WorkflowExecuteMode;
}

export interface RunResult {
	/** outputs[node][outputIndex] = items of the node's last run. */
	outputs: Record<string, INodeExecutionData[][]>;
	runs: Record<string, ITaskData[]>;
	/** The error recorded for a node's last run (n8n stores it as a plain object: use name/message/description). */
	errors: Record<string, ExecutionError>;
	/** The workflow-level error, if any. */
	error?: ExecutionError;
	status: IRun['status'];
	executionOrder: string[];
	durationMs: number;
	/** The workflow's nodes as run (parameter defaults filled in, credentials attached). */
	nodes: INode[];
	run: IRun;
}

function toItems(items: RunOptions['items']): INodeExecutionData[] {
	if (!items) return [{ json: {} }];
	return items.map((it) => (it && typeof it === 'object' && 'json' in it ? (it as INodeExecutionData) : { json: it as IDataObject }));
}

function attachCredentials(nodes: INode[], nodeTypes: HarnessNodeTypes, credentials: Record<string, unknown>): void {
	for (const n of nodes) {
		const declared = nodeTypes.getByNameAndVersion(n.type, n.typeVersion)?.description?.credentials ?? [];
		for (const { name } of declared) {
			if (!(name in credentials)) continue;
			n.credentials ??= {};
			n.credentials[name] ??= { id: `cred-${name}`, name: `${name} (harness)` };
		}
	}
}

let executionCounter = 0;

export async function runWorkflow(options: RunOptions): Promise<RunResult> {
	const { workflow, mode = 'manual', credentialTypes = {}, credentials = {} } = options;
	const t0 = performance.now();
	const types = new HarnessNodeTypes(options.nodeTypes);
	// Copies: the Workflow constructor fills parameter defaults into the nodes it is given.
	const nodes = structuredClone(workflow.nodes);
	attachCredentials(nodes, types, credentials);
	const connections = structuredClone(workflow.connections ?? {});
	// n8n's editor creates workflows with executionOrder v1; the legacy default orders the stack differently.
	const settings: IWorkflowSettings = { executionOrder: 'v1', ...(workflow.settings ?? {}) };

	const wf = new Workflow({ id: 'harness-wf', name: 'harness', nodes, connections, nodeTypes: types, active: false, settings });
	const start =
		(workflow.startNode ? wf.getNode(workflow.startNode) : null) ??
		nodes.find((n) => n.type === HARNESS_TRIGGER) ??
		nodes.find((n) => wf.getParentNodes(n.name).length === 0);
	if (!start) throw new Error('harness: could not determine the start node');

	const executionId = String(++executionCounter);
	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: 'harness-wf',
		name: 'harness',
		nodes,
		connections,
		active: false,
		settings,
	} as never);
	const executionOrder: string[] = [];
	hooks.addHandler('nodeExecuteAfter', (nodeName: string) => void executionOrder.push(nodeName));
	let finished!: (run: IRun) => void;
	const done = new Promise<IRun>((resolve) => (finished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run: IRun) => finished(run));

	const additionalData = additionalDataFor(new HarnessCredentialsHelper(credentialTypes, credentials), executionId, hooks);
	const runExecutionData = {
		version: 1,
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			nodeExecutionStack: [{ node: start, data: { main: [toItems(options.items)] }, source: null }],
			waitingExecution: {},
			waitingExecutionSource: {},
		},
	} as unknown as IRunExecutionData;

	const workflowExecute = new WorkflowExecute(additionalData, mode, runExecutionData);
	try {
		await workflowExecute.processRunExecutionData(wf);
	} catch (error) {
		// n8n refuses to start a workflow whose nodes have parameter issues: say which, as n8n's editor would.
		if ((error as Error).name === 'WorkflowHasIssuesError') {
			const issues = workflowExecute.checkReadyForExecution(wf, { startNode: start.name });
			Object.assign(error as Error, { issues, message: `${(error as Error).message} Issues: ${JSON.stringify(issues)}` });
		}
		throw error;
	}
	const run = await done;

	const outputs: RunResult['outputs'] = {};
	const runs: RunResult['runs'] = {};
	const errors: RunResult['errors'] = {};
	for (const [nodeName, taskDatas] of Object.entries(run.data.resultData.runData)) {
		runs[nodeName] = taskDatas;
		const last = taskDatas[taskDatas.length - 1];
		outputs[nodeName] = (last?.data?.main ?? []).map((o) => o ?? []);
		if (last?.error) errors[nodeName] = last.error;
	}
	return {
		outputs,
		runs,
		errors,
		error: run.data.resultData.error,
		status: run.status,
		executionOrder,
		durationMs: Math.round(performance.now() - t0),
		nodes,
		run,
	};
}

/** lodash.get for the dot paths n8n's responseSuccessBody rules use. */
function getPath(value: unknown, path: string): unknown {
	return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value);
}

/**
 * What n8n's "Test credential" does for a credential type with a `test` request
 * (packages/cli/src/services/credentials-tester.service.ts): a temporary declarative node whose one property
 * routes the test request, run by n8n-core's RoutingNode (baseURL expression resolved against the credential,
 * `authenticate` applied by httpRequestWithAuthentication), then the rules checked in order.
 */
export async function testCredential(credentialType: ICredentialType, data: ICredentialDataDecryptedObject): Promise<INodeCredentialTestResult> {
	const testRequest = credentialType.test;
	if (!testRequest) return { status: 'Error', message: 'No testing function found for this credential.' };
	const credentialsDecrypted: ICredentialsDecrypted = { id: 'cred-test', name: 'test', type: credentialType.name, data: structuredClone(data) };

	// n8n-nodes-base.noOp's description, as the tester uses when no node names the credential.
	const nodeTypeCopy = {
		description: {
			displayName: 'No Operation, do nothing',
			name: 'n8n-nodes-base.noOp',
			group: ['organization'],
			version: 1,
			description: 'No Operation',
			defaults: { name: 'No Operation, do nothing' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credentialType.name, required: true }],
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: testRequest.request }, default: '' }],
		},
	} as unknown as INodeType;
	const tempNode: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [0, 0],
		credentials: { [credentialType.name]: { id: 'cred-test', name: 'test' } },
	};
	const workflow = new Workflow({
		nodes: [tempNode],
		connections: {},
		active: false,
		nodeTypes: new HarnessNodeTypes({ 'n8n-nodes-base.noOp': nodeTypeCopy }),
	});
	const additionalData = additionalDataFor(
		new HarnessCredentialsHelper({ [credentialType.name]: credentialType }, { [credentialType.name]: data }),
		'credential-test',
	);
	const executeData: IExecuteData = { node: tempNode, data: {}, source: null };
	const context = new ExecuteContext(
		workflow,
		tempNode,
		additionalData,
		'internal',
		{ resultData: { runData: {} } } as unknown as IRunExecutionData,
		0,
		[],
		{ main: [[{ json: {} }]] },
		executeData,
		[],
	);

	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await new RoutingNode(context, nodeTypeCopy, credentialsDecrypted).runNode();
	} catch (e) {
		const error = e as { message: string; cause?: { code?: string; response?: { status: number; statusText?: string } } };
		if (error.cause?.response) {
			const { status, statusText } = error.cause.response;
			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && status === rule.properties.value) return { status: 'Error', message: rule.properties.message };
			}
			if (status < 199 || status > 299) return { status: 'Error', message: statusText || `Received HTTP status code: ${status}` };
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code };
		}
		return { status: 'Error', message: String(error.message) };
	}
	for (const rule of testRequest.rules ?? []) {
		if (rule.type === 'responseSuccessBody' && getPath(response?.[0]?.[0]?.json, rule.properties.key) === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/**
 * The other way n8n tests a credential: a node's `methods.credentialTest[testedBy]` function, called with
 * n8n-core's CredentialTestContext as `this` (its helpers offer only the legacy `request`).
 */
export async function testCredentialWithFunction(
	fn: ICredentialTestFunction,
	credentialType: ICredentialType,
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	const credentialsDecrypted: ICredentialsDecrypted = { id: 'cred-test', name: 'test', type: credentialType.name, data: structuredClone(data) };
	return await fn.call(new CredentialTestContext(), credentialsDecrypted);
}
