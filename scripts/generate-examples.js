#!/usr/bin/env node
/**
 * Generates the shipped examples from the compiled provider descriptions (run `npx gulp build` first):
 *
 *   examples/<slug>/00-full-chain.json       Node-RED: the whole send → verify chain of a provider
 *   examples/<slug>/<NN>-<operation>.json    Node-RED: one example per palette node
 *   templates/n8n/<slug>-<operation>.json    n8n: one workflow per operation (with the steps it needs first)
 *   templates/n8n/<slug>-chain.json          n8n: the whole chain, the OTP read from the sandbox inbox
 *   templates/n8n/credentials.sandbox.json   n8n: `n8n import:credentials --input` file for the sandbox accounts
 *
 * Output is deterministic (ids derived from names, stable order, 2-space JSON, trailing newline), and
 * test/examples checks the committed files equal what this script produces.
 *
 *   node scripts/generate-examples.js [--sandbox-url http://127.0.0.1:4010] [--check]
 *
 * The functions are exported for the tests and for scripts/start.js (which seeds Node-RED with them).
 */
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const DEFAULT_SANDBOX_URL = 'http://127.0.0.1:4010';
/** Node types of Node-RED's core that the examples use. */
const CORE_TYPES = ['tab', 'inject', 'debug', 'change', 'comment', 'link in', 'link out', 'function', 'catch'];

// ---------------------------------------------------------------------------------------------------
// The compiled package
// ---------------------------------------------------------------------------------------------------

/** Everything the generator reads from dist/ (compiled by `npx gulp build`). */
function loadModel(root = ROOT) {
	const dist = path.join(root, 'dist');
	if (!fs.existsSync(path.join(dist, 'nodes', 'providers', 'index.js'))) {
		throw new Error(`No compiled package in ${dist}: run \`npx gulp build\` first.`);
	}
	const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
	const { PROVIDERS } = require(path.join(dist, 'nodes', 'providers'));
	const core = require(path.join(dist, 'nodes', 'core'));
	const names = require(path.join(dist, 'node-red', 'names'));
	const properties = require(path.join(dist, 'node-red', 'properties'));
	const sandbox = require(path.join(dist, 'sandbox'));
	// n8n node type names: `<package name>.<description.name>`, found through the package's n8n section.
	const n8nNodes = {};
	for (const file of (pkg.n8n && pkg.n8n.nodes) || []) {
		const mod = require(path.join(root, file));
		for (const Cls of Object.values(mod)) {
			if (typeof Cls !== 'function') continue;
			const description = new Cls().description;
			for (const cred of description.credentials || []) n8nNodes[cred.name] = description;
		}
	}
	return { pkg, providers: PROVIDERS, core, names, properties, sandbox, n8nNodes };
}

// ---------------------------------------------------------------------------------------------------
// Sample data: what each provider's sandbox accepts, and how its operations chain
// ---------------------------------------------------------------------------------------------------

/** A value that must differ on every run (the sandbox rejects a reused order id or transaction reference). */
function unique(prefix) {
	return {
		unique: true,
		prefix,
		sample: `${prefix}1767225600000`,
		nodeRed: `"${prefix}" & $string($millis())`,
		n8n: `=${prefix}{{ $now.toMillis() }}`,
	};
}

/** The OTP typed into the verify inject before the real code is known. */
const OTP_PLACEHOLDER = '123456';

/**
 * Per provider:
 *   input     sample values of the data fields (everything not chained from a previous step and not an option)
 *   options   the values of option fields (flavour, otpType, ...)
 *   inboxTo   the input field whose value the sandbox inbox files the OTP under
 *   chain     the full chain: `send` steps run from inject "1. send OTP", `verify` steps from inject "2. verify"
 *   paths     n8n templates: the steps an operation needs before it (default: the operation alone)
 *   examples  per-operation overrides for the Node-RED example and the n8n template
 * A step is an operation id, or { op, options, input } with overrides for that step.
 * Operations missing here still get examples, filled from the fields' placeholders and defaults.
 */
