#!/usr/bin/env node
/**
 * n8n queue mode with this package (node:test; `npm run test:e2e:queue`):
 *
 *  1. Redis and PostgreSQL on 127.0.0.1 (./services.js: Debian packages, installed with apt when missing; data in a
 *     temporary folder; a migrated database cached as a template), the sandbox and a "gate" in this process.
 *  2. n8n 2.41.1 main (`n8n start`, EXECUTIONS_MODE=queue) and two workers (`n8n worker --concurrency=1`), each
 *     with its own user folder and the packed package npm-installed into `<folder>/.n8n/nodes`.
 *  3. Every journey of templates/n8n/journeys/ (or our own Capillary form journey when there are none) through the
 *     MAIN's form URL, the code read from the sandbox inbox. The step before the code page and the step after it
 *     must run on different workers: each worker has one slot, and before the code is posted both slots are taken
 *     by "gate" runs that the suite holds; it frees the slot of the worker that did NOT run the first part, so the
 *     resumed run can only go there. Who ran what: the workers' "Worker started/finished execution X (job J)" log
 *     lines, checked against the node start times in the execution data in Postgres. The first journey also
 *     waits at its code page while the main and the worker that ran its first part are restarted.
 *  4. Send and Wait for Code (./send-and-wait.js): its templates at the main's waiting URLs; every answer before the
 *     final one comes from the main (no job, run still waiting, both worker slots held); the resumed run on the
 *     worker that did not send; 409 "running already" while the resumed job is queued; what a POST after the end gets;
 *     attempts exhausted (max_attempts on Failure). A person who never answers (a one-minute limit, started before
 *     step 3 so that its minute overlaps 3 and 4): n8n resumes the run from Postgres on a worker, and it ends on
 *     Failure as `expired`, nothing on Success.
 *  5. Throughput: many webhook-started runs of the Capillary chain against the sandbox with 150 ms added to every
 *     provider request, on one worker, then on two: executions/s and the ratio are printed, never asserted.
 *
 * Env: OTPFLOW_CACHE (n8n cache root), OTPFLOW_E2E_KEEP=1 (keep the temp folder and its logs),
 * OTPFLOW_QUEUE_CONCURRENCY=1,5 (worker concurrencies the throughput is measured at; default 1 and 5),
 * OTPFLOW_QUEUE_RUNS=<n> (webhook runs per measurement; default max(60, 30 × concurrency)),
 * OTPFLOW_QUEUE_NO_RESTART=1 (skip the restart of the main and a worker mid-journey).
 */
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const { ensureN8n, N8N_VERSION, NODE_VERSION } = require('../n8n/install');
const lib = require('../n8n/lib');
const services = require('./services');
const { Cluster } = require('./cluster');
const forms = require('./forms');
const W = require('./workflows');
const SAW = require('./send-and-wait');
const GUARD = require('./send-guard');

/** Hard limit for the whole suite, cold start included (apt, first migration). */
const SUITE_LIMIT_MS = 12 * 60 * 1000;
const PAGE_TIMEOUT_MS = 60000;
const LATENCY_MS = 150;
/** One slot per worker is latency-bound; five (n8n's recommended minimum) shows where 2 cores run out. */
const CONCURRENCIES = (process.env.OTPFLOW_QUEUE_CONCURRENCY || '1,5')
	.split(',')
	.map(Number)
	.filter((n) => n > 0);
const runsFor = (concurrency) => Number(process.env.OTPFLOW_QUEUE_RUNS) || Math.max(60, 30 * concurrency);
/** Webhook calls in flight at once while the runs are handed to the main. */
const POST_PARALLEL = 8;

const timings = { started: Date.now(), phases: [] };
const state = { procs: services.processTracker(), journeys: [], waits: [], throughput: [] };
const log = (line) => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function phase(name, ms) {
	timings.phases.push({ name, ms });
	log(`[queue] ${name}: ${lib.secs(ms)}`);
}

// Whatever happens, nothing we started outlives the suite: every process group we started, by its PID.
process.on('exit', () => {
	state.procs.killAllSync();
	if (state.work && !state.cleaned && process.env.OTPFLOW_E2E_KEEP !== '1') fs.rmSync(state.work, { recursive: true, force: true, maxRetries: 3 });
});
for (const sig of ['SIGINT', 'SIGTERM'])
	process.on(sig, () => {
		log(`[queue] ${sig}: stopping what the suite started`);
		process.exit(130);
	});
const watchdog = setTimeout(() => {
	log(`[queue] the suite ran past ${SUITE_LIMIT_MS / 1000} s: stopping what it started`);
	process.exit(1);
}, SUITE_LIMIT_MS);
watchdog.unref();

// ---------------------------------------------------------------------------------------------------
// The gate: an HTTP endpoint that holds each request until the suite releases it
// ---------------------------------------------------------------------------------------------------

