/**
 * OTP Flow's n8n nodes and credentials wired into the in-process harness, pointed at a sandbox.
 * Node types are registered under the package name, as n8n addresses an installed community package.
 */
import './env';
import type { ICredentialDataDecryptedObject, ICredentialType, IDataObject, IExecuteFunctions, INode, INodeExecutionData, INodeType } from 'n8n-workflow';
import path from 'node:path';
import { PROVIDERS } from '../../nodes/providers';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox';
import { sandboxCredential } from '../support/accounts';
import { asTool, node, runWorkflow, startNode, type RunOptions, type RunResult } from './harness';
import pkg from '../../packages/n8n-nodes-otpflow/package.json';

export const PACKAGE = pkg.name;

/**
 * The classes n8n loads, found as n8n finds them: through package.json's `n8n` section (its compiled paths mapped
 * back to the TypeScript sources), so a new provider's node and credential are tested without naming them here.
 */
function load<T>(distPath: string): T {
	const source = path.join(__dirname, '..', '..', distPath.replace(/^dist\//, '').replace(/\.js$/, ''));

	const exported = Object.values(require(source) as Record<string, new () => T>)[0];
	return new exported();
}

const NODES: INodeType[] = pkg.n8n.nodes.map((p) => load<INodeType>(p));

/** n8n node name → node: { bos, aoPay, iServeU, summitAi, capillary }. */
export const NODE_CLASSES: Record<string, INodeType> = Object.fromEntries(NODES.map((n) => [n.description.name, n]));
export type NodeName = string;

/** '@otpflow/n8n-nodes-otpflow.iServeU' */
export const typeOf = (name: NodeName, tool = false) => `${PACKAGE}.${name}${tool ? 'Tool' : ''}`;

export const CREDENTIAL_TYPES: Record<string, ICredentialType> = Object.fromEntries(
	pkg.n8n.credentials.map((p) => load<ICredentialType>(p)).map((c) => [c.name, c]),
);

/** What the customer does between Generate and Verify: read the newest code the sandbox delivered to them. */
export const READ_INBOX = 'harness.readInbox';

/**
 * Parameters `provider` and `to` (expressions allowed, e.g. `={{ $json.reference.customerMobileNumber }}`);
 * passes each item on with `code` added, paired with its input. n8n calls execute() with its own context
 * as `this`, so the sandbox is reached through the closure.
 */
function readInboxNode(sandbox: Sandbox): INodeType {
	return {
		description: {
			displayName: 'Read Sandbox Inbox',
			name: 'readInbox',
			group: ['transform'],
			version: 1,
			description: 'Reads the newest OTP the sandbox delivered',
			defaults: { name: 'Read Inbox' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [
				{ displayName: 'Provider', name: 'provider', type: 'string', default: '' },
				{ displayName: 'To', name: 'to', type: 'string', default: '' },
			],
		} as unknown as INodeType['description'],
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			return [
				this.getInputData().map((item, i) => {
					const provider = this.getNodeParameter('provider', i) as string;
					const to = (this.getNodeParameter('to', i) as string) || undefined;
					return { json: { ...item.json, code: sandbox.inbox.latest(provider, to)?.otp ?? null }, pairedItem: { item: i } };
				}),
			];
		},
	};
}

export function nodeTypes(sandbox: Sandbox, extra: Record<string, INodeType> = {}): Record<string, INodeType> {
	const types: Record<string, INodeType> = {};
	for (const [name, instance] of Object.entries(NODE_CLASSES)) {
		types[typeOf(name)] = instance;
		types[typeOf(name, true)] = asTool(instance);
	}
	types[READ_INBOX] = readInboxNode(sandbox);
	return { ...types, ...extra };
}

/** Every credential type's sandbox account, by n8n credential type name. */
export function sandboxCredentials(sandbox: Sandbox): Record<string, ICredentialDataDecryptedObject> {
	return Object.fromEntries(PROVIDERS.map((p) => [p.credential.name, sandboxCredential(p, sandbox)]));
}

/** One step of a linear workflow: a node name, its type and the parameters set on it (the rest stay at their defaults). */
export interface Step {
	name: string;
	type: string;
	parameters?: INode['parameters'];
	extra?: Partial<INode>;
	/** Which output of the previous step feeds this one: 0 Success (default), 1 Failure. */
	from?: 0 | 1;
}

export const step = (name: string, type: string, parameters: INode['parameters'] = {}, extra: Partial<INode> = {}): Step => ({ name, type, parameters, extra });

/** A shorthand for an OTP Flow node step. */
export const otp = (name: string, nodeName: NodeName, operation: string, parameters: INode['parameters'] = {}, extra: Partial<INode> = {}): Step =>
	step(name, typeOf(nodeName), { operation, ...parameters }, extra);

/** The customer reads the code: the newest inbox message of `provider` sent to `to` (an expression or a value). */
export const readInbox = (provider: string, to: string, name = 'Read Inbox'): Step => step(name, READ_INBOX, { provider, to });

export interface Linear {
	sandbox: Sandbox;
	steps: Step[];
	items?: IDataObject[];
	credentials?: RunOptions['credentials'];
	extraNodeTypes?: Record<string, INodeType>;
}

/** Start → steps[0] → steps[1] → …, each step fed by the previous step's Success output (or `from`). */
export async function runLinear({ sandbox, steps, items, credentials, extraNodeTypes }: Linear): Promise<RunResult> {
	const nodes = [startNode(), ...steps.map((s) => node(s.name, s.type, s.parameters, s.extra))];
	const connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }> = {};
	const names = ['Start', ...steps.map((s) => s.name)];
	for (let i = 0; i < names.length - 1; i++) {
		const from = steps[i].from ?? 0;
		const main: Array<Array<{ node: string; type: 'main'; index: number }>> = from === 0 ? [[]] : [[], []];
		main[from] = [{ node: names[i + 1], type: 'main', index: 0 }];
		connections[names[i]] = { main };
	}
	return runWorkflow({
		nodeTypes: nodeTypes(sandbox, extraNodeTypes),
		credentialTypes: CREDENTIAL_TYPES,
		credentials: credentials ?? sandboxCredentials(sandbox),
		workflow: { nodes, connections },
		items,
	});
}

/** The item jsons on one output of a node, and the item indexes they are paired with. */
export function out(result: RunResult, nodeName: string, output: 0 | 1): IDataObject[] {
	return (result.outputs[nodeName]?.[output] ?? []).map((i) => i.json);
}

export function paired(result: RunResult, nodeName: string, output: 0 | 1): unknown[] {
	return (result.outputs[nodeName]?.[output] ?? []).map((i) => i.pairedItem);
}

/**
 * Everything OTP Flow's nodes emitted and every error, as one string, for leak checks. The trigger and the
 * harness's inbox node are left out: they carry the test's own input (e.g. the Aadhaar number) untouched.
 */
export function everything(result: RunResult): string {
	const ours = new Set(result.nodes.filter((n) => n.type.startsWith(`${PACKAGE}.`)).map((n) => n.name));
	const outputs = Object.fromEntries(Object.entries(result.outputs).filter(([name]) => ours.has(name)));
	return JSON.stringify({ outputs, errors: result.errors, error: result.error });
}

/**
 * One sandbox for a test file, reset after each test, and a `run` that records every workflow run so
 * that, after each test, none of the `forbidden` texts (secrets, Aadhaar numbers) appears in any output.
 */
export function sandboxSuite(forbidden: readonly string[], options: SandboxOptions = { port: 0 }) {
	const results: RunResult[] = [];
	const suite = {
		sandbox: undefined as unknown as Sandbox,
		/** Adds a run made some other way to the leak check. */
		track(result: RunResult): RunResult {
			results.push(result);
			return result;
		},
		async run(steps: Step[], items?: IDataObject[], credentials = sandboxCredentials(suite.sandbox)): Promise<RunResult> {
			return suite.track(await runLinear({ sandbox: suite.sandbox, steps, items, credentials }));
		},
	};
	beforeAll(async () => {
		suite.sandbox = await startSandbox(options);
	});
	afterAll(async () => {
		await suite.sandbox.close();
	});
	afterEach(() => {
		suite.sandbox.reset();
		for (const result of results.splice(0)) {
			const seen = everything(result);
			for (const text of forbidden) expect(seen).not.toContain(text);
		}
	});
	return suite;
}