function plans(model) {
	const aadhaar = (first11) => `${first11}${model.core.verhoeffCheckDigit(first11)}`;
	const cibil = {
		input: {
			order_id: unique('ORD-'),
			first_name: 'Asha',
			last_name: 'Verma',
			pancard: 'ABCDE1234F',
			date_of_birth: '1990-04-23',
			email_id: 'asha@example.com',
			mobile_number: '9413812345',
			cibil_id: '102277100',
		},
		inboxTo: 'mobile_number',
		chain: { send: ['registerCustomer', 'generateOtp'], verify: ['submitOtp', 'getCreditHistory'] },
		paths: {
			generateOtp: { send: ['registerCustomer', 'generateOtp'] },
			submitOtp: { send: ['registerCustomer', 'generateOtp'], verify: ['submitOtp'] },
		},
	};
	return {
		bos: cibil,
		aopay: cibil,
		iserveu: {
			input: {
				mobileNumber: '9876543210',
				customerMobileNumber: '9876543210',
				username: 'sandbox_agent',
				ovdData: aadhaar('23456789012'),
				customerName: 'Asha Verma',
				address: '12 MG Road, Bengaluru',
				pincode: '560001',
				externalRefNumber: unique('TXN'),
				requestedAmount: '1001',
			},
			options: { otpType: '1' },
			inboxTo: 'customerMobileNumber',
			chain: { send: ['getCustomer', 'sendOtp'], verify: ['registerCustomer'] },
			paths: {
				// A type-1 OTP may be resent only every 30 s per mobile number: each workflow uses its own number.
				registerCustomer: {
					send: [{ op: 'sendOtp', input: { customerMobileNumber: '9876543211' } }],
					verify: ['registerCustomer'],
				},
				verifyBeneficiary: {
					send: [{ op: 'sendOtp', options: { otpType: '2' }, input: { customerMobileNumber: '9876543212' } }],
					verify: ['verifyBeneficiary'],
				},
			},
			examples: {
				// Type 2 (transaction): a fresh reference each run, no resend wait; pairs with Verify Beneficiary.
				sendOtp: {
					options: { otpType: '2' },
					input: { customerMobileNumber: '9876543212' },
					note: 'This example sends a transaction OTP (type 2, a fresh external reference each click); 04-verify-beneficiary consumes it. A registration OTP (type 1) needs the Aadhaar number and may be resent only every 30 s: see 00-full-chain.',
				},
				registerCustomer: { note: 'Registration consumes a type-1 OTP: click **1. send OTP** in 00-full-chain first, then put the code from the inbox into this inject.' },
				verifyBeneficiary: {
					reference: { customerMobileNumber: '9876543212' },
					note: 'Beneficiary verification consumes a type-2 OTP sent with the same external reference: click 02-send-otp first, then put the code from the inbox into this inject.',
				},
			},
		},
		summitai: {
			input: { DomainId: '1', UserID: '967', LoginUID: '967', UserName: 'abcd' },
			inboxTo: 'UserName',
			chain: { send: ['generateOtp'], verify: ['validateOtp'] },
		},
		capillary: {
			input: { identifierValue: '919999999993', deviceId: 'device-42' },
			options: { flavour: 'mobile', identifierType: 'MOBILE' },
			inboxTo: 'identifierValue',
			chain: { send: ['generateToken', 'generateOtp'], verify: ['validateOtp'] },
			paths: { generateOtp: { send: ['generateToken', 'generateOtp'] } },
		},
	};
}

function planOf(model, provider) {
	const plan = plans(model)[provider.id] || {};
	const first = provider.operations[0].id;
	const last = provider.operations[provider.operations.length - 1].id;
	return {
		input: plan.input || {},
		options: plan.options || {},
		inboxTo: plan.inboxTo,
		chain: plan.chain || { send: [first], verify: first === last ? [] : [last] },
		paths: plan.paths || {},
		examples: plan.examples || {},
	};
}

function step(s) {
	return typeof s === 'string' ? { op: s, options: {}, input: {} } : { options: {}, input: {}, ...s };
}

/** The OTP the user types: the field a verify step reads the code from. */
function isOtpField(field) {
	return field.fromMessage === 'otp';
}

function sampleText(value) {
	return value && typeof value === 'object' && value.unique ? value.sample : value;
}

/** The sample reference an example's inject supplies: every reference key the operation's chained fields read. */
function sampleReference(op, plan, overrides = {}) {
	const reference = {};
	for (const field of op.fields) {
		if (!field.fromPrevious || !field.fromPrevious.startsWith('reference.')) continue;
		const key = field.fromPrevious.slice('reference.'.length);
		const fromInput = plan.input[field.name] !== undefined ? sampleText(plan.input[field.name]) : undefined;
		const option = plan.options[field.name];
		reference[key] = overrides[key] ?? fromInput ?? option ?? field.placeholder ?? field.default ?? `sample-${key}`;
	}
	return reference;
}

/**
 * How one field of one step gets its value, runtime-neutral: 'static' (an option), 'chained' (from the previous
 * step's reference), 'sample' (a stand-in reference value where no previous step exists), 'otp' (the code the
 * user types), 'input' (sample data) or 'default' (left as the node's default).
 */
function fieldSource(model, provider, op, field, plan, s, firstOfPart) {
	const options = { ...plan.options, ...s.options };
	if (field.fromPrevious && !firstOfPart) return { kind: 'chained' };
	if (field.type === 'options' && options[field.name] !== undefined) return { kind: 'static', value: options[field.name] };
	if (field.fromPrevious) {
		// A step's own sample data wins (each example uses its own customer), else the stand-in reference.
		const own = s.input && s.input[field.name];
		if (own !== undefined) return { kind: 'input', value: own };
		const key = field.fromPrevious.replace(/^reference\./, '');
		return { kind: 'sample', value: sampleReference(op, plan)[key] ?? '' };
	}
	if (isOtpField(field)) return { kind: 'otp' };
	const input = { ...plan.input, ...s.input };
	if (input[field.name] === undefined || !conditionHolds(model, field.showWhen, options)) return { kind: 'default' };
	if (field.requiredWhen && !field.required && !conditionHolds(model, field.requiredWhen, options)) return { kind: 'default' };
	return { kind: 'input', value: input[field.name] };
}

