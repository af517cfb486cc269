'use strict';
/**
 * Real n8n (2.41.1 on Node 24, from the runtime cache) with the packed package installed as a community node, started
 * once (`n8n start`) and driven through production webhooks, one per variant:
 *   Webhook (POST {n}) → Code node: n items, each with its own mobile number → the node under test
 * The node under test is our Capillary node (Generate Token) with Max Concurrent Requests 10 (default), 1 and 50, or
 * n8n's HTTP Request node making the same call, at its defaults and with batching. Throughput is n / the node's own
 * execution time as n8n records it in the saved run data (read back through the REST API), so n8n's start of the
 * execution, the Code node and the saving of 5,000 results are not counted against any node.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const lib = require('../e2e/n8n/lib');
const { ensureN8n, N8N_VERSION, NODE_VERSION } = require('../e2e/n8n/install');
const B = require('./lib');

const WORKFLOW_ID = 'otpflowBench00001';
const CREDENTIAL = { id: 'capillary-bench', name: 'Capillary (benchmark sandbox)' };
const TARGET = 'Target';

/**
 * The variants, in the order each round runs them. `ours`: the OTP Flow node with these options; `http`: the HTTP
 * Request node with these options. `maxN`: larger runs are skipped to keep the run short (one at a time at 50 ms,
 * 5,000 items take over 4 minutes a round; batching 10 items / 50 ms caps a run at 200 items/s whatever the latency).
 */
function variants({ slowMaxN }) {
	return [
		{ key: 'ours', label: 'OTP Flow node, default (Max Concurrent 10)', ours: {} },
		{ key: 'ours-1', label: 'OTP Flow node, Max Concurrent 1 ("old")', ours: { maxConcurrent: 1 }, maxN: slowMaxN },
		{ key: 'ours-50', label: 'OTP Flow node, Max Concurrent 50', ours: { maxConcurrent: 50 } },
		{ key: 'http', label: 'HTTP Request node, default', http: {} },
		{
			key: 'http-batch',
			label: 'HTTP Request node, batching 10 items / 50 ms',
			http: { batching: { batch: { batchSize: 10, batchInterval: 50 } } },
			maxN: slowMaxN,
		},
	];
}

const ITEMS_CODE = `const n = Number($input.first().json.body.n);
const out = new Array(n);
for (let i = 0; i < n; i++) out[i] = { json: { identifierValue: '91' + String(i).padStart(10, '0') } };
return out;`;

function uuid(k, part) {
	return `${part}0000000-0000-4000-8000-${String(k).padStart(12, '0')}`;
}

function targetNode(v, sandbox, pkgName, position) {
	if (v.ours) {
		return {
			parameters: {
				operation: 'generateToken',
				flavour: 'mobile',
				identifierType: B.CALL.identifierType,
				identifierValue: '={{ $json.identifierValue }}',
				deviceId: B.CALL.deviceId,
				options: v.ours,
			},
			type: `${pkgName}.capillary`,
			typeVersion: 1,
			position,
			credentials: { capillaryAuthEngineApi: CREDENTIAL },
		};
	}
	return {
		parameters: {
			method: 'POST',
			url: sandbox.callUrl,
			sendBody: true,
			contentType: 'json',
			specifyBody: 'keypair',
			bodyParameters: {
				parameters: [
					{ name: 'identifierType', value: B.CALL.identifierType },
					{ name: 'identifierValue', value: '={{ $json.identifierValue }}' },
					{ name: 'deviceId', value: B.CALL.deviceId },
					{ name: 'brand', value: B.CALL.brand },
				],
			},
			options: v.http,
		},
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position,
	};
}

/** One workflow, one webhook chain per variant; names carry the variant so the run data tells them apart. */
function buildWorkflow(list, sandbox) {
	const nodes = [];
	const connections = {};
	list.forEach((v, k) => {
		const y = k * 200;
		const hook = `Webhook ${v.key}`;
		const items = `Items ${v.key}`;
		const target = `${TARGET} ${v.key}`;
		nodes.push(
			{
				parameters: { httpMethod: 'POST', path: `otpflow-bench-${v.key}`, responseMode: 'lastNode', responseData: 'noData', options: {} },
				id: uuid(k, 'a'),
				name: hook,
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, y],
				webhookId: uuid(k, 'd'),
			},
			{ parameters: { jsCode: ITEMS_CODE }, id: uuid(k, 'b'), name: items, type: 'n8n-nodes-base.code', typeVersion: 2, position: [240, y] },
			{ ...targetNode(v, sandbox, lib.PKG.name, [480, y]), id: uuid(k, 'c'), name: target },
		);
		connections[hook] = { main: [[{ node: items, type: 'main', index: 0 }]] };
		connections[items] = { main: [[{ node: target, type: 'main', index: 0 }]] };
	});
	return {
		id: WORKFLOW_ID,
		name: 'OTP Flow throughput benchmark',
		nodes,
		connections,
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
		meta: {},
		tags: [],
	};
}

