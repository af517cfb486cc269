'use strict';
/**
 * What every part of the throughput benchmark shares: the one HTTP call all paths make (Capillary Generate Token),
 * the sandbox in its own process (latency, request stats), per-process CPU from /proc, the processes this run
 * started (killed by PID when the hard limit strikes) and the statistics it prints.
 */
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
// JSON over HTTP with a deadline, never throwing for an HTTP status: the end-to-end suites' own helper.
const { request } = require('../e2e/node-red/lib');

const ROOT = path.resolve(__dirname, '..');
const HOST = '127.0.0.1';

/**
 * The call: POST <capillary>/auth/v1/token/generate with a JSON body and no secret header (the brand goes in the body),
 * so the OTP Flow nodes, n8n's HTTP Request node, Node-RED's `http request` node and a raw client send the same request.
 */
const CALL = {
	path: '/auth/v1/token/generate',
	brand: 'DemoBrand',
	deviceId: 'bench-device',
	identifierType: 'MOBILE',
	/** A 12-digit mobile number with country code, distinct per item. */
	identifier: (i) => `91${String(i).padStart(10, '0')}`,
};

function callBody(i) {
	return { identifierType: CALL.identifierType, identifierValue: CALL.identifier(i), deviceId: CALL.deviceId, brand: CALL.brand };
}

function sleep(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

function median(xs) {
	const s = [...xs].sort((a, b) => a - b);
	if (s.length === 0) return NaN;
	const m = Math.floor(s.length / 2);
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** "1234 (1180–1301)": median and the spread of the rounds. */
function fmtSpread(xs, digits = 0) {
	if (!xs.length) return '—';
	const f = (x) => x.toFixed(digits);
	return `${f(median(xs))} (${f(Math.min(...xs))}–${f(Math.max(...xs))})`;
}

function envInt(name, fallback, min = 1) {
	const v = Number(process.env[name]);
	return Number.isInteger(v) && v >= min ? v : fallback;
}

function envList(name, fallback) {
	const v = process.env[name];
	if (!v) return fallback;
	return v
		.split(',')
		.map((x) => Number(x.trim()))
		.filter((x) => Number.isFinite(x) && x >= 0);
}

/** Clock ticks per second of /proc/<pid>/stat (100 on Linux almost everywhere). */
let ticks;
function clockTicks() {
	if (ticks === undefined) {
		try {
			ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
		} catch {
			ticks = 100;
		}
	}
	return ticks;
}

/** CPU time (user + system) a process has used so far, µs; NaN once it is gone. Resolution: one clock tick (10 ms). */
function processCpuUs(pid) {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		// utime and stime are fields 14 and 15 of the whole line, 12 and 13 after "pid (comm) ".
		return ((Number(fields[11]) + Number(fields[12])) / clockTicks()) * 1e6;
	} catch {
		return NaN;
	}
}

/**
 * Processes this run started. `kill()` ends them by PID (a process group for n8n and its task runner), as the finally
 * blocks and the hard limit do; nothing else is ever signalled.
 */
class Children {
	constructor() {
		this.list = [];
	}

	add(pid, { group = false } = {}) {
		this.list.push({ pid, group });
	}

	killAll(signal = 'SIGKILL') {
		for (const { pid, group } of this.list) {
			try {
				process.kill(group ? -pid : pid, signal);
			} catch {
				// already gone
			}
		}
	}
}

/**
 * A watchdog of its own: kills the process group `pgid` when this benchmark process is gone (killed without its finally
 * blocks running) or after `limitMs`, then exits. Detached, so it survives us; it ends when its work is done.
 */
function watchdog(pgid, limitMs) {
	const script = `const [parent, pgid, limit] = process.argv.slice(1).map(Number);
const end = Date.now() + limit;
const kill = () => { try { process.kill(-pgid, 'SIGKILL'); } catch {} process.exit(0); };
setInterval(() => {
	try { process.kill(pgid, 0); } catch { process.exit(0); }
	try { process.kill(parent, 0); } catch { kill(); }
	if (Date.now() > end) kill();
}, 1000);`;
	const child = spawn(process.execPath, ['-e', script, String(process.pid), String(pgid), String(limitMs)], { detached: true, stdio: 'ignore' });
	child.unref();
	return child.pid;
}

/**
 * The sandbox in its own process (node dist/sandbox/cli.js), so its CPU is not ours and ours is not its: listens on
 * 127.0.0.1, any free port, stops by itself after `lifetimeS`.
 */
class SandboxProcess {
	/** `pkgDir`: the installed package whose dist/sandbox runs. */
	constructor({ pkgDir, lifetimeS, children }) {
		Object.assign(this, { pkgDir, lifetimeS, children });
	}

	async start() {
		const cli = path.join(this.pkgDir, 'dist', 'sandbox', 'cli.js');
		this.child = spawn(process.execPath, [cli, '--port', '0', '--max-lifetime', String(this.lifetimeS)], {
			cwd: this.pkgDir,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.pid = this.child.pid;
		this.children.add(this.pid);
		this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
		let out = '';
		this.url = await new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`the sandbox did not start within 15 s:\n${out}`)), 15000);
			const onData = (d) => {
				out += d;
				const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
				if (m) {
					clearTimeout(timer);
					resolve(m[1]);
				}
			};
			this.child.stdout.on('data', onData);
			this.child.stderr.on('data', onData);
			this.child.on('exit', () => reject(new Error(`the sandbox exited during start:\n${out}`)));
		});
		this.capillary = `${this.url}/capillary`;
		this.callUrl = `${this.capillary}${CALL.path}`;
		return this;
	}

	alive() {
		return this.child && this.child.exitCode === null && this.child.signalCode === null;
	}

	/** Every Capillary request waits `ms` before its answer, for the rest of the run (0: none). Sessions are cleared too. */
	async setLatency(ms) {
		await this.control('POST', '/_sandbox/reset');
		if (ms > 0) await this.control('POST', '/_sandbox/faults', { provider: 'capillary', kind: 'latency', ms, times: 1e9 });
		this.latencyMs = ms;
	}

	/** Holds the next `count` Capillary requests for `ms` (the heap measurement), then back to the run's latency. */
	async hold(count, ms) {
		await this.control('DELETE', '/_sandbox/faults');
		await this.control('POST', '/_sandbox/faults', { provider: 'capillary', kind: 'latency', ms, times: count });
		if (this.latencyMs > 0) await this.control('POST', '/_sandbox/faults', { provider: 'capillary', kind: 'latency', ms: this.latencyMs, times: 1e9 });
	}

	resetStats() {
		return this.control('DELETE', '/_sandbox/stats');
	}

	stats() {
		return this.control('GET', '/_sandbox/stats');
	}

	async control(method, p, body) {
		const r = await request(method, `${this.url}${p}`, { body });
		if (r.status >= 300) throw new Error(`sandbox ${method} ${p} → ${r.status} ${r.text.slice(0, 300)}`);
		return r.json;
	}

	async stop() {
		if (!this.alive()) return;
		this.child.kill('SIGTERM');
		const timer = setTimeout(() => this.alive() && this.child.kill('SIGKILL'), 5000);
		await this.exited;
		clearTimeout(timer);
	}
}