function conditionHolds(model, condition, values) {
	return model.core.conditionHolds(condition, values);
}

// ---------------------------------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------------------------------

/** The sandbox account of a provider, as credential field values (only the fields that apply). */
function sandboxAccount(model, provider, sandboxUrl) {
	const account = model.sandbox.SANDBOX_ACCOUNTS[provider.id] || {};
	const baseUrls = model.sandbox.providerBaseUrls(sandboxUrl);
	const values = {};
	for (const field of provider.credential.fields) {
		let value = field.name === 'baseUrl' ? baseUrls[provider.id] : account[field.name];
		if (value === undefined) value = field.default;
		if (value !== undefined && typeof value !== 'object') values[field.name] = String(value);
	}
	for (const field of provider.credential.fields) {
		if (!model.core.conditionHolds(field.showWhen, values)) delete values[field.name];
	}
	return values;
}

function secretFields(provider) {
	return provider.credential.fields.filter((f) => f.type === 'password');
}

/** "client secret `sandbox-client-secret`" for the comments; empty when the provider has no secret. */
function secretHint(model, provider, sandboxUrl) {
	const values = sandboxAccount(model, provider, sandboxUrl);
	return secretFields(provider)
		.filter((f) => values[f.name] !== undefined)
		.map((f) => `${f.label} \`${values[f.name]}\``);
}

function accountLabel(provider) {
	return `${provider.label} sandbox`;
}

// ---------------------------------------------------------------------------------------------------
// Node-RED examples
// ---------------------------------------------------------------------------------------------------

function hashId(...parts) {
	return crypto.createHash('sha256').update(['otpflow', ...parts].join('/')).digest('hex').slice(0, 16);
}

function configNodeId(provider) {
	return hashId('config', provider.slug);
}

function contextKey(provider) {
	return `${provider.slug}Reference`;
}

const X0 = 120;
const DX = 220;

class FlowBuilder {
	constructor(scope) {
		this.scope = scope;
		this.nodes = [];
	}

	id(key) {
		return hashId('node', this.scope, key);
	}

	add(key, node) {
		const full = { id: this.id(key), ...node };
		this.nodes.push(full);
		return full;
	}

	wire(from, to, port = 0) {
		while (from.wires.length <= port) from.wires.push([]);
		if (!from.wires[port].includes(to.id)) from.wires[port].push(to.id);
	}
}

function comment(name, info, x, y) {
	return { type: 'comment', name, info, x, y, wires: [] };
}

function debug(name, x, y, extra = {}) {
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
		...extra,
	};
}

function change(name, rules, x, y) {
	return { type: 'change', name, rules, action: '', property: '', from: '', to: '', reg: false, x, y, wires: [[]] };
}

/** An inject node as the editor saves it: msg properties in `props`, the payload's value in payload/payloadType. */
function inject(name, props, x, y) {
	const node = { type: 'inject', name, props: [], repeat: '', crontab: '', once: false, onceDelay: 0.1, topic: '', x, y, wires: [[]] };
	let payload = { v: '', vt: 'date' };
	let hasPayload = false;
	for (const p of props) {
		if (p.p === 'payload') {
			payload = p;
			hasPayload = true;
			node.props.push({ p: 'payload' });
		} else node.props.push({ p: p.p, v: p.v, vt: p.vt });
	}
	if (!hasPayload && node.props.length === 0) node.props.push({ p: 'payload' });
	node.payload = payload.v;
	node.payloadType = payload.vt;
	return node;
}

/** msg.input as an inject property: JSON, or JSONata when a value must be fresh on every click. */
function inputProp(values) {
	const entries = Object.entries(values);
	if (entries.length === 0) return undefined;
	if (entries.some(([, v]) => v && typeof v === 'object' && v.unique)) {
		const body = entries.map(([k, v]) => `  ${JSON.stringify(k)}: ${v && typeof v === 'object' && v.unique ? v.nodeRed : JSON.stringify(v)}`);
		return { p: 'input', v: `{\n${body.join(',\n')}\n}`, vt: 'jsonata' };
	}
	return { p: 'input', v: JSON.stringify(values, null, 2), vt: 'json' };
}

