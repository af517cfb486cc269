'use strict';
/**
 * Send and Wait for Code in n8n queue mode (part of run.test.js: same cluster, same set-up). Shipped templates of
 * templates/n8n/send-and-wait/ run at the MAIN's URLs while their executions run on the workers:
 *
 *   capillary-mobile page      a wrong code, then the right one
 *   iserveu-transaction app    forged states (403) and a wrong URL signature (401), a wrong code, then the right one
 *   iserveu-registration page  a new code after the resend wait (2 s), then the main restarted, then the new code
 *   summitai app               the right code
 *
 * Each journey: the send (execute()) runs in a job on worker A and the run waits. Every answer before the final one
 * (the page, a wrong code, a new code, a forged state) is given by the main's webhook(): the sandbox sees the provider
 * calls, no job is started for the execution, the run stays `waiting`. Wrong codes, forged states and the final code
 * are posted while both worker slots are held by gate runs. The final code is verified and answered by the main
 * while no worker is free; the run is then `running` with its resumed job queued (a POST now → 409 "running
 * already"); once only worker B's slot is freed the resumed job (the node's output, then Verified) runs there. A POST
 * after the end → 409 "has finished" (404 "does not exist" for a workflow that saves no successful runs).
 * Who ran what: the workers' job log lines against the node start times in Postgres and the sandbox's delivery time.
 */
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const lib = require('../n8n/lib');

const DIR = path.join(lib.TEMPLATE_DIR, 'send-and-wait');
const WAIT = 'Send and Wait for Code';
const NEXT = 'Verified';
const RESEND_SECONDS = 2;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The journeys run here: template file, what is done while the run waits, and (optional) a variant of it. */
const PLAN = [
	{ journey: 'capillary-mobile', mode: 'page', scenario: 'wrongThenRight' },
	{ journey: 'iserveu-transaction', mode: 'app', scenario: 'forgedWrongThenRight' },
	{ journey: 'iserveu-registration', mode: 'page', scenario: 'newCode', suffix: 'QRSD', options: { resendWaitSeconds: RESEND_SECONDS }, restartMain: true },
	{ journey: 'summitai', mode: 'app', scenario: 'right' },
];

/** The workflows to import and publish, and the cases to drive (`journeys`: dist/journeys/index's JOURNEYS). */
function prepare({ sandboxUrl, journeys, waitInputs }) {
	const workflows = [];
	const cases = PLAN.map((p) => {
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
		workflows.push(wf);
		const inputs = Object.fromEntries(waitInputs(j).map((a) => [a.name, a.sample]));
		return { ...p, id: `${p.journey} ${p.mode}`, provider: j.provider.id, workflowId: wf.id, path: trigger.parameters.path, inputs };
	});
	return { workflows, cases };
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

function assertFinal(p, page) {
	if (p.mode === 'app') {
		assert.equal(page.json.final, true, `${p.c.id}: the answer ends the run: ${page.text.slice(0, 300)}`);
		assert.equal(page.json.ok, true, `${p.c.id}: ok: ${page.text.slice(0, 300)}`);
	} else assert.equal(page.title, 'Confirmed', `${p.c.id}: the end page: ${page.text.slice(0, 300)}`);
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
	const before = await providerCalls();
	assertFinal(p, await p.post({ code: msg.otp }));
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
	const next = ctx.lastOutput(exec, NEXT);
	assert.ok(next, `${c.id}: ${NEXT} ran (ran: ${Object.keys(exec.data.resultData.runData).join(', ')})`);
	const out = ctx.lastOutput(exec, WAIT);
	const success = out.outputs[0] || [];
	assert.equal(success.length, 1, `${c.id}: one item on Success: ${JSON.stringify(out.outputs).slice(0, 300)}`);
	assert.ok(['verified', 'completed'].includes(success[0].status), `${c.id}: ${success[0].status}`);
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
	assert.equal(nextJob.jobId, jobs[1].jobId, `${c.id}: ${NEXT} ran in the second job: ${where}`);
	assert.equal(resumeJob.worker, free.worker, `${c.id}: the resumed job ran on the freed worker`);
	assert.notEqual(first.worker, resumeJob.worker, `${c.id}: the send and the resume ran on different workers`);
	const deleted = ctx.sql(`SELECT "deletedAt" IS NOT NULL FROM execution_entity WHERE id = ${Number(id)}`).trim() === 't';
	if (deleted) notes.push('run not saved (soft-deleted): read before the sweep');
	return {
		id: c.id,
		executionId: id,
		status: success[0].status,
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

module.exports = { prepare, runCase, PLAN };
