'use strict';
/**
 * In this process (Node 20), against the sandbox in its own process: the raw keep-alive client the runtimes are
 * compared with, and what our code costs per item in CPU and heap.
 *
 * CPU per item (process.cpuUsage, user + system, over n calls at the same concurrency, 0 ms latency):
 *   raw     node:http, keep-alive agent: stringify the body, send, read the answer, JSON.parse it
 *   axios   the same call through axios with the options our Node-RED transport gives it
 *   ours    runOperation (validate, build, authenticate, send, interpret, redact) over our AxiosTransport
 *   core    runOperation over a transport that answers at once with a recorded sandbox answer: the core alone
 * "Added by our code" = ours − raw; it splits into core and (ours − core − raw), the transport with axios.
 *
 * Heap per in-flight request: the sandbox holds the next `held` requests; heap used (after a full GC) with all of
 * them open minus heap used idle, divided by `held`.
 */
const http = require('node:http');
const path = require('node:path');
const v8 = require('node:v8');
const vm = require('node:vm');
const B = require('./lib');

/** A full collection, without requiring node --expose-gc on the command line. */
function gcFunction() {
	if (typeof global.gc === 'function') return global.gc;
	v8.setFlagsFromString('--expose-gc');
	return vm.runInNewContext('gc');
}

/** Runs task(0..n-1), at most `c` at a time (the shape of the n8n node's own loop). */
async function pool(n, c, task) {
	let next = 0;
	const worker = async () => {
		while (next < n) await task(next++);
	};
	await Promise.all(Array.from({ length: Math.min(c, n) }, worker));
}

class CoreBench {
	constructor({ pkgDir, userDir, sandbox }) {
		Object.assign(this, { pkgDir, userDir, sandbox });
		const dist = (p) => require(path.join(pkgDir, 'dist', ...p.split('/')));
		this.core = dist('nodes/core');
		this.capillary = dist('nodes/providers/capillary').capillary;
		this.op = this.core.findOperation(this.capillary, 'generateToken');
		this.AxiosTransport = dist('node-red/transport').AxiosTransport;
		this.axios = require(path.join(userDir, 'node_modules', 'axios'));
		this.credentials = { baseUrl: sandbox.capillary, brand: B.CALL.brand };
		this.gc = gcFunction();
	}

	/** Parameters as the Node-RED node hands them over. */
	params(i) {
		return { flavour: 'mobile', identifierType: B.CALL.identifierType, identifierValue: B.CALL.identifier(i), deviceId: B.CALL.deviceId, sessionMinutes: 15 };
	}

	/** One raw call: the least any client must do. Resolves to the parsed body. */
	rawCall(agent, i) {
		const data = JSON.stringify(B.callBody(i));
		return new Promise((resolve, reject) => {
			const req = http.request(
				this.sandbox.callUrl,
				{ method: 'POST', agent, headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': Buffer.byteLength(data) } },
				(res) => {
					let text = '';
					res.setEncoding('utf8');
					res.on('data', (d) => (text += d));
					res.on('end', () => {
						try {
							resolve(JSON.parse(text));
						} catch (e) {
							reject(e);
						}
					});
					res.on('error', reject);
				},
			);
			req.on('error', reject);
			req.end(data);
		});
	}

	/** A client per variant, so each has its own warm keep-alive pool of `c` sockets. */
	client(kind, c) {
		const agent = new http.Agent({ keepAlive: true, maxSockets: c, maxFreeSockets: Math.min(c, 256) });
		const check = (ok, what) => {
			if (!ok) throw new Error(`${kind}: ${what}`);
		};
		if (kind === 'raw') {
			return {
				call: async (i) => check((await this.rawCall(agent, i)).status.success === true, 'not a success'),
				close: () => agent.destroy(),
			};
		}
		if (kind === 'axios') {
			return {
				call: async (i) => {
					const r = await this.axios.request({
						method: 'POST',
						url: this.sandbox.callUrl,
						headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
						data: JSON.stringify(B.callBody(i)),
						timeout: 15000,
						responseType: 'text',
						responseEncoding: 'utf8',
						transformResponse: [(d) => d],
						validateStatus: () => true,
						maxRedirects: 0,
						proxy: false,
						httpAgent: agent,
					});
					check(JSON.parse(r.data).status.success === true, 'not a success');
				},
				close: () => agent.destroy(),
			};
		}
		if (kind === 'ours') {
			agent.destroy();
			const transport = new this.AxiosTransport((r) => this.capillary.credential.authenticate(this.credentials, r), { maxSockets: c });
			return {
				call: async (i) => {
					const r = await this.core.runOperation(this.capillary, this.op, this.params(i), this.credentials, transport, { timeoutMs: 15000 });
					check(r.status === 'completed', `${r.status}: ${r.message}`);
				},
				close: () => transport.destroy(),
			};
		}
		if (kind === 'core') {
			agent.destroy();
			const answer = this.recorded;
			const transport = { send: async () => answer };
			return {
				call: async (i) => {
					const r = await this.core.runOperation(this.capillary, this.op, this.params(i), this.credentials, transport, { timeoutMs: 15000 });
					check(r.status === 'completed', `${r.status}: ${r.message}`);
				},
				close: () => {},
			};
		}
		throw new Error(`unknown client ${kind}`);
	}

	/** A real sandbox answer for the core-only runs. */
	async record() {
		const agent = new http.Agent({ keepAlive: false });
		const body = await this.rawCall(agent, 0);
		this.recorded = { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, text: JSON.stringify(body) };
	}

	/** n calls of `kind` at concurrency c: { rate, cpuUsPerItem }. */
	async measure(kind, n, c) {
		const client = this.client(kind, c);
		try {
			await pool(Math.min(n, 2 * c), c, client.call); // open the keep-alive sockets first
			this.gc();
			const cpu0 = process.cpuUsage();
			const t0 = process.hrtime.bigint();
			await pool(n, c, client.call);
			const ms = Number(process.hrtime.bigint() - t0) / 1e6;
			const cpu = process.cpuUsage(cpu0);
			return { rate: n / (ms / 1000), cpuUsPerItem: (cpu.user + cpu.system) / n };
		} finally {
			client.close();
		}
	}

	/**
	 * Heap per request held open by the sandbox, bytes: `held` requests of `kind` at once. Idle is read before and
	 * after (every request answered, the client closed), each after two full collections, and averaged: a few MB of
	 * drift either way would otherwise swamp a few KB per request.
	 */
	async heapPerInFlight(kind, held, holdMs) {
		const heapAfterGc = () => {
			this.gc();
			this.gc();
			return process.memoryUsage().heapUsed;
		};
		let client = this.client(kind, held);
		await pool(4, 4, client.call); // code paths loaded and compiled before the idle reading
		client.close();
		client = this.client(kind, held);
		let calls = [];
		try {
			await this.sandbox.hold(held, holdMs);
			const before = heapAfterGc();
			const started = Date.now();
			calls = Array.from({ length: held }, (_, i) => client.call(i));
			let stats;
			do {
				await B.sleep(20);
				stats = await this.sandbox.stats();
			} while (stats.inFlight < held && Date.now() - started < holdMs / 2);
			if (stats.inFlight < held) throw new Error(`only ${stats.inFlight} of ${held} requests reached the sandbox in ${holdMs / 2} ms`);
			const busy = heapAfterGc();
			await Promise.all(calls);
			client.close();
			const after = heapAfterGc();
			return (busy - (before + after) / 2) / held;
		} finally {
			await Promise.allSettled(calls);
			client.close();
		}
	}
}

module.exports = { CoreBench, pool };
