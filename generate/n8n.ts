/**
 * The n8n templates: templates/n8n/<slug>-<operation>.json (one workflow per operation, with the steps it continues
 * first), templates/n8n/<slug>-chain.json (the whole chain, the OTP read from the sandbox inbox) and
 * templates/n8n/credentials.sandbox.json (`n8n import:credentials --input` file for the sandbox accounts).
 */
import crypto from 'node:crypto';
import { isUniqueValue, type FieldSpec, type OperationSpec, type ProviderSpec, type SampleValue } from '../nodes/core';
import { kebab } from '../node-red/names';
import { PROVIDERS } from '../nodes/providers';
import { n8nNodeTypes, type NodeType } from './n8n-types';
import { accountLabel, DEFAULT_SANDBOX_URL, fieldSource, OTP_PLACEHOLDER, planOf, sampleText, sandboxAccount, templateRun, type Run } from './plan';

interface N8nNode {
	parameters: Record<string, unknown>;
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	notes?: string;
	credentials?: Record<string, { id: string; name: string }>;
}

type Connections = Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }>;

export interface N8nTemplate {
	provider: ProviderSpec;
	op?: OperationSpec;
	file: string;
	workflow: Record<string, unknown>;
}

export interface N8nCredential {
	id: string;
	name: string;
	type: string;
	data: Record<string, string>;
}