function startGate() {
	const held = new Map();
	const arrivals = [];
	const server = http.createServer((req, res) => {
		const m = /^\/hold\/(\d+)$/.exec(req.url);
		if (!m) {
			res.writeHead(404).end();
			return;
		}
		held.set(m[1], res);
		arrivals.push(m[1]);
	});
	return new Promise((resolve) =>
		server.listen(0, lib.HOST, () =>
			resolve({
				url: `http://${lib.HOST}:${server.address().port}`,
				arrivals,
				release(id) {
					const res = held.get(id);
					held.delete(id);
					if (res) res.writeHead(200, { 'content-type': 'application/json' }).end('{"released":true}');
				},
				releaseAll() {
					for (const id of [...held.keys()]) this.release(id);
				},
				/** Resolves with the execution ids of the first `count` runs that reached the gate. */
				async waitForArrivals(count, timeoutMs = 30000) {
					const deadline = Date.now() + timeoutMs;
					while (arrivals.length < count) {
						if (Date.now() > deadline) throw new Error(`the gate saw ${arrivals.length} of ${count} runs within ${timeoutMs} ms`);
						await sleep(50);
					}
					return arrivals.slice(0, count);
				},
				close() {
					this.releaseAll();
					return new Promise((r) => server.close(r));
				},
			}),
		),
	);
}

// ---------------------------------------------------------------------------------------------------
// Execution data, from Postgres (n8n stores it flatted)
// ---------------------------------------------------------------------------------------------------

function sql(query) {
	return services.psql(state.pg, 'n8n', query);
}

function readExecution(id) {
	const row = sql(
		`SELECT e.status || '|' || COALESCE(d.data, '') FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id WHERE e.id = ${Number(id)}`,
	).replace(/\n$/, '');
	const bar = row.indexOf('|');
	const status = row.slice(0, bar);
	const raw = row.slice(bar + 1);
	const { parse } = require(path.join(state.inst.n8nModules, 'flatted'));
	return { status, data: raw ? parse(raw) : undefined };
}

/** The items a node emitted on each output in its last run, as JSON. */
function lastOutput(exec, nodeName) {
	const runs = exec.data.resultData.runData[nodeName];
	if (!runs || !runs.length) return undefined;
	const last = runs[runs.length - 1];
	return { runs, startTime: last.startTime, outputs: ((last.data && last.data.main) || []).map((items) => (items || []).map((i) => i.json)) };
}

function resultOf(out) {
	const item = out && out.outputs.flat()[0];
	return item || {};
}

// ---------------------------------------------------------------------------------------------------
// Driving the cluster
// ---------------------------------------------------------------------------------------------------

async function postWebhook(p, body) {
	const data = Buffer.from(JSON.stringify(body || {}));
	const r = await forms.request('POST', `${state.cluster.baseUrl}/webhook/${p}`, {
		body: data,
		headers: { 'content-type': 'application/json' },
		timeoutMs: 30000,
	});
	if (r.status !== 200) throw new Error(`POST /webhook/${p} → ${r.status} ${r.text.slice(0, 300)}`);
	return r;
}

async function sandbox(method, p, json) {
	const body = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
	const r = await forms.request(method, `${state.sandbox.url}${p}`, { body, headers: body ? { 'content-type': 'application/json' } : {} });
	return r;
}

/**
 * Both worker slots taken by gate runs (each worker has one slot, so two gate runs land on both); returns
 * [{ id, worker }] for the two held runs.
 */
async function occupyBothWorkers() {
	const seen = state.gate.arrivals.length;
	await Promise.all([postWebhook(W.GATE_PATH), postWebhook(W.GATE_PATH)]);
	const ids = (await state.gate.waitForArrivals(seen + 2)).slice(seen);
	const held = await Promise.all(ids.map(async (id) => ({ id, worker: (await state.cluster.waitForStart(id)).worker })));
	assert.notEqual(held[0].worker, held[1].worker, `the two gate runs are on different workers: ${JSON.stringify(held)}`);
	return held;
}

/** The newest inbox message for the journey's provider to one of the values typed, newer than message `afterSeq`. */
async function codeFromInbox(c, afterSeq) {
	const deadline = Date.now() + 15000;
	for (;;) {
		for (const to of c.inboxTo) {
			const r = await sandbox('GET', `/_sandbox/inbox/latest?provider=${encodeURIComponent(c.provider)}&to=${encodeURIComponent(to)}`);
			if (r.status === 200 && Number(r.json.id.replace(/\D/g, '')) > afterSeq) return r.json;
		}
		if (Date.now() > deadline) throw new Error(`${c.id}: no new code in the sandbox inbox for ${c.provider} to ${c.inboxTo.join(' or ')}`);
		await sleep(100);
	}
}

async function inboxSeq() {
	const r = await sandbox('GET', '/_sandbox/inbox');
	return Math.max(0, ...r.json.messages.map((m) => Number(m.id.replace(/\D/g, ''))));
}

