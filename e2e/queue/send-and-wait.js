'use strict';
/**
 * Send and Wait for Code in n8n queue mode (part of run.test.js: same cluster, same set-up). Shipped templates of
 * templates/n8n/send-and-wait/ run at the MAIN's URLs while their executions run on the workers:
 *
 *   capillary-mobile page      a wrong code, then the right one
 *   iserveu-transaction app    forged states (403) and a wrong URL signature (401), a wrong code, then the right one
 *   iserveu-registration page  a new code after the resend wait (2 s), then the main restarted, then the new code
 *   summitai app               the right code
 *   bos page                   wrong codes until the provider's attempts run out: max_attempts on Failure
 *   summitai app (TIME)        nobody answers; a one-minute Limit Wait Time: expired on Failure, resumed by n8n itself
 *
 * Each journey: the send (execute()) runs in a job on worker A and the run waits. Every answer before the final one
 * (the page, a wrong code, a new code, a forged state) is given by the main's webhook(): the sandbox sees the provider
 * calls, no job is started for the execution, the run stays `waiting`. Wrong codes, forged states and the final code
 * are posted while both worker slots are held by gate runs. The final code is verified and answered by the main
 * while no worker is free; the run is then `running` with its resumed job queued (a POST now → 409 "running
 * already"); once only worker B's slot is freed the resumed job (the node's output, then Verified) runs there. A POST
 * after the end → 409 "has finished" (404 "does not exist" for a workflow that saves no successful runs).
 * Who ran what: the workers' job log lines against the node start times in Postgres and the sandbox's delivery time.
 *
 * Never answers (startNeverAnswers / finishNeverAnswers): started before the other cases and left alone. At its
 * limit n8n's wait tracker (in the main, every 60 s, 70 s ahead) enqueues the run from Postgres and a worker runs the
 * node "disabled": its output is the execution-stack entry the node replaced before waiting (nothing on Success, the
 * `expired` result on Failure). Checked in the stored execution: Success empty, one `expired` item on Failure, the
 * Success branch's next node not run, the Failure branch's node run, in the second job, on a worker.
 */
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const lib = require('../n8n/lib');

const DIR = path.join(lib.TEMPLATE_DIR, 'send-and-wait');
const WAIT = 'Send and Wait for Code';
const NEXT = 'Verified';
/** A node the tests add on the Failure output of the never-answers and attempts-exhausted variants. */
const FAILED = 'Not verified';
/** The never-answers run's Limit Wait Time, and how long after its send the suite waits for it at most. */
const NEVER_MINUTES = 1;
const NEVER_LIMIT_MS = 150000;
const RESEND_SECONDS = 2;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The journeys run here: template file, what is done while the run waits, and (optional) a variant of it. */
const PLAN = [
	{ journey: 'capillary-mobile', mode: 'page', scenario: 'wrongThenRight' },
	{ journey: 'iserveu-transaction', mode: 'app', scenario: 'forgedWrongThenRight' },
	{ journey: 'iserveu-registration', mode: 'page', scenario: 'newCode', suffix: 'QRSD', options: { resendWaitSeconds: RESEND_SECONDS }, restartMain: true },
	{ journey: 'summitai', mode: 'app', scenario: 'right' },
	{ journey: 'bos', mode: 'page', scenario: 'exhausted', onFailure: true },
];
/** Started before everything else, finished last (see the top of this file). */
const NEVER = {
	journey: 'summitai',
	mode: 'app',
	scenario: 'neverAnswers',
	label: 'summitai app TIME',
	suffix: 'TIME',
	options: { waitMinutes: NEVER_MINUTES },
	onFailure: true,
};

