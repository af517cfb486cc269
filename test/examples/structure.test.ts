/**
 * Every shipped Node-RED example and n8n template is well formed and uses only what the package really
 * provides: registered node types, existing operations, parameters and credential types.
 */
import { JOURNEY_GUARD_TYPE, PUBLIC_PAGES_TYPE } from '../../node-red/journey';
import path from 'node:path';
import type { OperationSpec, ProviderSpec } from '../../nodes/core';
import { configType, operationType } from '../../node-red/names';
import { allowedTypes, nodeFields, typeProperty } from '../../node-red/properties';
import { PROVIDERS } from '../../nodes/providers';
import { ROOT, filesUnder, generator, readJson, type Json } from './support';

const pkg = readJson('packages/n8n-nodes-otpflow/package.json');
const nodeRedPkg = readJson('packages/node-red-otpflow/package.json');

/** The node types the package registers with Node-RED, found by running its modules against a recording RED. */
function registeredNodeRedTypes(): Map<string, { credentials?: Record<string, unknown> }> {
	const types = new Map<string, { credentials?: Record<string, unknown> }>();
	const RED = {
		nodes: {
			registerType: (type: string, _ctor: unknown, opts?: { credentials?: Record<string, unknown> }) => types.set(type, opts ?? {}),
			createNode: () => undefined,
			getNode: () => null,
		},
		util: {},
		log: { info: () => undefined, warn: () => undefined, error: () => undefined },
		httpAdmin: { get: () => undefined, post: () => undefined },
		settings: {},
	};
	for (const file of Object.values(nodeRedPkg['node-red'].nodes) as string[]) {
		 
		const mod = require(path.join(ROOT, file));
		(mod.default ?? mod)(RED);
	}
	return types;
}

const NODE_RED_TYPES = registeredNodeRedTypes();
const CORE = new Set<string>(generator.CORE_TYPES);
const OP_TYPES = new Map<string, { provider: ProviderSpec; op: OperationSpec }>();
for (const provider of PROVIDERS) for (const op of provider.operations) OP_TYPES.set(operationType(provider, op), { provider, op });

// Journey flows and workflows (examples/journeys, templates/n8n/journeys) have their own tests in test/journeys.
const notJourney = (f: string) => !generator.JOURNEY_DIRS.some((dir) => f.startsWith(`${dir}/`));
const exampleFiles = filesUnder('examples').filter(notJourney);
const templateFiles = filesUnder('templates/n8n').filter((f) => !f.endsWith('credentials.sandbox.json')).filter(notJourney);