function pageTitle(html) {
	const m = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html) || /<title>([\s\S]*?)<\/title>/.exec(html);
	return m ? m[1].replace(/<[^>]+>/g, '').trim() : '';
}

/** Which job (and so which worker) a node's run belongs to: the job whose logged window holds its start time. */
function jobOfRun(jobs, startTime) {
	return jobs.find((j) => j.startedAt <= startTime && startTime <= j.finishedAt);
}

/** Restarts the main and one worker while a run waits at its code page (nothing may live in their memory). */
async function restartMainAndWorker(workerName) {
	const t0 = Date.now();
	const w = state.cluster.workers.get(workerName);
	const concurrency = w.concurrency;
	await Promise.all([state.cluster.main.stop(), state.cluster.stopWorker(workerName)]);
	await state.cluster.startMain();
	await state.cluster.startWorker(workerName, concurrency);
	return Date.now() - t0;
}

/**
 * One journey run through the main's form URL. Returns what ran where.
 * `restart`: restart the main and the worker that ran the first part while the code page waits.
 */
async function runJourney(c, { restart = false } = {}) {
	const base = state.cluster.baseUrl;
	const formUrl = `${base}/form/${c.path}`;
	const t0 = Date.now();
	let r = await forms.request('GET', formUrl);
	assert.equal(r.status, 200, `${c.id}: GET ${formUrl} → ${r.status}`);
	const seq = await inboxSeq();
	r = await forms.postForm(formUrl, c.firstValues);
	assert.equal(r.status, 200, `${c.id}: POST first page → ${r.status} ${r.text.slice(0, 300)}`);
	const waitingUrl = r.json && r.json.formWaitingUrl;
	assert.ok(waitingUrl, `${c.id}: formWaitingUrl in ${r.text.slice(0, 300)}`);
	assert.ok(waitingUrl.startsWith(`${base}/form-waiting/`), `${c.id}: the run continues at the main's address (N8N_WEBHOOK_URL), got ${waitingUrl}`);
	const executionId = forms.executionIdOf(waitingUrl);

	// First part: the steps up to the code page, one job.
	await forms.waitForStatus(waitingUrl, { timeoutMs: PAGE_TIMEOUT_MS });
	const [first] = await state.cluster.waitForJobs(executionId, 1);
	r = await forms.request('GET', waitingUrl);
	assert.equal(r.status, 200);
	assert.equal(pageTitle(r.text), c.pages.code, `${c.id}: the code page, got "${pageTitle(r.text)}"`);
	const msg = await codeFromInbox(c, seq);

	let restartMs;
	let held = [];
	if (restart) {
		restartMs = await restartMainAndWorker(first.worker);
		// The restarted worker is idle and so is the other: hold the restarted one so the other takes the code.
	}
	// Both slots taken, then only the other worker's slot freed: the resumed run can only go there.
	held = await occupyBothWorkers();
	const free = held.find((h) => h.worker !== first.worker);
	const keep = held.find((h) => h.worker === first.worker);
	state.gate.release(free.id);

	r = await forms.postForm(waitingUrl, c.codeValues(msg.otp));
	assert.equal(r.status, 200, `${c.id}: POST code → ${r.status} ${r.text.slice(0, 300)}`);
	await forms.waitForStatus(waitingUrl, { timeoutMs: PAGE_TIMEOUT_MS });
	const [, second] = await state.cluster.waitForJobs(executionId, 2);
	state.gate.release(keep.id);
	r = await forms.request('GET', waitingUrl);
	assert.equal(pageTitle(r.text), c.pages.done, `${c.id}: the done page, got "${pageTitle(r.text)}"`);
	// Read while the run waits at the done page: a workflow that saves no successful runs deletes it once it ends.
	const exec = readExecution(executionId);
	assert.equal(exec.status, 'waiting', `${c.id}: execution ${executionId} waits at the done page`);
	// An ending page is closed with one more POST (its own script does that); the run then ends.
	r = await forms.postForm(waitingUrl, []);
	assert.ok(r.status < 400, `${c.id}: closing POST → ${r.status}`);
	const ended = await forms.waitForStatus(waitingUrl, { want: c.savesSuccess ? ['success'] : ['success', 'null'], timeoutMs: PAGE_TIMEOUT_MS });
	const jobs = await state.cluster.waitForJobs(executionId, 3);
	for (const h of held) await state.cluster.waitForJobs(h.id, 1);
	let unsaved;
	if (!c.savesSuccess) {
		// saveDataSuccessExecution 'none': n8n soft-deletes the finished run; its data waits for the hard-delete sweep.
		const [deleted, bytes] = sql(
			`SELECT e."deletedAt" IS NOT NULL, COALESCE(LENGTH(d.data), 0) FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id WHERE e.id = ${Number(executionId)}`,
		)
			.trim()
			.split('|');
		assert.equal(ended, 'null', `${c.id}: the finished run is gone from the status page (not saved)`);
		assert.equal(deleted, 't', `${c.id}: the finished run is soft-deleted`);
		unsaved = { dataBytes: Number(bytes) };
	}

	const send = lastOutput(exec, c.steps.send);
	const verify = lastOutput(exec, c.steps.verify);
	assert.ok(send && verify, `${c.id}: ${c.steps.send} and ${c.steps.verify} ran (ran: ${Object.keys(exec.data.resultData.runData).join(', ')})`);
	assert.equal(resultOf(send).status, 'otp_sent', `${c.id}: ${c.steps.send} → ${JSON.stringify(resultOf(send)).slice(0, 300)}`);
	assert.equal(resultOf(verify).status, 'verified', `${c.id}: ${c.steps.verify} → ${JSON.stringify(resultOf(verify)).slice(0, 300)}`);
	if (c.steps.after) {
		const afterOut = lastOutput(exec, c.steps.after);
		assert.equal(resultOf(afterOut).status, 'completed', `${c.id}: ${c.steps.after} → ${JSON.stringify(resultOf(afterOut)).slice(0, 300)}`);
	}
	if (c.pages.doneNode) assert.ok(exec.data.resultData.runData[c.pages.doneNode], `${c.id}: the ${c.pages.doneNode} ran`);

	// Who ran what: the job windows from the workers' logs must hold the node start times from the execution data.
	const sendJob = jobOfRun(jobs, send.startTime);
	const verifyJob = jobOfRun(jobs, verify.startTime);
	assert.ok(sendJob, `${c.id}: ${c.steps.send} started (${send.startTime}) inside a logged job: ${JSON.stringify(jobs)}`);
	assert.ok(verifyJob, `${c.id}: ${c.steps.verify} started (${verify.startTime}) inside a logged job: ${JSON.stringify(jobs)}`);
	assert.equal(sendJob.jobId, first.jobId, `${c.id}: ${c.steps.send} ran in the first job`);
	assert.equal(verifyJob.jobId, second.jobId, `${c.id}: ${c.steps.verify} ran in the job after the code page`);
	assert.notEqual(sendJob.worker, verifyJob.worker, `${c.id}: the step before the code page and the step after it ran on different workers`);

	const where = {};
	for (const [name, runs] of Object.entries(exec.data.resultData.runData)) {
		where[name] = runs.map((run) => {
			const j = jobOfRun(jobs, run.startTime);
			return j ? j.worker : 'main';
		});
	}
	return { id: c.id, executionId, jobs, where, send: sendJob.worker, verify: verifyJob.worker, ms: Date.now() - t0, restartMs, steps: c.steps, unsaved };
}