/** The workflows to import and publish, and the cases to drive (`journeys`: dist/journeys/index's JOURNEYS). */
function prepare({ sandboxUrl, journeys, waitInputs }) {
	const workflows = [];
	const cases = [...PLAN, NEVER].map((p) => {
		const j = journeys.find((x) => x.id === p.journey);
		assert.ok(j, `a journey ${p.journey}`);
		const wf = lib.rewriteUrls(JSON.parse(fs.readFileSync(path.join(DIR, `${p.journey}-${p.mode}.json`), 'utf8')), sandboxUrl);
		const trigger = wf.nodes.find((n) => n.type === 'n8n-nodes-base.webhook');
		const wait = wf.nodes.find((n) => n.name === WAIT);
		if (p.suffix) {
			wf.id = `${wf.id.slice(0, 12)}${p.suffix}`;
			wf.name += ` (${p.suffix})`;
			trigger.parameters.path += `-${p.suffix.toLowerCase()}`;
			trigger.webhookId = crypto.randomUUID();
			wait.webhookId = crypto.randomUUID();
		}
		Object.assign(wait.parameters.options, p.options || {});
		if (p.onFailure) {
			// A node on the Failure output: its run (or its absence) shows which output the item left by.
			// The templates have it; older ones left Failure open.
			if (!wf.nodes.some((n) => n.name === FAILED))
				wf.nodes.push({ parameters: {}, id: crypto.randomUUID(), name: FAILED, type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [540, 400] });
			wf.connections[WAIT].main[1] = [{ node: FAILED, type: 'main', index: 0 }];
		}
		workflows.push(wf);
		const inputs = Object.fromEntries(waitInputs(j).map((a) => [a.name, a.sample]));
		const id = p.label || `${p.journey} ${p.mode}`;
		return { ...p, id, title: j.title, provider: j.provider.id, workflowId: wf.id, path: trigger.parameters.path, inputs };
	});
	const never = cases.pop();
	return { workflows, cases, never };
}

// ---------------------------------------------------------------------------------------------------
// The person (a browser on the page, or an app posting JSON)
// ---------------------------------------------------------------------------------------------------

const unescapeHtml = (s) => s.replace(/&#(\d+);/g, (_m, d) => String.fromCharCode(Number(d))).replace(/&amp;/g, '&');
const visible = (html) =>
	unescapeHtml(
		html
			.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
			.replace(/<[^>]+>/g, ' ')
			.replace(/\s+/g, ' ')
			.trim(),
	);
const wrong = (code) => code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));

function body(mode, values) {
	return mode === 'page'
		? { body: new URLSearchParams(values).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } }
		: { body: JSON.stringify(values), headers: { 'content-type': 'application/json', accept: 'application/json' } };
}

class Person {
	constructor(c, base) {
		Object.assign(this, { c, base, mode: c.mode, answers: 0, url: undefined, state: undefined });
	}