/** Measured rounds of one variant in one cell (latency × N). */
class Series {
	constructor() {
		this.rate = [];
		this.peak = [];
		this.cpu = [];
	}

	add({ rate, peak, cpuUsPerItem }) {
		this.rate.push(rate);
		if (peak !== undefined) this.peak.push(peak);
		if (cpuUsPerItem !== undefined && Number.isFinite(cpuUsPerItem)) this.cpu.push(cpuUsPerItem);
	}
}

/** Files the benchmark needs from each package: a tarball packed while a build was half done lacks some. */
const NEEDED = {
	sandbox: ['dist/sandbox/cli.js', 'dist/sandbox/stats.js'],
	'node-red': ['dist/nodes/core/index.js', 'dist/node-red/capillary.js', 'dist/node-red/transport.js'],
	n8n: ['dist/nodes/Capillary/Capillary.node.js'],
};

/**
 * Packs the Node-RED, n8n and sandbox packages once (from dist/packages/) and installs the Node-RED one into
 * `<work>/node-red-user` the way Node-RED users install nodes (axios comes with it), the sandbox into
 * `<work>/sandbox-user`, and unpacks the n8n one into `<work>/n8n-package` for the cold-load timing. Everything
 * this run loads comes from those copies, so a rebuild of dist/ while the benchmark runs changes nothing under it.
 * Returns { tarball (n8n), userDir, pkgDir (Node-RED package), sandboxDir, n8nDir }.
 */
function preparePackage(work) {
	const packaging = require('../packaging');
	const { installIntoUserDir } = require('../e2e/node-red/lib');
	const cache = require('../e2e/node-red/cache');
	const missing = Object.entries(NEEDED).flatMap(([kind, files]) => {
		const dir = path.join(packaging.STAGE, packaging.folderOf(kind));
		return files.filter((f) => !fs.existsSync(path.join(dir, f))).map((f) => `${kind}: ${f}`);
	});
	if (missing.length) throw new Error(`dist/packages/ lacks ${missing.join(', ')}: run \`npm run build\` first (or wait for the build in progress)`);
	const tarballs = Object.fromEntries(Object.keys(NEEDED).map((kind) => [kind, packaging.pack(packaging.folderOf(kind), path.join(work, 'tarballs'))]));
	const userDir = path.join(work, 'node-red-user');
	fs.mkdirSync(userDir, { recursive: true });
	const pkgDir = installIntoUserDir(userDir, tarballs['node-red']);
	const sandboxUser = path.join(work, 'sandbox-user');
	fs.mkdirSync(sandboxUser, { recursive: true });
	fs.writeFileSync(path.join(sandboxUser, 'package.json'), '{"name":"sandbox-user","private":true}\n');
	cache.runNpm(['install', tarballs.sandbox, '--no-audit', '--no-fund', '--loglevel=error'], sandboxUser);
	const sandboxDir = path.join(sandboxUser, 'node_modules', ...packaging.manifest(packaging.folderOf('sandbox')).name.split('/'));
	const n8nDir = path.join(work, 'n8n-package');
	fs.mkdirSync(n8nDir, { recursive: true });
	execFileSync('tar', ['-xzf', tarballs.n8n, '-C', n8nDir, '--strip-components=1']);
	const lost = Object.entries({ 'node-red': pkgDir, sandbox: sandboxDir, n8n: n8nDir }).flatMap(([kind, dir]) =>
		NEEDED[kind].filter((f) => !fs.existsSync(path.join(dir, f))).map((f) => `${kind}: ${f}`),
	);
	if (lost.length) throw new Error(`the packed packages lack ${lost.join(', ')} (was dist/ rebuilt while packing?): run again`);
	return { tarball: tarballs.n8n, userDir, pkgDir, sandboxDir, n8nDir };
}

function secs(ms) {
	return `${(ms / 1000).toFixed(1)} s`;
}

module.exports = {
	ROOT,
	HOST,
	CALL,
	callBody,
	sleep,
	median,
	fmtSpread,
	envInt,
	envList,
	request,
	processCpuUs,
	Children,
	watchdog,
	SandboxProcess,
	Series,
	preparePackage,
	secs,
};
