'use strict';
/**
 * Real Node-RED (4.1 on Node 20) with the packed package installed in its user directory, started once. One flow:
 *   http in POST /api/bench {variant, n, window} → driver (Function node) → the node under test → back to the driver
 * The driver sends `n` messages, at most `window` of them waiting for an answer (all at once when window = n), counts
 * each message coming back, and answers the HTTP call when the last one is in, with the time from the first message
 * out to the last one back as Node-RED itself measured it. The same driver feeds our Capillary Generate Token node
 * (its account bounds the requests: Max concurrent 10 by default) and the core `http request` node making the same call.
 */
const fs = require('node:fs');
const path = require('node:path');
const cache = require('../e2e/node-red/cache');
const { NodeRed, freePort, settingsJs } = require('../e2e/node-red/lib');
const { functionNode } = require('../e2e/node-red/flows');
const B = require('./lib');

/**
 * `window`: how many messages the driver lets wait at once (undefined: all n). Ours gets all n at once, so its
 * account's bound (10) is what holds them back; the core node has no bound of its own, so the driver gives it the
 * same 10 ("at the same concurrency"), and all at once to show what it does unbounded.
 */
const VARIANTS = [
	{ key: 'ours', label: 'OTP Flow node, all at once (account bound 10)', target: 1, bound: 10 },
	{ key: 'core-10', label: 'core http request, 10 at a time', target: 2, window: 10 },
	{ key: 'core', label: 'core http request, all at once', target: 2 },
];

const DRIVER = `const s0 = context.get('run');
if (msg.req && msg.res) {
	// A run starts: the HTTP call waits in s.start until the last message is back.
	const { variant, n, window, target } = msg.payload;
	const s = { variant, n, window: Math.min(window || n, n), target, sent: 0, back: 0, ok: 0, sample: null, start: msg, t0: Date.now() };
	context.set('run', s);
	for (let k = 0; k < s.window; k++) launch(s);
	return null;
}
if (!s0 || msg._bench === undefined) return null;
const s = s0;
s.back++;
const p = msg.payload;
const ok = s.target === 1 ? p && p.ok === true && p.status === 'completed' : msg.statusCode === 200 && p && p.status && p.status.success === true;
if (ok) s.ok++;
else if (!s.sample) s.sample = { statusCode: msg.statusCode, payload: p };
if (s.sent < s.n) launch(s);
if (s.back === s.n) {
	const out = s.start;
	out.payload = { elapsedMs: Date.now() - s.t0, n: s.n, back: s.back, ok: s.ok, sample: s.sample };
	context.set('run', null);
	node.send([out, null, null], false);
}
return null;

function launch(s) {
	const i = s.sent++;
	const identifierValue = '91' + String(i).padStart(10, '0');
	const m = s.target === 1
		? { _bench: i, identifierValue }
		: { _bench: i, payload: { identifierType: 'MOBILE', identifierValue, deviceId: 'bench-device', brand: 'DemoBrand' } };
	node.send(s.target === 1 ? [null, m, null] : [null, null, m], false);
}`;

function buildFlow(sandbox) {
	const z = 'bench-tab';
	return [
		{ id: z, type: 'tab', label: 'OTP Flow throughput benchmark', disabled: false, info: '' },
		{ id: 'bench-account', type: 'otpflow-capillary-config', name: 'Capillary (benchmark sandbox)', baseUrl: sandbox.capillary, brand: B.CALL.brand },
		{ id: 'bench-in', type: 'http in', z, name: 'run', url: '/bench', method: 'post', upload: false, swaggerDoc: '', x: 0, y: 0, wires: [['bench-driver']] },
		functionNode({ id: 'bench-driver', z, name: 'driver', func: DRIVER, outputs: 3, wires: [['bench-res'], ['bench-ours'], ['bench-core']] }),
		{ id: 'bench-res', type: 'http response', z, name: '', statusCode: '', headers: {}, x: 0, y: 0, wires: [] },
		{
			id: 'bench-ours',
			type: 'otpflow-capillary-generate-token',
			z,
			name: 'Generate Token',
			config: 'bench-account',
			flavour: 'mobile',
			flavourType: 'option',
			identifierType: B.CALL.identifierType,
			identifierTypeType: 'option',
			identifierValue: 'identifierValue',
			identifierValueType: 'msg',
			deviceId: B.CALL.deviceId,
			deviceIdType: 'str',
			sessionMinutes: '15',
			sessionMinutesType: 'num',
			includeRaw: false,
			timeout: 15,
			x: 0,
			y: 0,
			wires: [['bench-driver'], ['bench-driver']],
		},
		// The core node at its defaults (Node 20's global agent keeps connections alive), parsing the JSON answer.
		{
			id: 'bench-core',
			type: 'http request',
			z,
			name: 'http request',
			method: 'POST',
			ret: 'obj',
			paytoqs: 'ignore',
			url: sandbox.callUrl,
			tls: '',
			persist: false,
			proxy: '',
			insecureHTTPParser: false,
			authType: '',
			senderr: false,
			headers: [],
			x: 0,
			y: 0,
			wires: [['bench-driver']],
		},
	];
}