describe('Node-RED examples', () => {
	it('exist for every palette node (every non-config node type the package registers)', () => {
		expect(exampleFiles.length).toBeGreaterThan(0);
		const shown = new Set<string>();
		for (const file of exampleFiles) for (const n of readJson(file)) shown.add(n.type);
		// The journeys' own nodes (the guard, the public pages' config) are shown by the journey flows (test/journeys).
		const palette = [...NODE_RED_TYPES.keys()].filter((t) => !/-config$/.test(t) && t !== JOURNEY_GUARD_TYPE && t !== PUBLIC_PAGES_TYPE);
		expect(palette.length).toBe(OP_TYPES.size);
		for (const t of palette) expect(shown).toContain(t);
	});

	describe.each(exampleFiles)('%s', (file) => {
		const flow: Json[] = readJson(file);
		const ids = new Set(flow.map((n) => n.id));

		it('parses into nodes with unique ids', () => {
			expect(Array.isArray(flow)).toBe(true);
			expect(ids.size).toBe(flow.length);
			for (const n of flow) {
				expect(typeof n.id).toBe('string');
				expect(typeof n.type).toBe('string');
			}
		});

		it('uses only node types the package registers, plus Node-RED core nodes', () => {
			for (const n of flow) expect(NODE_RED_TYPES.has(n.type) || CORE.has(n.type) ? n.type : `unknown type ${n.type}`).toBe(n.type);
		});

		it('wires only to nodes that exist, and each OTP Flow node to one account of its provider', () => {
			for (const n of flow) {
				for (const port of n.wires ?? []) for (const target of port) expect(ids.has(target) ? target : `missing ${target}`).toBe(target);
				const op = OP_TYPES.get(n.type);
				if (!op) continue;
				const config = flow.find((c) => c.id === n.config);
				expect(config?.type).toBe(configType(op.provider));
				// Two outputs, both shown: success and failure.
				expect(n.wires).toHaveLength(2);
				expect(n.wires[0].length).toBeGreaterThan(0);
				expect(n.wires[1].length).toBeGreaterThan(0);
			}
		});

		it('sets every field of each OTP Flow node as a typed input (value and type)', () => {
			for (const n of flow.filter((x) => OP_TYPES.has(x.type))) {
				const { provider, op } = OP_TYPES.get(n.type)!;
				for (const field of nodeFields(provider, op)) {
					expect(n).toHaveProperty(field.name);
					expect(allowedTypes(field)).toContain(n[typeProperty(field.name)]);
				}
				expect(Number(n.timeout)).toBeGreaterThan(0);
			}
		});

		it('points its account at the sandbox, without secrets', () => {
			const configs = flow.filter((n) => /^otpflow-.*-config$/.test(n.type));
			expect(configs).toHaveLength(1);
			const config = configs[0];
			const provider = PROVIDERS.find((p) => configType(p) === config.type)!;
			expect(config.z).toBeUndefined();
			expect(config.credentials).toBeUndefined();
			expect(config.baseUrl).toBe(generator.sandboxAccount(provider, generator.DEFAULT_SANDBOX_URL).baseUrl);
			expect(config.baseUrl.startsWith(`${generator.DEFAULT_SANDBOX_URL}/`)).toBe(true);
			for (const f of provider.credential.fields) {
				if (f.type === 'password') expect(config).not.toHaveProperty(f.name);
				else expect(config).toHaveProperty(f.name);
			}
			// The password fields the config node declares are exactly the ones left to the user.
			const declared = Object.keys(NODE_RED_TYPES.get(config.type)?.credentials ?? {}).sort();
			expect(declared).toEqual(provider.credential.fields.filter((f: Json) => f.type === 'password').map((f: Json) => f.name).sort());
		});

		it('explains itself in a comment and shows both outcomes in debug nodes', () => {
			const comments = flow.filter((n) => n.type === 'comment');
			expect(comments.length).toBeGreaterThan(0);
			expect(comments.some((c) => String(c.info).length > 100)).toBe(true);
			const debugs = flow.filter((n) => n.type === 'debug').map((n) => n.name);
			expect(debugs).toEqual(expect.arrayContaining(['success', 'failure']));
		});
	});

	it('give each chain a send inject, a verify inject carrying msg.otp, and the sandbox inbox', () => {
		for (const provider of PROVIDERS) {
			const flow: Json[] = readJson(`examples/${provider.slug}/${generator.CHAIN_TITLE}.json`);
			const injects = flow.filter((n) => n.type === 'inject').map((n) => n.name);
			expect(injects).toEqual(['1. send OTP', '2. verify (edit the OTP in this inject first)']);
			const verify = flow.find((n) => n.name === '2. verify (edit the OTP in this inject first)');
			expect(verify.props).toEqual(expect.arrayContaining([{ p: 'otp', v: generator.OTP_PLACEHOLDER, vt: 'str' }]));
			expect(JSON.stringify(flow)).toContain(`${generator.DEFAULT_SANDBOX_URL}/_sandbox/`);
		}
	});
});

