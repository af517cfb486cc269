/**
 * The Node-RED examples: examples/<slug>/00 - Full chain.json (inject 1 sends, the reference waits in flow context, inject 2
 * verifies) and examples/<slug>/<NN>-<operation>.json (one palette node with sample input and both outputs shown), and
 * what `npm start` deploys (seedFlows). Ids are hashes of names, so output only changes with the descriptions.
 */
import crypto from 'node:crypto';
import { conditionHolds, isUniqueValue, type FieldValue, type OperationSpec, type ProviderSpec, type SampleValue } from '../nodes/core';
import { ACCOUNT_LIMITS } from '../node-red/account';
import { configType, DEFAULT_TIMEOUT_SECONDS, kebab, operationType } from '../node-red/names';
import { nodeFields, propertyDefault, staticType, typeProperty } from '../node-red/properties';
import { PROVIDERS } from '../nodes/providers';
import { nodeRedSize } from './layout';
import {
	accountLabel,
	DEFAULT_SANDBOX_URL,
	fieldSource,
	operationSamples,
	OTP_PLACEHOLDER,
	planOf,
	sampleReference,
	sandboxAccount,
	secretFields,
	step,
	type Plan,
	type Step,
} from './plan';

/** Node types of Node-RED's core that the examples use. */
export const CORE_TYPES = ['tab', 'inject', 'debug', 'change', 'comment', 'link in', 'link out', 'function', 'catch'];

/** A node of a Node-RED flow file before it has its id. */
interface NodeBody {
	type: string;
	name?: string;
	z?: string;
	x?: number;
	y?: number;
	wires?: string[][];
	[key: string]: unknown;
}

export interface FlowNode extends NodeBody {
	id: string;
}

/** An inject property: msg.<p> set to v, of typedInput type vt. */
interface InjectProp {
	p: string;
	v: string;
	vt: string;
}

export interface NodeRedExample {
	provider: ProviderSpec;
	op?: OperationSpec;
	name: string;
	file: string;
	flow: FlowNode[];
}

/** The left edge of the first column, the room between two nodes of a row (for the wire), the rows' y. */
const LEFT = 40;
const GAP = 60;
const ROW = 60;
const TITLE_Y = 40;

/** Sets a node's x so that its left edge is at `left` (Node-RED's x is the centre); returns its right edge. */
function placeAt(node: NodeBody, left: number, y: number): number {
	const { w } = nodeRedSize(node);
	node.x = left + w / 2;
	node.y = y;
	return left + w;
}

/** Lays nodes out left to right from `left`, GAP apart; returns the right edge of the last one. */
function row(nodes: NodeBody[], left: number, y: number): number {
	let edge = left - GAP;
	for (const n of nodes) edge = placeAt(n, edge + GAP, y);
	return edge;
}

const leftOf = (node: NodeBody) => node.x! - nodeRedSize(node).w / 2;

function hashId(...parts: string[]): string {
	return crypto
		.createHash('sha256')
		.update(['otpflow', ...parts].join('/'))
		.digest('hex')
		.slice(0, 16);
}

export const configNodeId = (provider: ProviderSpec) => hashId('config', provider.slug);

/** Where the examples of a tab keep the last reference: two clicks are two unrelated messages. */
export const contextKey = (provider: ProviderSpec) => `${provider.slug}Reference`;

class FlowBuilder {
	readonly nodes: FlowNode[] = [];

	constructor(private readonly scope: string) {}

	id(key: string): string {
		return hashId('node', this.scope, key);
	}

	add(key: string, node: NodeBody): FlowNode {
		const full: FlowNode = { id: this.id(key), ...node };
		this.nodes.push(full);
		return full;
	}

	wire(from: FlowNode, to: FlowNode, port = 0): void {
		const wires = (from.wires ??= []);
		while (wires.length <= port) wires.push([]);
		if (!wires[port].includes(to.id)) wires[port].push(to.id);
	}
}

const comment = (name: string, info: string, x: number, y: number): NodeBody => ({ type: 'comment', name, info, x, y, wires: [] });

function debug(name: string, x: number, y: number): NodeBody {
	return {
		type: 'debug',
		name,
		active: true,
		tosidebar: true,
		console: false,
		tostatus: true,
		complete: 'payload',
		targetType: 'msg',
		statusVal: 'payload.status',
		statusType: 'msg',
		x,
		y,
		wires: [],
	};
}