function uuid(...parts: string[]): string {
	const h = crypto
		.createHash('sha256')
		.update(['otpflow-n8n', ...parts].join('/'))
		.digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** n8n workflow ids are 16 alphanumeric characters. */
function workflowId(...parts: string[]): string {
	return crypto
		.createHash('sha256')
		.update(['otpflow-n8n-workflow', ...parts].join('/'))
		.digest('base64')
		.replace(/[^A-Za-z0-9]/g, '')
		.slice(0, 16);
}

const credentialRef = (provider: ProviderSpec) => ({ [provider.credential.name]: { id: `${provider.slug}-sandbox`, name: accountLabel(provider) } });

function parameterValue(field: FieldSpec, value: SampleValue): string | number | boolean {
	if (isUniqueValue(value)) return `=${value.unique}{{ $now.toMillis() }}`;
	if (field.type === 'number') return Number(value);
	if (field.type === 'boolean') return value === true || value === 'true';
	return String(value);
}

/** One workflow: Start → steps → (inbox) → steps, each provider node's Failure output to "Failure", the last one's Success to "Success". */
function workflow(provider: ProviderSpec, nodeType: NodeType, title: string, key: string, run: Run, sandboxUrl: string): Record<string, unknown> {
	const plan = planOf(provider);
	const nodes: N8nNode[] = [];
	const connections: Connections = {};
	const connect = (from: string, to: string, output = 0) => {
		const c = (connections[from] ??= { main: [] });
		// Failure outputs sit at index 1 even when a step's Success output is unused.
		while (c.main.length <= output) c.main.push([]);
		c.main[output].push({ node: to, type: 'main', index: 0 });
	};
	const y = 300;
	let x = 0;
	nodes.push({ parameters: {}, id: uuid(key, 'start'), name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [x, y] });
	let prev = 'Start';
	let lastProvider: string | undefined;
	let afterInbox = false;
	const all = [...run.send.map((s) => ({ ...s, part: 'send' })), ...run.verify.map((s) => ({ ...s, part: 'verify' }))];
	// The inbox files the code under the first step's value of inboxTo (each template may use its own customer).
	const to = plan.inboxTo ? { ...plan.input, ...(run.send[0] ?? run.verify[0])?.input }[plan.inboxTo] : undefined;
	const inboxTo = to === undefined ? undefined : String(sampleText(to));

	all.forEach((s, i) => {
		if (s.part === 'verify' && all[i - 1]?.part === 'send') {
			x += 240;
			const query = new URLSearchParams({ provider: provider.id, ...(inboxTo ? { to: inboxTo } : {}) });
			nodes.push({
				parameters: { url: `${sandboxUrl}/_sandbox/inbox/latest?${query}`, options: {} },
				id: uuid(key, 'inbox'),
				name: 'Read OTP from Sandbox Inbox',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [x, y],
				notes: `The sandbox's inbox holds what the customer would have received (start the sandbox with npx @otpflow/sandbox). With a real provider, collect the code from the user instead (a Form or Wait node).`,
			});
			connect(prev, 'Read OTP from Sandbox Inbox', 0);
			prev = 'Read OTP from Sandbox Inbox';
			afterInbox = true;
		}
		const parameters: Record<string, unknown> = { operation: s.op.id };
		for (const field of [...s.op.fields, ...(provider.options ?? [])]) {
			if (field.advanced) continue;
			const source = fieldSource(plan, field, s, i === 0);
			switch (source.kind) {
				case 'static':
				case 'sample':
				case 'input':
					parameters[field.name] = parameterValue(field, source.value);
					break;
				case 'otp':
					parameters[field.name] = afterInbox ? '={{ $json.otp }}' : OTP_PLACEHOLDER;
					break;
				case 'chained':
					// Left empty: the one Reference parameter fills it. Straight after the previous step its default
					// ({{ $json.reference }}) is right; after another node it points at that step.
					if (afterInbox && lastProvider) parameters.reference = `={{ $('${lastProvider}').item.json.reference }}`;
					break;
				default:
					if (field.default !== undefined) parameters[field.name] = field.default;
			}
		}
		parameters.options = {};
		afterInbox = false;
		x += 240;
		const { type, version } = nodeType;
		nodes.push({
			parameters,
			id: uuid(key, `step-${i}`, s.op.id),
			name: s.op.name,
			type,
			typeVersion: version,
			position: [x, y],
			credentials: credentialRef(provider),
		});
		connect(prev, s.op.name, 0);
		connect(s.op.name, 'Failure', 1);
		prev = s.op.name;
		lastProvider = s.op.name;
	});
	x += 240;
	nodes.push({ parameters: {}, id: uuid(key, 'success'), name: 'Success', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [x, y - 100] });
	nodes.push({ parameters: {}, id: uuid(key, 'failure'), name: 'Failure', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [x, y + 100] });
	connect(prev, 'Success', 0);
	return {
		id: workflowId(key),
		name: title,
		nodes,
		connections,
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
		meta: { templateCredsSetupCompleted: true },
		tags: [],
	};
}

/** Every n8n template: per provider its chain, then one per operation. */
export function n8nTemplates(sandboxUrl = DEFAULT_SANDBOX_URL): N8nTemplate[] {
	const types = n8nNodeTypes();
	const out: N8nTemplate[] = [];
	for (const provider of PROVIDERS) {
		const nodeType = types.get(provider.credential.name);
		if (!nodeType) throw new Error(`No n8n node uses the credential ${provider.credential.name}`);
		const { chain } = planOf(provider);
		const names = [...chain.send, ...chain.verify].map((s) => s.op.name).join(' → ');
		const chainKey = `${provider.slug}-chain`;
		const chainWorkflow = workflow(provider, nodeType, `OTP Flow: ${provider.label} chain (${names})`, chainKey, chain, sandboxUrl);
		out.push({ provider, file: `templates/n8n/${chainKey}.json`, workflow: chainWorkflow });
		for (const op of provider.operations) {
			const key = `${provider.slug}-${kebab(op.id)}`;
			const wf = workflow(provider, nodeType, `OTP Flow: ${provider.label} ${op.name}`, key, templateRun(provider, op), sandboxUrl);
			out.push({ provider, op, file: `templates/n8n/${key}.json`, workflow: wf });
		}
	}
	return out;
}

/** `n8n import:credentials --input=…` content: one sandbox credential per provider (plain data; n8n encrypts it). */
export function n8nCredentials(sandboxUrl = DEFAULT_SANDBOX_URL): N8nCredential[] {
	return PROVIDERS.map((provider) => ({
		id: `${provider.slug}-sandbox`,
		name: accountLabel(provider),
		type: provider.credential.name,
		data: sandboxAccount(provider, sandboxUrl),
	}));
}
