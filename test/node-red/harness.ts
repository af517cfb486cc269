/**
 * Runs OTP Flow nodes in a real Node-RED runtime (node-red-node-test-helper): one operation node wired to
 * Success/Failure collectors, with Catch and Complete nodes scoped to it, so each message's fate is observable.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import helper from 'node-red-node-test-helper';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox';

helper.init(require.resolve('node-red'));

export { helper };

export type Msg = Record<string, any>;

export interface Outcome {
	success: Msg[];
	failure: Msg[];
	caught: Msg[];
	completed: Msg[];
}

export interface Loaded {
	/** Sends one message and resolves once the node has finished it (done() or done(err)). */
	run(msg: Msg): Promise<Outcome>;
	/** Sends several messages at once, without waiting in between, and resolves once the node has finished them all. */
	runAll(msgs: Msg[]): Promise<Outcome>;
	/** Everything every node logged (RED.log and node.log/warn/error) so far, as text. */
	logged(): string;
	/**
	 * What the node produced since load, as text: every result payload, error and status. The rest of each
	 * message is the flow's own data, passed through untouched, so it is left out.
	 */
	emitted(): string;
}

export interface NodeSetup {
	/** e.g. 'otpflow-capillary-generate-otp' */
	type: string;
	props?: Record<string, unknown>;
	/** The config node: its type and non-secret properties; omit for a node without an account. */
	account?: { type: string; props: Record<string, unknown>; credentials?: Record<string, unknown> };
	/** Overrides the node's `config` property (e.g. to point at a missing config node). */
	config?: string;
	/** More node modules, config nodes (off the tab) and their credentials, e.g. the journeys' public pages for a send guard. */
	extra?: { modules: unknown[]; nodes: Array<Record<string, unknown>>; credentials?: Record<string, Record<string, unknown>> };
}

function dump(value: unknown): string {
	return inspect(value, { depth: 12, breakLength: Infinity, getters: false });
}

async function settle(outcome: Outcome, count: number, timeoutMs: number): Promise<void> {
	const started = Date.now();
	while (outcome.completed.length + outcome.caught.length < count) {
		if (Date.now() - started > timeoutMs) throw new Error(`node did not finish within ${timeoutMs} ms: ${dump(outcome)}`);
		await new Promise((r) => setTimeout(r, 5));
	}
	// Give a duplicate output, if any, the chance to arrive before counting.
	await new Promise((r) => setTimeout(r, 30));
}

export async function loadNode(module: any, setup: NodeSetup): Promise<Loaded> {
	// Nodes outside a tab count as config nodes in Node-RED 4, so everything but the account sits on one.
	const onTab: Array<Record<string, unknown>> = [
		{
			id: 'op',
			type: setup.type,
			name: '',
			config: setup.config ?? (setup.account ? 'acct' : ''),
			...setup.props,
			wires: [['success'], ['failure']],
		},
		{ id: 'success', type: 'helper' },
		{ id: 'failure', type: 'helper' },
		// Ids differ from type names: Node-RED would mistake an id equal to a type for a config reference.
		{ id: 'catcher', type: 'catch', scope: ['op'], uncaught: false, wires: [['caught']] },
		{ id: 'caught', type: 'helper' },
		{ id: 'completer', type: 'complete', scope: ['op'], uncaught: false, wires: [['completed']] },
		{ id: 'completed', type: 'helper' },
	];
	const flow: Array<Record<string, unknown>> = [{ id: 'tab', type: 'tab', label: 'test' }, ...onTab.map((n) => ({ ...n, z: 'tab' }))];
	if (setup.account) flow.push({ id: 'acct', type: setup.account.type, name: 'test account', ...setup.account.props });
	flow.push(...(setup.extra?.nodes ?? []));
	const credentials = { ...(setup.account?.credentials ? { acct: setup.account.credentials } : {}), ...setup.extra?.credentials };
	await helper.load(setup.extra ? [module, ...setup.extra.modules] : module, flow, credentials);

	const outcome: Outcome = { success: [], failure: [], caught: [], completed: [] };
	for (const key of Object.keys(outcome) as Array<keyof Outcome>) {
		helper.getNode(key).on('input', (msg: Msg) => outcome[key].push(msg));
	}
	// Statuses live on the node too: they are shown in the editor, so they count as output.
	const statuses = (helper.getNode('op') as unknown as { status: { args: unknown[][] } }).status;
	const op = helper.getNode('op');
	async function runAll(msgs: Msg[]): Promise<Outcome> {
		const before = { success: outcome.success.length, failure: outcome.failure.length, caught: outcome.caught.length, completed: outcome.completed.length };
		const finished = before.completed + before.caught;
		for (const msg of msgs) op.receive(msg);
		await settle(outcome, finished + msgs.length, 3000);
		return {
			success: outcome.success.slice(before.success),
			failure: outcome.failure.slice(before.failure),
			caught: outcome.caught.slice(before.caught),
			completed: outcome.completed.slice(before.completed),
		};
	}
	return {
		run: (msg) => runAll([msg]),
		runAll,
		logged() {
			const proto = op as unknown as Record<string, { args?: unknown[][] }>;
			const calls = ['log', 'warn', 'error', 'debug', 'trace'].flatMap((m) => proto[m]?.args ?? []);
			return dump([helper.log().args, calls]);
		},
		emitted() {
			const produced = Object.values(outcome).flatMap((msgs: Msg[]) => msgs.map((m) => ({ payload: m.payload, error: m.error })));
			return dump([produced, statuses.args]);
		},
	};
}