function change(name: string, rules: Array<Record<string, string>>, x: number, y: number): NodeBody {
	return { type: 'change', name, rules, action: '', property: '', from: '', to: '', reg: false, x, y, wires: [[]] };
}

/** An inject node as the editor saves it: msg properties in `props`, the payload's value in payload/payloadType. */
function inject(name: string, props: InjectProp[], x: number, y: number): NodeBody {
	const node: NodeBody = { type: 'inject', name, props: [], repeat: '', crontab: '', once: false, onceDelay: 0.1, topic: '', x, y, wires: [[]] };
	const saved = node.props as Array<Partial<InjectProp>>;
	const payload = props.find((p) => p.p === 'payload') ?? { v: '', vt: 'date' };
	for (const p of props) saved.push(p.p === 'payload' ? { p: 'payload' } : { p: p.p, v: p.v, vt: p.vt });
	if (saved.length === 0) saved.push({ p: 'payload' });
	node.payload = payload.v;
	node.payloadType = payload.vt;
	return node;
}

/** msg.input as an inject property: JSON, or JSONata when a value must be fresh on every click. */
function inputProp(values: Record<string, SampleValue>): InjectProp | undefined {
	const entries = Object.entries(values);
	if (entries.length === 0) return undefined;
	if (entries.some(([, v]) => isUniqueValue(v))) {
		const value = (v: SampleValue) => (isUniqueValue(v) ? `${JSON.stringify(v.unique)} & $string($millis())` : JSON.stringify(v));
		const body = entries.map(([k, v]) => `  ${JSON.stringify(k)}: ${value(v)}`);
		return { p: 'input', v: `{\n${body.join(',\n')}\n}`, vt: 'jsonata' };
	}
	return { p: 'input', v: JSON.stringify(values, null, 2), vt: 'json' };
}

/** The palette node of one step, its typed inputs set the way the example feeds it. */
function operationNode(plan: Plan, s: Step, firstOfPart: boolean, x: number, y: number) {
	const { provider } = plan;
	const { op } = s;
	const node: NodeBody = { type: operationType(provider, op), name: op.name, config: configNodeId(provider) };
	const input: Record<string, SampleValue> = {};
	for (const field of nodeFields(provider, op)) {
		const source = fieldSource(plan, field, s, firstOfPart);
		let value: string;
		let type: string;
		if (source.kind === 'static' || source.kind === 'sample') {
			[value, type] = [String(source.value), staticType(field)];
		} else if (source.kind === 'otp') {
			[value, type] = ['otp', 'msg'];
		} else if (source.kind === 'input') {
			[value, type] = [`input.${field.name}`, 'msg'];
			input[field.name] = source.value;
		} else {
			({ value, type } = propertyDefault(field));
		}
		node[field.name] = value;
		node[typeProperty(field.name)] = type;
	}
	Object.assign(node, { includeRaw: false, timeout: DEFAULT_TIMEOUT_SECONDS, x, y, wires: [[], []] });
	return { node, input, needsOtp: op.fields.some((f) => f.fromMessage === 'otp') };
}

/** The account node pointing at the sandbox, without secrets (Node-RED keeps those in flows_cred.json). */
function configNode(provider: ProviderSpec, sandboxUrl: string): FlowNode {
	const values = sandboxAccount(provider, sandboxUrl);
	const node: FlowNode = { id: configNodeId(provider), type: configType(provider), name: accountLabel(provider) };
	for (const field of provider.credential.fields) if (field.type !== 'password') node[field.name] = values[field.name] ?? '';
	// The limits too: Node-RED gives an imported config node no defaults, and an empty Max concurrent is invalid.
	return { ...node, ...ACCOUNT_LIMITS };
}

/** The credentials Node-RED keeps for the config node (flows_cred.json); never part of an example file. */
export function configCredentials(provider: ProviderSpec, sandboxUrl: string): Record<string, string> {
	const values = sandboxAccount(provider, sandboxUrl);
	const creds: Record<string, string> = {};
	for (const field of secretFields(provider)) if (values[field.name] !== undefined) creds[field.name] = values[field.name];
	return creds;
}

function accountNote(provider: ProviderSpec, sandboxUrl: string): string {
	const values = sandboxAccount(provider, sandboxUrl);
	const secrets = secretFields(provider)
		.filter((f) => values[f.name] !== undefined)
		.map((f) => `${f.label} \`${values[f.name]}\``);
	const base = `The account node **${accountLabel(provider)}** points at the local sandbox (\`npx @otpflow/sandbox\` runs it anywhere, \`npm start\` in the OTP Flow repository).`;
	if (secrets.length === 0) return `${base} This provider needs no secret.`;
	return `${base} Example flows cannot carry secrets: open the account node and enter the sandbox's ${secrets.join(', ')} (\`npm start\` fills it in for you).`;
}

