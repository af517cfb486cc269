#!/usr/bin/env node
/**
 * n8n's production topology with this package (node:test; `npm run test:e2e:topology`, after `npm run build`):
 *
 *   people ──► nginx ──┬─ /webhook/* /form/* /webhook-waiting/* /form-waiting/* ──► webhook processors wp1, wp2
 *                      └─ everything else ──────────────────────────────────────► main (editor, REST only)
 *   wp1, wp2 and the main enqueue on Redis; workers w1, w2 run the jobs; PostgreSQL holds it all.
 *
 *  1. Redis, PostgreSQL (../queue/services.js), nginx (Debian's nginx-light, apt-installed when missing; its own
 *     config, foreground, 127.0.0.1 only), the sandbox. n8n 2.41.1: a main with N8N_DISABLE_PRODUCTION_MAIN_PROCESS,
 *     two `n8n webhook` processors, two workers, each with the packed package in its own `.n8n/nodes`
 *     (../queue/cluster.js). N8N_WEBHOOK_URL is nginx's address. Each n8n process is started once.
 *  2. What each process serves: the main answers none of the public routes, a webhook processor no REST API.
 *  3. Every journey of templates/n8n/journeys and every Send and Wait template (Page and App) through nginx: the
 *     answer that shows the code page (the page itself; in App mode the start's answer with the state) and the POST
 *     that verifies the code land on different webhook processors (nginx names the upstream in X-Otpflow-Upstream;
 *     the suite steers nginx's strict round robin with a probe request when needed); the resumed run runs on a
 *     worker (the workers' job log lines). Printed per journey: which process served each step.
 *  4. Throughput: Send and Wait (Capillary mobile, App mode) whole journeys at 150 ms per provider request,
 *     through nginx's port with wp1 only, then through the one with both: executions/s printed, never asserted.
 *  5. A webhook processor stopped while a person waits at the code page: the code POST nginx first tries on it is
 *     passed to the other, and the journey completes.
 *
 * Env: OTPFLOW_CACHE, OTPFLOW_E2E_KEEP=1 (keep the temp folder: logs of every process, nginx.conf, access.log),
 * OTPFLOW_TOPOLOGY_RUNS=<n> (journeys per throughput measure; default 60).
 */
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ensureN8n, N8N_VERSION, NODE_VERSION } = require('../n8n/install');
const lib = require('../n8n/lib');
const services = require('../queue/services');
const { Cluster } = require('../queue/cluster');
const forms = require('../queue/forms');
const W = require('../queue/workflows');

const SUITE_LIMIT_MS = 12 * 60 * 1000;
const PAGE_TIMEOUT_MS = 60000;
const LATENCY_MS = 150;
const WORKER_CONCURRENCY = 5;
const RUNS = Number(process.env.OTPFLOW_TOPOLOGY_RUNS) || 60;
/** People going through the throughput journey at once. */
const PARALLEL = 10;
const UPSTREAM = 'x-otpflow-upstream';
const SAW_DIR = path.join(lib.TEMPLATE_DIR, 'send-and-wait');
const BULK_TEMPLATE = 'capillary-mobile-app';

const timings = { started: Date.now() };
const state = { procs: services.processTracker(), journeys: [], waits: [], throughput: [], facts: [] };
const log = (line) => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const phase = (name, ms) => log(`[topology] ${name}: ${lib.secs(ms)}`);
/** CPU seconds a process has used (user + system, from /proc; its task runner is a child and not counted). */
function cpuSeconds(pid) {
	try {
		const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		return (Number(f[11]) + Number(f[12])) / 100;
	} catch {
		return 0;
	}
}
function cpuOfAll() {
	const c = state.cluster;
	const all = [['main', c.main], ...c.webhookProcessors, ...c.workers].map(([n, p]) => [n, p.child.pid]);
	all.push(['postgres', state.pg.child.pid], ['redis', state.redis.child.pid], ['nginx', state.nginx.child.pid], ['suite', process.pid]);
	return Object.fromEntries(all.map(([n, pid]) => [n, cpuSeconds(pid)]));
}
const load = () =>
	os
		.loadavg()
		.map((x) => x.toFixed(2))
		.join(' ');

const watchdog = services.guardSuite(state, { label: 'topology', limitMs: SUITE_LIMIT_MS, log });

// ---------------------------------------------------------------------------------------------------
// Through nginx: who served each request
// ---------------------------------------------------------------------------------------------------