/** The single message a run produced, asserting it left by exactly one output. */
export function only(outcome: Outcome, port: 'success' | 'failure'): Msg {
	const total = outcome.success.length + outcome.failure.length;
	expect({ total, [port]: outcome[port].length, caught: outcome.caught.length }).toEqual({ total: 1, [port]: 1, caught: 0 });
	return outcome[port][0];
}

export function dumpAll(value: unknown): string {
	return dump(value);
}

export interface RecordedRequest {
	method: string;
	/** Path and query as received, e.g. '/bos/api/BOS/CibilScore/GenerateOTP'. */
	path: string;
	contentType?: string;
	/** The request body as text ('' when none was sent). */
	body: string;
}

export interface RecordingProxy {
	/** http://127.0.0.1:PORT: use in place of the target's URL. */
	url: string;
	/** Every request that reached the proxy, in arrival order. */
	requests: RecordedRequest[];
	close(): Promise<void>;
}

/**
 * A pass-through HTTP proxy in front of `target` (e.g. the sandbox) that records each request as it
 * arrived on the wire: method, path and body. Shows what a node really sends, whatever its HTTP library does.
 */
export async function recordingProxy(target: string): Promise<RecordingProxy> {
	const requests: RecordedRequest[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			requests.push({ method: req.method ?? '', path: req.url ?? '', contentType: req.headers['content-type'], body: body.toString('utf8') });
			const upstream = http.request(
				new URL(req.url ?? '/', target),
				{ method: req.method, headers: { ...req.headers, host: new URL(target).host, connection: 'close' }, agent: false },
				(answer) => {
					res.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(res);
				},
			);
			upstream.on('error', () => res.destroy());
			upstream.end(body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

/** The fault table every provider's Node-RED test runs: sandbox fault → what the failure output must say. */
export function faultTable(retryAfter: number): Array<[string, Parameters<Sandbox['faults']['add']>[0], Record<string, unknown>]> {
	return [
		['a timeout', { kind: 'timeout' }, { status: 'network_error', retryable: true, providerStatus: { text: 'timeout' } }],
		['a connection reset', { kind: 'reset' }, { status: 'network_error', retryable: true, providerStatus: { text: 'connection_reset' } }],
		// A 200 answered a byte at a time: the node's timeout is a deadline for the whole answer.
		['a body that drips in', { kind: 'drip', intervalMs: 100 }, { status: 'network_error', retryable: true, providerStatus: { text: 'timeout' } }],
		// Nothing listens on port 9: had the redirect been followed, this would be a network_error.
		[
			'a redirect to another host',
			{ kind: 'redirect', status: 307, location: 'http://127.0.0.2:9/' },
			{
				status: 'provider_error',
				retryable: false,
				message: expect.stringContaining('redirected the request to 127.0.0.2:9'),
				providerStatus: { httpStatus: 307 },
			},
		],
		['HTTP 503', { kind: 'status', status: 503 }, { status: 'provider_error', retryable: true, providerStatus: { httpStatus: 503 } }],
		['an HTML error page', { kind: 'html' }, { status: 'provider_error', retryable: true, providerStatus: { httpStatus: 502 } }],
		['malformed JSON', { kind: 'malformed' }, { status: 'provider_error', retryable: true, providerStatus: { httpStatus: 200 } }],
		[
			'HTTP 429 with Retry-After',
			{ kind: 'rate_limit', retryAfter },
			{ status: 'rate_limited', retryable: true, retryAfterSeconds: retryAfter, providerStatus: { httpStatus: 429 } },
		],
	];
}

/** A node's fields as the editor saves them: fixed values, typed `option` for the named choice fields. */
export function fixed(values: Record<string, string>, choices: readonly string[] = []): Record<string, string> {
	const props: Record<string, string> = {};
	for (const [name, value] of Object.entries(values)) {
		props[name] = value;
		props[`${name}Type`] = choices.includes(name) ? 'option' : 'str';
	}
	return props;
}

/**
 * One sandbox and one Node-RED runtime for a test file: `onStart` receives the sandbox; it is reset after each
 * test. Timeouts hold a socket 3 s at most; the nodes under test give up sooner.
 */
export function nodeRedRuntime(onStart: (sandbox: Sandbox) => void, options: SandboxOptions = { port: 0, config: { faultMaxHoldMs: 3000 } }) {
	let sandbox: Sandbox | undefined;
	beforeAll(async () => {
		sandbox = await startSandbox(options);
		onStart(sandbox);
		await helper.startServer();
	});
	afterAll(async () => {
		await helper.stopServer();
		await sandbox?.close();
	});
	afterEach(() => sandbox?.reset());
}

/**
 * Loads one node at a time (unloading the previous one) and, after each test, checks that none of `forbidden`
 * (secrets, Aadhaar numbers) appeared in anything any of them emitted or logged.
 */
export function leakCheckedLoader(module: unknown, forbidden: readonly string[]) {
	let loaded: Loaded | undefined;
	let seen = '';
	const collect = () => {
		if (loaded) seen += `${loaded.emitted()}\n${loaded.logged()}`;
		loaded = undefined;
	};
	afterEach(async () => {
		collect();
		await helper.unload();
		const text = seen;
		seen = '';
		for (const secret of forbidden) expect(text).not.toContain(secret);
	});
	return async function load(setup: NodeSetup): Promise<Loaded> {
		if (loaded) {
			collect();
			await helper.unload();
		}
		loaded = await loadNode(module, setup);
		return loaded;
	};
}