const remember = (key: string, x: number, y: number) =>
	change('remember reference', [{ t: 'set', p: key, pt: 'flow', to: 'payload.reference', tot: 'msg' }], x, y);

/** The msg.input an inject must carry for a run of steps (the data fields they read). */
function mergedInput(plan: Plan, steps: Step[], afterChain = false): Record<string, SampleValue> {
	const input: Record<string, SampleValue> = {};
	steps.forEach((s, i) => {
		for (const field of nodeFields(plan.provider, s.op)) {
			const source = fieldSource(plan, field, s, !afterChain && i === 0);
			if (source.kind === 'input') input[field.name] = source.value;
		}
	});
	return input;
}

/** `examples/<slug>/00 - Full chain.json`: inject 1 sends, the reference waits in flow context, inject 2 verifies. */
function chainExample(provider: ProviderSpec, sandboxUrl: string): FlowNode[] {
	const plan = planOf(provider);
	const b = new FlowBuilder(`${provider.slug}/00-full-chain`);
	const key = contextKey(provider);
	const inbox = `${sandboxUrl}/_sandbox/`;
	const { send, verify } = plan.chain;
	const sendNames = send.map((s) => s.op.name).join(' → ');
	const verifyNames = verify.map((s) => s.op.name).join(' → ');

	// Titles on the canvas are short; what to do is in each comment's info (the sidebar).
	const about = b.add(
		'about',
		comment(
			`${provider.label} · Full chain`,
			[
				`**${provider.label}: ${sendNames} → ${verifyNames}**, the whole chain as you would build it in Node-RED.`,
				'',
				`1. Click the button of **1. send OTP**: ${sendNames}. The result's \`reference\` (every id the next step needs) is kept in flow context (\`flow.${key}\`): Node-RED may handle the next message much later, so nothing else is remembered.`,
				`2. Read the code in the sandbox inbox: ${inbox}`,
				`3. Open **2. verify (edit the OTP in this inject first)**, replace \`${OTP_PLACEHOLDER}\` in \`msg.otp\` with the code, click Done, deploy, click its button: ${verifyNames}.`,
				'',
				'Each node sends its result in `msg.payload` to the **success** (top) or **failure** (bottom) output; `msg.payload.status` says what happened (`otp_sent`, `verified`, `invalid_otp`, `expired`, ...).',
				'',
				accountNote(provider, sandboxUrl),
			].join('\n'),
			0,
			0,
		),
	);
	const inboxNote = b.add(
		'inbox',
		comment(
			'Sandbox inbox',
			`Open ${inbox} in your browser: each OTP the sandbox "delivered" appears there, newest first.\n\nAs JSON: ${sandboxUrl}/_sandbox/inbox/latest?provider=${provider.id}`,
			0,
			0,
		),
	);
	row([about, inboxNote], LEFT, TITLE_Y);

	// Row 1: inject → send steps → remember → "OTP sent"; "send failed" under "remember".
	const y1 = TITLE_Y + ROW;
	const sendInput = inputProp(mergedInput(plan, send));
	const inject1 = b.add('inject-send', inject('1. send OTP', sendInput ? [sendInput] : [], 0, 0));
	let prev = inject1;
	const failure1 = b.id('debug-send-failure');
	const sendNodes = send.map((s, i) => {
		const added = b.add(`send-${i}-${s.op.id}`, operationNode(plan, s, i === 0, 0, 0).node);
		b.wire(prev, added, 0);
		added.wires![1] = [failure1];
		prev = added;
		return added;
	});
	const kept = b.add('remember', remember(key, 0, 0));
	b.wire(prev, kept, 0);
	const sent = b.add('debug-sent', debug('OTP sent', 0, 0));
	b.wire(kept, sent, 0);
	row([inject1, ...sendNodes, kept, sent], LEFT, y1);
	placeAt(b.add('debug-send-failure', debug('send failed', 0, 0)), leftOf(kept), y1 + ROW);

	// Row 2: inject → restore → verify steps → "success"; "failure" under "success".
	const y2 = y1 + 2 * ROW;
	const verifyInput = inputProp(mergedInput(plan, verify, true));
	const props: InjectProp[] = [{ p: 'otp', v: OTP_PLACEHOLDER, vt: 'str' }, ...(verifyInput ? [verifyInput] : [])];
	const inject2 = b.add('inject-verify', inject('2. verify (edit the OTP in this inject first)', props, 0, 0));
	const restore = b.add('restore', change('restore reference', [{ t: 'set', p: 'payload.reference', pt: 'msg', to: key, tot: 'flow' }], 0, 0));
	b.wire(inject2, restore, 0);
	prev = restore;
	const failure2 = b.id('debug-verify-failure');
	const verifyNodes = verify.map((s, i) => {
		const added = b.add(`verify-${i}-${s.op.id}`, operationNode(plan, s, false, 0, 0).node);
		b.wire(prev, added, 0);
		added.wires![1] = [failure2];
		prev = added;
		return added;
	});
	const success = b.add('debug-verify-success', debug('success', 0, 0));
	b.wire(prev, success, 0);
	row([inject2, restore, ...verifyNodes, success], LEFT, y2);
	placeAt(b.add('debug-verify-failure', debug('failure', 0, 0)), leftOf(success), y2 + ROW);
	return [...b.nodes, configNode(provider, sandboxUrl)];
}

