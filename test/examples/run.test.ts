/**
 * The shipped Node-RED examples, run as shipped in a real Node-RED runtime (node-red-node-test-helper)
 * against the sandbox: a person's clicks are replayed (inject 1, read the code in the inbox, type it
 * into inject 2, click), so an example that stops working fails CI.
 */
import path from 'node:path';
import helper from 'node-red-node-test-helper';
import { configType } from '../../node-red/names';
import { PROVIDERS } from '../../nodes/providers';
import type { ProviderSpec } from '../../nodes/core';
import { ROOT, generator, readJson, type Json } from './support';

helper.init(require.resolve('node-red'));

 
const CORE_DIR = path.join(path.dirname(require.resolve('@node-red/nodes/package.json')), 'core', 'common');
const coreModules = [
	require(path.join(CORE_DIR, '20-inject.js')),
	require(path.join(CORE_DIR, '90-comment.js')),
	require(path.join(path.dirname(CORE_DIR), 'function', '15-change.js')),
];
const pkg = readJson('packages/node-red-otpflow/package.json');
 
const sandboxModule: any = require(path.join(ROOT, 'dist', 'sandbox'));
 

function providerModule(slug: string): unknown {
	const file = pkg['node-red'].nodes[`otpflow-${slug}`];
	 
	const mod = require(path.join(ROOT, file));
	return mod.default ?? mod;
}

 
let sandbox: any;

beforeAll(async () => {
	sandbox = await sandboxModule.startSandbox({ port: 0 });
	await helper.startServer();
});

afterAll(async () => {
	await helper.stopServer();
	await sandbox.close();
});

afterEach(async () => {
	await helper.unload();
	sandbox.reset();
});

interface Loaded {
	flow: Json[];
	/** Messages each debug node (by name) received. */
	seen: Map<string, Json[]>;
}

/**
 * Loads example files onto one tab, as Import → Examples (or npm start) puts them: the account pointed
 * at this test's sandbox, the sandbox secrets in its credentials, debug nodes swapped for collectors.
 */
async function loadExamples(provider: Json, names: string[]): Promise<Loaded> {
	const flow: Json[] = [{ id: 'tab', type: 'tab', label: provider.label }];
	let config: Json;
	for (const name of names) {
		for (const node of readJson(`examples/${provider.slug}/${name}.json`)) {
			if (node.type === configType(provider)) {
				config = { ...node, baseUrl: sandbox.baseUrls[provider.id] };
				continue;
			}
			const copy = { ...node, z: 'tab' };
			if (copy.type === 'debug') {
				copy.type = 'helper';
				copy._example = name;
			}
			flow.push(copy);
		}
	}
	flow.push(config);
	const credentials = { [config.id]: generator.configCredentials(provider, sandbox.url) };
	await helper.load([...coreModules, providerModule(provider.slug)], flow, credentials);
	const seen = new Map<string, Json[]>();
	for (const node of flow.filter((n) => n.type === 'helper')) {
		const key = `${node._example}:${node.name}`;
		seen.set(key, []);
		helper.getNode(node.id).on('input', (msg) => seen.get(key)!.push(msg));
	}
	return { flow, seen };
}

/** The inject called `name` in one example file (several examples share the tab). */
function injectNamed(provider: Json, loaded: Loaded, example: string, name: string): Json {
	const ids = new Set<string>(readJson(`examples/${provider.slug}/${example}.json`).map((n: Json) => n.id));
	const found = loaded.flow.filter((n) => n.type === 'inject' && n.name === name && ids.has(n.id));
	expect(found).toHaveLength(1);
	return found[0];
}

const PROVIDER_ROWS: Array<[string, ProviderSpec]> = PROVIDERS.map((p) => [p.slug, p]);

/** Clicks an inject's button, optionally with some of its properties edited (what the editor sends). */
function click(inject: Json, edits: Record<string, string> = {}): void {
	const props = inject.props.map((p: Json) => {
		const full = p.p === 'payload' ? { p: 'payload', v: inject.payload, vt: inject.payloadType } : { ...p };
		if (edits[p.p] !== undefined) full.v = edits[p.p];
		return full;
	});
	helper.getNode(inject.id).receive({ __user_inject_props__: props });
}

