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

/** A request's whole body as text. */
function readText(req) {
	return new Promise((resolve) => {
		let body = '';
		req.setEncoding('utf8');
		req.on('data', (d) => (body += d));
		req.on('end', () => resolve(body));
	});
}

/** POST /collect receives what the tap nodes send; `waitFor` resolves on the first matching entry. */
class Collector {
	constructor() {
		this.entries = [];
		this.waiters = [];
	}

	async start() {
		this.server = http.createServer(async (req, res) => {
			const body = await readText(req);
			try {
				const entry = { ...JSON.parse(body), receivedAt: Date.now() };
				this.entries.push(entry);
				for (const w of [...this.waiters]) w.check();
			} catch (e) {
				this.entries.push({ kind: 'bad-post', body, error: e.message, receivedAt: Date.now() });
			}
			res.writeHead(204).end();
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

/**
 * `exposeMemory`: function nodes get `global.get('gc')` and `global.get('memoryUsage')` (start Node-RED with
 * nodeArgs ['--expose-gc']), so a test can read the live heap after a full collection. `fileContext`: besides the
 * default memory context store, a persistent one named "file" (localfilesystem, flushed every second and on stop).
 */
function settingsJs({ port, maxLifetimeMs, parentPid, exposeMemory = false, fileContext = false }) {
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
	functionExternalModules: false,${exposeMemory ? '\n\tfunctionGlobalContext: { gc: global.gc, memoryUsage: () => process.memoryUsage() },' : ''}
	logging: { console: { level: 'info', metrics: false, audit: false } },${fileContext ? "\n\tcontextStorage: { default: { module: 'memory' }, file: { module: 'localfilesystem', config: { flushInterval: 1 } } }," : ''}
};
`;
}

/** A Node-RED server in its own user directory, its whole log kept in memory and on disk. */
class NodeRed {
	/** `nodeArgs`: options for the node binary itself (before red.js). */
	constructor({ nodeBin, red, userDir, port, logFile, nodeArgs = [] }) {
		Object.assign(this, { nodeBin, red, userDir, port, logFile, nodeArgs });
		this.log = '';
		this.exit = undefined;
		this.base = `http://${HOST}:${port}/admin`;
	}

	start() {
		const started = Date.now();
		const out = fs.openSync(this.logFile, 'a');
		this.child = spawn(this.nodeBin, [...this.nodeArgs, this.red, '--userDir', this.userDir, '--settings', path.join(this.userDir, 'settings.js')], {
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

	/**
	 * A full deploy, as the editor's Deploy button does. POST /flows answers before the new nodes exist: wait for
	 * the "Started flows" line, or the new nodes may answer 404 for a moment.
	 */
	async deploy(flows) {
		const before = (this.log.match(/Started flows/g) || []).length;
		const res = await this.post('/flows', flows, { 'Node-RED-Deployment-Type': 'full', 'Node-RED-API-Version': 'v1' });
		if (res.status !== 204 && res.status !== 200) throw new Error(`POST /flows → ${res.status} ${res.text.slice(0, 500)}`);
		const until = Date.now() + 30000;
		while ((this.log.match(/Started flows/g) || []).length <= before) {
			if (Date.now() > until || !this.alive()) throw new Error(`flows did not start after deploy:\n${this.log.slice(-2000)}`);
			await sleep(50);
		}
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

/**
 * The package installed the way users install nodes: `npm install <tarball>` in a fresh Node-RED user directory.
 * Returns the installed package's folder.
 */
function installIntoUserDir(userDir, tarball) {
	const cache = require('./cache');
	const packaging = require('../../packaging');
	const pkg = packaging.manifest(packaging.folderOf('node-red'));
	fs.writeFileSync(
		path.join(userDir, 'package.json'),
		`${JSON.stringify({ name: 'node-red-project', description: 'OTP Flow e2e', version: '0.0.1', private: true, dependencies: {} }, null, 2)}\n`,
	);
	cache.runNpm(['install', tarball, '--no-audit', '--no-fund', '--loglevel=error'], userDir);
	return path.join(userDir, 'node_modules', ...pkg.name.split('/'));
}

/** Log lines that mean a runtime met an error nobody handled. */
const CRASH_PATTERNS = [/Uncaught Exception/i, /unhandled ?(promise )?rejection/i, /UnhandledPromiseRejection/, /\bat .*\(node:internal/];

function secs(ms) {
	return `${(ms / 1000).toFixed(1)} s`;
}

/** A secret named without showing it. */
function mask(s) {
	return `${String(s).slice(0, 3)}…(${String(s).length} chars)`;
}

/** The sandbox accounts' secrets: every password-type credential field of every provider (built dist/ under root). */
function sandboxSecrets(root) {
	const { PROVIDERS } = require(path.join(root, 'dist', 'nodes', 'providers'));
	const { SANDBOX_ACCOUNTS } = require(path.join(root, 'dist', 'sandbox'));
	const secrets = [];
	for (const p of PROVIDERS) {
		for (const f of p.credential.fields) {
			const v = (SANDBOX_ACCOUNTS[p.id] || {})[f.name];
			if (f.type === 'password' && typeof v === 'string') secrets.push(v);
		}
	}
	return secrets;
}

/** Named checks and timings, printed as they happen. */
class Report {
	constructor(label) {
		this.label = label;
		this.checks = [];
		this.timings = [];
	}

	ok(name, detail = '') {
		this.checks.push({ name, pass: true, detail });
		process.stdout.write(`  ✔ ${name}${detail ? ` (${detail})` : ''}\n`);
	}

	fail(name, detail) {
		this.checks.push({ name, pass: false, detail });
		process.stdout.write(`  ✘ ${name}: ${detail}\n`);
	}

	check(name, cond, detail) {
		if (cond === true) this.ok(name, typeof detail === 'string' ? detail : '');
		else this.fail(name, typeof cond === 'string' ? cond : detail || 'failed');
	}

	time(name, ms) {
		this.timings.push({ name, seconds: ms / 1000 });
		process.stdout.write(`  ⏱ ${name}: ${secs(ms)}\n`);
	}

	get failed() {
		return this.checks.filter((c) => !c.pass);
	}
}

module.exports = {
	HOST,
	sleep,
	freePort,
	request,
	readText,
	Collector,
	NodeRed,
	settingsJs,
	installIntoUserDir,
	CRASH_PATTERNS,
	secs,
	mask,
	sandboxSecrets,
	Report,
};