/** The palette node of one step, its typed inputs set the way the example feeds it. */
function operationNode(model, provider, op, plan, s, firstOfPart, x, y) {
	const { nodeFields, propertyDefault, typeProperty, OPTION_TYPE } = model.properties;
	const node = { type: model.names.operationType(provider, op), name: op.name, config: configNodeId(provider) };
	const input = {};
	for (const field of nodeFields(provider, op)) {
		const source = fieldSource(model, provider, op, field, plan, s, firstOfPart);
		let value;
		let type;
		switch (source.kind) {
			case 'static':
			case 'sample':
				value = String(source.value);
				type = field.type === 'options' ? OPTION_TYPE : model.properties.staticType(field);
				break;
			case 'otp':
				value = 'otp';
				type = 'msg';
				break;
			case 'input':
				value = `input.${field.name}`;
				type = 'msg';
				input[field.name] = source.value;
				break;
			case 'chained': {
				const d = propertyDefault(field);
				value = d.value;
				type = d.type;
				break;
			}
			default: {
				const d = propertyDefault(field);
				value = d.value;
				type = d.type;
			}
		}
		node[field.name] = value;
		node[typeProperty(field.name)] = type;
	}
	node.includeRaw = false;
	node.timeout = model.names.DEFAULT_TIMEOUT_SECONDS;
	Object.assign(node, { x, y, wires: [[], []] });
	return { node, input, needsOtp: op.fields.some(isOtpField) };
}

function configNode(model, provider, sandboxUrl) {
	const values = sandboxAccount(model, provider, sandboxUrl);
	const node = { id: configNodeId(provider), type: model.names.configType(provider), name: accountLabel(provider) };
	for (const field of provider.credential.fields) {
		if (field.type === 'password') continue;
		node[field.name] = values[field.name] ?? '';
	}
	return node;
}

/** The credentials Node-RED keeps for the config node (flows_cred.json); never part of an example file. */
function configCredentials(model, provider, sandboxUrl) {
	const values = sandboxAccount(model, provider, sandboxUrl);
	const creds = {};
	for (const field of secretFields(provider)) if (values[field.name] !== undefined) creds[field.name] = values[field.name];
	return creds;
}

function accountNote(model, provider, sandboxUrl) {
	const secrets = secretHint(model, provider, sandboxUrl);
	const base = `The account node **${accountLabel(provider)}** points at the local sandbox (\`npm start\` runs it; \`npm run sandbox\` runs the sandbox alone).`;
	if (secrets.length === 0) return `${base} This provider needs no secret.`;
	return `${base} Example flows cannot carry secrets: open the account node and enter the sandbox's ${secrets.join(', ')} (\`npm start\` fills it in for you).`;
}

function opLink(op) {
	return `${op.name} (\`${op.id}\`)`;
}

/** `examples/<slug>/00-full-chain.json`: inject 1 sends, the reference waits in flow context, inject 2 verifies. */
function chainExample(model, provider, sandboxUrl) {
	const plan = planOf(model, provider);
	const b = new FlowBuilder(`${provider.slug}/00-full-chain`);
	const key = contextKey(provider);
	const inbox = `${sandboxUrl}/_sandbox/`;
	const send = plan.chain.send.map(step);
	const verify = plan.chain.verify.map(step);
	const find = (s) => provider.operations.find((o) => o.id === s.op);
	const sendNames = send.map((s) => find(s).name).join(' → ');
	const verifyNames = verify.map((s) => find(s).name).join(' → ');

	b.add('about', comment(`${provider.label}: ${sendNames} → ${verifyNames}`, [
		`The whole ${provider.label} chain as you would build it in Node-RED.`,
		'',
		`1. Click the button of **1. send OTP**: ${sendNames}. The result's \`reference\` (every id the next step needs) is kept in flow context (\`flow.${key}\`): Node-RED may handle the next message much later, so nothing else is remembered.`,
		`2. Read the code in the sandbox inbox: ${inbox}`,
		`3. Open **2. verify (edit the OTP in this inject first)**, replace \`${OTP_PLACEHOLDER}\` in \`msg.otp\` with the code, click Done, deploy, click its button: ${verifyNames}.`,
		'',
		'Each node sends its result in `msg.payload` to the **success** (top) or **failure** (bottom) output; `msg.payload.status` says what happened (`otp_sent`, `verified`, `invalid_otp`, `expired`, ...).',
		'',
		accountNote(model, provider, sandboxUrl),
	].join('\n'), X0 + 80, 40));
	b.add('inbox', comment(`Sandbox inbox: ${inbox}`, `Open ${inbox} in your browser: each OTP the sandbox "delivered" appears there, newest first.\n\nAs JSON: ${sandboxUrl}/_sandbox/inbox/latest?provider=${provider.id}`, X0 + 3 * DX + 80, 40));

	// Row 1: send
	const y1 = 100;
	const inject1 = b.add('inject-send', inject('1. send OTP', [inputProp(mergedInput(model, provider, plan, send))].filter(Boolean), X0, y1));
	let prev = inject1;
	let x = X0 + DX;
	const failure1 = b.id('debug-send-failure');
	send.forEach((s, i) => {
		const { node } = operationNode(model, provider, find(s), plan, s, i === 0, x, y1);
		const added = b.add(`send-${i}-${s.op}`, node);
		b.wire(prev, added, 0);
		added.wires[1] = [failure1];
		prev = added;
		x += DX;
	});
	const remember = b.add('remember', change(`remember reference`, [{ t: 'set', p: key, pt: 'flow', to: 'payload.reference', tot: 'msg' }], x, y1));
	b.wire(prev, remember, 0);
	const sent = b.add('debug-sent', debug('OTP sent', x + DX, y1));
	b.wire(remember, sent, 0);
	b.add('debug-send-failure', debug('send failed', x, y1 + 60));

	// Row 2: verify
	const y2 = 220;
	const verifyInput = mergedInput(model, provider, plan, verify, true);
	const inject2 = b.add('inject-verify', inject('2. verify (edit the OTP in this inject first)', [
		{ p: 'otp', v: OTP_PLACEHOLDER, vt: 'str' },
		inputProp(verifyInput),
	].filter(Boolean), X0 + 80, y2));
	const restore = b.add('restore', change('restore reference', [{ t: 'set', p: 'payload.reference', pt: 'msg', to: key, tot: 'flow' }], X0 + 2 * DX, y2));
	b.wire(inject2, restore, 0);
	prev = restore;
	x = X0 + 3 * DX;
	const failure2 = b.id('debug-verify-failure');
	verify.forEach((s, i) => {
		const { node } = operationNode(model, provider, find(s), plan, s, false, x, y2);
		const added = b.add(`verify-${i}-${s.op}`, node);
		b.wire(prev, added, 0);
		added.wires[1] = [failure2];
		prev = added;
		x += DX;
	});
	const success = b.add('debug-verify-success', debug('success', x, y2));
	b.wire(prev, success, 0);
	b.add('debug-verify-failure', debug('failure', x, y2 + 60));
	return [...b.nodes, configNode(model, provider, sandboxUrl)];
}

