'use strict';
/**
 * n8n in queue mode: one main (`n8n start`: editor, REST, webhooks and form pages; it enqueues every run),
 * workers (`n8n worker`) and optionally webhook processors (`n8n webhook`: the public routes, instead of the main), all sharing Redis (the Bull queue) and PostgreSQL (executions, waiting runs). Each
 * process has its own user folder with our package npm-installed into `<folder>/.n8n/nodes`, as separate hosts or
 * containers would, and the same encryption key and WEBHOOK_URL (a worker writes the form-waiting URL a person
 * is sent to, so it must name the main).
 *
 * Workers log in JSON; their "Worker started/finished execution X (job J)" lines say which worker ran which job.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const lib = require('../n8n/lib');
const { readTail } = require('./services');

/** The environment every n8n process of the cluster shares, plus its own ports and folder. */
function queueEnv(inst, { userFolder, brokerPort, port, redisPort, pgPort, webhookUrl, extra = {} }) {
	return lib.n8nEnv(inst, {
		userFolder,
		brokerPort,
		port,
		extra: {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: lib.HOST,
			QUEUE_BULL_REDIS_PORT: String(redisPort),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: lib.HOST,
			DB_POSTGRESDB_PORT: String(pgPort),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
			N8N_WEBHOOK_URL: webhookUrl,
			N8N_LOG_FORMAT: 'json',
			// A stopped worker hands its running jobs back fast; the suite never leaves long jobs behind.
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			// n8n's default (0) has Bull delete a job the moment it finishes. A process that enqueued a run and waits
			// for it (a Webhook answering "When Last Node Finishes") calls Bull's job.finished() only after its own
			// hooks: a job done by then is in no set and its "completed" event has passed, so the request hangs (seen
			// once: a 27 ms job behind a webhook processor; see docs/runtime-notes.md). Kept jobs are found finished.
			N8N_EXECUTIONS_QUEUE_KEEP_LAST_COMPLETED: '1000',
			N8N_EXECUTIONS_QUEUE_KEEP_LAST_FAILED: '1000',
			...extra,
		},
	});
}

/** One line of n8n's JSON log, or a plain text line. */
function parseLine(line) {
	if (!line.startsWith('{')) return { text: line };
	try {
		const j = JSON.parse(line);
		const meta = j.metadata || {};
		// n8n's JSON format moves the timestamp into metadata.
		const ts = j.timestamp || meta.timestamp;
		return { text: String(j.message || ''), level: j.level, at: ts ? Date.parse(ts) : undefined, meta };
	} catch {
		return { text: line };
	}
}

const JOB_LINE = /^Worker (started|finished) execution (\d+) \(job (\d+)\)/;

/**
 * A running n8n process: its output kept (and written to `logFile`), JSON log lines parsed; for a worker, the jobs
 * it started and finished, with the times it logged.
 */