/** Waits until one of the named collectors got a new message; returns which and the message. */
async function next(loaded: Loaded, example: string, names: string[], timeoutMs = 5000): Promise<{ name: string; msg: Json }> {
	const before = new Map(names.map((n) => [n, loaded.seen.get(`${example}:${n}`)?.length ?? 0]));
	for (const n of names) expect(loaded.seen.has(`${example}:${n}`) ? n : `no debug node ${n} in ${example}`).toBe(n);
	const started = Date.now();
	for (;;) {
		for (const n of names) {
			const got = loaded.seen.get(`${example}:${n}`)!;
			if (got.length > before.get(n)!) return { name: n, msg: got[got.length - 1] };
		}
		if (Date.now() - started > timeoutMs) throw new Error(`${example}: nothing reached ${names.join(' / ')} within ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

function latestOtp(provider: Json): string {
	const msg = sandbox.inbox.latest(provider.id);
	expect(msg?.otp).toMatch(/^\d{4,8}$/);
	return msg.otp;
}

/** The status a provider's chain ends in on success. */
const FINAL = ['verified', 'completed'];

describe.each(PROVIDER_ROWS)('%s full chain, run as a person would', (_slug, provider) => {
	it('sends an OTP, takes the code from the inbox into inject 2 and ends on the success output', async () => {
		const loaded = await loadExamples(provider, [generator.CHAIN_TITLE]);
		click(injectNamed(provider, loaded, generator.CHAIN_TITLE, '1. send OTP'));
		const sent = await next(loaded, generator.CHAIN_TITLE, ['OTP sent', 'send failed']);
		expect({ debug: sent.name, status: sent.msg.payload.status }).toEqual({ debug: 'OTP sent', status: 'otp_sent' });

		const otp = latestOtp(provider);
		click(injectNamed(provider, loaded, generator.CHAIN_TITLE, '2. verify (edit the OTP in this inject first)'), { otp });
		const done = await next(loaded, generator.CHAIN_TITLE, ['success', 'failure']);
		expect(done.name).toBe('success');
		expect(done.msg.payload).toMatchObject({ ok: true, provider: provider.id });
		expect(FINAL).toContain(done.msg.payload.status);
		expect(done.msg.otp).toBe(otp);
	});

	it('reports a wrong code on the failure output as invalid_otp', async () => {
		const loaded = await loadExamples(provider, [generator.CHAIN_TITLE]);
		click(injectNamed(provider, loaded, generator.CHAIN_TITLE, '1. send OTP'));
		await next(loaded, generator.CHAIN_TITLE, ['OTP sent', 'send failed']);
		const otp = latestOtp(provider);
		const wrong = otp.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
		click(injectNamed(provider, loaded, generator.CHAIN_TITLE, '2. verify (edit the OTP in this inject first)'), { otp: wrong });
		const done = await next(loaded, generator.CHAIN_TITLE, ['success', 'failure']);
		expect({ debug: done.name, status: done.msg.payload.status }).toEqual({ debug: 'failure', status: 'invalid_otp' });
	});
});

/**
 * The operation examples on one tab (as npm start deploys them), clicked in an order a person would follow:
 * each keeps its reference in flow context for the next. 'chain-send' clicks the full chain's inject 1.
 */
const SEQUENCES: Record<string, string[]> = {
	bos: ['01 - Register Customer', '02 - Generate OTP', '03 - Submit OTP', '04 - Get Credit History'],
	aopay: ['01 - Register Customer', '02 - Generate OTP', '03 - Submit OTP', '04 - Get Credit History'],
	iserveu: ['01 - Get Customer', 'chain-send', '03 - Register Customer', '02 - Send OTP', '04 - Verify Beneficiary', '05 - Transaction Status Enquiry'],
	summitai: ['01 - Find User', '02 - Generate OTP', '03 - Validate OTP'],
	capillary: ['01 - Generate Token', '02 - Generate OTP', '03 - Validate OTP', '04 - Regenerate Token', '05 - Validate Password', '06 - Expire Token', '07 - Forgot Password'],
};

describe.each(PROVIDER_ROWS)('%s operation examples, clicked in order on one tab', (slug, provider) => {
	it('each reaches its success output against the sandbox', async () => {
		const sequence = SEQUENCES[slug];
		expect(sequence).toBeDefined();
		const files = sequence.filter((s) => s !== 'chain-send');
		// Every operation example is exercised.
		expect(files.sort()).toEqual(provider.operations.map((op, i) => generator.exampleTitle(op, i)).sort());
		const loaded = await loadExamples(provider, [generator.CHAIN_TITLE, ...files]);
		const results: string[] = [];
		for (const example of sequence) {
			if (example === 'chain-send') {
				click(injectNamed(provider, loaded, generator.CHAIN_TITLE, '1. send OTP'));
				const sent = await next(loaded, generator.CHAIN_TITLE, ['OTP sent', 'send failed']);
				results.push(`${example}: ${sent.name} ${sent.msg.payload.status}`);
				continue;
			}
			const inject = injectNamed(provider, loaded, example, 'sample input');
			const needsOtp = inject.props.some((p: Json) => p.p === 'otp');
			click(inject, needsOtp ? { otp: latestOtp(provider) } : {});
			const out = await next(loaded, example, ['success', 'failure']);
			results.push(`${example}: ${out.name} ${out.msg.payload.status}${out.name === 'failure' ? ` (${out.msg.payload.message})` : ''}`);
		}
		for (const line of results) expect(line).toMatch(/: (success|OTP sent) \w+$/);
	});
});