/**
 * `runs` webhook-started bulk runs with LATENCY_MS added to every provider request; resolves with { runs, ok (verified),
 * seconds (first POST to last stoppedAt), perSecond, perWorker, requests, peakInFlight }.
 */
async function measureThroughput(label, runs, offset) {
	await sandbox('DELETE', '/_sandbox/faults');
	const f = await sandbox('POST', '/_sandbox/faults', { kind: 'latency', ms: LATENCY_MS, times: 1000000 });
	assert.equal(f.status, 201, `latency fault: ${f.text}`);
	await sandbox('DELETE', '/_sandbox/stats');
	const maxBefore = Number(sql(`SELECT COALESCE(MAX(id), 0) FROM execution_entity`).trim());
	const t0 = Date.now();
	let next = 0;
	await Promise.all(
		Array.from({ length: POST_PARALLEL }, async () => {
			while (next < runs) {
				const n = offset + next++;
				await postWebhook(W.BULK_PATH, { n, mobile: `917${String(n).padStart(9, '0')}` });
			}
		}),
	);
	const posted = Date.now() - t0;
	const deadline = Date.now() + 5 * 60 * 1000;
	let row;
	for (;;) {
		row = sql(`SELECT COUNT(*) FILTER (WHERE status IN ('success', 'error', 'crashed', 'canceled')), COUNT(*) FILTER (WHERE status = 'success'),
			(EXTRACT(EPOCH FROM MAX("stoppedAt")) * 1000)::bigint FROM execution_entity WHERE "workflowId" = 'otpflowQueueBulk' AND id > ${maxBefore}`)
			.trim()
			.split('|');
		if (Number(row[0]) >= runs) break;
		if (Date.now() > deadline) throw new Error(`${label}: ${row[0]} of ${runs} runs finished within 5 minutes`);
		await sleep(200);
	}
	const seconds = (Number(row[2]) - t0) / 1000;
	const stats = (await sandbox('GET', '/_sandbox/stats')).json;
	await sandbox('DELETE', '/_sandbox/faults');
	// Which worker ran each of these runs (one job each), from the workers' logs.
	const ids = new Set(sql(`SELECT id FROM execution_entity WHERE "workflowId" = 'otpflowQueueBulk' AND id > ${maxBefore}`).trim().split('\n'));
	const perWorker = {};
	for (const j of state.cluster.jobs.values()) if (ids.has(j.executionId)) perWorker[j.worker] = (perWorker[j.worker] || 0) + 1;
	const res = {
		label,
		runs,
		ok: Number(row[1]),
		seconds,
		perSecond: runs / seconds,
		postedSeconds: posted / 1000,
		requests: stats.requests,
		peakInFlight: stats.peakInFlight,
		perWorker,
	};
	const spread = Object.entries(perWorker)
		.sort()
		.map(([w, n]) => `${w} ${n}`)
		.join(', ');
	log(
		`[queue]   ${label}: ${runs} runs in ${seconds.toFixed(1)} s → ${res.perSecond.toFixed(2)} executions/s (${res.ok} verified; ran on ${spread}; handed to the main in ${res.postedSeconds.toFixed(1)} s; ${res.requests} provider requests, at most ${res.peakInFlight} at once)`,
	);
	return res;
}