/** The msg.input an inject must carry for a run of steps (the data fields they read). */
function mergedInput(model, provider, plan, steps, afterChain = false) {
	const input = {};
	steps.forEach((s, i) => {
		const op = provider.operations.find((o) => o.id === s.op);
		for (const field of model.properties.nodeFields(provider, op)) {
			const source = fieldSource(model, provider, op, field, plan, s, !afterChain && i === 0);
			if (source.kind === 'input') input[field.name] = source.value;
		}
	});
	return input;
}

/** `examples/<slug>/<NN>-<operation>.json`: one palette node with sample input and both outputs shown. */
function operationExample(model, provider, op, index, sandboxUrl) {
	const plan = planOf(model, provider);
	const override = plan.examples[op.id] || {};
	const s = step({ op: op.id, options: override.options || {}, input: override.input || {} });
	const name = exampleName(model, op, index);
	const b = new FlowBuilder(`${provider.slug}/${name}`);
	const key = contextKey(provider);
	const chained = op.fields.some((f) => f.fromPrevious);
	// Chained fields stay at their defaults (msg.payload.reference.*): the inject supplies that reference.
	const { node, input, needsOtp } = operationNode(model, provider, op, plan, s, false, 0, 0);

	const lines = [`**${provider.label} → ${op.name}**: ${op.description}.`, ''];
	const props = [];
	const inputP = inputProp(input);
	if (inputP) {
		props.push(inputP);
		lines.push(`The inject sends sample data in \`msg.input\`; the node's fields read it (\`msg.input.<field>\`). Set them to fixed values, \`msg\`, flow/global context, env or JSONata in your own flows.`);
	}
	if (needsOtp) {
		props.push({ p: 'otp', v: OTP_PLACEHOLDER, vt: 'str' });
		lines.push(`The code is read from \`msg.otp\`: edit it in the inject (the sandbox inbox ${sandboxUrl}/_sandbox/ shows the code that was sent).`);
	}
	if (chained) {
		const reference = sampleReference(op, plan, override.reference);
		props.push({ p: 'payload', v: JSON.stringify({ reference }, null, 2), vt: 'json' });
		lines.push(
			`Fields marked from the previous step read \`msg.payload.reference\`, which the previous ${provider.label} node puts there, so in a flow you just wire that node's success output here.`,
			`The inject holds a sample reference; **use reference from the previous step** replaces it with the one the last successful example on this tab kept in \`flow.${key}\` (run the earlier examples or 00-full-chain first), so clicking through the examples in order works against the sandbox.`,
		);
	}
	if (override.note) lines.push('', override.note);
	if (op.next) lines.push('', `Next step: ${opLink(provider.operations.find((o) => o.id === op.next) || { name: op.next, id: op.next })}.`);
	lines.push('', 'Results arrive in `msg.payload` on the **success** (top) or **failure** (bottom) output, with `msg.payload.status` to branch on.', '', accountNote(model, provider, sandboxUrl));

	b.add('about', comment(`${provider.label} ${op.name}`, lines.join('\n'), X0 + 80, 40));
	const y = 100;
	const trigger = b.add('inject', inject('sample input', props, X0, y));
	let x = X0 + DX;
	let prev = trigger;
	if (chained) {
		const expr = `$flowContext("${key}") ? $flowContext("${key}") : payload.reference`;
		const restore = b.add('restore', change('use reference from the previous step', [{ t: 'set', p: 'payload.reference', pt: 'msg', to: expr, tot: 'jsonata' }], x, y));
		b.wire(prev, restore, 0);
		prev = restore;
		x += DX;
	}
	const opNode = b.add('operation', { ...node, x, y, wires: [[], []] });
	b.wire(prev, opNode, 0);
	const remember = b.add('remember', change('remember reference', [{ t: 'set', p: key, pt: 'flow', to: 'payload.reference', tot: 'msg' }], x + DX, y));
	b.wire(opNode, remember, 0);
	const success = b.add('debug-success', debug('success', x + 2 * DX, y));
	b.wire(remember, success, 0);
	const failure = b.add('debug-failure', debug('failure', x + DX, y + 60));
	b.wire(opNode, failure, 1);
	return [...b.nodes, configNode(model, provider, sandboxUrl)];
}