/** The process an upstream address belongs to ("wp1"), or the address; a retry lists each ("wp1→wp2"). */
function served(r) {
	const addr = r.headers[UPSTREAM];
	if (!addr) return 'nginx';
	return addr
		.split(/,\s*/)
		.map((a) => state.byAddress[a] || a)
		.join('→');
}

/** A request to nginx's both-processors entry (or `url` as given), remembering which processor answered last. */
async function via(method, url, options) {
	const r = await lib.request(method, url, options);
	r.by = served(r);
	if (url.startsWith(state.entry) && WEBHOOK_PATH.test(new URL(url).pathname)) state.last = r.by.split('→').pop();
	return r;
}
const WEBHOOK_PATH = new RegExp(`^/(${services.WEBHOOK_ROUTES.join('|')})/`);

/**
 * nginx's round robin over two equal servers alternates strictly (one nginx worker, only this suite's requests):
 * makes the next public request go to `want` by sending one probe (an unregistered webhook: a 404 from a
 * processor) when the last one went there.
 */
async function nextGoesTo(want) {
	if (state.last === want) {
		const r = await via('GET', `${state.entry}/webhook/otpflow-topology-probe`);
		assert.equal(r.status, 404, `the probe: ${r.status} ${r.text.slice(0, 200)}`);
	}
	assert.notEqual(state.last, want, `the last public request went to the other processor (last ${state.last})`);
}
const other = (wp) => (wp === 'wp1' ? 'wp2' : 'wp1');

// ---------------------------------------------------------------------------------------------------
// The sandbox and PostgreSQL
// ---------------------------------------------------------------------------------------------------

async function sandbox(method, p, json) {
	const body = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
	return lib.request(method, `${state.sandbox.url}${p}`, { body, headers: body ? { 'content-type': 'application/json' } : {} });
}

const providerCalls = async () => (await sandbox('GET', '/_sandbox/stats')).json.requests;

async function inboxSeq() {
	const r = await sandbox('GET', '/_sandbox/inbox');
	return Math.max(0, ...r.json.messages.map((m) => Number(m.id.replace(/\D/g, ''))));
}

/** The newest code for `provider` (to one of `to`, when given) newer than message `afterSeq`. */
async function codeAfter(provider, afterSeq, to = ['']) {
	for (const deadline = Date.now() + 15000; ; await sleep(100)) {
		for (const t of to) {
			const q = `provider=${encodeURIComponent(provider)}${t ? `&to=${encodeURIComponent(t)}` : ''}`;
			const r = await sandbox('GET', `/_sandbox/inbox/latest?${q}`);
			if (r.status === 200 && Number(r.json.id.replace(/\D/g, '')) > afterSeq) return r.json.otp;
		}
		assert.ok(Date.now() < deadline, `no new ${provider} code in the sandbox inbox`);
	}
}

const sql = (query) => services.psql(state.pg, 'n8n', query);
const statusOf = (id) => sql(`SELECT status || '|' || ("deletedAt" IS NOT NULL) FROM execution_entity WHERE id = ${Number(id)}`).trim();

/** Waits until the run has ended (a run its workflow does not save is soft-deleted: that counts). */
async function waitEnded(id, what) {
	for (const deadline = Date.now() + PAGE_TIMEOUT_MS; ; await sleep(100)) {
		const [status, deleted] = statusOf(id).split('|');
		if (status === 'success' || deleted === 't') return status;
		assert.ok(!['error', 'crashed', 'canceled'].includes(status) && Date.now() < deadline, `${what}: execution ${id} is ${status}`);
	}
}

/** Which webhook processor's log says it enqueued the job ("Enqueued execution X (job J)"), by job id. */
function enqueuer(jobId) {
	for (const [name, p] of state.cluster.webhookProcessors)
		if (p.events.some((e) => (/^Enqueued execution \d+ \(job (\d+)\)/.exec(e.text) || [])[1] === String(jobId))) return name;
	return 'none';
}

/** The processor that answered a step (the last of a retry) is the one whose log enqueued its job. */
function assertEnqueuedBy(what, job, by) {
	assert.equal(enqueuer(job.jobId), by.split('→').pop(), `${what}: job ${job.jobId} enqueued by the processor that answered (${by})`);
}

const jobsText = (id) =>
	state.cluster
		.jobsOf(id)
		.map((j) => `${j.jobId} ${enqueuer(j.jobId)}→${j.worker}`)
		.join(', ');

