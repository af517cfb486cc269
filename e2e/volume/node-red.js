'use strict';
/**
 * The Node-RED half of the volume run: the packed package in a real Node-RED 4.1 (Node 20), one flow
 *   http in POST /api/volume → one message per item (tagged with its id) → switch by operation → our nodes →
 *   both outputs tapped → join (batches) → http request to the test's collector
 * and `count` messages pumped through it with a bounded number in flight, 20% of the requests faulted by the sandbox.
 * Checks: one output per input, results per fault kind, timeouts as a deadline, no Catch/uncaught error, RSS flat,
 * nothing followed to the capture host, no secret or Aadhaar number in outputs, log, GET /flows or flows.json.
 */
const fs = require('node:fs');
const path = require('node:path');
const cache = require('../node-red/cache');
const { CRASH_PATTERNS, Collector, NodeRed, freePort, installIntoUserDir, request, settingsJs, sleep } = require('../node-red/lib');
const { functionNode, nodeTypes, postNode, readExamples, sandboxCredentials } = require('../node-red/flows');
const V = require('./lib');

/**
 * A steady rate, not a burst: Node-RED would take 10,000 messages in about 10 s, too short for its memory to reach
 * the plateau that shows whether it keeps growing. OTPFLOW_VOLUME_RATE changes it (messages per second).
 */
const RATE = Number(process.env.OTPFLOW_VOLUME_RATE) > 0 ? Number(process.env.OTPFLOW_VOLUME_RATE) : 200;
const BATCH = 50;
const MAX_IN_FLIGHT = 400;
/** A result later than this after its message entered the node means the timeout is not a deadline. */
const SLACK_MS = 2000;

/** The op nodes of the shipped examples, as installed: each operation's node and its account node. */
function exampleNodes(installed) {
	const types = nodeTypes();
	const examples = readExamples(path.join(installed, 'examples'));
	const out = {};
	for (const o of V.OPERATIONS) {
		const provider = types.providers.find((p) => p.slug === o.slug);
		const type = provider.ops.find((x) => x.id === o.op).type;
		const ex = examples.find((e) => e.nodes.some((n) => n.type === type));
		if (!ex) throw new Error(`no shipped example has a ${type} node`);
		out[o.key] = { provider, node: ex.nodes.find((n) => n.type === type), config: ex.nodes.find((n) => n.type === provider.configType) };
	}
	return out;
}

const SPLIT = `const items = (msg.payload && msg.payload.items) || [];
for (const it of items) node.send([null, { vid: it.vid, op: it.op, input: it.input, t0: Date.now() }], false);
msg.payload = { accepted: items.length };
return [msg, null];`;

/** The whole message our node sent (its payload is the result), and how long the node took. */
function tap(out) {
	return `const m = Object.assign({}, msg);
delete m._msgid;
msg.payload = { out: ${JSON.stringify(out)}, ms: typeof msg.t0 === 'number' ? Date.now() - msg.t0 : null, msg: m };
return msg;`;
}

const CATCH_TAP = `msg.payload = { out: 'catch', error: msg.error, msg: { vid: msg.vid, op: msg.op } };
return msg;`;

const HEAP = `global.get('gc')();
msg.payload = global.get('memoryUsage')();
return msg;`;

const WRAP = `msg.payload = { kind: 'batch', items: msg.payload };
msg.headers = { 'content-type': 'application/json' };
return msg;`;

function fn(id, z, name, func, wires, outputs = 1) {
	return functionNode({ id, z, name, func, wires, outputs });
}