/** A result item that is the provider's success: our OtpResult `completed`, or the raw body with status.success. */
function succeeded(v, json) {
	if (v.ours) return json && json.status === 'completed' && json.ok === true;
	return json && json.status && json.status.success === true && json.user && typeof json.user.sessionId === 'string';
}

class N8nBench {
	/** `nodeArgs`: options for n8n's node binary (e.g. --cpu-prof to profile the main process). */
	constructor({ tarball, sandbox, children, work, log, limitMs, slowMaxN, nodeArgs = [] }) {
		Object.assign(this, { tarball, sandbox, children, work, log, limitMs, nodeArgs });
		this.variants = variants({ slowMaxN });
		this.lastId = 0;
		this.label = `n8n ${N8N_VERSION} on Node ${NODE_VERSION}`;
	}

	async start() {
		let t = Date.now();
		this.inst = ensureN8n({ log: () => {} });
		const userFolder = path.join(this.work, 'n8n-user');
		lib.installIntoUserFolder(this.tarball, userFolder);
		this.port = await lib.freePort();
		this.env = lib.n8nEnv(this.inst, {
			userFolder,
			brokerPort: await lib.freePort(),
			port: this.port,
			extra: { N8N_LOG_LEVEL: 'warn', N8N_RUNNERS_TASK_TIMEOUT: '600' },
		});
		const cli = async (args) => {
			const r = await lib.runN8n(this.inst, this.env, args, { timeoutMs: 120000 });
			if (r.status !== 0) throw new Error(`n8n ${args.join(' ')} exited ${r.status}:\n${r.stderr.slice(-2000)}\n${r.stdout.slice(-1000)}`);
		};
		const credFile = path.join(this.work, 'credentials.json');
		fs.writeFileSync(
			credFile,
			JSON.stringify([{ ...CREDENTIAL, type: 'capillaryAuthEngineApi', data: { baseUrl: this.sandbox.capillary, brand: B.CALL.brand } }]),
		);
		await cli(['import:credentials', `--input=${credFile}`]);
		const wfFile = path.join(this.work, 'workflow.json');
		fs.writeFileSync(wfFile, JSON.stringify(buildWorkflow(this.variants, this.sandbox)));
		await cli(['import:workflow', `--input=${wfFile}`]);
		this.log(`  n8n: package installed, credential and workflow imported (${B.secs(Date.now() - t)})`);

		t = Date.now();
		// Its own process group: n8n starts a task runner, and stopping must reach both.
		this.child = spawn(this.inst.nodeBin, [...this.nodeArgs, this.inst.n8nBin, 'start'], {
			env: this.env,
			cwd: userFolder,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		this.pid = this.child.pid;
		this.children.add(this.pid, { group: true });
		B.watchdog(this.pid, this.limitMs);
		this.output = '';
		const keep = (d) => {
			this.output = (this.output + d).slice(-20000);
		};
		this.child.stdout.on('data', keep);
		this.child.stderr.on('data', keep);
		this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
		this.base = `http://${lib.HOST}:${this.port}`;
		const isAlive = () => this.alive();
		await lib.waitForHttp(`${this.base}/healthz`, { timeoutMs: 180000, isAlive });
		await lib.waitForHttp(`${this.base}/rest/settings`, { want: (s, body) => s === 200 && !/starting up/i.test(body), timeoutMs: 120000, isAlive });
		const { client } = await lib.ownerSetupOrLogin(this.base);
		this.client = client;
		const wf = await client.get(`/rest/workflows/${WORKFLOW_ID}`);
		if (wf.status !== 200) throw new Error(`GET workflow → ${wf.status} ${wf.text.slice(0, 300)}`);
		const act = await client.post(`/rest/workflows/${WORKFLOW_ID}/activate`, { versionId: wf.json.data.versionId });
		if (act.status !== 200) throw new Error(`activating the benchmark workflow → ${act.status} ${act.text.slice(0, 500)}`);
		this.flatted = require(path.join(this.inst.n8nModules, 'flatted'));
		await this.warmUp();
		this.log(`  n8n: started (pid ${this.pid}, port ${this.port}), workflow activated, every variant warmed up (${B.secs(Date.now() - t)})`);
	}

	alive() {
		return this.child && this.child.exitCode === null && this.child.signalCode === null;
	}

	/** The newest execution of the workflow, newer than any read before, once it has finished and is saved. */
	async latestExecution(timeoutMs = 120000) {
		const end = Date.now() + timeoutMs;
		const filter = encodeURIComponent(JSON.stringify({ workflowId: WORKFLOW_ID }));
		for (;;) {
			const list = await this.client.get(`/rest/executions?filter=${filter}&limit=5`);
			const results = (list.json && list.json.data && list.json.data.results) || [];
			const fresh = results.filter((e) => Number(e.id) > this.lastId).sort((a, b) => Number(b.id) - Number(a.id))[0];
			if (fresh && ['success', 'error', 'crashed', 'canceled'].includes(fresh.status)) {
				const one = await this.client.get(`/rest/executions/${fresh.id}`);
				if (one.status === 200 && one.json && one.json.data && one.json.data.data) {
					this.lastId = Number(fresh.id);
					return { id: fresh.id, status: fresh.status, data: this.flatted.parse(one.json.data.data) };
				}
			}
			if (Date.now() > end) throw new Error(`no finished execution of the benchmark workflow within ${timeoutMs} ms`);
			if (!this.alive()) throw new Error(`n8n exited:\n${this.output.slice(-3000)}`);
			await B.sleep(100);
		}
	}

	/**
	 * Warm-up: each variant's webhook once (`n` items, so the JIT has seen the path), until n8n has registered them all
	 * (activation returns before the production webhooks answer). Not measured.
	 */
	async warmUp(n = 200) {
		for (const v of this.variants) {
			const end = Date.now() + 60000;
			for (;;) {
				const r = await B.request('POST', `${this.base}/webhook/otpflow-bench-${v.key}`, { body: { n }, timeoutMs: 120000 });
				if (r.status === 200) break;
				if (Date.now() > end || r.status !== 404) throw new Error(`webhook ${v.key} answered ${r.status}: ${r.text.slice(0, 300)}`);
				await B.sleep(250);
			}
			const exec = await this.latestExecution();
			if (exec.status !== 'success') throw new Error(`warm-up of ${v.key}: execution ${exec.status}`);
		}
	}

	/**
	 * One run of `v` with `n` items: { rate, wallRate, peak, requests, cpuUsPerItem, errors }. `errors` lists what went
	 * wrong (lost items, failed results): the caller treats any as a failed benchmark.
	 */
	async run(v, n) {
		await this.sandbox.resetStats();
		const cpu0 = B.processCpuUs(this.pid);
		const t0 = Date.now();
		const r = await B.request('POST', `${this.base}/webhook/otpflow-bench-${v.key}`, { body: { n }, timeoutMs: 10 * 60 * 1000 });
		const wallMs = Date.now() - t0;
		const cpu1 = B.processCpuUs(this.pid);
		const errors = [];
		if (r.status !== 200) errors.push(`webhook answered ${r.status}: ${r.text.slice(0, 300)}`);
		const exec = await this.latestExecution();
		const stats = await this.sandbox.stats();
		const runData = exec.data.resultData.runData;
		const node = runData[`${TARGET} ${v.key}`] && runData[`${TARGET} ${v.key}`][0];
		if (exec.data.resultData.error) errors.push(`workflow error: ${JSON.stringify(exec.data.resultData.error).slice(0, 400)}`);
		if (!node) {
			errors.push(`the node under test did not run (ran: ${Object.keys(runData).join(', ')})`);
			return { errors };
		}
		if (node.error) errors.push(`node error: ${JSON.stringify(node.error).slice(0, 400)}`);
		const outs = (node.data && node.data.main) || [];
		const items = outs.flatMap((o) => o || []);
		const ok = items.filter((it) => succeeded(v, it.json)).length;
		if (items.length !== n) errors.push(`${n} items in, ${items.length} out`);
		if (ok !== items.length) {
			const bad = items.find((it) => !succeeded(v, it.json));
			errors.push(`${items.length - ok} of ${items.length} results are not a success, e.g. ${JSON.stringify(bad && bad.json).slice(0, 300)}`);
		}
		if (stats.requests !== n) errors.push(`the sandbox received ${stats.requests} requests for ${n} items`);
		return {
			rate: n / (node.executionTime / 1000),
			wallRate: n / (wallMs / 1000),
			peak: stats.peakInFlight,
			requests: stats.requests,
			cpuUsPerItem: (cpu1 - cpu0) / n,
			errors,
		};
	}

	async stop() {
		if (!this.alive()) return;
		try {
			process.kill(-this.pid, 'SIGTERM');
		} catch {
			return;
		}
		const timer = setTimeout(() => {
			try {
				process.kill(-this.pid, 'SIGKILL');
			} catch {
				// gone
			}
		}, 15000);
		await this.exited;
		clearTimeout(timer);
	}
}

module.exports = { N8nBench };