function pageTitle(html) {
	const m = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html) || /<title>([\s\S]*?)<\/title>/.exec(html);
	return m ? m[1].replace(/<[^>]+>/g, '').trim() : '';
}
const unescapeHtml = (s) => s.replace(/&#(\d+);/g, (_m, d) => String.fromCharCode(Number(d))).replace(/&amp;/g, '&');

// ---------------------------------------------------------------------------------------------------
// A Form journey through nginx
// ---------------------------------------------------------------------------------------------------

/**
 * One journey: first page, code page (shown by one processor), code POST (by the other), done page, close.
 * `stopAtCodePage`: stop the processor the next POST would go to, while the person reads the code page.
 */
async function runJourney(c, { stopAtCodePage = false } = {}) {
	const t0 = Date.now();
	const steps = [];
	const formUrl = `${state.entry}/form/${c.path}`;
	let r = await via('GET', formUrl);
	assert.equal(r.status, 200, `${c.id}: GET ${formUrl} → ${r.status}`);
	steps.push(`form@${r.by}`);
	const seq = await inboxSeq();
	const first = forms.multipart(c.firstValues);
	r = await via('POST', formUrl, { ...first, timeoutMs: PAGE_TIMEOUT_MS });
	assert.equal(r.status, 200, `${c.id}: POST the first page → ${r.status} ${r.text.slice(0, 300)}`);
	steps.push(`details@${r.by}`);
	const details = r.by;
	const waitingUrl = r.json && r.json.formWaitingUrl;
	assert.ok(waitingUrl && waitingUrl.startsWith(`${state.entry}/form-waiting/`), `${c.id}: the run continues at nginx's address: ${waitingUrl}`);
	const id = forms.executionIdOf(waitingUrl);
	await forms.waitForStatus(waitingUrl, { timeoutMs: PAGE_TIMEOUT_MS });
	await state.cluster.waitForJobs(id, 1);
	r = await via('GET', waitingUrl);
	assert.equal(r.status, 200);
	assert.equal(pageTitle(r.text), c.pages.code, `${c.id}: the code page`);
	const page = r.by;
	steps.push(`code page@${page}`);
	const code = await codeAfter(c.provider, seq, c.inboxTo);

	let stopped;
	if (stopAtCodePage) {
		// The POST would go to the processor that showed the page: stop that one first.
		await nextGoesTo(page);
		stopped = page;
		const ms0 = Date.now();
		await state.cluster.webhookProcessors.get(page).stop();
		steps.push(`${page} stopped (${lib.secs(Date.now() - ms0)})`);
	} else await nextGoesTo(other(page));
	r = await via('POST', waitingUrl, { ...forms.multipart(c.codeValues(code)), timeoutMs: PAGE_TIMEOUT_MS });
	assert.equal(r.status, 200, `${c.id}: POST the code → ${r.status} ${r.text.slice(0, 300)}`);
	const verify = r.by;
	steps.push(`code POST@${verify}`);
	if (stopped) assert.equal(verify, `${stopped}→${other(stopped)}`, `${c.id}: nginx tried ${stopped}, then passed the POST to ${other(stopped)}`);
	else assert.notEqual(verify, page, `${c.id}: the code page and the code POST on different processors`);
	await forms.waitForStatus(waitingUrl, { timeoutMs: PAGE_TIMEOUT_MS });
	const jobs2 = await state.cluster.waitForJobs(id, 2);
	r = await via('GET', waitingUrl);
	assert.equal(pageTitle(r.text), c.pages.done, `${c.id}: the done page, got "${pageTitle(r.text)}"`);
	steps.push(`done page@${r.by}`);
	r = await via('POST', waitingUrl, forms.multipart([]));
	assert.ok(r.status < 400, `${c.id}: closing POST → ${r.status}`);
	steps.push(`close@${r.by}`);
	const closer = r.by;
	await waitEnded(id, c.id);
	const jobs = await state.cluster.waitForJobs(id, 3);
	for (const j of jobs) assert.ok(state.cluster.workers.has(j.worker), `${c.id}: job ${j.jobId} ran on a worker (${j.worker})`);
	// The logs agree with nginx: each job was enqueued by the processor that answered its request.
	assertEnqueuedBy(`${c.id} first page`, jobs[0], details);
	assertEnqueuedBy(`${c.id} code POST`, jobs[1], verify);
	assertEnqueuedBy(`${c.id} close`, jobs[2], closer);
	if (!stopped) for (const s of steps) assert.match(s, /@wp[12]$/, `${c.id}: every public step served by a webhook processor: ${steps.join(', ')}`);
	return { id: c.id, executionId: id, steps, page, verify, resumedOn: jobs2[1].worker, jobs: jobsText(id), ms: Date.now() - t0 };
}

// ---------------------------------------------------------------------------------------------------
// Send and Wait for Code through nginx
// ---------------------------------------------------------------------------------------------------

function sawBody(mode, values) {
	return mode === 'page'
		? { body: new URLSearchParams(values).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } }
		: { body: JSON.stringify(values), headers: { 'content-type': 'application/json', accept: 'application/json' } };
}