// ---------------------------------------------------------------------------------------------------
// Set-up and tear-down
// ---------------------------------------------------------------------------------------------------

before(async () => {
	let t = Date.now();
	state.inst = ensureN8n({ log });
	phase(`n8n ${N8N_VERSION} + Node ${NODE_VERSION} ${state.inst.reused ? 'from the cache' : 'installed'}`, Date.now() - t);
	lib.build({ log });

	t = Date.now();
	state.bins = services.ensureBinaries(log);
	timings.cold = state.bins.installed;
	phase(
		`Redis + PostgreSQL ${state.bins.pgMajor} binaries ${state.bins.installed ? 'installed with apt' : 'already installed'} (${state.bins.redisServer}, ${state.bins.pgBin})`,
		Date.now() - t,
	);

	state.work = fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-queue-'));
	// Postgres runs as the postgres user and must reach its folder inside.
	fs.chmodSync(state.work, 0o711);

	const { startSandbox } = require(path.join(lib.ROOT, 'dist', 'sandbox'));
	// iServeU's two journeys send to one mobile number within seconds: no resend wait here.
	state.sandbox = await startSandbox({ port: 0, maxLifetimeMs: SUITE_LIMIT_MS, config: { iserveuResendCooldownSeconds: 0, inboxLimit: 20000 } });
	state.gate = await startGate();

	t = Date.now();
	const [redisPort, pgPort, mainPort] = [await lib.freePort(), await lib.freePort(), await lib.freePort()];
	state.redis = await services.startRedis({ bins: state.bins, dir: path.join(state.work, 'redis'), port: redisPort, procs: state.procs });
	state.pg = await services.startPostgres({
		bins: state.bins,
		dir: path.join(state.work, 'postgres'),
		port: pgPort,
		procs: state.procs,
		cacheDir: state.inst.dir,
		log,
	});
	phase(
		`Redis on ${lib.HOST}:${redisPort}, PostgreSQL on ${lib.HOST}:${pgPort} (${state.pg.fromTemplate ? 'migrated template copied' : 'new cluster'})`,
		Date.now() - t,
	);

	t = Date.now();
	state.tarball = lib.pack(state.work);
	state.cluster = new Cluster({
		inst: state.inst,
		work: state.work,
		redisPort,
		pgPort,
		mainPort,
		webhookUrl: `http://${lib.HOST}:${mainPort}/`,
		procs: state.procs,
		log,
	});
	await state.cluster.prepareFolders(['main', 'w1', 'w2'], state.tarball);
	phase('npm pack + npm install <tarball> into the .n8n/nodes of main, w1 and w2', Date.now() - t);

	if (!state.pg.fromTemplate) {
		// The first n8n command on an empty database migrates it; keep the result for the next runs.
		t = Date.now();
		await state.cluster.cli(['list:workflow'], { timeoutMs: 240000 });
		await services.saveTemplate(state.pg);
		timings.cold = true;
		phase('first migration of PostgreSQL by n8n (kept as a template for warm runs)', Date.now() - t);
	}

	t = Date.now();
	const templates = lib.loadTemplates();
	const credFile = path.join(state.work, 'credentials.json');
	const credentials = lib.rewriteUrls(templates.credentials, state.sandbox.url);
	// The send guard's case counts in the sandbox's stand-in of Redis over HTTP (./send-guard.js).
	const { SANDBOX_STORE_TOKEN } = require(path.join(lib.ROOT, 'dist', 'sandbox'));
	credentials.push(GUARD.credential(credentials, state.sandbox.storeUrl, SANDBOX_STORE_TOKEN));
	fs.writeFileSync(credFile, JSON.stringify(credentials));
	await state.cluster.cli(['import:credentials', `--input=${credFile}`]);
	fs.rmSync(credFile);
	const shipped = typeof lib.loadJourneys === 'function' ? lib.loadJourneys() : [];
	const wfDir = path.join(state.work, 'workflows');
	fs.mkdirSync(wfDir);
	const workflows = [W.gateWorkflow(state.gate.url), W.bulkWorkflow(templates, state.sandbox.url)];
	if (shipped.length) {
		const dist = (p) => require(path.join(lib.ROOT, 'dist', 'journeys', p));
		const { JOURNEYS } = dist('index');
		const { stepsOf } = dist('params');
		state.cases = shipped.map((s) => {
			const journey = JOURNEYS.find((j) => j.id === s.id);
			assert.ok(journey, `${s.file}: a journey description with id ${s.id}`);
			workflows.push(lib.rewriteUrls(s.workflow, state.sandbox.url));
			return W.journeyCase(s, journey, stepsOf);
		});
	} else {
		const own = W.ownJourney(templates);
		workflows.push(own.workflow);
		state.cases = [own.testCase];
		log('[queue] no templates/n8n/journeys/: our own Capillary form journey instead');
	}
	// Send and Wait for Code: its templates, driven at the main's waiting URLs (./send-and-wait.js).
	const saw = SAW.prepare({
		sandboxUrl: state.sandbox.url,
		journeys: require(path.join(lib.ROOT, 'dist', 'journeys', 'index')).JOURNEYS,
		waitInputs: require(path.join(lib.ROOT, 'dist', 'journeys', 'n8n-wait')).waitInputs,
	});
	workflows.push(...saw.workflows);
	workflows.push(GUARD.workflow(lib.PKG.name));
	state.waitCases = saw.cases;
	state.neverCase = saw.never;
	for (const wf of workflows) fs.writeFileSync(path.join(wfDir, `${wf.id}.json`), JSON.stringify(wf));
	await state.cluster.cli(['import:workflow', '--separate', `--input=${wfDir}`]);
	phase(
		`import:credentials + import:workflow (${workflows.length} workflows: ${state.cases.length} journeys, ${saw.workflows.length} Send and Wait, gate, bulk)`,
		Date.now() - t,
	);

	t = Date.now();
	await state.cluster.startMain();
	const { client } = await lib.ownerSetupOrLogin(state.cluster.baseUrl);
	// Published while the main runs: it registers the form and webhook paths at once (and keeps them over restarts).
	for (const wf of workflows) {
		const g = await client.get(`/rest/workflows/${wf.id}`);
		assert.equal(g.status, 200, `GET workflow ${wf.id}: ${g.text.slice(0, 300)}`);
		const a = await client.post(`/rest/workflows/${wf.id}/activate`, { versionId: g.json.data.versionId });
		assert.equal(a.status, 200, `activate ${wf.id}: ${a.text.slice(0, 500)}`);
	}
	phase(`n8n main (queue mode) up on ${state.cluster.baseUrl}, owner set up, ${workflows.length} workflows published`, Date.now() - t);

	t = Date.now();
	await Promise.all([state.cluster.startWorker('w1', 1), state.cluster.startWorker('w2', 1)]);
	phase('workers w1 and w2 ready (concurrency 1 each)', Date.now() - t);
	timings.setup = Date.now() - timings.started;
});