/** The key its node ids derive from (stable across renames of the file). */
const exampleName = (op: OperationSpec, index: number) => `${String(index + 1).padStart(2, '0')}-${kebab(op.id)}`;

/**
 * The file name Node-RED's Import › Examples menu shows, in words and in order, as Node-RED's own examples are named
 * ("01 - Register Customer").
 */
export const CHAIN_TITLE = '00 - Full chain';
export const exampleTitle = (op: OperationSpec, index: number) => `${String(index + 1).padStart(2, '0')} - ${op.name}`;

const opLink = (op: { name: string; id: string }) => `${op.name} (\`${op.id}\`)`;

/** `examples/<slug>/<NN>-<operation>.json`: one palette node with sample input and both outputs shown. */
function operationExample(provider: ProviderSpec, op: OperationSpec, index: number, sandboxUrl: string): FlowNode[] {
	const plan = planOf(provider);
	const samples = operationSamples(provider, op);
	const b = new FlowBuilder(`${provider.slug}/${exampleName(op, index)}`);
	const key = contextKey(provider);
	// Only chained fields that apply with the example's options (Generate Token's Authorized Token is for a Second Factor only).
	const values: Record<string, unknown> = Object.fromEntries(op.fields.filter((f) => f.default !== undefined).map((f) => [f.name, f.default]));
	Object.assign(values, plan.options, samples.options ?? {});
	const chained = op.fields.some((f) => f.fromPrevious && conditionHolds(f.showWhen, values));
	// Chained fields stay at their defaults (msg.payload.reference.*): the inject supplies that reference.
	const { node, input, needsOtp } = operationNode(plan, step(op, samples), false, 0, 0);

	const lines = [`**${provider.label} → ${op.name}**: ${op.description}.`, ''];
	const props: InjectProp[] = [];
	const inputP = inputProp(input);
	if (inputP) {
		props.push(inputP);
		lines.push(
			`The inject sends sample data in \`msg.input\`; the node's fields read it (\`msg.input.<field>\`). Set them to fixed values, \`msg\`, flow/global context, env or JSONata in your own flows.`,
		);
	}
	if (needsOtp) {
		props.push({ p: 'otp', v: OTP_PLACEHOLDER, vt: 'str' });
		lines.push(`The code is read from \`msg.otp\`: edit it in the inject (the sandbox inbox ${sandboxUrl}/_sandbox/ shows the code that was sent).`);
	}
	if (chained) {
		const reference: Record<string, FieldValue> = sampleReference(plan, op, samples.reference);
		props.push({ p: 'payload', v: JSON.stringify({ reference }, null, 2), vt: 'json' });
		lines.push(
			`Fields marked from the previous step read \`msg.payload.reference\`, which the previous ${provider.label} node puts there, so in a flow you just wire that node's success output here.`,
			`The inject holds a sample reference; **use reference from the previous step** replaces it with the one the last successful example on this tab kept in \`flow.${key}\` (run the earlier examples or the full chain first), so clicking through the examples in order works against the sandbox.`,
		);
	}
	if (samples.note) lines.push('', samples.note);
	if (op.next) lines.push('', `Next step: ${opLink(provider.operations.find((o) => o.id === op.next) ?? { name: op.next, id: op.next })}.`);
	lines.push(
		'',
		'Results arrive in `msg.payload` on the **success** (top) or **failure** (bottom) output, with `msg.payload.status` to branch on.',
		'',
		accountNote(provider, sandboxUrl),
	);

	placeAt(b.add('about', comment(`${provider.label} · ${op.name}`, lines.join('\n'), 0, 0)), LEFT, TITLE_Y);
	// inject → (restore) → operation → remember → "success"; "failure" under "remember".
	const y = TITLE_Y + ROW;
	const first = b.add('inject', inject('sample input', props, 0, 0));
	let prev = first;
	const chain: FlowNode[] = [first];
	if (chained) {
		const expr = `$flowContext("${key}") ? $flowContext("${key}") : payload.reference`;
		const restore = b.add(
			'restore',
			change('use reference from the previous step', [{ t: 'set', p: 'payload.reference', pt: 'msg', to: expr, tot: 'jsonata' }], 0, 0),
		);
		b.wire(prev, restore, 0);
		prev = restore;
		chain.push(restore);
	}
	const opNode = b.add('operation', { ...node, wires: [[], []] });
	b.wire(prev, opNode, 0);
	const kept = b.add('remember', remember(key, 0, 0));
	b.wire(opNode, kept, 0);
	const success = b.add('debug-success', debug('success', 0, 0));
	b.wire(kept, success, 0);
	row([...chain, opNode, kept, success], LEFT, y);
	const failure = b.add('debug-failure', debug('failure', 0, 0));
	b.wire(opNode, failure, 1);
	placeAt(failure, leftOf(kept), y + ROW);
	return [...b.nodes, configNode(provider, sandboxUrl)];
}

