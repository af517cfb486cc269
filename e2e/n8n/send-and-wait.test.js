#!/usr/bin/env node
/**
 * Send and Wait for Code in real n8n 2.41.1 (node:test; `npm run test:e2e:n8n:wait`): the templates of
 * templates/n8n/send-and-wait/ imported and published, `n8n start` on a free port, the sandbox in this process, and
 * every run driven over HTTP as a browser (Page mode: a form post, the redirect page, the code page, form posts back)
 * or as an app (Your App: JSON both ways) would.
 *
 * For the test, each template's next step is replaced by two HTTP Request nodes that report the node's Success and
 * Failure items to a small server in this process: every run's outcome, and which output it left by, is checked.
 *
 * Runs: every journey, both modes, the right code; then on chosen journeys: a wrong code then the right one; attempts
 * exhausted (max_attempts on Failure); a new code after the resend wait (the old one then refused); the person never
 * answers (a one-minute wait) → expired on Failure, never Success; a forged or altered state → 403 and nothing else;
 * a POST after the run ended → n8n says the execution has finished. Pages are checked for secrets, full identifiers
 * and Aadhaar numbers.
 *
 * Env: OTPFLOW_CACHE, OTPFLOW_E2E_ONLY=<journey id substring>, OTPFLOW_E2E_KEEP=1, OTPFLOW_E2E_BUILD=1,
 * OTPFLOW_E2E_QUICK=1 (skip the one-minute timeout run).
 */
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const { ensureN8n, N8N_VERSION, NODE_VERSION } = require('./install');
const lib = require('./lib');

const SUITE_LIMIT_MS = 12 * 60 * 1000;
const log = (line) => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const state = { outcomes: [], runs: [] };

const stopN8n = () => lib.killGroup(state.server);
const watchdog = lib.suiteWatchdog(require.main === module, SUITE_LIMIT_MS, 'wait', stopN8n);

// ---------------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------------

const { request } = lib;

