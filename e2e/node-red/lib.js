'use strict';
/**
 * Machinery for the real Node-RED end-to-end run: free ports, a result collector, a Node-RED child
 * process with a fresh user directory, and the deployed copy of the shipped example flows.
 * Everything listens on 127.0.0.1 and stops by itself.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');

const HOST = '127.0.0.1';

function sleep(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.once('error', reject);
		srv.listen(0, HOST, () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

async function request(method, url, { body, headers = {}, timeoutMs = 30000 } = {}) {
	const res = await fetch(url, {
		method,
		headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
		body: body !== undefined ? JSON.stringify(body) : undefined,
		signal: AbortSignal.timeout(timeoutMs),
	});
	const text = await res.text();
	let json;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { status: res.status, text, json };
}

/** POST /collect receives what the tap nodes send; `waitFor` resolves on the first matching entry. */
class Collector {
	constructor() {
		this.entries = [];
		this.waiters = [];
	}

	async start() {
		this.server = http.createServer((req, res) => {
			let body = '';
			req.setEncoding('utf8');
			req.on('data', (d) => (body += d));
			req.on('end', () => {
				try {
					const entry = { ...JSON.parse(body), receivedAt: Date.now() };
					this.entries.push(entry);
					for (const w of [...this.waiters]) w.check();
				} catch (e) {
					this.entries.push({ kind: 'bad-post', body, error: e.message, receivedAt: Date.now() });
				}
				res.writeHead(204).end();
			});
		});
		this.server.keepAliveTimeout = 1000;
		await new Promise((resolve) => this.server.listen(0, HOST, resolve));
		this.url = `http://${HOST}:${this.server.address().port}/collect`;
		return this;
	}

	/** Entries received after `since` (an index from `mark()`). */
	mark() {
		return this.entries.length;
	}

	since(mark) {
		return this.entries.slice(mark);
	}

	waitFor(predicate, timeoutMs, what) {
		return new Promise((resolve, reject) => {
			const waiter = {
				check: () => {
					const found = this.entries.find(predicate);
					if (found) {
						clearTimeout(waiter.timer);
						this.waiters.splice(this.waiters.indexOf(waiter), 1);
						resolve(found);
					}
				},
			};
			waiter.timer = setTimeout(() => {
				this.waiters.splice(this.waiters.indexOf(waiter), 1);
				reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
			}, timeoutMs);
			this.waiters.push(waiter);
			waiter.check();
		});
	}

	close() {
		return new Promise((resolve) => {
			this.server.closeAllConnections?.();
			this.server.close(() => resolve());
		});
	}
}

function settingsJs({ port, maxLifetimeMs, parentPid }) {
	return `// Written by e2e/node-red for one end-to-end run; the folder is deleted afterwards.
// Stop by ourselves when the runner is gone or the run has lasted too long.
const lifetime = setTimeout(() => { console.log('[e2e] maximum lifetime reached: exiting'); process.exit(3); }, ${maxLifetimeMs});
lifetime.unref();
const watch = setInterval(() => { try { process.kill(${parentPid}, 0); } catch { console.log('[e2e] runner gone: exiting'); process.exit(4); } }, 2000);
watch.unref();
module.exports = {
	uiHost: '127.0.0.1',
	uiPort: ${port},
	httpAdminRoot: '/admin',
	httpNodeRoot: '/api',
	flowFile: 'flows.json',
	credentialSecret: false,
	editorTheme: { projects: { enabled: false }, tours: false },
	telemetry: { enabled: false, updateNotification: false },
	diagnostics: { enabled: false, ui: false },
	externalModules: { autoInstall: false, palette: { allowInstall: false } },
	functionExternalModules: false,
	logging: { console: { level: 'info', metrics: false, audit: false } },
};
`;
}

/** A Node-RED server in its own user directory, its whole log kept in memory and on disk. */
class NodeRed {
	constructor({ nodeBin, red, userDir, port, logFile }) {
		Object.assign(this, { nodeBin, red, userDir, port, logFile });
		this.log = '';
		this.exit = undefined;
		this.base = `http://${HOST}:${port}/admin`;
	}

	start() {
		const started = Date.now();
		const out = fs.openSync(this.logFile, 'a');
		this.child = spawn(this.nodeBin, [this.red, '--userDir', this.userDir, '--settings', path.join(this.userDir, 'settings.js')], {
			cwd: this.userDir,
			env: { ...process.env, NODE_OPTIONS: '', NODE_RED_ENABLE_PROJECTS: 'false' },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.pid = this.child.pid;
		const onData = (d) => {
			const s = d.toString();
			this.log += s;
			fs.writeSync(out, s);
			if (process.env.OTPFLOW_E2E_VERBOSE) process.stdout.write(s.replace(/^/gm, '    | '));
		};
		this.child.stdout.on('data', onData);
		this.child.stderr.on('data', onData);
		this.exited = new Promise((resolve) =>
			this.child.on('exit', (code, signal) => {
				this.exit = { code, signal };
				fs.closeSync(out);
				resolve(this.exit);
			}),
		);
		return this.waitReady(started);
	}

	alive() {
		return this.exit === undefined;
	}

	async waitReady(started, timeoutMs = 60000) {
		while (Date.now() - started < timeoutMs) {
			if (!this.alive()) throw new Error(`Node-RED exited during start (${JSON.stringify(this.exit)}):\n${this.log.slice(-3000)}`);
			try {
				const res = await request('GET', `${this.base}/settings`, { timeoutMs: 2000 });
				if (res.status === 200 && /Started flows|Server now running/.test(this.log)) return (Date.now() - started) / 1000;
			} catch {
				// not listening yet
			}
			await sleep(200);
		}
		throw new Error(`Node-RED did not start within ${timeoutMs} ms:\n${this.log.slice(-3000)}`);
	}

	get(p) {
		return request('GET', `${this.base}${p}`, { headers: { accept: 'application/json' } });
	}

	post(p, body, headers = {}) {
		return request('POST', `${this.base}${p}`, { body, headers });
	}

	/** Only the process we started, by its PID: SIGTERM, then SIGKILL after 10 s. */
	async stop() {
		if (!this.alive()) return this.exit;
		this.child.kill('SIGTERM');
		const timer = setTimeout(() => this.alive() && this.child.kill('SIGKILL'), 10000);
		const exit = await this.exited;
		clearTimeout(timer);
		return exit;
	}
}

module.exports = { HOST, sleep, freePort, request, Collector, NodeRed, settingsJs };