function exampleName(model, op, index) {
	return `${String(index + 1).padStart(2, '0')}-${model.names.kebab(op.id)}`;
}

/** Every Node-RED example: [{ provider, name, file, flow }], chain first, then the operations in order. */
function nodeRedExamples(model, sandboxUrl = DEFAULT_SANDBOX_URL) {
	const out = [];
	for (const provider of model.providers) {
		out.push({ provider, name: '00-full-chain', file: `examples/${provider.slug}/00-full-chain.json`, flow: chainExample(model, provider, sandboxUrl) });
		provider.operations.forEach((op, i) => {
			const name = exampleName(model, op, i);
			out.push({ provider, op, name, file: `examples/${provider.slug}/${name}.json`, flow: operationExample(model, provider, op, i, sandboxUrl) });
		});
	}
	return out;
}

/**
 * What `npm start` deploys: one tab per provider holding its chain and every operation example stacked,
 * the config nodes shared (one per provider, global), plus flows_cred.json content with the sandbox secrets.
 */
function seedFlows(model, sandboxUrl = DEFAULT_SANDBOX_URL) {
	const flows = [];
	const configs = [];
	const credentials = {};
	const seen = new Set();
	for (const provider of model.providers) {
		const tab = { id: hashId('tab', provider.slug), type: 'tab', label: provider.label, disabled: false, info: `OTP Flow examples for ${provider.label}, against the sandbox at ${sandboxUrl}.` };
		flows.push(tab);
		seen.add(tab.id);
		let offset = 0;
		for (const example of nodeRedExamples(model, sandboxUrl).filter((e) => e.provider === provider)) {
			const rename = new Map();
			const own = example.flow.filter((n) => !String(n.type).startsWith('otpflow-'));
			for (const n of own) {
				let id = n.id;
				for (let i = 1; seen.has(id); i++) id = hashId('dedupe', n.id, String(i));
				seen.add(id);
				rename.set(n.id, id);
			}
			let maxY = 0;
			for (const n of own) {
				const copy = JSON.parse(JSON.stringify(n));
				copy.id = rename.get(n.id);
				copy.z = tab.id;
				copy.y = n.y + offset;
				if (Array.isArray(copy.wires)) copy.wires = copy.wires.map((port) => port.map((id) => rename.get(id) || id));
				if (n.type === 'comment' && n.y === 40 && n.x === X0 + 80) copy.name = `${example.name}: ${n.name}`;
				maxY = Math.max(maxY, n.y);
				flows.push(copy);
			}
			offset += maxY + 100;
		}
		const config = configNode(model, provider, sandboxUrl);
		configs.push(config);
		const creds = configCredentials(model, provider, sandboxUrl);
		if (Object.keys(creds).length > 0) credentials[config.id] = creds;
	}
	return { flows: [...flows, ...configs], credentials };
}

// ---------------------------------------------------------------------------------------------------
// n8n templates
// ---------------------------------------------------------------------------------------------------