/** Starts a Send and Wait run at `entry`: { url (the waiting URL), state, by, id }. */
async function sawStart(c, entry, inputs = c.inputs) {
	const r = await via('POST', `${entry}/webhook/${c.path}`, { ...sawBody(c.mode, inputs), timeoutMs: PAGE_TIMEOUT_MS });
	assert.equal(r.status, 200, `${c.id}: POST /webhook/${c.path} → ${r.status} ${r.text.slice(0, 300)}`);
	let url;
	let st;
	if (c.mode === 'page') {
		const m = r.text.match(/url=([^"]+)"/);
		assert.ok(m, `${c.id}: the first answer sends the browser on: ${r.text.slice(0, 300)}`);
		url = unescapeHtml(m[1]);
	} else {
		assert.equal(r.json && r.json.status, 'otp_sent', `${c.id}: ${r.text.slice(0, 300)}`);
		url = r.json.resumeUrl;
		st = r.json.state;
	}
	assert.ok(url.startsWith(`${state.entry}/webhook-waiting/`), `${c.id}: the waiting URL names nginx (N8N_WEBHOOK_URL): ${url}`);
	return { url, state: st, by: r.by, id: new URL(url).pathname.split('/').pop() };
}

/** One template: start, (Page: the page), the right code on the other processor, resumed on a worker. */
async function runWait(c) {
	const t0 = Date.now();
	const seq = await inboxSeq();
	const run = await sawStart(c, state.entry);
	const steps = [`start@${run.by}`];
	await state.cluster.waitForJobs(run.id, 1);
	const code = await codeAfter(c.provider, seq);
	let shown = run.by;
	if (c.mode === 'page') {
		const r = await via('GET', run.url);
		assert.equal(r.status, 200, `${c.id}: GET the waiting URL → ${r.status}`);
		const m = r.text.match(/name="state" value="([^"]+)"/);
		assert.ok(m, `${c.id}: the page carries its state`);
		run.state = unescapeHtml(m[1]);
		shown = r.by;
		steps.push(`code page@${r.by}`);
	}
	await nextGoesTo(other(shown));
	const calls0 = await providerCalls();
	const r = await via('POST', run.url, { ...sawBody(c.mode, { code, state: run.state }), timeoutMs: PAGE_TIMEOUT_MS });
	const calls1 = await providerCalls();
	assert.equal(r.status, 200, `${c.id}: POST the code → ${r.status} ${r.text.slice(0, 300)}`);
	if (c.mode === 'app') assert.deepEqual([r.json.final, r.json.ok], [true, true], `${c.id}: verified: ${r.text.slice(0, 300)}`);
	else assert.equal(pageTitle(r.text), 'Confirmed', `${c.id}: the end page: ${r.text.slice(0, 300)}`);
	// The answer holds the provider's verdict: the processor that answered called the provider (webhook()).
	assert.ok(calls1 > calls0, `${c.id}: the code POST reached the provider before it was answered`);
	steps.push(`code POST@${r.by} (${calls1 - calls0} provider call${calls1 - calls0 === 1 ? '' : 's'} from there)`);
	assert.notEqual(r.by, shown, `${c.id}: the answer with the code page and the code POST on different processors`);
	for (const s of steps) assert.match(s, /@wp[12]\b/, `${c.id}: served by webhook processors: ${steps.join(', ')}`);
	await waitEnded(run.id, c.id);
	const jobs = await state.cluster.waitForJobs(run.id, 2);
	assert.equal(jobs.length, 2, `${c.id}: two jobs, the send and the resume: ${jobsText(run.id)}`);
	assertEnqueuedBy(`${c.id} start`, jobs[0], run.by);
	assertEnqueuedBy(`${c.id} code POST`, jobs[1], r.by);
	assert.equal(await providerCalls(), calls1, `${c.id}: the resumed job on ${jobs[1].worker} called no provider (the processor verified)`);
	return { id: c.id, executionId: run.id, steps, send: jobs[0].worker, resumedOn: jobs[1].worker, jobs: jobsText(run.id), ms: Date.now() - t0 };
}

/** The Send and Wait templates, each a case: { id, file, journey, mode, provider, path, inputs, workflow }. */
function waitCases() {
	const { JOURNEYS } = require(path.join(lib.ROOT, 'dist', 'journeys', 'index'));
	const { waitInputs } = require(path.join(lib.ROOT, 'dist', 'journeys', 'n8n-wait'));
	return fs
		.readdirSync(SAW_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => {
			const [, journey, mode] = /^(.+)-(page|app)\.json$/.exec(file);
			const j = JOURNEYS.find((x) => x.id === journey);
			assert.ok(j, `${file}: a journey ${journey}`);
			const workflow = lib.rewriteUrls(JSON.parse(fs.readFileSync(path.join(SAW_DIR, file), 'utf8')), state.sandbox.url);
			const trigger = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.webhook');
			const inputs = Object.fromEntries(waitInputs(j).map((a) => [a.name, a.sample]));
			return { id: `${journey} ${mode}`, file, journey, mode, provider: j.provider.id, path: trigger.parameters.path, inputs, workflow };
		});
}

// ---------------------------------------------------------------------------------------------------
// Throughput
// ---------------------------------------------------------------------------------------------------

/**
 * RUNS whole Send and Wait journeys (App mode: start, then the code) at `entry`, PARALLEL people at once, 150 ms on
 * every provider request. The waiting URL names the both-processors entry: it is posted to `entry` instead.
 */
async function measure(label, entry, offset) {
	const c = state.bulkCase;
	await sandbox('DELETE', '/_sandbox/faults');
	const f = await sandbox('POST', '/_sandbox/faults', { kind: 'latency', ms: LATENCY_MS, times: 1000000 });
	assert.equal(f.status, 201, `latency fault: ${f.text}`);
	const maxBefore = Number(sql(`SELECT COALESCE(MAX(id), 0) FROM execution_entity`).trim());
	const loadBefore = load();
	const cpu0 = cpuOfAll();
	const perProcessor = {};
	const count = (by) => {
		perProcessor[by] = (perProcessor[by] || 0) + 1;
	};
	let next = 0;
	let verified = 0;
	const t0 = Date.now();
	await Promise.all(
		Array.from({ length: PARALLEL }, async () => {
			while (next < RUNS) {
				const mobile = `918${String(offset + next++).padStart(9, '0')}`;
				const run = await sawStart(c, entry, { identifierValue: mobile });
				count(run.by);
				const code = await codeAfter('capillary', 0, [mobile]);
				const u = new URL(run.url);
				const r = await via('POST', `${entry}${u.pathname}${u.search}`, { ...sawBody('app', { code, state: run.state }), timeoutMs: PAGE_TIMEOUT_MS });
				count(r.by);
				if (r.status === 200 && r.json && r.json.ok === true) verified++;
			}
		}),
	);
	let row;
	for (const deadline = Date.now() + 120000; ; await sleep(200)) {
		row = sql(`SELECT COUNT(*) FILTER (WHERE status IN ('success', 'error', 'crashed', 'canceled')), COUNT(*) FILTER (WHERE status = 'success'),
			(EXTRACT(EPOCH FROM MAX("stoppedAt")) * 1000)::bigint FROM execution_entity WHERE "workflowId" = '${c.workflow.id}' AND id > ${maxBefore}`)
			.trim()
			.split('|');
		if (Number(row[0]) >= RUNS) break;
		assert.ok(Date.now() < deadline, `${label}: ${row[0]} of ${RUNS} runs ended within 2 minutes`);
	}
	await sandbox('DELETE', '/_sandbox/faults');
	const seconds = (Number(row[2]) - t0) / 1000;
	const cpu1 = cpuOfAll();
	// Postgres' backends are its children (not counted): its own figure is the postmaster's only.
	const cpu = Object.entries(cpu1)
		.filter(([n]) => n !== 'postgres')
		.map(([n, v]) => `${n} ${(v - cpu0[n]).toFixed(1)}`)
		.join(', ');
	const m = { label, runs: RUNS, verified, succeeded: Number(row[1]), seconds, perSecond: RUNS / seconds, perProcessor, loadBefore, loadAfter: load(), cpu };
	const spread = Object.entries(perProcessor)
		.sort()
		.map(([p, n]) => `${p} ${n}`)
		.join(', ');
	log(
		`[topology]   ${label}: ${RUNS} journeys in ${seconds.toFixed(1)} s → ${m.perSecond.toFixed(2)} executions/s (${verified} verified; requests served by ${spread}; load average ${m.loadBefore} → ${m.loadAfter}; CPU s: ${cpu})`,
	);
	return m;
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
	state.nginxBin = services.ensureNginx(log);
	timings.cold = state.bins.installed || state.nginxBin.installed;
	phase(`Redis, PostgreSQL ${state.bins.pgMajor}, nginx (${state.nginxBin.bin}) ${timings.cold ? 'installed with apt' : 'already installed'}`, Date.now() - t);

	state.work = fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-topology-'));
	fs.chmodSync(state.work, 0o711);
	const { startSandbox } = require(path.join(lib.ROOT, 'dist', 'sandbox'));
	state.sandbox = await startSandbox({ port: 0, maxLifetimeMs: SUITE_LIMIT_MS, config: { iserveuResendCooldownSeconds: 0, inboxLimit: 20000 } });

	t = Date.now();
	const [redisPort, pgPort, mainPort, entryPort, onePort] = [
		await lib.freePort(),
		await lib.freePort(),
		await lib.freePort(),
		await lib.freePort(),
		await lib.freePort(),
	];
	state.entry = `http://${lib.HOST}:${entryPort}`;
	state.entryOne = `http://${lib.HOST}:${onePort}`;
	state.redis = await services.startRedis({ bins: state.bins, dir: path.join(state.work, 'redis'), port: redisPort, procs: state.procs });
	state.pg = await services.startPostgres({
		bins: state.bins,
		dir: path.join(state.work, 'postgres'),
		port: pgPort,
		procs: state.procs,
		cacheDir: state.inst.dir,
		log,
	});
	phase(`Redis on ${redisPort}, PostgreSQL on ${pgPort} (${state.pg.fromTemplate ? 'migrated template copied' : 'new cluster'})`, Date.now() - t);

	t = Date.now();
	state.tarball = lib.pack(state.work);
	state.cluster = new Cluster({ inst: state.inst, work: state.work, redisPort, pgPort, mainPort, webhookUrl: `${state.entry}/`, procs: state.procs, log });
	await state.cluster.prepareFolders(['main', 'wp1', 'wp2', 'w1', 'w2'], state.tarball);
	phase('npm pack + npm install <tarball> into the .n8n/nodes of main, wp1, wp2, w1 and w2', Date.now() - t);
	if (await state.cluster.migrateOnce(state.pg, services.saveTemplate)) {
		timings.cold = true;
		phase('first migration of PostgreSQL by n8n (kept as a template)', Date.now() - t);
	}

	t = Date.now();
	await state.cluster.importCredentials(lib.rewriteUrls(lib.loadTemplates().credentials, state.sandbox.url));
	const journeys = W.journeyCases(lib, state.sandbox.url);
	state.cases = journeys.cases;
	assert.ok(state.cases.length > 0, 'journey templates in templates/n8n/journeys');
	state.waitCases = waitCases();
	const workflows = [...journeys.workflows, ...state.waitCases.map((c) => c.workflow)];
	state.bulkCase = state.waitCases.find((c) => c.file === `${BULK_TEMPLATE}.json`);
	await state.cluster.importWorkflows(workflows);
	phase(`import (${state.cases.length} journeys, ${state.waitCases.length} Send and Wait templates)`, Date.now() - t);

	// Behind nginx: n8n trusts one proxy hop (the client's address from X-Forwarded-For).
	const extra = { N8N_PROXY_HOPS: '1' };
	t = Date.now();
	await state.cluster.startMain({ extra: { ...extra, N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' } });
	phase(`main (N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true) on ${state.cluster.baseUrl}`, Date.now() - t);
	t = Date.now();
	const [wp1, wp2] = await Promise.all([
		state.cluster.startWebhookProcessor('wp1', { extra }),
		state.cluster.startWebhookProcessor('wp2', { extra }),
		state.cluster.startWorker('w1', WORKER_CONCURRENCY),
		state.cluster.startWorker('w2', WORKER_CONCURRENCY),
	]);
	phase(`webhook processors wp1 (${wp1.port}), wp2 (${wp2.port}); workers w1, w2 (concurrency ${WORKER_CONCURRENCY})`, Date.now() - t);
	state.byAddress = { [`${lib.HOST}:${wp1.port}`]: 'wp1', [`${lib.HOST}:${wp2.port}`]: 'wp2', [`${lib.HOST}:${mainPort}`]: 'main' };

	t = Date.now();
	state.nginx = await services.startNginx({
		bin: state.nginxBin.bin,
		dir: path.join(state.work, 'nginx'),
		procs: state.procs,
		mainPort,
		servers: [
			{ port: entryPort, webhooks: [wp1.port, wp2.port] },
			{ port: onePort, webhooks: [wp1.port] },
		],
	});
	phase(`nginx on ${state.entry} (wp1 + wp2) and ${state.entryOne} (wp1 only)`, Date.now() - t);

	// The editor's API through nginx (the main): owner, then every workflow published.
	t = Date.now();
	const { client } = await lib.ownerSetupOrLogin(state.entry);
	await Cluster.publish(client, workflows);
	phase(`owner set up and ${workflows.length} workflows published through nginx (the main)`, Date.now() - t);
	timings.setup = Date.now() - timings.started;
});

after(async () => {
	const t = Date.now();
	try {
		if (state.nginx) await services.stopProcess(state.nginx.child, 'SIGQUIT', 10000);
		if (state.cluster) await state.cluster.stopAll();
	} finally {
		if (state.sandbox) await state.sandbox.close();
		if (state.pg) await services.stopProcess(state.pg.child, 'SIGINT', 20000);
		if (state.redis) await services.stopProcess(state.redis.child, 'SIGTERM', 10000);
		state.procs.killAllSync();
		const left = state.procs.alive();
		if (left.length) log(`[topology] still alive after stop: ${left.map((c) => `${c.label} (${c.pid})`).join(', ')}`);
		if (state.work && process.env.OTPFLOW_E2E_KEEP === '1') log(`[topology] kept ${state.work}`);
		else if (state.work) fs.rmSync(state.work, { recursive: true, force: true });
		state.cleaned = true;
		clearTimeout(watchdog);
	}
	phase('stopped nginx, n8n, PostgreSQL and Redis', Date.now() - t);
	summary();
});

function summary() {
	log('');
	log(`[topology] ---- n8n ${N8N_VERSION}: nginx → 2 webhook processors, main (editor/API only), 2 workers, Redis, PostgreSQL ----`);
	log('[topology]   (steps: the process that answered, from nginx; jobs: "<job> <processor that enqueued it>→<worker that ran it>", from their logs)');
	for (const f of state.facts) log(`[topology]   ${f}`);
	for (const j of state.journeys)
		log(`[topology]   ${j.id.padEnd(26)} exec ${String(j.executionId).padStart(3)}: ${j.steps.join(', ')}; jobs ${j.jobs} (${lib.secs(j.ms)})`);
	for (const w of state.waits)
		log(`[topology]   ${`wait ${w.id}`.padEnd(26)} exec ${String(w.executionId).padStart(3)}: ${w.steps.join(', ')}; jobs ${w.jobs} (${lib.secs(w.ms)})`);
	const [one, two] = state.throughput;
	if (one && two)
		log(
			`[topology]   throughput, Send and Wait ${BULK_TEMPLATE} journeys, ${LATENCY_MS} ms per provider request, ${PARALLEL} people at once, ${RUNS} each: 1 webhook processor ${one.perSecond.toFixed(2)}/s (load ${one.loadBefore} → ${one.loadAfter}), 2 webhook processors ${two.perSecond.toFixed(2)}/s (load ${two.loadBefore} → ${two.loadAfter}) → ×${(two.perSecond / one.perSecond).toFixed(2)} (goal ≥ 1.6; reported, not asserted)`,
		);
	for (const m of state.throughput) log(`[topology]     ${m.label.trim()}: CPU seconds during the measure: ${m.cpu}`);
	if (state.failover) log(`[topology]   failover ${state.failover.id}: ${state.failover.steps.join(', ')}; jobs ${state.failover.jobs}`);
	log(`[topology] set-up ${lib.secs(timings.setup || 0)}; total ${lib.secs(Date.now() - timings.started)} — ${timings.cold ? 'COLD' : 'WARM'}`);
}

// ---------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------

test('every n8n process has the package in its own user folder, and none reports trouble loading it', () => {
	for (const name of ['main', 'wp1', 'wp2', 'w1', 'w2']) {
		const pj = path.join(state.work, name, '.n8n', 'nodes', 'node_modules', ...lib.PKG.name.split('/'), 'package.json');
		assert.ok(fs.existsSync(pj), `${name}: ${pj}`);
	}
	for (const p of [...state.cluster.workers.values(), ...state.cluster.webhookProcessors.values()]) {
		const bad = p.events.filter((e) => /Unrecognized node type|Error loading package|failed to load .*otpflow|packages are missing/i.test(e.text));
		assert.deepEqual(
			bad.map((e) => e.text),
			[],
			`${p.name}: no package loading trouble in its log`,
		);
	}
});

test('the main serves no public route; a webhook processor serves them and no REST API', async () => {
	const c = state.cases[0];
	const w = state.bulkCase;
	const main = state.cluster.baseUrl;
	const wp = state.cluster.webhookProcessors.get('wp1').url;
	const maxBefore = sql(`SELECT COALESCE(MAX(id), 0) FROM execution_entity`).trim();
	const seen = {};
	for (const [what, method, p] of [
		['form', 'GET', `/form/${c.path}`],
		['webhook', 'POST', `/webhook/${w.path}`],
		['form-waiting', 'GET', '/form-waiting/1'],
		['webhook-waiting', 'GET', '/webhook-waiting/1'],
	]) {
		const r = await lib.request(method, `${main}${p}`, { ...(method === 'POST' ? sawBody('app', w.inputs) : {}), timeoutMs: 15000 });
		// Its editor's own page (the single-page app answers any path it does not know), or a 404.
		seen[what] = `${r.status}${r.status === 200 ? ` "${pageTitle(r.text)}"` : ''}`;
		assert.ok(!/field-0/.test(r.text) && !r.json?.resumeUrl, `the main does not serve ${method} ${p}: ${r.status} ${r.text.slice(0, 200)}`);
	}
	assert.equal(sql(`SELECT COALESCE(MAX(id), 0) FROM execution_entity`).trim(), maxBefore, 'the main started no run');
	const form = await lib.request('GET', `${wp}/form/${c.path}`);
	assert.equal(form.status, 200, `wp1 serves the form: ${form.status}`);
	assert.match(form.text, /field-0/, 'wp1 serves the form page');
	const rest = await lib.request('GET', `${wp}/rest/settings`);
	assert.notEqual(rest.status, 200, `wp1 has no REST API: ${rest.status}`);
	const viaMain = await via('GET', `${state.entry}/rest/settings`);
	assert.equal(viaMain.status, 200);
	assert.equal(viaMain.by, 'main', 'nginx sends /rest to the main');
	state.facts.push(
		`main answers ${Object.entries(seen)
			.map(([k, v]) => `/${k} ${v}`)
			.join(', ')} and starts no run; wp1 serves /form (200) and answers /rest/settings ${rest.status}; /rest through nginx → ${viaMain.by}`,
	);
});

test('every journey through nginx: code page and code POST on different webhook processors, resumed on a worker', async (t) => {
	const t0 = Date.now();
	for (const c of state.cases)
		await t.test(c.id, async () => {
			const r = await runJourney(c);
			state.journeys.push(r);
			log(`[topology]   ${c.id}: ${r.steps.join(', ')}; resumed on ${r.resumedOn}`);
		});
	phase('journeys', Date.now() - t0);
});

test('every Send and Wait template through nginx: the code page and the code POST on different processors', async (t) => {
	const t0 = Date.now();
	for (const c of state.waitCases)
		await t.test(c.id, async () => {
			const r = await runWait(c);
			state.waits.push(r);
			log(`[topology]   ${c.id}: ${r.steps.join(', ')}; sent on ${r.send}, resumed on ${r.resumedOn}`);
		});
	phase('Send and Wait templates', Date.now() - t0);
});

test(`throughput with one webhook processor, then two (${LATENCY_MS} ms on every provider request)`, async () => {
	const one = await measure('1 webhook processor ', state.entryOne, 0);
	state.throughput.push(one);
	const two = await measure('2 webhook processors', state.entry, RUNS);
	state.throughput.push(two);
	log(`[topology]   ratio 2 / 1 webhook processors: ×${(two.perSecond / one.perSecond).toFixed(2)}`);
	for (const m of [one, two]) assert.equal(m.verified, m.runs, `${m.label}: every journey verified`);
	assert.deepEqual(Object.keys(one.perProcessor), ['wp1'], 'through the wp1-only entry only wp1 served');
	assert.deepEqual(Object.keys(two.perProcessor).sort(), ['wp1', 'wp2'], 'through the other entry both served');
});

test('a webhook processor stopped while the person reads the code page: the journey completes through the other', async () => {
	const c = state.cases.find((x) => x.id === 'capillary-web') || state.cases[0];
	const r = await runJourney(c, { stopAtCodePage: true });
	state.failover = r;
	log(`[topology]   failover ${c.id}: ${r.steps.join(', ')}`);
});