class N8nProcess {
	constructor({ name, role, inst, env, args, logFile, procs, jobs }) {
		this.name = name;
		this.role = role;
		this.env = env;
		this.logFile = logFile;
		this.events = [];
		this.jobs = jobs; // shared Map jobId → { jobId, executionId, worker, startedAt, finishedAt }
		this.listeners = new Set();
		const out = fs.openSync(logFile, 'a');
		this.child = spawn(inst.nodeBin, [inst.n8nBin, ...args], { env, cwd: env.N8N_USER_FOLDER, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		this.child.label = name;
		this.child.exited = new Promise((resolve) =>
			this.child.once('exit', (code, signal) => {
				fs.closeSync(out);
				resolve({ code, signal });
			}),
		);
		procs.track(this.child);
		let partial = '';
		const onData = (d) => {
			fs.writeSync(out, d);
			partial += d;
			const lines = partial.split('\n');
			partial = lines.pop();
			for (const line of lines) this.onLine(line);
		};
		this.child.stdout.on('data', onData);
		this.child.stderr.on('data', onData);
	}

	get alive() {
		return this.child.exitCode === null && this.child.signalCode === null;
	}

	onLine(line) {
		if (!line.trim()) return;
		const e = parseLine(line);
		e.at = e.at || Date.now();
		this.events.push(e);
		const m = JOB_LINE.exec(e.text);
		if (m && this.role === 'worker') {
			const [, what, executionId, jobId] = m;
			const job = this.jobs.get(jobId) || { jobId, executionId, worker: this.name };
			if (what === 'started') job.startedAt = e.at;
			else job.finishedAt = e.at;
			this.jobs.set(jobId, job);
		}
		for (const l of this.listeners) l(e);
	}

	/** Resolves with the first log event (already seen or coming) for which `test(event)` is true. */
	waitForLog(test, { timeoutMs = 60000, what = 'a log line' } = {}) {
		const seen = this.events.find(test);
		if (seen) return Promise.resolve(seen);
		return new Promise((resolve, reject) => {
			const done = (fn, v) => {
				clearTimeout(timer);
				this.listeners.delete(listener);
				this.child.off('exit', onExit);
				fn(v);
			};
			const listener = (e) => {
				if (test(e)) done(resolve, e);
			};
			const onExit = () => done(reject, new Error(`${this.name} exited while waiting for ${what}:\n${this.tail()}`));
			const timer = setTimeout(() => done(reject, new Error(`${this.name}: no ${what} within ${timeoutMs} ms:\n${this.tail()}`)), timeoutMs);
			this.listeners.add(listener);
			this.child.once('exit', onExit);
		});
	}

	tail(chars = 3000) {
		return readTail(this.logFile, chars);
	}

	/** SIGTERM to the process group (n8n and its task runner), SIGKILL after graceMs. */
	async stop(graceMs = 20000) {
		if (!this.alive) return;
		try {
			process.kill(-this.child.pid, 'SIGTERM');
		} catch {
			/* gone */
		}
		const timer = setTimeout(() => {
			try {
				process.kill(-this.child.pid, 'SIGKILL');
			} catch {
				/* gone */
			}
		}, graceMs);
		await this.child.exited;
		clearTimeout(timer);
	}
}

function httpStatus(url) {
	return new Promise((resolve) => {
		const req = http.get(url, { timeout: 2000 }, (res) => {
			res.resume();
			resolve(res.statusCode);
		});
		req.on('error', () => resolve(0));
		req.on('timeout', () => {
			req.destroy();
			resolve(0);
		});
	});
}

/**
 * The cluster: `startMain()`, `startWorker(name, concurrency)`, the shared job map, and who ran an execution's jobs.
 * `opts`: { inst, work, redisPort, pgPort, procs, log }.
 */
class Cluster {
	constructor(opts) {
		Object.assign(this, opts);
		this.jobs = new Map();
		this.workers = new Map();
		this.webhookProcessors = new Map();
		this.main = undefined;
	}

	/** A user folder per process; our package is npm-installed into each (in parallel). */
	async prepareFolders(names, tarball) {
		await Promise.all(
			names.map(
				(name) =>
					new Promise((resolve, reject) => {
						const folder = path.join(this.work, name);
						fs.mkdirSync(folder, { recursive: true });
						// lib.installIntoUserFolder is synchronous; run it in a child so the installs overlap.
						const child = spawn(
							process.execPath,
							[
								'-e',
								`require(${JSON.stringify(path.join(__dirname, '..', 'n8n', 'lib.js'))}).installIntoUserFolder(process.argv[1], process.argv[2])`,
								tarball,
								folder,
							],
							{ stdio: ['ignore', 'ignore', 'pipe'] },
						);
						let err = '';
						child.stderr.on('data', (d) => {
							err += d;
						});
						child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`installing the package into ${folder} failed:\n${err}`))));
					}),
			),
		);
	}

	async envFor(name, { port, extra } = {}) {
		return queueEnv(this.inst, {
			userFolder: path.join(this.work, name),
			brokerPort: await lib.freePort(),
			port: port || (await lib.freePort()),
			redisPort: this.redisPort,
			pgPort: this.pgPort,
			webhookUrl: this.webhookUrl,
			extra,
		});
	}

	/** Runs an n8n CLI command (import, …) against the cluster's database, as the main's user. */
	async cli(args, options) {
		const env = await this.envFor('main', { port: this.mainPort });
		const r = await lib.runN8n(this.inst, env, args, options);
		fs.writeFileSync(path.join(this.work, `cli-${args[0].replace(/\W/g, '_')}-${Date.now()}.log`), `${r.stdout}\n--- stderr ---\n${r.stderr}`);
		if (r.status !== 0) throw new Error(`n8n ${args.join(' ')} exited ${r.status} ${r.signal || ''}:\n${r.stderr.slice(-3000)}\n${r.stdout.slice(-2000)}`);
		return r;
	}

	/** `extra`: more environment for the main (N8N_DISABLE_PRODUCTION_MAIN_PROCESS, say); kept for its restarts. */
	/** A fresh database is migrated by the first n8n command; the result is kept as the template for warm runs. */
	async migrateOnce(pg, saveTemplate) {
		if (pg.fromTemplate) return false;
		await this.cli(['list:workflow'], { timeoutMs: 240000 });
		await saveTemplate(pg);
		return true;
	}

	/** `n8n import:credentials` of a list of credentials (the file is removed afterwards: it holds them in plain). */
	async importCredentials(credentials) {
		const file = path.join(this.work, 'credentials.json');
		fs.writeFileSync(file, JSON.stringify(credentials));
		try {
			await this.cli(['import:credentials', `--input=${file}`]);
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/** `n8n import:workflow --separate` of the workflows, one file each. */
	async importWorkflows(workflows) {
		const dir = path.join(this.work, 'workflows');
		fs.mkdirSync(dir, { recursive: true });
		for (const wf of workflows) fs.writeFileSync(path.join(dir, `${wf.id}.json`), JSON.stringify(wf));
		await this.cli(['import:workflow', '--separate', `--input=${dir}`]);
	}

	/** Publishes each workflow through a logged-in REST client (the main registers its paths at once). */
	static async publish(client, workflows) {
		for (const wf of workflows) {
			const g = await client.get(`/rest/workflows/${wf.id}`);
			if (g.status !== 200) throw new Error(`GET workflow ${wf.id}: ${g.status} ${g.text.slice(0, 300)}`);
			const a = await client.post(`/rest/workflows/${wf.id}/activate`, { versionId: g.json.data.versionId });
			if (a.status !== 200) throw new Error(`activate ${wf.id}: ${a.status} ${a.text.slice(0, 500)}`);
		}
	}

	async startMain({ extra } = {}) {
		if (extra) this.mainExtra = extra;
		const env = await this.envFor('main', { port: this.mainPort, extra: this.mainExtra });
		this.main = new N8nProcess({
			name: 'main',
			role: 'main',
			inst: this.inst,
			env,
			args: ['start'],
			logFile: path.join(this.work, 'main.log'),
			procs: this.procs,
			jobs: this.jobs,
		});
		const base = this.baseUrl;
		await lib.waitForHttp(`${base}/healthz`, { timeoutMs: 180000, isAlive: () => this.main.alive });
		await lib.waitForHttp(`${base}/rest/settings`, {
			want: (s, body) => s === 200 && !/starting up/i.test(body),
			timeoutMs: 120000,
			isAlive: () => this.main.alive,
		});
		return this.main;
	}

	async startWorker(name, concurrency) {
		const healthPort = await lib.freePort();
		const env = await this.envFor(name, {
			extra: { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort), N8N_WORKER_SERVER_ADDRESS: lib.HOST },
		});
		const w = new N8nProcess({
			name,
			role: 'worker',
			inst: this.inst,
			env,
			args: ['worker', `--concurrency=${concurrency}`],
			logFile: path.join(this.work, `${name}.log`),
			procs: this.procs,
			jobs: this.jobs,
		});
		w.concurrency = concurrency;
		w.healthPort = healthPort;
		this.workers.set(name, w);
		const deadline = Date.now() + 120000;
		// /healthz/readiness answers 200 once the worker listens to the queue (its DB and Redis connections are up).
		for (;;) {
			if (!w.alive) throw new Error(`${name} exited while starting:\n${w.tail()}`);
			if ((await httpStatus(`http://${lib.HOST}:${healthPort}/healthz/readiness`)) === 200) break;
			if (Date.now() > deadline) throw new Error(`${name} not ready within 120 s:\n${w.tail()}`);
			await new Promise((r) => setTimeout(r, 250));
		}
		await w.waitForLog((e) => /n8n worker is now ready/.test(e.text), { timeoutMs: 30000, what: '"worker is now ready"' });
		return w;
	}

	/**
	 * A webhook processor (`n8n webhook`): n8n's production routes (/webhook, /form, /webhook-waiting,
	 * /form-waiting) on its own port; it enqueues the runs it starts or resumes. Ready once /healthz/readiness is 200.
	 */
	async startWebhookProcessor(name, { extra } = {}) {
		const port = await lib.freePort();
		const env = await this.envFor(name, { port, extra });
		const p = new N8nProcess({
			name,
			role: 'webhook',
			inst: this.inst,
			env,
			args: ['webhook'],
			logFile: path.join(this.work, `${name}.log`),
			procs: this.procs,
			jobs: this.jobs,
		});
		p.port = port;
		p.url = `http://${lib.HOST}:${port}`;
		this.webhookProcessors.set(name, p);
		await lib.waitForHttp(`${p.url}/healthz/readiness`, { want: (s) => s === 200, timeoutMs: 180000, isAlive: () => p.alive });
		await p.waitForLog((e) => /Webhook listener waiting for requests/.test(e.text), { timeoutMs: 30000, what: '"Webhook listener waiting"' });
		return p;
	}

	async stopWorker(name) {
		const w = this.workers.get(name);
		if (!w) return;
		await w.stop();
		this.workers.delete(name);
	}

	get baseUrl() {
		return `http://${lib.HOST}:${this.mainPort}`;
	}

	/** The jobs of an execution, in the order Bull numbered them (its job ids only grow). */
	jobsOf(executionId) {
		return [...this.jobs.values()].filter((j) => j.executionId === String(executionId)).sort((a, b) => Number(a.jobId) - Number(b.jobId));
	}

	/** Resolves with the execution's jobs once `count` of them have finished (any worker). */
	async waitForJobs(executionId, count, timeoutMs = 60000) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const jobs = this.jobsOf(executionId);
			if (jobs.filter((j) => j.finishedAt).length >= count) return jobs;
			if (Date.now() > deadline)
				throw new Error(`execution ${executionId}: ${count} finished jobs expected within ${timeoutMs} ms, have ${JSON.stringify(jobs)}`);
			for (const w of this.workers.values()) if (!w.alive) throw new Error(`${w.name} exited:\n${w.tail()}`);
			await new Promise((r) => setTimeout(r, 50));
		}
	}

	/** Resolves with the job of an execution once a worker has started it. */
	async waitForStart(executionId, timeoutMs = 60000) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const job = this.jobsOf(executionId).find((j) => j.startedAt);
			if (job) return job;
			if (Date.now() > deadline) throw new Error(`execution ${executionId} was not started by a worker within ${timeoutMs} ms`);
			await new Promise((r) => setTimeout(r, 50));
		}
	}

	async stopAll() {
		const all = [...this.workers.values(), ...this.webhookProcessors.values(), this.main].filter(Boolean);
		await Promise.all(all.map((p) => p.stop()));
	}
}

module.exports = { Cluster, N8nProcess, queueEnv, parseLine };