after(async () => {
	const t = Date.now();
	try {
		if (state.gate) state.gate.releaseAll();
		if (state.cluster) await state.cluster.stopAll();
	} finally {
		if (state.gate) await state.gate.close();
		if (state.sandbox) await state.sandbox.close();
		if (state.pg) await services.stopProcess(state.pg.child, 'SIGINT', 20000);
		if (state.redis) await services.stopProcess(state.redis.child, 'SIGTERM', 10000);
		state.procs.killAllSync();
		const left = state.procs.alive();
		if (left.length) log(`[queue] still alive after stop: ${left.map((c) => `${c.label} (${c.pid})`).join(', ')}`);
		if (state.work && process.env.OTPFLOW_E2E_KEEP === '1') log(`[queue] kept ${state.work} (logs: main.log, w1.log, w2.log, postgres/, redis/)`);
		else if (state.work) fs.rmSync(state.work, { recursive: true, force: true });
		state.cleaned = true;
		clearTimeout(watchdog);
	}
	phase('stopped n8n, Postgres and Redis', Date.now() - t);
	summary();
});

function summary() {
	log('');
	log(`[queue] ---- n8n ${N8N_VERSION} queue mode: main + 2 workers, Redis, PostgreSQL ${state.bins ? state.bins.pgMajor : ''} ----`);
	for (const j of state.journeys) {
		const parts = [...j.steps.before, j.steps.send].map((s) => `${s}@${(j.where[s] || []).join('/')}`);
		const after = [j.steps.verify, j.steps.after].filter(Boolean).map((s) => `${s}@${(j.where[s] || []).join('/')}`);
		const notes = [
			j.restartMs ? `main + ${j.send} restarted at the code page (${lib.secs(j.restartMs)})` : '',
			j.unsaved ? `run not saved: soft-deleted, ${j.unsaved.dataBytes} bytes of its data still in Postgres until n8n's hard-delete sweep` : '',
		].filter(Boolean);
		log(
			`[queue]   ${j.id.padEnd(22)} exec ${String(j.executionId).padStart(3)}: ${parts.join(', ')} | code page | ${after.join(', ')}; jobs ${j.jobs.map((x) => `${x.jobId}@${x.worker}`).join(' ')} (${lib.secs(j.ms)})${notes.length ? `; ${notes.join('; ')}` : ''}`,
		);
	}
	for (const w of state.waits) {
		log(
			`[queue]   ${`wait ${w.id}`.padEnd(36)} exec ${String(w.executionId).padStart(3)}: send@${w.send} | ${w.notes.join('; ') || 'right code'} | resume@${w.resume} → ${w.status} (node runs kept: ${w.waitRuns}); jobs ${w.jobs.join(' ')}; queued resume: ${w.queued409}; after the end: ${w.after} (${lib.secs(w.ms)})`,
		);
	}
	const n = state.neverResult;
	if (n)
		log(
			`[queue]   ${`wait ${n.id}: never answers`.padEnd(36)} exec ${String(n.executionId).padStart(3)}: send@${n.send} | nobody answers, limit ${SAW.NEVER.options.waitMinutes} min | resumed by n8n@${n.resume} ${lib.secs(n.resumedAfterMs)} after the send → ${n.status} on Failure, nothing on Success, Verified not run (node runs kept: ${n.waitRuns}); jobs ${n.jobs.join(' ')}; after the end: ${n.after} (ended ${lib.secs(n.endedAfterMs)} after the send)`,
		);
	if (timings.waits)
		log(
			`[queue]   Send and Wait for Code: ${state.waits.length + (n ? 1 : 0)} journeys in ${lib.secs(timings.waits)}${timings.neverWait !== undefined ? `, of which ${lib.secs(timings.neverWait)} waiting for the never-answers run after the others` : ''}`,
		);
	for (const concurrency of CONCURRENCIES) {
		const one = state.throughput.find((x) => x.workers === 1 && x.concurrency === concurrency);
		const two = state.throughput.find((x) => x.workers === 2 && x.concurrency === concurrency);
		if (!one || !two) continue;
		log(
			`[queue]   throughput, ${LATENCY_MS} ms on every provider request, concurrency ${concurrency} per worker, ${one.runs} runs: 1 worker ${one.perSecond.toFixed(2)}/s, 2 workers ${two.perSecond.toFixed(2)}/s → ×${(two.perSecond / one.perSecond).toFixed(2)} (target ≥ 1.6 on 2 cores; reported, not asserted)`,
		);
	}
	const total = Date.now() - timings.started;
	log(
		`[queue] set-up ${lib.secs(timings.setup || 0)}; total ${lib.secs(total)} — ${timings.cold ? 'COLD (apt install and/or first migration in this run)' : 'WARM (binaries installed, migrated template reused)'}`,
	);
}