	async start() {
		const r = await lib.request('POST', `${this.base}/webhook/${this.c.path}`, { ...body(this.mode, this.c.inputs), timeoutMs: 60000 });
		assert.equal(r.status, 200, `${this.c.id}: POST /webhook/${this.c.path} → ${r.status} ${r.text.slice(0, 300)}`);
		if (this.mode === 'page') {
			// The Webhook answers "When Last Node Finishes" with the node's waiting output: a page that sends the browser on.
			const m = r.text.match(/url=([^"]+)"/);
			assert.ok(m, `${this.c.id}: the first answer sends the browser on: ${r.text.slice(0, 300)}`);
			this.url = unescapeHtml(m[1]);
		} else {
			assert.equal(r.json && r.json.status, 'otp_sent', `${this.c.id}: ${r.text.slice(0, 300)}`);
			this.url = r.json.resumeUrl;
			this.state = r.json.state;
		}
		assert.ok(this.url.startsWith(`${this.base}/webhook-waiting/`), `${this.c.id}: the waiting URL names the main (N8N_WEBHOOK_URL): ${this.url}`);
		this.executionId = new URL(this.url).pathname.split('/').pop();
	}

	read(r) {
		if (this.mode === 'app') {
			assert.ok(r.json, `${this.c.id}: a JSON answer: ${r.status} ${r.text.slice(0, 300)}`);
			if (r.json.state) this.state = r.json.state;
			return { status: r.status, json: r.json, text: r.text };
		}
		const m = r.text.match(/name="state" value="([^"]+)"/);
		if (m) this.state = unescapeHtml(m[1]);
		return { status: r.status, text: visible(r.text), title: visible((r.text.match(/<h1>([\s\S]*?)<\/h1>/) || [])[1] || '') };
	}

	async open() {
		const r = await lib.request('GET', this.url);
		assert.equal(r.status, 200, `${this.c.id}: GET the waiting URL → ${r.status} ${r.text.slice(0, 300)}`);
		return this.read(r);
	}

	async post(values) {
		const withState = this.mode === 'app' && this.answers === 0 ? values : { ...values, state: this.state };
		this.answers++;
		return this.read(await lib.request('POST', this.url, { ...body(this.mode, withState), timeoutMs: 30000 }));
	}

	raw(values) {
		return lib.request('POST', this.url, { ...body(this.mode, values), timeoutMs: 30000 });
	}
}

/** Whether an answer ends the run (the app's `final`; the page: no longer the code page). */
const isFinal = (p, page) => (p.mode === 'app' ? page.json.final === true : page.title !== p.c.title);

function assertFinal(p, page, ok = true) {
	if (p.mode === 'app') {
		assert.equal(page.json.final, true, `${p.c.id}: the answer ends the run: ${page.text.slice(0, 300)}`);
		assert.equal(page.json.ok, ok, `${p.c.id}: ok: ${page.text.slice(0, 300)}`);
	} else assert.equal(page.title, ok ? 'Confirmed' : 'That did not work', `${p.c.id}: the end page: ${page.text.slice(0, 300)}`);
}

// ---------------------------------------------------------------------------------------------------
// One journey
// ---------------------------------------------------------------------------------------------------

/**
 * `ctx`: { cluster, gate, sandbox(method, path, json), sql(query), readExecution(id), lastOutput(exec, node),
 * jobOfRun(jobs, startTime), occupyBothWorkers(), restartMain() (or undefined: no restart), log }.
 */
async function runCase(c, ctx) {
	const t0 = Date.now();
	const base = ctx.cluster.baseUrl;
	const inbox = async () => Math.max(0, ...(await ctx.sandbox('GET', '/_sandbox/inbox')).json.messages.map((m) => Number(m.id.replace(/\D/g, ''))));
	const codeAfter = async (seq) => {
		for (const deadline = Date.now() + 15000; ; await sleep(100)) {
			const r = await ctx.sandbox('GET', `/_sandbox/inbox/latest?provider=${encodeURIComponent(c.provider)}`);
			if (r.status === 200 && Number(r.json.id.replace(/\D/g, '')) > seq) return r.json;
			assert.ok(Date.now() < deadline, `${c.id}: no new code in the sandbox inbox`);
		}
	};
	const providerCalls = async () => (await ctx.sandbox('GET', '/_sandbox/stats')).json.requests;
	const status = (id) => ctx.sql(`SELECT status FROM execution_entity WHERE id = ${Number(id)}`).trim();
	const notes = [];

	// The send: a job on a worker (A); the Webhook's "When Last Node Finishes" answer comes when the run starts waiting.
	const p = new Person(c, base);
	const seq = await inbox();
	await p.start();
	const id = p.executionId;
	const [first] = await ctx.cluster.waitForJobs(id, 1);
	assert.equal(status(id), 'waiting', `${c.id}: execution ${id} waits`);
	let msg = await codeAfter(seq);
	const firstMsg = msg;

	const calls0 = await providerCalls();
	if (c.mode === 'page') {
		const page = await p.open();
		assert.match(page.text, /We sent a code to \S/, `${c.id}: the code page: ${page.text.slice(0, 300)}`);
		assert.equal(await providerCalls(), calls0, `${c.id}: showing the page calls no provider`);
	}
	if (c.scenario === 'newCode') {
		const early = await p.post({ resend: 'true' });
		assert.match(early.text, /You can ask for a new code in/, `${c.id}: too early: ${early.text.slice(0, 300)}`);
		await sleep(RESEND_SECONDS * 1000 + 300);
		const seq2 = await inbox();
		const resent = await p.post({ resend: 'true' });
		assert.match(resent.text, /We sent you a new code/, `${c.id}: ${resent.text.slice(0, 300)}`);
		const fresh = await codeAfter(seq2);
		assert.notEqual(fresh.id, msg.id, `${c.id}: a new code was delivered`);
		msg = fresh;
		notes.push(`resend refused early, a new code after ${RESEND_SECONDS} s`);
		if (ctx.restartMain) {
			// The new code's reference lives only in the state on the page: nothing of it in any process's memory.
			// (Before the gate runs: a main stops at once only when it has no run of its own in flight.)
			const ms = await ctx.restartMain();
			notes.push(`main restarted before the new code was typed (${lib.secs(ms)})`);
		}
	}

	// Both slots held: whatever answers now is the main. Any job for this execution would stay queued.
	const held = await ctx.occupyBothWorkers();
	const free = held.find((h) => h.worker !== first.worker);
	const keep = held.find((h) => h.worker === first.worker);
	if (c.scenario === 'forgedWrongThenRight') {
		const good = p.state;
		const flipped = good.slice(0, -6) + (good.slice(-6, -5) === 'A' ? 'B' : 'A') + good.slice(-5);
		const before = await providerCalls();
		for (const forged of [flipped, 'sealed.v1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'x']) {
			const r = await p.raw({ code: msg.otp, state: forged });
			assert.equal(r.status, 403, `${c.id}: a forged state → 403, got ${r.status} ${r.text.slice(0, 200)}`);
			assert.ok(!r.json || r.json.status === 'invalid_request', `${c.id}: nothing about the run: ${r.text.slice(0, 200)}`);
		}
		const u = new URL(p.url);
		u.searchParams.set('signature', 'x'.repeat(u.searchParams.get('signature').length));
		const r = await lib.request('POST', u.toString(), body(c.mode, { code: msg.otp, state: good }));
		assert.equal(r.status, 401, `${c.id}: a wrong URL signature → 401, got ${r.status}`);
		assert.equal(await providerCalls(), before, `${c.id}: a forged state or signature reaches no provider`);
		notes.push('forged state 403 ×3, wrong signature 401, no provider call');
	}
	if (c.scenario === 'wrongThenRight' || c.scenario === 'forgedWrongThenRight') {
		const before = await providerCalls();
		const again = await p.post({ code: wrong(msg.otp) });
		if (c.mode === 'page') assert.match(again.text, /That code is not right/, `${c.id}: the page again: ${again.text.slice(0, 300)}`);
		else assert.equal(again.json.status, 'invalid_otp', `${c.id}: ${again.text.slice(0, 300)}`);
		assert.ok((await providerCalls()) > before, `${c.id}: the wrong code went to the provider`);
		notes.push('wrong code answered with both workers busy');
	}
	assert.deepEqual(
		ctx.cluster.jobsOf(id).map((j) => j.jobId),
		[first.jobId],
		`${c.id}: nothing before the final code started a job: ${JSON.stringify(ctx.cluster.jobsOf(id))}`,
	);
	assert.equal(status(id), 'waiting', `${c.id}: still waiting before the final code`);

	// The final code: answered by the main while both slots are still held; the resumed job waits in the queue.
	// Attempts exhausted: wrong codes until the provider refuses any more; the last one is the final answer.
	const before = await providerCalls();
	if (c.scenario === 'exhausted') {
		let wrongs = 0;
		for (;;) {
			const page = await p.post({ code: wrong(msg.otp) });
			wrongs++;
			if (isFinal(p, page)) {
				assertFinal(p, page, false);
				break;
			}
			if (c.mode === 'page') assert.match(page.text, /That code is not right/, `${c.id}: the page again: ${page.text.slice(0, 300)}`);
			else assert.equal(page.json.status, 'invalid_otp', `${c.id}: ${page.text.slice(0, 300)}`);
			assert.equal(status(id), 'waiting', `${c.id}: still waiting after wrong code ${wrongs}`);
			assert.deepEqual(
				ctx.cluster.jobsOf(id).map((j) => j.jobId),
				[first.jobId],
				`${c.id}: a wrong code started no job`,
			);
			assert.ok(wrongs < 10, `${c.id}: still asking after ${wrongs} wrong codes`);
		}
		notes.push(`${wrongs} wrong codes, all answered by the main with both workers busy; the last ended the run`);
	} else assertFinal(p, await p.post({ code: msg.otp }));
	assert.ok((await providerCalls()) > before, `${c.id}: the final code went to the provider (from the main)`);
	for (const deadline = Date.now() + 10000; status(id) !== 'running'; await sleep(50))
		assert.ok(Date.now() < deadline, `${c.id}: running after the final answer, is ${status(id)}`);
	const whileQueued = await p.raw({ code: msg.otp, state: p.state });
	assert.equal(whileQueued.status, 409, `${c.id}: a POST while the resumed job is queued → ${whileQueued.status} ${whileQueued.text.slice(0, 200)}`);
	assert.match(whileQueued.text, /running already/, `${c.id}: ${whileQueued.text.slice(0, 200)}`);
	assert.equal(ctx.cluster.jobsOf(id).filter((j) => j.startedAt).length, 1, `${c.id}: the resumed job waits while both slots are held`);

	// Only the other worker's slot freed: the resumed job can only run there.
	ctx.gate.release(free.id);
	const jobs = await ctx.cluster.waitForJobs(id, 2);
	ctx.gate.release(keep.id);
	for (const deadline = Date.now() + 15000; status(id) !== 'success'; await sleep(100))
		assert.ok(Date.now() < deadline, `${c.id}: success after the resumed job, is ${status(id)}`);
	// A run the workflow does not save (saveDataSuccessExecution: none) is soft-deleted: n8n then says it does not exist.
	const after = await p.raw({ code: msg.otp, state: p.state });
	assert.ok(after.status === 409 || after.status === 404, `${c.id}: a POST after the end → ${after.status} ${after.text.slice(0, 200)}`);
	assert.match(after.text, after.status === 409 ? /has finished/ : /does not exist/, `${c.id}: says the run has ended: ${after.text.slice(0, 200)}`);

	// Who ran what, from the execution data in Postgres and the workers' job windows.
	const exec = ctx.readExecution(id);
	const wait = exec.data.resultData.runData[WAIT];
	const ran = Object.keys(exec.data.resultData.runData).join(', ');
	const out = ctx.lastOutput(exec, WAIT);
	let next;
	let result;
	if (c.scenario === 'exhausted') {
		// Failure only: nothing on Success, one max_attempts item on Failure, the Failure branch's node ran, not NEXT.
		result = assertFailureOnly(c, exec, out, 'max_attempts', ctx);
		next = ctx.lastOutput(exec, FAILED);
	} else {
		next = ctx.lastOutput(exec, NEXT);
		assert.ok(next, `${c.id}: ${NEXT} ran (ran: ${ran})`);
		const success = out.outputs[0] || [];
		assert.equal(success.length, 1, `${c.id}: one item on Success: ${JSON.stringify(out.outputs).slice(0, 300)}`);
		assert.ok(['verified', 'completed'].includes(success[0].status), `${c.id}: ${success[0].status}`);
		result = success[0];
	}
	// n8n keeps one run of the waiting node: the resumed one (it replaces the run that sent). The send is placed in
	// the first job by the Webhook node's start and by the time the sandbox delivered the first code.
	const trigger = ctx.lastOutput(exec, 'Webhook');
	const firstCodeAt = Date.parse(firstMsg.at);
	const triggerJob = ctx.jobOfRun(jobs, trigger.startTime);
	const resumeJob = ctx.jobOfRun(jobs, wait[wait.length - 1].startTime);
	const nextJob = ctx.jobOfRun(jobs, next.startTime);
	const where = JSON.stringify({ jobs, trigger: trigger.startTime, firstCodeAt, wait: wait.map((r) => r.startTime), next: next.startTime });
	assert.ok(triggerJob && resumeJob && nextJob, `${c.id}: every run inside a logged job: ${where}`);
	assert.equal(triggerJob.jobId, first.jobId, `${c.id}: the Webhook ran in the first job: ${where}`);
	assert.ok(first.startedAt <= firstCodeAt && firstCodeAt <= first.finishedAt, `${c.id}: the first code was sent during the first job: ${where}`);
	assert.equal(resumeJob.jobId, jobs[1].jobId, `${c.id}: the resumed node ran in the second job: ${where}`);
	assert.equal(nextJob.jobId, jobs[1].jobId, `${c.id}: the next node ran in the second job: ${where}`);
	assert.equal(resumeJob.worker, free.worker, `${c.id}: the resumed job ran on the freed worker`);
	assert.notEqual(first.worker, resumeJob.worker, `${c.id}: the send and the resume ran on different workers`);
	const deleted = ctx.sql(`SELECT "deletedAt" IS NOT NULL FROM execution_entity WHERE id = ${Number(id)}`).trim() === 't';
	if (deleted) notes.push('run not saved (soft-deleted): read before the sweep');
	return {
		id: c.id,
		executionId: id,
		status: result.status,
		send: first.worker,
		resume: resumeJob.worker,
		jobs: jobs.map((j) => `${j.jobId}@${j.worker}`),
		waitRuns: wait.length,
		queued409: whileQueued.status,
		after: `${after.status} ${after.json ? after.json.message : after.text.slice(0, 80)}`,
		notes,
		ms: Date.now() - t0,
	};
}

/**
 * The run ended on Failure only: the node emitted nothing on Success and one item with `status` on Failure; the
 * Success branch's next node did not run; the node on the Failure output ran with that item.
 */
function assertFailureOnly(c, exec, out, status, ctx) {
	const ran = Object.keys(exec.data.resultData.runData).join(', ');
	const outputs = JSON.stringify(out.outputs).slice(0, 400);
	assert.deepEqual(out.outputs[0] || [], [], `${c.id}: nothing on Success: ${outputs}`);
	const failure = out.outputs[1] || [];
	assert.equal(failure.length, 1, `${c.id}: one item on Failure: ${outputs}`);
	assert.equal(failure[0].status, status, `${c.id}: ${status} on Failure: ${outputs}`);
	assert.equal(failure[0].ok, false, `${c.id}: ok false: ${outputs}`);
	assert.equal(exec.data.resultData.runData[NEXT], undefined, `${c.id}: ${NEXT} (the Success branch) did not run (ran: ${ran})`);
	const failed = ctx.lastOutput(exec, FAILED);
	assert.ok(failed, `${c.id}: ${FAILED} (the Failure branch) ran (ran: ${ran})`);
	assert.equal((failed.outputs[0] || [])[0]?.status, status, `${c.id}: ${FAILED} got the ${status} item`);
	return failure[0];
}

/**
 * Never answers, part 1: the send (a job on a worker), then nothing. Resolves once the run waits, with what part 2
 * needs. Meant to be called before the other cases so that its minute overlaps them.
 */
async function startNeverAnswers(c, ctx) {
	const t0 = Date.now();
	const p = new Person(c, ctx.cluster.baseUrl);
	await p.start();
	const id = p.executionId;
	const [first] = await ctx.cluster.waitForJobs(id, 1);
	const row = ctx.sql(`SELECT status || '|' || (EXTRACT(EPOCH FROM "waitTill") * 1000)::bigint FROM execution_entity WHERE id = ${Number(id)}`).trim();
	const [status, waitTill] = row.split('|');
	assert.equal(status, 'waiting', `${c.id}: execution ${id} waits`);
	const limit = Number(waitTill) - t0;
	assert.ok(
		// The limit counts from the send, which a loaded 2-core machine reaches a few seconds after the POST.
		limit > (NEVER_MINUTES * 60 - 5) * 1000 && limit <= NEVER_MINUTES * 60 * 1000 + 5000,
		`${c.id}: waits until ~${NEVER_MINUTES} min after the send: ${limit} ms`,
	);
	// What the worker stored for the timeout: the node's stack entry, its input replaced, read back from Postgres.
	const entry = ctx.readExecution(id).data.executionData.nodeExecutionStack[0];
	const stored = JSON.stringify({ node: entry && entry.node.name, data: entry && entry.data, metadata: entry && entry.metadata }).slice(0, 500);
	assert.equal(entry && entry.node.name, WAIT, `${c.id}: the waiting node heads the stored stack: ${stored}`);
	const [success, failure] = entry.data.main;
	assert.deepEqual(success, [], `${c.id}: the stored input holds nothing for Success: ${stored}`);
	assert.deepEqual(
		(failure || []).map((i) => i.json.status),
		['expired'],
		`${c.id}: the stored input holds one expired item for Failure: ${stored}`,
	);
	assert.equal(entry.metadata && entry.metadata.forwardAllOutputs, true, `${c.id}: forwardAllOutputs stored: ${stored}`);
	return { c, p, id, first, t0, waitTill: Number(waitTill) };
}

/**
 * Never answers, part 2: waits (until NEVER_LIMIT_MS after the send at most) for n8n to end the run by itself, then
 * checks the stored execution: Failure only with `expired`, in a second job that started at the limit, on a worker.
 */
async function finishNeverAnswers(started, ctx) {
	const { c, p, id, first, t0, waitTill } = started;
	const waitFrom = Date.now();
	const status = () => ctx.sql(`SELECT status FROM execution_entity WHERE id = ${Number(id)}`).trim();
	let st;
	for (;;) {
		st = status();
		if (!['new', 'waiting', 'running'].includes(st)) break;
		assert.ok(Date.now() - t0 < NEVER_LIMIT_MS, `${c.id}: execution ${id} still ${st} ${lib.secs(Date.now() - t0)} after its send`);
		await sleep(250);
	}
	const endedAt = Date.now();
	assert.equal(st, 'success', `${c.id}: the run ends without an error (Failure is an output, not an error), is ${st}`);
	const jobs = await ctx.cluster.waitForJobs(id, 2);
	assert.equal(jobs.length, 2, `${c.id}: two jobs, the send and the resume: ${JSON.stringify(jobs)}`);
	const exec = ctx.readExecution(id);
	const out = ctx.lastOutput(exec, WAIT);
	const result = assertFailureOnly(c, exec, out, 'expired', ctx);
	const trigger = ctx.lastOutput(exec, 'Webhook');
	const failed = ctx.lastOutput(exec, FAILED);
	const where = JSON.stringify({ jobs, trigger: trigger.startTime, waitTill, wait: out.runs.map((r) => r.startTime), failed: failed.startTime });
	const triggerJob = ctx.jobOfRun(jobs, trigger.startTime);
	const resumeJob = ctx.jobOfRun(jobs, out.startTime);
	const failedJob = ctx.jobOfRun(jobs, failed.startTime);
	assert.ok(triggerJob && resumeJob && failedJob, `${c.id}: every run inside a logged job (none in the main): ${where}`);
	assert.equal(triggerJob.jobId, first.jobId, `${c.id}: the Webhook ran in the first job: ${where}`);
	assert.equal(resumeJob.jobId, jobs[1].jobId, `${c.id}: the node's timeout run is the second job: ${where}`);
	assert.equal(failedJob.jobId, jobs[1].jobId, `${c.id}: ${FAILED} ran in the second job: ${where}`);
	assert.ok(out.startTime >= waitTill - 1000, `${c.id}: resumed at the limit, not before: ${where}`);
	const after = await p.raw({ code: '123456', state: p.state });
	assert.ok(after.status === 409 || after.status === 404, `${c.id}: a POST after the end → ${after.status} ${after.text.slice(0, 200)}`);
	assert.match(after.text, after.status === 409 ? /has finished/ : /does not exist/, `${c.id}: says the run has ended: ${after.text.slice(0, 200)}`);
	return {
		id: c.id,
		executionId: id,
		status: result.status,
		send: first.worker,
		resume: resumeJob.worker,
		jobs: jobs.map((j) => `${j.jobId}@${j.worker}`),
		waitRuns: out.runs.length,
		resumedAfterMs: out.startTime - t0,
		endedAfterMs: endedAt - t0,
		waitedMs: endedAt - waitFrom,
		after: `${after.status} ${after.json ? after.json.message : after.text.slice(0, 80)}`,
		ms: endedAt - t0,
	};
}

module.exports = { prepare, runCase, startNeverAnswers, finishNeverAnswers, PLAN, NEVER };