function buildFlow({ examples, baseUrls, accounts, collectorUrl }) {
	const z = 'vol-tab';
	const flows = [{ id: z, type: 'tab', label: 'OTP Flow volume (e2e)', disabled: false, info: '' }];
	const configs = new Map();
	const opIds = [];
	for (const o of V.OPERATIONS) {
		const ex = examples[o.key];
		if (!configs.has(ex.config.id)) {
			configs.set(ex.config.id, true);
			flows.push({ ...ex.config, baseUrl: baseUrls[o.slug], credentials: sandboxCredentials(ex.provider, accounts) });
		}
		const id = `vol-op-${o.slug}-${o.op}`;
		opIds.push(id);
		const node = { ...ex.node, id, z, name: `${o.key} (volume)`, timeout: V.NODE_TIMEOUT_S, wires: [['vol-tap-0'], ['vol-tap-1']] };
		for (const f of o.fields) Object.assign(node, { [f]: `input.${f}`, [`${f}Type`]: 'msg' });
		for (const [k, v] of Object.entries(o.fixed || {})) Object.assign(node, { [k]: v });
		if (o.aadhaar) Object.assign(node, { [o.aadhaar]: '$join(input.a, input.sep)', [`${o.aadhaar}Type`]: 'jsonata' });
		flows.push(node);
	}
	flows.push(
		{ id: 'vol-in', type: 'http in', z, name: 'volume in', url: '/volume', method: 'post', upload: false, swaggerDoc: '', x: 0, y: 0, wires: [['vol-split']] },
		fn('vol-split', z, 'one message per item', SPLIT, [['vol-res'], ['vol-switch']], 2),
		{ id: 'vol-res', type: 'http response', z, name: '', statusCode: '', headers: {}, x: 0, y: 0, wires: [] },
		{
			id: 'vol-switch',
			type: 'switch',
			z,
			name: 'by operation',
			property: 'op',
			propertyType: 'msg',
			rules: [...V.OPERATIONS.map((o) => ({ t: 'eq', v: o.key, vt: 'str' })), { t: 'else' }],
			checkall: 'false',
			repair: false,
			outputs: V.OPERATIONS.length + 1,
			x: 0,
			y: 0,
			wires: [...opIds.map((id) => [id]), ['vol-tap-unrouted']],
		},
		fn('vol-tap-0', z, 'tap success', tap(0), [['vol-join']]),
		fn('vol-tap-1', z, 'tap failure', tap(1), [['vol-join']]),
		fn('vol-tap-unrouted', z, 'tap unrouted', tap('unrouted'), [['vol-join']]),
		{ id: 'vol-catch', type: 'catch', z, name: 'catch all', scope: null, uncaught: false, x: 0, y: 0, wires: [['vol-catch-tap']] },
		fn('vol-catch-tap', z, 'tap catch', CATCH_TAP, [['vol-join']]),
		{
			id: 'vol-join',
			type: 'join',
			z,
			name: 'batch',
			mode: 'custom',
			build: 'array',
			property: 'payload',
			propertyType: 'msg',
			key: 'topic',
			joiner: '\\n',
			joinerType: 'str',
			useparts: false,
			accumulate: false,
			timeout: '0.3',
			count: '200',
			reduceRight: false,
			reduceExp: '',
			reduceInit: '',
			reduceInitType: '',
			reduceFixup: '',
			x: 0,
			y: 0,
			wires: [['vol-wrap']],
		},
		fn('vol-wrap', z, 'wrap batch', WRAP, [['vol-post']]),
		{
			id: 'vol-heap-in',
			type: 'http in',
			z,
			name: 'heap after a full GC',
			url: '/heap',
			method: 'get',
			upload: false,
			swaggerDoc: '',
			x: 0,
			y: 0,
			wires: [['vol-heap']],
		},
		fn('vol-heap', z, 'gc, then memoryUsage', HEAP, [['vol-res']]),
		postNode({ id: 'vol-post', z, name: 'to collector', url: collectorUrl, persist: true }),
	);
	return flows;
}

/**
 * Runs the Node-RED volume; returns the figures for the summary. `ctx`: { nodeRedTarball, secrets, aadhaars, report, track }.
 */