// ---------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------

test('every process has the package in its own user folder, and the workers load it', () => {
	for (const name of ['main', 'w1', 'w2']) {
		const pj = path.join(state.work, name, '.n8n', 'nodes', 'node_modules', ...lib.PKG.name.split('/'), 'package.json');
		assert.ok(fs.existsSync(pj), `${name}: ${pj}`);
	}
	for (const w of state.cluster.workers.values()) {
		const bad = w.events.filter((e) => /Unrecognized node type|Error loading package|failed to load .*otpflow|packages are missing/i.test(e.text));
		assert.deepEqual(
			bad.map((e) => e.text),
			[],
			`${w.name}: no package loading trouble in its log`,
		);
	}
});

test('every journey through the main, the code page answered on another worker', async (t) => {
	// Send and Wait's never-answers run waits its minute while these journeys run.
	await startNeverAnswers();
	let first = process.env.OTPFLOW_QUEUE_NO_RESTART !== '1';
	for (const c of state.cases) {
		const restart = first;
		first = false;
		await t.test(`${c.id}${restart ? ' (main and worker restarted at the code page)' : ''}`, async () => {
			state.gate.releaseAll();
			const r = await runJourney(c, { restart });
			state.journeys.push(r);
			log(`[queue]   ${c.id}: ${c.steps.send} on ${r.send}, ${c.steps.verify} on ${r.verify} (execution ${r.executionId}, ${lib.secs(r.ms)})`);
		});
	}
});

/** What ./send-and-wait.js drives the cluster with. */
function sawContext() {
	return {
		cluster: state.cluster,
		gate: state.gate,
		sandbox,
		sql,
		readExecution,
		lastOutput,
		jobOfRun,
		occupyBothWorkers,
		restartMain:
			process.env.OTPFLOW_QUEUE_NO_RESTART === '1'
				? undefined
				: async () => {
						const r0 = Date.now();
						await state.cluster.main.stop();
						await state.cluster.startMain();
						return Date.now() - r0;
					},
		log,
	};
}