class NodeRedBench {
	/** `nodeArgs`: options for Node-RED's node binary (e.g. --cpu-prof). */
	constructor({ userDir, sandbox, children, log, limitMs, nodeArgs = [] }) {
		Object.assign(this, { userDir, sandbox, children, log, limitMs, nodeArgs });
		this.variants = VARIANTS;
		this.rt = cache.nodeRed4();
		this.label = `Node-RED ${this.rt.version} on Node ${process.versions.node}`;
	}

	async start() {
		const t = Date.now();
		this.port = await freePort();
		fs.writeFileSync(path.join(this.userDir, 'settings.js'), settingsJs({ port: this.port, maxLifetimeMs: this.limitMs, parentPid: process.pid }));
		this.nr = new NodeRed({
			nodeBin: process.execPath,
			nodeArgs: this.nodeArgs,
			red: this.rt.red,
			userDir: this.userDir,
			port: this.port,
			logFile: path.join(this.userDir, 'node-red.log'),
		});
		const ready = this.nr.start();
		this.children.add(this.nr.pid);
		await ready;
		this.pid = this.nr.pid;
		await this.nr.deploy(buildFlow(this.sandbox));
		this.endpoint = `http://${B.HOST}:${this.port}/api/bench`;
		// Warm-up: every variant once, not measured (fewer messages leave the first round visibly slower: JIT).
		for (const v of this.variants) {
			const r = await this.run(v, 1000);
			if (r.errors.length) throw new Error(`Node-RED warm-up of ${v.key}: ${r.errors.join('; ')}`);
		}
		this.log(`  Node-RED: started (pid ${this.pid}, port ${this.port}), flow deployed, every variant warmed up (${B.secs(Date.now() - t)})`);
	}

	alive() {
		return this.nr && this.nr.alive();
	}

	async run(v, n) {
		await this.sandbox.resetStats();
		const cpu0 = B.processCpuUs(this.pid);
		// Generous: a run that loses messages never answers, and this deadline turns that into an error.
		const timeoutMs = 60000 + n * ((this.sandbox.latencyMs || 0) + 20) * 2;
		let r;
		try {
			r = await B.request('POST', this.endpoint, { body: { variant: v.key, n, window: v.window, target: v.target }, timeoutMs });
		} catch (e) {
			return { errors: [`no answer from the flow within ${timeoutMs} ms (${e.message}): messages lost?${this.alive() ? '' : ' Node-RED exited'}`] };
		}
		const cpu1 = B.processCpuUs(this.pid);
		const stats = await this.sandbox.stats();
		const errors = [];
		const p = r.json || {};
		if (r.status !== 200) errors.push(`POST /api/bench answered ${r.status}: ${r.text.slice(0, 300)}`);
		if (p.back !== n) errors.push(`${n} messages in, ${p.back} back`);
		if (p.ok !== n) errors.push(`${n - p.ok} of ${n} results are not a success, e.g. ${JSON.stringify(p.sample).slice(0, 300)}`);
		if (stats.requests !== n) errors.push(`the sandbox received ${stats.requests} requests for ${n} messages`);
		return { rate: n / (p.elapsedMs / 1000), peak: stats.peakInFlight, requests: stats.requests, cpuUsPerItem: (cpu1 - cpu0) / n, errors };
	}

	async stop() {
		if (this.nr) await this.nr.stop();
	}
}

module.exports = { NodeRedBench };