describe('n8n templates', () => {
	/** n8n node descriptions and credential types, from the compiled package as n8n loads it. */
	const nodeDescriptions = new Map<string, Json>();
	for (const file of pkg.n8n.nodes as string[]) {
		 
		for (const Cls of Object.values(require(path.join(ROOT, file))) as Array<new () => { description: Json }>) {
			const d = new Cls().description;
			nodeDescriptions.set(`${pkg.name}.${d.name}`, d);
		}
	}
	const credentialTypes = new Map<string, Json>();
	for (const file of pkg.n8n.credentials as string[]) {
		 
		for (const Cls of Object.values(require(path.join(ROOT, file))) as Array<new () => Json>) {
			const c = new Cls();
			credentialTypes.set(c.name, c);
		}
	}
	const BASE_TYPES = new Set(['n8n-nodes-base.manualTrigger', 'n8n-nodes-base.noOp', 'n8n-nodes-base.httpRequest', 'n8n-nodes-base.set']);

	it('exist for every operation of every n8n node, and a chain per node', () => {
		const used = new Set<string>();
		// Send and Wait for Code has its own templates, one per journey and mode (journeys/n8n-wait.ts, test/journeys).
		const waitFiles = filesUnder('templates/n8n/send-and-wait');
		for (const file of [...templateFiles, ...waitFiles]) {
			for (const n of readJson(file).nodes) if (nodeDescriptions.has(n.type)) used.add(`${n.type}:${n.parameters.operation}`);
		}
		for (const [type, d] of nodeDescriptions) {
			const operations = d.properties.find((p: Json) => p.name === 'operation').options.map((o: Json) => o.value);
			for (const op of operations) expect(used).toContain(`${type}:${op}`);
		}
		expect(templateFiles.filter((f) => f.endsWith('-chain.json'))).toHaveLength(nodeDescriptions.size);
	});

	describe.each(templateFiles)('%s', (file) => {
		const wf = readJson(file);
		const names = new Set<string>(wf.nodes.map((n: Json) => n.name));

		it('is a workflow n8n imports: name, unique node names and ids, positions, connections by name', () => {
			expect(typeof wf.name).toBe('string');
			expect(typeof wf.id).toBe('string');
			expect(names.size).toBe(wf.nodes.length);
			expect(new Set(wf.nodes.map((n: Json) => n.id)).size).toBe(wf.nodes.length);
			for (const n of wf.nodes) {
				expect(n.position).toEqual([expect.any(Number), expect.any(Number)]);
				expect(typeof n.typeVersion).toBe('number');
				expect(n.parameters).toEqual(expect.any(Object));
			}
			for (const [from, c] of Object.entries(wf.connections) as Array<[string, Json]>) {
				expect(names).toContain(from);
				for (const port of c.main) for (const link of port) expect(names).toContain(link.node);
			}
			expect(wf.nodes.filter((n: Json) => n.type === 'n8n-nodes-base.manualTrigger')).toHaveLength(1);
		});

		it('uses our node types with existing operations and parameter names, and existing credential types', () => {
			for (const n of wf.nodes) {
				const d = nodeDescriptions.get(n.type);
				if (!d) {
					expect(BASE_TYPES.has(n.type) ? n.type : `unexpected type ${n.type}`).toBe(n.type);
					continue;
				}
				expect(n.typeVersion).toBe(d.version);
				const op = n.parameters.operation;
				const operations = d.properties.find((p: Json) => p.name === 'operation').options.map((o: Json) => o.value);
				expect(operations).toContain(op);
				const shown = d.properties.filter((p: Json) => !p.displayOptions?.show?.operation || p.displayOptions.show.operation.includes(op));
				const params = new Set(shown.map((p: Json) => p.name));
				for (const key of Object.keys(n.parameters)) expect(params.has(key) ? key : `unknown parameter ${key} for ${op}`).toBe(key);
				const optionNames = new Set(shown.find((p: Json) => p.name === 'options')?.options?.map((o: Json) => o.name) ?? []);
				for (const key of Object.keys(n.parameters.options ?? {})) expect(optionNames).toContain(key);
				// Required parameters shown for the operation alone (not behind another field's value) are set.
				const unconditional = shown.filter((x: Json) => x.required && Object.keys(x.displayOptions?.show ?? {}).every((k) => k === 'operation'));
				for (const p of unconditional) expect(n.parameters).toHaveProperty(p.name);
				const credNames = Object.keys(n.credentials ?? {});
				expect(credNames).toEqual(d.credentials.map((c: Json) => c.name));
				for (const c of credNames) expect(credentialTypes.has(c)).toBe(true);
				// Success and Failure outputs both lead somewhere.
				const outputs = wf.connections[n.name]?.main ?? [];
				expect(outputs).toHaveLength(2);
				expect(outputs[1].map((l: Json) => l.node)).toEqual(['Failure']);
			}
			expect(names).toContain('Success');
			expect(names).toContain('Failure');
		});

		it('reads the OTP from the sandbox inbox when a step needs the code', () => {
			const inbox = wf.nodes.find((n: Json) => n.type === 'n8n-nodes-base.httpRequest');
			const otpSteps = wf.nodes.filter((n: Json) => nodeDescriptions.has(n.type) && (n.parameters.otp !== undefined || n.parameters.OTP_Text !== undefined));
			if (otpSteps.length === 0) return;
			expect(inbox.parameters.url).toMatch(new RegExp(`^${generator.DEFAULT_SANDBOX_URL}/_sandbox/inbox/latest\\?provider=\\w+&to=`));
			for (const s of otpSteps) expect(s.parameters.otp ?? s.parameters.OTP_Text).toBe('={{ $json.otp }}');
		});
	});

	it('ship sandbox credentials n8n can import for every credential type', () => {
		const creds = readJson('templates/n8n/credentials.sandbox.json');
		expect(creds.map((c: Json) => c.type).sort()).toEqual([...credentialTypes.keys()].sort());
		for (const c of creds) {
			const type = credentialTypes.get(c.type);
			const props = new Set(type.properties.map((p: Json) => p.name));
			expect(c).toEqual({ id: expect.any(String), name: expect.any(String), type: c.type, data: expect.any(Object) });
			for (const key of Object.keys(c.data)) expect(props).toContain(key);
			for (const p of type.properties.filter((x: Json) => x.required && !x.displayOptions)) expect(c.data).toHaveProperty(p.name);
		}
		// Every template's credential reference resolves to one of these.
		const ids = new Set(creds.map((c: Json) => `${c.type}:${c.id}:${c.name}`));
		for (const file of templateFiles) {
			for (const n of readJson(file).nodes) {
				for (const [type, ref] of Object.entries(n.credentials ?? {}) as Array<[string, Json]>) expect(ids).toContain(`${type}:${ref.id}:${ref.name}`);
			}
		}
	});
});