/**
 * Send and Wait's never-answers run (one-minute limit): started once, before the other cases (by whichever test
 * runs first), so that its minute overlaps them; checked at the end of the Send and Wait test. Its error, if any,
 * is reported there.
 */
function startNeverAnswers() {
	if (!state.never) {
		state.never = SAW.startNeverAnswers(state.neverCase, sawContext());
		state.never.catch(() => {});
	}
	return state.never.catch(() => {});
}

test('Send and Wait for Code at the main, resumed on the other worker', async (t) => {
	const t0 = Date.now();
	await startNeverAnswers();
	const ctx = sawContext();
	for (const c of state.waitCases) {
		await t.test(`${c.id}: ${c.scenario}`, async () => {
			state.gate.releaseAll();
			const r = await SAW.runCase(c, ctx);
			state.waits.push(r);
			log(`[queue]   ${c.id}: sent on ${r.send}, resumed on ${r.resume} (execution ${r.executionId}, ${r.status}, ${lib.secs(r.ms)})`);
		});
	}
	const others = Date.now();
	await t.test(`${state.neverCase.id}: neverAnswers (Limit Wait Time ${SAW.NEVER.options.waitMinutes} min, started first)`, async () => {
		// A worker must be free when n8n resumes the run (a failed case may have left its gate runs held).
		state.gate.releaseAll();
		const r = await SAW.finishNeverAnswers(await state.never, ctx);
		state.neverResult = r;
		log(
			`[queue]   ${r.id}: sent on ${r.send}, nobody answered, resumed by n8n on ${r.resume} ${lib.secs(r.resumedAfterMs)} after the send → ${r.status} on Failure (execution ${r.executionId}; waited ${lib.secs(r.waitedMs)} for it after the other cases)`,
		);
	});
	timings.neverWait = Date.now() - others;
	timings.waits = Date.now() - t0;
	phase('Send and Wait for Code journeys', timings.waits);
});

test('the send guard holds across the workers: the 6th code for one user is refused whichever worker runs it', async () => {
	const t0 = Date.now();
	state.gate.releaseAll();
	const providerRequests = () =>
		Object.entries(state.sandbox.stats.snapshot().byRoute).reduce((n, [route, count]) => (/ \/summitai\//.test(route) ? n + count : n), 0);
	const r = await GUARD.run({ postWebhook, occupyBothWorkers, gate: state.gate, cluster: state.cluster, providerRequests });
	state.guard = r;
	for (const s of r.sends) log(`[queue]   send guard: send ${s.n} on ${s.worker} → ${s.status}${s.code ? ` (${s.code})` : ''}`);
	log(`[queue]   send guard: tried ${r.sends.length} / refused ${r.sends.filter((s) => s.status === 'rate_limited').length} / sent to the provider ${r.sent}`);
	phase('send guard across workers (shared store)', Date.now() - t0);
});

test(`throughput grows with workers (${LATENCY_MS} ms on every provider request)`, async (t) => {
	const cluster = state.cluster;
	state.gate.releaseAll();
	let offset = 0;
	for (const concurrency of CONCURRENCIES) {
		await t.test(`concurrency ${concurrency} per worker: 1 worker, then 2`, async () => {
			const runs = runsFor(concurrency);
			let t0 = Date.now();
			await cluster.stopWorker('w2');
			const w1 = cluster.workers.get('w1');
			if (!w1 || w1.concurrency !== concurrency) {
				await cluster.stopWorker('w1');
				await cluster.startWorker('w1', concurrency);
			}
			phase(`only w1 up (concurrency ${concurrency})`, Date.now() - t0);
			const one = await measureThroughput(`1 worker , concurrency ${concurrency}`, runs, offset);
			offset += runs;
			state.throughput.push({ ...one, workers: 1, concurrency });
			t0 = Date.now();
			await cluster.startWorker('w2', concurrency);
			phase(`w2 up again (concurrency ${concurrency})`, Date.now() - t0);
			const two = await measureThroughput(`2 workers, concurrency ${concurrency}`, runs, offset);
			offset += runs;
			state.throughput.push({ ...two, workers: 2, concurrency });
			log(`[queue]   ratio 2 workers / 1 worker at concurrency ${concurrency}: ×${(two.perSecond / one.perSecond).toFixed(2)}`);
			for (const m of [one, two]) assert.equal(m.ok, m.runs, `${m.label}: every run verified its code (Stop and Error otherwise)`);
			assert.deepEqual(Object.keys(one.perWorker), ['w1'], 'with w2 stopped, only w1 ran the runs');
			assert.deepEqual(Object.keys(two.perWorker).sort(), ['w1', 'w2'], 'with both up, both ran some');
		});
	}
});