const form = (values) => ({ body: new URLSearchParams(values).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
const json = (value) => ({ body: JSON.stringify(value), headers: { 'content-type': 'application/json', accept: 'application/json' } });

async function sandboxCall(method, p, value) {
	const r = await request(method, `${state.sandbox.url}${p}`, value === undefined ? {} : json(value));
	assert.ok(r.status < 300, `sandbox ${method} ${p}: ${r.status} ${r.text}`);
	return r.json;
}

const unescapeHtml = (s) => s.replace(/&#(\d+);/g, (_m, d) => String.fromCharCode(Number(d))).replace(/&amp;/g, '&');

/** What a person reads on a page. */
function visibleText(html) {
	return unescapeHtml(
		html
			.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
			.replace(/<[^>]+>/g, ' ')
			.replace(/\s+/g, ' ')
			.trim(),
	);
}

/** No secret, no full identifier typed on the first page, no Aadhaar number (whole or Verhoeff-valid 12 digits). */
function assertClean(text, where, c, page = true) {
	for (const secret of state.secrets) assert.ok(!text.includes(secret), `${where}: holds the sandbox secret ${secret.slice(0, 4)}…`);
	for (const ask of c.journey.ask) {
		// Pages never show a full identifier; the app's final result carries the usual reference (ids it sent itself).
		if (ask.sensitive || (page && /tel|email/.test(ask.input))) assert.ok(!text.includes(ask.sample), `${where}: shows ${ask.name} in full`);
	}
	for (const m of text.matchAll(/(?<![\d])\d{4}[ -]?\d{4}[ -]?\d{4}(?![\d])/g)) {
		assert.ok(!state.verhoeffValid(m[0].replace(/\D/g, '')), `${where}: holds an Aadhaar-like number`);
	}
}

/** The resume URL with our base (n8n builds it from its own idea of its address). */
function local(url) {
	const u = new URL(url);
	return `${state.base}${u.pathname}${u.search}`;
}

// ---------------------------------------------------------------------------------------------------
// The outcome reporter: each template's next step, replaced by two HTTP Request nodes
// ---------------------------------------------------------------------------------------------------

function startReporter() {
	return new Promise((resolve) => {
		const srv = http.createServer((req, res) => {
			const chunks = [];
			req.on('data', (c) => chunks.push(c));
			req.on('end', () => {
				try {
					const [output, execution] = req.url.slice(1).split('/');
					state.outcomes.push({ output, execution, json: JSON.parse(Buffer.concat(chunks).toString('utf8')), at: Date.now() });
				} catch {
					state.outcomes.push({ output: req.url.slice(1), json: null, at: Date.now() });
				}
				res.end('{}');
			});
		});
		srv.listen(0, lib.HOST, () => resolve(srv));
	});
}

function reporterNode(name, output, x, y) {
	return {
		parameters: {
			method: 'POST',
			url: `=http://${lib.HOST}:${state.reporter.address().port}/${output}/{{ $execution.id }}`,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify($json) }}',
			options: {},
		},
		id: crypto.randomUUID(),
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [x, y],
	};
}

/** A template as the test runs it: outcomes reported; `variant` changes ids, paths and options. */
function forTest(file, variant = {}) {
	const wf = JSON.parse(fs.readFileSync(path.join(lib.TEMPLATE_DIR, 'send-and-wait', file), 'utf8'));
	const { WAIT_NODE } = state.dist;
	wf.nodes = wf.nodes.filter((n) => n.name !== WAIT_NODE.next);
	wf.nodes.push(reporterNode('Report success', 'success', 540, 200), reporterNode('Report failure', 'failure', 540, 400));
	wf.connections[WAIT_NODE.wait] = { main: [[{ node: 'Report success', type: 'main', index: 0 }], [{ node: 'Report failure', type: 'main', index: 0 }]] };
	const trigger = wf.nodes.find((n) => n.name === WAIT_NODE.trigger);
	const wait = wf.nodes.find((n) => n.name === WAIT_NODE.wait);
	if (variant.suffix) {
		wf.id = `${wf.id.slice(0, 12)}${variant.suffix}`;
		wf.name += ` (${variant.suffix})`;
		trigger.parameters.path += `-${variant.suffix.toLowerCase()}`;
		trigger.webhookId = crypto.randomUUID();
	}
	// Each journey sends its codes to one sample number, more than the send guard's 5 in 10 minutes: the guard's own
	// cases are the abuse suite's (abuse.test.js).
	Object.assign(wait.parameters.options, { perIdentifierMax: 100 }, variant.options || {});
	// Finished runs are kept here whatever the template says: the reporter, not the execution list, is read.
	return { workflow: wf, path: trigger.parameters.path };
}

// ---------------------------------------------------------------------------------------------------
// One person going through one run
// ---------------------------------------------------------------------------------------------------

class Person {
	constructor(c, mode, path, label) {
		Object.assign(this, { c, mode, path, label, pages: [], url: undefined, state: undefined });
	}

	where() {
		return `${this.c.id} ${this.mode} (${this.label}), step ${this.pages.length + 1}`;
	}

	details() {
		return Object.fromEntries(this.c.inputs.map((a) => [a.name, a.sample]));
	}

	async start() {
		const url = `${state.base}/webhook/${this.path}`;
		// n8n may still be registering the webhook when it already names it in its hints: ask again for a while.
		let r;
		for (const deadline = Date.now() + 60000; ; await sleep(500)) {
			r = await request('POST', url, this.mode === 'page' ? form(this.details()) : json(this.details()));
			if (!(r.status === 404 && /is not registered/.test(r.text)) || Date.now() > deadline) break;
		}
		assert.equal(r.status, 200, `${this.where()}: POST ${url} → ${r.status} ${r.text.slice(0, 300)}`);
		if (this.mode === 'page') {
			assert.match(r.headers['content-type'] || '', /text\/html/, `${this.where()}: the first answer is a page`);
			assertClean(r.text, this.where(), this.c);
			const m = r.text.match(/url=([^"]+)"/);
			assert.ok(m, `${this.where()}: the first page sends the browser on: ${r.text.slice(0, 300)}`);
			this.url = local(unescapeHtml(m[1]));
			return this.open();
		}
		assert.ok(r.json && r.json.resumeUrl && r.json.state, `${this.where()}: resumeUrl and state in ${r.text.slice(0, 300)}`);
		assert.equal(r.json.status, 'otp_sent');
		assertClean(r.text, this.where(), this.c, false);
		this.url = local(r.json.resumeUrl);
		this.state = r.json.state;
		return r.json;
	}

	get executionId() {
		return new URL(this.url).pathname.split('/').pop();
	}

	/** GET the code page (Page mode). */
	async open() {
		const r = await request('GET', this.url);
		assert.equal(r.status, 200, `${this.where()}: GET code page → ${r.status} ${r.text.slice(0, 300)}`);
		return this.read(r);
	}

	read(r) {
		if (this.mode === 'app') {
			assert.ok(r.json, `${this.where()}: a JSON answer: ${r.text.slice(0, 300)}`);
			assertClean(r.text, this.where(), this.c, false);
			if (r.json.state) this.state = r.json.state;
			this.pages.push({ status: r.status, json: r.json });
			return r.json;
		}
		assertClean(visibleText(r.text), this.where(), this.c);
		const m = r.text.match(/name="state" value="([^"]+)"/);
		if (m) this.state = unescapeHtml(m[1]);
		const page = { status: r.status, html: r.text, text: visibleText(r.text), title: visibleText((r.text.match(/<h1>([\s\S]*?)<\/h1>/) || [])[1] || '') };
		this.pages.push(page);
		return page;
	}

	async post(values) {
		// The first answer needs no state in the body: the URL carries it. Later ones send back the state they got.
		const body = this.pages.length === 0 && this.mode === 'app' ? values : { ...values, state: this.state };
		const r = await request('POST', this.url, this.mode === 'page' ? form(body) : json(body));
		return this.read(r);
	}

	code(code) {
		return this.post({ code });
	}

	resend() {
		return this.post({ resend: 'true' });
	}
}

async function latestCode(c, notId) {
	const msg = await sandboxCall('GET', `/_sandbox/inbox/latest?provider=${c.journey.provider.id}&to=`);
	assert.ok(msg && /^\d{4,10}$/.test(msg.otp), `${c.id}: a code in the inbox`);
	if (notId) assert.notEqual(msg.id, notId, `${c.id}: a new code was delivered`);
	return msg;
}

/** Waits (GET, harmless) until n8n answers that the run has ended. */
async function ended(person) {
	const deadline = Date.now() + 30000;
	for (;;) {
		const r = await request('GET', person.url);
		if (r.status === 404 || (r.status === 409 && /finished/.test(r.text))) return r;
		assert.ok(Date.now() < deadline, `${person.where()}: the run did not end: ${r.status} ${r.text.slice(0, 200)}`);
		await sleep(300);
	}
}

const wrong = (code) => code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));