function uuid(...parts) {
	const h = crypto.createHash('sha256').update(['otpflow-n8n', ...parts].join('/')).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function workflowId(...parts) {
	// n8n workflow ids are 16 alphanumeric characters.
	return crypto.createHash('sha256').update(['otpflow-n8n-workflow', ...parts].join('/')).digest('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 16);
}

function n8nNodeType(model, provider) {
	const description = model.n8nNodes[provider.credential.name];
	if (!description) throw new Error(`No n8n node uses the credential ${provider.credential.name}`);
	return { type: `${model.pkg.name}.${description.name}`, version: Array.isArray(description.version) ? Math.max(...description.version) : description.version };
}

function n8nCredentialRef(provider) {
	return { [provider.credential.name]: { id: `${provider.slug}-sandbox`, name: accountLabel(provider) } };
}

function n8nValue(field, value) {
	if (value && typeof value === 'object' && value.unique) return value.n8n;
	if (field.type === 'number') return Number(value);
	if (field.type === 'boolean') return value === true || value === 'true';
	return String(value);
}

/**
 * One workflow: Start → steps → (inbox) → steps, each provider node's Failure output to "Failure",
 * the last one's Success to "Success".
 */
function n8nWorkflow(model, provider, title, key, parts, sandboxUrl) {
	const plan = planOf(model, provider);
	const { type, version } = n8nNodeType(model, provider);
	const nodes = [];
	const connections = {};
	const connect = (from, to, output = 0) => {
		const c = (connections[from] = connections[from] || { main: [] });
		while (c.main.length <= output) c.main.push([]);
		c.main[output].push({ node: to, type: 'main', index: 0 });
	};
	const y = 300;
	let x = 0;
	const start = { parameters: {}, id: uuid(key, 'start'), name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [x, y] };
	nodes.push(start);
	let prev = start.name;
	let lastProvider;
	let afterInbox = false;
	const find = (s) => provider.operations.find((o) => o.id === s.op);
	const all = [...parts.send.map((s) => ({ ...step(s), part: 'send' })), ...(parts.verify || []).map((s) => ({ ...step(s), part: 'verify' }))];
	const inboxTo = (() => {
		const first = all.find((s) => s.part === 'send') || all[0];
		const input = { ...plan.input, ...(first ? first.input : {}) };
		return plan.inboxTo ? sampleText(input[plan.inboxTo]) : undefined;
	})();

	all.forEach((s, i) => {
		if (s.part === 'verify' && all[i - 1] && all[i - 1].part === 'send') {
			x += 240;
			const query = new URLSearchParams({ provider: provider.id, ...(inboxTo ? { to: inboxTo } : {}) });
			const inbox = {
				parameters: { url: `${sandboxUrl}/_sandbox/inbox/latest?${query}`, options: {} },
				id: uuid(key, 'inbox'),
				name: 'Read OTP from Sandbox Inbox',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [x, y],
				notes: `The sandbox's inbox holds what the customer would have received. With a real provider, collect the code from the user instead (a Form or Wait node).`,
			};
			nodes.push(inbox);
			connect(prev, inbox.name, 0);
			prev = inbox.name;
			afterInbox = true;
		}
		const op = find(s);
		const parameters = { operation: op.id };
		for (const field of [...op.fields, ...(provider.options || [])]) {
			if (field.advanced) continue;
			const source = fieldSource(model, provider, op, field, plan, s, i === 0);
			switch (source.kind) {
				case 'static':
				case 'sample':
				case 'input':
					parameters[field.name] = n8nValue(field, source.value);
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
		const node = { parameters, id: uuid(key, `step-${i}`, s.op), name: op.name, type, typeVersion: version, position: [x, y], credentials: n8nCredentialRef(provider) };
		nodes.push(node);
		connect(prev, node.name, 0);
		connect(node.name, 'Failure', 1);
		prev = node.name;
		lastProvider = node.name;
	});
	x += 240;
	nodes.push({ parameters: {}, id: uuid(key, 'success'), name: 'Success', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [x, y - 100] });
	nodes.push({ parameters: {}, id: uuid(key, 'failure'), name: 'Failure', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [x, y + 100] });
	connect(prev, 'Success', 0);
	// Failure outputs must sit at index 1 even when a step's Success output is unused.
	for (const c of Object.values(connections)) for (let i = 0; i < c.main.length; i++) c.main[i] = c.main[i] || [];
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

/** Every n8n template: [{ provider, op?, file, workflow }]. */
function n8nTemplates(model, sandboxUrl = DEFAULT_SANDBOX_URL) {
	const out = [];
	for (const provider of model.providers) {
		const plan = planOf(model, provider);
		const chainKey = `${provider.slug}-chain`;
		const chain = plan.chain;
		const names = [...chain.send, ...chain.verify].map((s) => provider.operations.find((o) => o.id === step(s).op).name);
		out.push({ provider, file: `templates/n8n/${chainKey}.json`, workflow: n8nWorkflow(model, provider, `OTP Flow: ${provider.label} chain (${names.join(' → ')})`, chainKey, chain, sandboxUrl) });
		for (const op of provider.operations) {
			const key = `${provider.slug}-${model.names.kebab(op.id)}`;
			const last = [...chain.send, ...chain.verify].map(step).pop();
			let parts = plan.paths[op.id];
			if (!parts && last && last.op === op.id) parts = chain;
			if (!parts) {
				const override = plan.examples[op.id] || {};
				parts = { send: [{ op: op.id, options: override.options || {}, input: override.input || {} }] };
			}
			out.push({ provider, op, file: `templates/n8n/${key}.json`, workflow: n8nWorkflow(model, provider, `OTP Flow: ${provider.label} ${op.name}`, key, parts, sandboxUrl) });
		}
	}
	return out;
}

/** `n8n import:credentials --input=…` content: one sandbox credential per provider (plain data; n8n encrypts it). */
function n8nCredentials(model, sandboxUrl = DEFAULT_SANDBOX_URL) {
	return model.providers.map((provider) => ({
		id: `${provider.slug}-sandbox`,
		name: accountLabel(provider),
		type: provider.credential.name,
		data: sandboxAccount(model, provider, sandboxUrl),
	}));
}

// ---------------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------------

function serialize(value) {
	return `${JSON.stringify(value, null, 2)}\n`;
}

/** Every generated file: Map of path relative to the package root → content. */
function generateAll(model = loadModel(), sandboxUrl = DEFAULT_SANDBOX_URL) {
	const files = new Map();
	for (const e of nodeRedExamples(model, sandboxUrl)) files.set(e.file, serialize(e.flow));
	for (const t of n8nTemplates(model, sandboxUrl)) files.set(t.file, serialize(t.workflow));
	files.set('templates/n8n/credentials.sandbox.json', serialize(n8nCredentials(model, sandboxUrl)));
	return new Map([...files.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** Folders of journey flows and workflows: written and checked by journeys/generate.ts (`npm run journeys`), not here. */
const JOURNEY_DIRS = ['examples/journeys', 'templates/n8n/journeys'];

/** The generated files already on disk under the generator's folders (to find stale ones). */
function existingFiles(root = ROOT) {
	const out = [];
	const walk = (rel) => {
		const abs = path.join(root, rel);
		if (!fs.existsSync(abs)) return;
		for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
			const child = path.posix.join(rel, entry.name);
			if (entry.isDirectory() && JOURNEY_DIRS.includes(child)) continue;
			if (entry.isDirectory()) walk(child);
			else if (entry.name.endsWith('.json')) out.push(child);
		}
	};
	walk('examples');
	walk('templates/n8n');
	return out.sort();
}

/** Differences between disk and generator: { missing, changed, stale } (paths). */
function compare(root = ROOT, files = generateAll(loadModel(root))) {
	const onDisk = existingFiles(root);
	const missing = [];
	const changed = [];
	for (const [rel, content] of files) {
		const abs = path.join(root, rel);
		if (!fs.existsSync(abs)) missing.push(rel);
		else if (fs.readFileSync(abs, 'utf8') !== content) changed.push(rel);
	}
	const stale = onDisk.filter((rel) => !files.has(rel));
	return { missing, changed, stale };
}

function writeAll(root = ROOT, files = generateAll(loadModel(root))) {
	for (const rel of existingFiles(root)) if (!files.has(rel)) fs.rmSync(path.join(root, rel));
	for (const [rel, content] of files) {
		const abs = path.join(root, rel);
		fs.mkdirSync(path.dirname(abs), { recursive: true });
		if (!fs.existsSync(abs) || fs.readFileSync(abs, 'utf8') !== content) fs.writeFileSync(abs, content);
	}
	// Folders emptied by a removed provider.
	for (const dir of ['examples']) {
		const abs = path.join(root, dir);
		if (!fs.existsSync(abs)) continue;
		for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
			const sub = path.join(abs, entry.name);
			if (entry.isDirectory() && fs.readdirSync(sub).length === 0) fs.rmdirSync(sub);
		}
	}
	return files;
}

function main(argv) {
	let sandboxUrl = DEFAULT_SANDBOX_URL;
	let check = false;
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		if (flag === '--sandbox-url') sandboxUrl = (inline ?? argv[++i]).replace(/\/+$/, '');
		else if (flag === '--check') check = true;
		else if (flag === '--help' || flag === '-h') {
			process.stdout.write('Usage: node scripts/generate-examples.js [--sandbox-url http://127.0.0.1:4010] [--check]\n');
			return 0;
		} else {
			process.stderr.write(`Unknown argument: ${argv[i]}\n`);
			return 2;
		}
	}
	const model = loadModel(ROOT);
	const files = generateAll(model, sandboxUrl);
	if (check) {
		const diff = compare(ROOT, files);
		const problems = [...diff.missing.map((f) => `missing  ${f}`), ...diff.changed.map((f) => `changed  ${f}`), ...diff.stale.map((f) => `stale    ${f}`)];
		if (problems.length > 0) {
			process.stderr.write(`${problems.join('\n')}\nRun: node scripts/generate-examples.js\n`);
			return 1;
		}
		process.stdout.write(`${files.size} example and template files are up to date.\n`);
		return 0;
	}
	writeAll(ROOT, files);
	process.stdout.write(`Wrote ${files.size} files (examples/, templates/n8n/) for ${sandboxUrl}.\n`);
	return 0;
}

module.exports = {
	ROOT,
	DEFAULT_SANDBOX_URL,
	JOURNEY_DIRS,
	CORE_TYPES,
	OTP_PLACEHOLDER,
	loadModel,
	planOf,
	sandboxAccount,
	configNodeId,
	configCredentials,
	contextKey,
	nodeRedExamples,
	seedFlows,
	n8nTemplates,
	n8nCredentials,
	generateAll,
	existingFiles,
	compare,
	writeAll,
	serialize,
};

if (require.main === module) {
	try {
		process.exitCode = main(process.argv.slice(2));
	} catch (e) {
		process.stderr.write(`${e.message}\n`);
		process.exitCode = 1;
	}
}