/** Every Node-RED example, chain first, then the operations in order. */
export function nodeRedExamples(sandboxUrl = DEFAULT_SANDBOX_URL): NodeRedExample[] {
	const out: NodeRedExample[] = [];
	for (const provider of PROVIDERS) {
		out.push({ provider, name: CHAIN_TITLE, file: `examples/${provider.slug}/${CHAIN_TITLE}.json`, flow: chainExample(provider, sandboxUrl) });
		provider.operations.forEach((op, i) => {
			const name = exampleTitle(op, i);
			out.push({ provider, op, name, file: `examples/${provider.slug}/${name}.json`, flow: operationExample(provider, op, i, sandboxUrl) });
		});
	}
	return out;
}

/**
 * What `npm start` deploys: one tab per provider holding its chain and every operation example stacked,
 * the config nodes shared (one per provider, global), plus flows_cred.json content with the sandbox secrets.
 */
export function seedFlows(sandboxUrl = DEFAULT_SANDBOX_URL): { flows: FlowNode[]; credentials: Record<string, Record<string, string>> } {
	const flows: FlowNode[] = [];
	const configs: FlowNode[] = [];
	const credentials: Record<string, Record<string, string>> = {};
	const seen = new Set<string>();
	const examples = nodeRedExamples(sandboxUrl);
	for (const provider of PROVIDERS) {
		const info = `OTP Flow examples for ${provider.label}, against the sandbox at ${sandboxUrl}.`;
		const tab: FlowNode = { id: hashId('tab', provider.slug), type: 'tab', label: provider.label, disabled: false, info };
		flows.push(tab);
		seen.add(tab.id);
		let offset = 0;
		for (const example of examples.filter((e) => e.provider === provider)) {
			const rename = new Map<string, string>();
			// The account node is shared by the tabs, not copied per example.
			const own = example.flow.filter((n) => n.id !== configNodeId(provider));
			for (const n of own) {
				let id = n.id;
				for (let i = 1; seen.has(id); i++) id = hashId('dedupe', n.id, String(i));
				seen.add(id);
				rename.set(n.id, id);
			}
			let maxY = 0;
			for (const n of own) {
				const copy = JSON.parse(JSON.stringify(n)) as FlowNode;
				copy.id = rename.get(n.id)!;
				copy.z = tab.id;
				copy.y = n.y! + offset;
				if (Array.isArray(copy.wires)) copy.wires = copy.wires.map((port) => port.map((id) => rename.get(id) ?? id));
				maxY = Math.max(maxY, n.y!);
				flows.push(copy);
			}
			offset += maxY + 100;
		}
		const config = configNode(provider, sandboxUrl);
		configs.push(config);
		const creds = configCredentials(provider, sandboxUrl);
		if (Object.keys(creds).length > 0) credentials[config.id] = creds;
	}
	return { flows: [...flows, ...configs], credentials };
}