/** The reporter's item for this person's run (by its execution id). */
async function outcome(person, timeoutMs = 30000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const o = state.outcomes.find((x) => x.execution === person.executionId);
		if (o) return o;
		assert.ok(Date.now() < deadline, 'the run reported no outcome');
		await sleep(200);
	}
}

function assertEnd(person, page, ok) {
	if (person.mode === 'app') {
		assert.equal(page.final, true, `${person.where()}: the answer says the run ended: ${JSON.stringify(page).slice(0, 300)}`);
		assert.equal(page.ok, ok, `${person.where()}: ok`);
	} else {
		assert.equal(page.title, ok ? 'Confirmed' : 'That did not work', `${person.where()}: the end page: ${page.text.slice(0, 300)}`);
	}
}

const SCENARIOS = {
	async right(c, mode) {
		const p = new Person(c, mode, c.paths[mode], 'right code');
		const first = await p.start();
		if (mode === 'page') assert.match(first.text, /We sent a code to \S/, `${p.where()}: where the code went`);
		const msg = await latestCode(c);
		assertEnd(p, await p.code(msg.otp), true);
		const o = await outcome(p);
		assert.equal(o.output, 'success', `${p.where()}: Success: ${JSON.stringify(o.json).slice(0, 300)}`);
		assert.ok(['verified', 'completed'].includes(o.json.status), `${p.where()}: ${o.json.status}`);
		assert.equal(o.json.operation, 'sendAndWait');
		assert.ok(!JSON.stringify(o.json).includes(msg.otp) || msg.otp.length < 5, `${p.where()}: the code is not in the result`);
		return `${o.json.status} on Success`;
	},
	async wrongThenRight(c, mode) {
		const p = new Person(c, mode, c.paths[mode], 'wrong, then right');
		await p.start();
		const msg = await latestCode(c);
		const again = await p.code(wrong(msg.otp));
		if (mode === 'page') assert.match(again.text, /That code is not right/, `${p.where()}: the page again: ${again.text.slice(0, 300)}`);
		else assert.equal(again.status, 'invalid_otp');
		assertEnd(p, await p.code(msg.otp), true);
		const o = await outcome(p);
		assert.equal(o.output, 'success');
		return `page again, then ${o.json.status}`;
	},
	async exhausted(c, mode) {
		const p = new Person(c, mode, c.paths[mode], 'attempts exhausted');
		await p.start();
		const msg = await latestCode(c);
		let last;
		for (let i = 0; i < 10; i++) {
			last = await p.code(wrong(msg.otp));
			if (mode === 'app' ? last.final : last.title !== c.journey.title) break;
		}
		assertEnd(p, last, false);
		const o = await outcome(p);
		assert.equal(o.output, 'failure');
		assert.equal(o.json.status, 'max_attempts', JSON.stringify(o.json).slice(0, 300));
		return `${p.pages.length - 1} wrong codes → max_attempts on Failure`;
	},
	async newCode(c, mode) {
		const p = new Person(c, mode, c.resendPath, 'a new code after the wait');
		const first = await p.start();
		if (mode === 'page') assert.ok(/<form[^>]*id="resend"[^>]*hidden/.test(first.html), `${p.where()}: no resend button yet`);
		const old = await latestCode(c);
		const early = await p.resend();
		if (mode === 'page') assert.match(early.text, /You can ask for a new code in/, `${p.where()}: too early: ${early.text.slice(0, 200)}`);
		await sleep(c.resendSeconds * 1000 + 500);
		const resent = await p.resend();
		if (mode === 'page') assert.match(resent.text, /We sent you a new code/, `${p.where()}: ${resent.text.slice(0, 300)}`);
		else assert.equal(resent.status, 'otp_sent');
		const fresh = await latestCode(c, old.id);
		assertEnd(p, await p.code(fresh.otp), true);
		const o = await outcome(p);
		assert.equal(o.output, 'success');
		return `resend refused early, new code accepted (${o.json.status})`;
	},
	async forged(c, mode) {
		const p = new Person(c, mode, c.paths[mode], 'forged state');
		await p.start();
		const msg = await latestCode(c);
		const good = p.state;
		const body = good.slice(0, -6) + (good.slice(-6, -5) === 'A' ? 'B' : 'A') + good.slice(-5);
		for (const forged of [body, 'sealed.v1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'x']) {
			p.state = forged;
			const r = await request('POST', p.url, mode === 'page' ? form({ code: msg.otp, state: forged }) : json({ code: msg.otp, state: forged }));
			assert.equal(r.status, 403, `${p.where()}: a forged state → 403, got ${r.status} ${r.text.slice(0, 200)}`);
			assert.ok(!r.text.includes(c.journey.title) && !/We sent a code/.test(r.text), `${p.where()}: nothing about the run`);
		}
		// A wrong signature in the URL: n8n refuses it before the node.
		const u = new URL(p.url);
		u.searchParams.set('signature', 'x'.repeat(u.searchParams.get('signature').length));
		const r = await request('GET', u.toString());
		assert.equal(r.status, 401, `${p.where()}: a wrong URL signature → 401, got ${r.status}`);
		// The run still waits: the right code with the real state ends it on Success.
		p.state = good;
		assertEnd(p, await p.code(msg.otp), true);
		assert.equal((await outcome(p)).output, 'success');
		// After the end: n8n says so (once the resumed run has finished: until then it says it is running).
		await ended(p);
		const late = await request('POST', p.url, json({ code: msg.otp, state: good }));
		assert.ok(late.status === 409 || late.status === 404, `${p.where()}: a POST after the end → ${late.status} ${late.text.slice(0, 200)}`);
		assert.match(late.text, /finished|does not exist/, `${p.where()}: says the run ended: ${late.text.slice(0, 200)}`);
		return `403 ×3, 401, then verified; after the end ${late.status}: ${late.json ? late.json.message : late.text.slice(0, 80)}`;
	},
	async neverAnswers(c, mode) {
		const p = new Person(c, mode, c.timeoutPath, 'never answers');
		const since = Date.now();
		await p.start();
		const o = await outcome(p, 200000);
		assert.equal(o.output, 'failure', `never answering must not be a success: ${JSON.stringify(o.json).slice(0, 300)}`);
		assert.equal(o.json.status, 'expired');
		assert.equal(state.outcomes.filter((x) => x.execution === p.executionId).length, 1, 'one outcome, on Failure only');
		await ended(p);
		const late = await request('POST', p.url, json({ code: '123456', state: p.state }));
		assert.ok(late.status === 409 || late.status === 404, `after the timeout: ${late.status}`);
		return `expired on Failure after ${lib.secs(o.at - since)}; then ${late.status}`;
	},
};

// ---------------------------------------------------------------------------------------------------
// Set-up
// ---------------------------------------------------------------------------------------------------

async function setUp() {
	state.inst = ensureN8n({ log });
	lib.build({ force: process.env.OTPFLOW_E2E_BUILD === '1', log });
	const dist = (p) => require(path.join(lib.ROOT, 'dist', p));
	const { startSandbox, SANDBOX_ACCOUNTS } = dist('sandbox');
	const { JOURNEYS } = dist('journeys/index');
	const waitModule = dist('journeys/n8n-wait');
	state.dist = waitModule;
	state.verhoeffValid = dist('nodes/core').verhoeffValid;
	state.sandbox = await startSandbox({ port: 0, maxLifetimeMs: 20 * 60 * 1000, config: { iserveuResendCooldownSeconds: 2 } });
	state.secrets = Object.values(SANDBOX_ACCOUNTS).flatMap((a) =>
		Object.entries(a)
			.filter(([k, v]) => typeof v === 'string' && /token|secret|key|password/i.test(k))
			.map(([, v]) => v),
	);
	state.reporter = await startReporter();
	state.work = fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-n8n-wait-'));
	state.userFolder = path.join(state.work, 'user');
	lib.installIntoUserFolder(lib.pack(state.work), state.userFolder);
	state.port = await lib.freePort();
	state.base = `http://${lib.HOST}:${state.port}`;
	state.env = lib.n8nEnv(state.inst, { userFolder: state.userFolder, brokerPort: await lib.freePort(), port: state.port });

	const only = process.env.OTPFLOW_E2E_ONLY;
	const workflows = [];
	state.cases = JOURNEYS.filter((j) => !only || j.id.includes(only)).map((j) => {
		const c = { id: j.id, journey: j, inputs: waitModule.waitInputs(j), paths: {} };
		for (const mode of waitModule.WAIT_MODES) {
			const t = forTest(`${j.id}-${mode}.json`);
			workflows.push(t.workflow);
			c.paths[mode] = t.path;
		}
		return c;
	});
	// A new code: iServeU registration with a 2-second resend wait (the sandbox's cooldown shortened to match).
	const resendCase = state.cases.find((c) => c.id === 'iserveu-registration');
	if (resendCase) {
		const t = forTest('iserveu-registration-page.json', { suffix: 'RSND', options: { resendWaitSeconds: 2 } });
		workflows.push(t.workflow);
		resendCase.resendPath = t.path;
		resendCase.resendSeconds = 2;
	}
	// Never answers: SummitAI, app mode, a one-minute wait.
	const timeoutCase = state.cases.find((c) => c.id === 'summitai');
	if (timeoutCase) {
		const t = forTest('summitai-app.json', { suffix: 'TIME', options: { waitMinutes: 1 } });
		workflows.push(t.workflow);
		timeoutCase.timeoutPath = t.path;
	}

	const creds = lib.rewriteUrls(lib.loadTemplates().credentials, state.sandbox.url);
	await lib.importAndPublish(state.inst, state.env, state.work, creds, workflows);
	log(`[wait] ${workflows.length} workflows imported and published in n8n ${N8N_VERSION} (Node ${NODE_VERSION})`);
	const started = await lib.startServer(state.inst, state.env, state.base, [
		workflows[workflows.length - 1].nodes.find((n) => n.type === 'n8n-nodes-base.webhook').parameters.path,
	]);
	Object.assign(state, { server: started.server, exited: started.exited, output: started.output });
	log(`[wait] n8n answers on ${state.base}`);
}

async function tearDown() {
	try {
		await lib.stopGroup(state.server, state.exited);
	} finally {
		stopN8n();
		if (state.sandbox) await state.sandbox.close();
		if (state.reporter) state.reporter.close();
		if (process.env.OTPFLOW_E2E_KEEP === '1') {
			if (state.output) fs.writeFileSync(path.join(state.work, 'n8n.log'), state.output());
			log(`[wait] kept ${state.work}`);
		} else if (state.work) fs.rmSync(state.work, { recursive: true, force: true });
		clearTimeout(watchdog);
	}
}

module.exports = { setUp, tearDown, state, Person, SCENARIOS, latestCode };

/** Which scenarios run where: every journey gets the right code in both modes; the rest on the journeys named. */
const PLAN = [
	['right', null, ['page', 'app']],
	['wrongThenRight', ['summitai', 'iserveu-transaction', 'capillary-web'], ['page', 'app']],
	['exhausted', ['summitai', 'bos'], ['app', 'page']],
	['newCode', ['iserveu-registration'], ['page']],
	['forged', ['summitai', 'capillary-mobile'], ['page', 'app']],
	['neverAnswers', ['summitai'], ['app']],
];

if (require.main === module) {
	before(() => setUp());
	after(async () => {
		await tearDown();
		log('');
		log('[wait] ---- Send and Wait for Code, real n8n ----');
		for (const r of state.runs) log(`[wait]   ${r.ok ? '✔' : '✘'} ${r.name.padEnd(52)} ${lib.secs(r.ms).padStart(7)}  ${r.said || ''}`);
		log(`[wait] ${state.runs.filter((r) => r.ok).length}/${state.runs.length} runs passed`);
	});
	test('Send and Wait for Code in real n8n, as a browser and as an app', async (t) => {
		for (const [key, journeys, modes] of PLAN) {
			if (key === 'neverAnswers' && process.env.OTPFLOW_E2E_QUICK === '1') continue;
			for (const c of state.cases) {
				if (journeys && !journeys.includes(c.id)) continue;
				for (const mode of modes) {
					const name = `${c.id} ${mode}: ${key}`;
					await t.test(name, async () => {
						await sandboxCall('POST', '/_sandbox/reset');
						const entry = { name, ok: false, ms: 0 };
						state.runs.push(entry);
						const t0 = Date.now();
						try {
							entry.said = await SCENARIOS[key](c, mode);
							entry.ok = true;
						} finally {
							entry.ms = Date.now() - t0;
						}
					});
				}
			}
		}
	});
}