async function runNodeRedVolume({ count, ctx }) {
	const { report } = ctx;
	const figures = { runtime: 'Node-RED', tried: count, durations: {} };
	const rt = cache.nodeRed4();
	figures.label = `Node-RED ${rt.version} on Node ${process.versions.node}`;
	process.stdout.write(`\n■ ${figures.label}: ${count} messages\n`);
	const { SANDBOX_ACCOUNTS } = V.dist('sandbox');
	figures.durations.total = await V.withFixtures(
		{ report, label: figures.label, prefix: 'otpflow-volume-nr-' },
		async ({ sandbox, stats, capture, dir: userDir, onClose }) => {
			const collector = await new Collector().start();
			let nr;
			let rss;
			onClose(async () => {
				if (rss) rss.stop();
				if (nr) await nr.stop();
				await collector.close();
			});
			let t = Date.now();
			const installed = installIntoUserDir(userDir, ctx.nodeRedTarball);
			report.time('npm install <tarball> into the user dir', Date.now() - t);
			const port = await freePort();
			fs.writeFileSync(path.join(userDir, 'settings.js'), settingsJs({ port, maxLifetimeMs: 15 * 60 * 1000, parentPid: process.pid, exposeMemory: true }));
			nr = new NodeRed({ nodeBin: process.execPath, nodeArgs: ['--expose-gc'], red: rt.red, userDir, port, logFile: path.join(userDir, 'node-red.log') });
			t = Date.now();
			await nr.start();
			ctx.track(nr.pid, false);
			report.time(`Node-RED start (pid ${nr.pid}, port ${port})`, Date.now() - t);
			const flows = buildFlow({ examples: exampleNodes(installed), baseUrls: sandbox.baseUrls, accounts: SANDBOX_ACCOUNTS, collectorUrl: collector.url });
			await nr.deploy(flows);
			const endpoint = `http://127.0.0.1:${port}/api/volume`;
			const results = () => collector.entries.flatMap((e) => e.items || []);
			// How many results have arrived, counted as batches come in (the test process also serves the sandbox).
			let counted = { entries: 0, items: 0 };
			const arrived = () => {
				for (; counted.entries < collector.entries.length; counted.entries++) counted.items += (collector.entries[counted.entries].items || []).length;
				return counted.items;
			};
			/** The live heap after a full collection, MB: unlike RSS, it does not wait for V8 to decide to collect. */
			const heap = async () => {
				const h = await request('GET', `http://127.0.0.1:${port}/api/heap`);
				return h.json ? { heapUsed: h.json.heapUsed / 1048576, rss: h.json.rss / 1048576 } : { heapUsed: NaN, rss: NaN };
			};

			// Smoke: one message per operation, no faults yet; the wiring works before 10,000 go in.
			const smoke = V.buildMessages(V.OPERATIONS.length, 'smoke', ctx.aadhaars, 900000);
			const posted = await request('POST', endpoint, { body: { items: smoke } });
			const until = Date.now() + 20000;
			while (results().length < smoke.length && Date.now() < until) await sleep(50);
			const smokeOut = results();
			report.check(
				`smoke: one message per operation lands on Success`,
				(smokeOut.length === smoke.length && smokeOut.every((r) => r.out === 0)) ||
					`HTTP ${posted.status}; ${JSON.stringify(smokeOut.map((r) => [r.out, r.msg && r.msg.vid, r.msg && r.msg.payload && r.msg.payload.status, r.msg && r.msg.payload && r.msg.payload.message, r.error])).slice(0, 1500)}`,
			);
			if (smokeOut.length !== smoke.length) throw new Error('the volume flow does not answer');
			collector.entries.length = 0;
			counted = { entries: 0, items: 0 };

			// The run.
			const plan = V.addFaults(sandbox, V.faultPlan(capture.url));
			stats.reset();
			const messages = V.buildMessages(count, 'nr', ctx.aadhaars);
			rss = new V.RssSampler(nr.pid);
			t = Date.now();
			let next = 0;
			let received = 0;
			let heapQuarter;
			let lastProgress = Date.now();
			const posts = [];
			while (received < messages.length) {
				const now = arrived();
				if (now > received) lastProgress = Date.now();
				received = now;
				if (Date.now() - lastProgress > 30000) break; // stalled: what is missing is reported below
				if (!nr.alive()) break;
				if (!heapQuarter && received >= messages.length / 4) heapQuarter = { ...(await heap()), at: Date.now() };
				if (next < messages.length && next - received < MAX_IN_FLIGHT && Date.now() - t >= (next / RATE) * 1000) {
					const batch = messages.slice(next, next + BATCH).map(({ vid, op, input }) => ({ vid, op, input }));
					const r = await request('POST', endpoint, { body: { items: batch } });
					posts.push(r.status === 200 && r.json && r.json.accepted === batch.length);
					next += batch.length;
					continue;
				}
				await sleep(20);
			}
			const pumped = Date.now();
			await sleep(1500); // a second output for a message would arrive now
			const heapEnd = await heap();
			const runMs = pumped - t;
			figures.durations.run = runMs;
			rss.stop();
			report.time(
				`${messages.length} messages through Node-RED (${(messages.length / (runMs / 1000)).toFixed(0)} msg/s for ${RATE} asked, at most ${MAX_IN_FLIGHT} in flight)`,
				runMs,
			);
			report.check(
				`every batch accepted by POST /api/volume (${posts.length} batches of ${BATCH})`,
				posts.every(Boolean) || `${posts.filter((p) => !p).length} refused`,
			);

			const all = results();
			const catches = all.filter((r) => r.out === 'catch');
			const unrouted = all.filter((r) => r.out === 'unrouted');
			report.check(
				'no error reached a Catch node and every message found its operation',
				catches.length + unrouted.length === 0 || `catch ${catches.length} (${JSON.stringify(catches.slice(0, 3)).slice(0, 600)}), unrouted ${unrouted.length}`,
			);
			const records = all.filter((r) => r.out === 0 || r.out === 1).map((r) => ({ vid: r.msg.vid, out: r.out, result: r.msg.payload, ms: r.ms }));
			Object.assign(figures, V.analyse({ report, records, messages, plan, stats, maxMs: V.NODE_TIMEOUT_S * 1000 + SLACK_MS }));
			figures.capture = capture.requests.length;
			report.check(
				`the capture host ${V.CAPTURE_HOST} received nothing (redirects refused: ${figures.observedCounts.redirect || 0})`,
				capture.requests.length === 0 ||
					`${capture.requests.length} requests, e.g. ${capture.requests
						.slice(0, 3)
						.map((r) => `${r.method} ${r.url}`)
						.join(', ')}`,
			);
			const listed = (await request('GET', `${sandbox.url}/_sandbox/faults`)).json.faults;
			const listMismatch = plan.filter((e) => {
				const f = listed.find((x) => x.id === e.id);
				return !f || f.probability !== e.fault.probability || 1e9 - f.remaining !== (stats.byFault.get(e.id) || 0);
			});
			report.check(
				'GET /_sandbox/faults lists each fault with its probability and what it consumed',
				listMismatch.length === 0 || listMismatch.map((e) => e.name).join(', '),
			);

			// Memory: the RSS samples while messages flowed, after the warm-up (the first quarter of the messages, ended by the
			// heap probe's full GC: before it RSS only shows when V8 chose to collect).
			const r = rss.figures(heapQuarter ? heapQuarter.at : t, pumped, heapQuarter ? 0 : 0.25);
			if (process.env.OTPFLOW_E2E_VERBOSE)
				process.stdout.write(`  RSS (MB, every ${(rss.samples.length / (runMs / 1000)).toFixed(1)}/s): ${rss.samples.map((x) => x.mb.toFixed(0)).join(' ')}\n`);
			figures.rss = r;
			figures.heap = { quarter: heapQuarter, end: heapEnd };
			report.check(
				`Node-RED heap after a full GC: ${V.mb(heapQuarter && heapQuarter.heapUsed)} at a quarter of the run, ${V.mb(heapEnd.heapUsed)} at the end`,
				(heapQuarter && heapEnd.heapUsed <= heapQuarter.heapUsed + 16) || 'grew by more than 16 MB',
			);
			report.check(
				`Node-RED RSS flat: ${r.samples} samples after the warm-up, from ${V.mb(r.start)}; median of the first quarter ${V.mb(r.first)}, last quarter ${V.mb(r.last)}, peak ${V.mb(r.peak)}; bound first × 1.25 + 25 MB`,
				r.last <= r.first * 1.25 + 25 || `grew from ${V.mb(r.first)} to ${V.mb(r.last)}`,
			);

			// Secrets: outputs, the flow export (admin API and file), the log; flows_cred.json holds them (and is not exported).
			const list = V.needles(ctx.secrets, ctx.aadhaars);
			const deployed = ctx.secrets.filter((s) => flows.some((n) => n.credentials && Object.values(n.credentials).includes(s)));
			const exported = await nr.get('/flows');
			const hits = [
				...V.scan('output messages', JSON.stringify(all), list),
				...V.scan('GET /admin/flows', exported.text, list),
				...V.scan('flows.json', fs.readFileSync(path.join(userDir, 'flows.json'), 'utf8'), list),
			];
			const credFile = fs.readFileSync(path.join(userDir, 'flows_cred.json'), 'utf8');
			report.check(
				`flows_cred.json holds the ${deployed.length} deployed secrets (the scan would see them) and the export does not carry it`,
				(exported.status === 200 && deployed.length > 0 && deployed.every((s) => credFile.includes(s)) && !exported.text.includes('"credentials"')) ||
					`export HTTP ${exported.status}`,
			);

			const crashedBefore = !nr.alive();
			t = Date.now();
			const exit = await nr.stop();
			figures.durations.stop = Date.now() - t;
			hits.push(...V.scan('Node-RED log', nr.log, list));
			figures.leaked = hits.length;
			report.check(
				`no secret or Aadhaar number (${ctx.secrets.length} secrets, ${ctx.aadhaars.length} numbers × 3 forms) in outputs, GET /flows, flows.json or the log`,
				hits.length === 0 ||
					hits
						.slice(0, 10)
						.map((h) => `${h.what} ${h.masked} in ${h.where}`)
						.join('; '),
			);
			const crashLines = nr.log.split('\n').filter((l) => CRASH_PATTERNS.some((re) => re.test(l)) || /\[error\]/.test(l));
			figures.crashed = crashLines.length + (crashedBefore ? 1 : 0) + catches.length;
			report.check(
				'Node-RED stayed up to the end, no uncaught exception or [error] line in its log, clean stop',
				(!crashedBefore && crashLines.length === 0 && (exit.code === 0 || exit.signal === 'SIGTERM')) ||
					`alive ${!crashedBefore}, exit ${JSON.stringify(exit)}, ${crashLines.length} lines: ${crashLines.slice(0, 3).join(' | ')}`,
			);
			figures.logLines = nr.log.split('\n').length;
		},
	);
	return figures;
}

module.exports = { runNodeRedVolume };
