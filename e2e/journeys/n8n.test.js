#!/usr/bin/env node
/**
 * Every journey of templates/n8n/journeys/ in real n8n 2.41.1, driven over HTTP exactly as a browser drives an n8n
 * form (node:test; `npm run test:e2e:journeys:n8n`):
 *
 *  1. n8n + Node 24 from the cache (e2e/n8n/install.js), the sandbox in this process on 127.0.0.1 (stops by itself).
 *  2. The packed package installed as a community node into a fresh user folder, the sandbox credentials and every
 *     journey imported, each journey published with the CLI, then `n8n start` on a free port.
 *  3. Per journey, four runs, the sandbox reset before each: (a) the right code → the done page; (b) a wrong code,
 *     then the right one; (c) the sandbox clock moved past the code's validity → the new-code page → a new code →
 *     done; (d) the provider answers 503 to the send step → the error page in plain words; and, for the CIBIL
 *     journeys, (e) a report still being prepared, asked for again after a wait → done.
 *
 * The browser protocol: GET /form/<path>; POST it as multipart/form-data with inputs field-0, field-1… → JSON
 * { formWaitingUrl }; poll <formWaitingUrl>/n8n-execution-status until `form-waiting` (a page GET while the run is
 * `running` hangs); GET the page; POST the next one to the same URL. An ending page is closed with one more POST,
 * as its script does, and the run must then end in `success`. Codes are read from the sandbox inbox (the phone).
 * Every page is checked: no sandbox secret, no 12-digit number (an Aadhaar number whole, spaced or hyphenated).
 *
 * Env: OTPFLOW_CACHE (n8n cache root), OTPFLOW_E2E_ONLY=<journey id substring>, OTPFLOW_E2E_KEEP=1 (keep the temp
 * folder, with n8n's log), OTPFLOW_E2E_PAGES=1 (print what each page says), OTPFLOW_E2E_BUILD=1 (rebuild dist/ first).
 */
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

const { ensureN8n, N8N_VERSION, NODE_VERSION } = require('../n8n/install');
const lib = require('../n8n/lib');

/** The whole suite, start-up included, must end well inside this (CI runs on 2 cores). */
const SUITE_LIMIT_MS = 9 * 60 * 1000;
/** One page must follow a submission within this. */
const PAGE_TIMEOUT_MS = 60000;
/** Moves the sandbox clock past any OTP validity (the longest, Capillary's session, is 15 minutes). */
const EXPIRE_SECONDS = 3600;
/** Providers whose answer to a wrong code does not say how many tries are left: their code page cannot either. */
const NO_ATTEMPT_COUNT = new Set(['capillary', 'summitai']);

const timings = { started: Date.now(), scenarios: [] };
const state = { pages: 0 };
const log = (line) => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The whole run is bounded even if a step hangs: n8n is stopped by its PID and the process exits. (Only as the suite:
// the browser run requires this file for its set-up and has its own limit.)
const stopN8n = () => lib.killGroup(state.server);
const watchdog = lib.suiteWatchdog(require.main === module, SUITE_LIMIT_MS, 'journeys', stopN8n);

// ---------------------------------------------------------------------------------------------------
// HTTP as a browser sends it
// ---------------------------------------------------------------------------------------------------

const { request, multipart } = lib;

async function sandboxCall(method, p, json) {
	const body = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
	const r = await request(method, `${state.sandbox.url}${p}`, { body, headers: body ? { 'content-type': 'application/json' } : {} });
	assert.ok(r.status < 300, `sandbox ${method} ${p}: ${r.status} ${r.text}`);
	return JSON.parse(r.text);
}

// ---------------------------------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------------------------------

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', '#x27': "'", '#39': "'", '#x3D': '=', '#x60': '`', '#x2F': '/' };

/** What a person reads on a page: the text outside scripts, styles and tags. */
function visibleText(html) {
	return html
		.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
		.replace(/<[^>]+>/g, ' ')
		.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e) => ENTITIES[e] ?? m)
		.replace(/\s+/g, ' ')
		.trim();
}

/**
 * Every page must be free of the sandbox's secrets and of Aadhaar numbers: the ones the journeys type, whole, spaced or
 * hyphenated, and any 12-digit group that passes Aadhaar's Verhoeff check (a mobile number with its country code,
 * 919876543210 in a hint, is 12 digits too and is not one).
 */
function assertClean(html, where) {
	for (const secret of state.secrets) assert.ok(!html.includes(secret), `${where}: the page holds the sandbox secret ${secret.slice(0, 4)}…`);
	for (const a of state.aadhaars) {
		for (const form of [a, `${a.slice(0, 4)} ${a.slice(4, 8)} ${a.slice(8)}`, `${a.slice(0, 4)}-${a.slice(4, 8)}-${a.slice(8)}`]) {
			assert.ok(!html.includes(form), `${where}: the page holds the Aadhaar number typed on the first page (${form.slice(-4)})`);
		}
	}
	for (const m of html.matchAll(/(?<![\d])\d{4}[ -]?\d{4}[ -]?\d{4}(?![\d])/g)) {
		const digits = m[0].replace(/\D/g, '');
		assert.ok(!state.verhoeffValid(digits), `${where}: the page holds an Aadhaar-like number (…${digits.slice(-4)})`);
	}
	assert.ok(!/\n\s+at\s+\S+\s+\(|\bstack\b|Error:/.test(visibleText(html)), `${where}: the page shows an error trace:\n${visibleText(html).slice(0, 500)}`);
}

/** One browser going through one form run. `pages` is what it saw, in order: { title, text }. */
class FormRun {
	constructor(journey, scenario) {
		this.journey = journey;
		this.scenario = scenario;
		this.pages = [];
		this.url = undefined; // the run's /form-waiting/<id>?signature=… once the first page is posted
	}

	async page(url) {
		const r = await request('GET', url);
		assert.equal(r.status, 200, `${this.where()}: GET page → ${r.status} ${r.text.slice(0, 300)}`);
		assertClean(r.text, this.where());
		state.pages++;
		const title = (r.text.match(/<h1[^>]*>([\s\S]*?)<\/h1>/) || [])[1];
		const page = { title: title && visibleText(title), text: visibleText(r.text), html: r.text };
		this.pages.push(page);
		if (process.env.OTPFLOW_E2E_PAGES === '1')
			log(`[journeys]     ${this.where().replace(/, page \d+$/, '')} page ${this.pages.length}: [${page.title}] ${page.text.slice(0, 400)}`);
		return page;
	}

	where() {
		return `${this.journey.id} (${this.scenario}), page ${this.pages.length + 1}`;
	}

	/** Opens the first page and submits it; returns the page that follows. */
	async start(values) {
		const formUrl = `${state.base}/form/${this.journey.path}`;
		const first = await this.page(formUrl);
		assert.equal(first.title, this.journey.title, `${this.where()}: the first page`);
		const { body, headers } = multipart(values);
		const r = await request('POST', formUrl, { body, headers });
		assert.equal(r.status, 200, `${this.where()}: POST first page → ${r.status} ${r.text.slice(0, 300)}`);
		const waiting = JSON.parse(r.text).formWaitingUrl;
		assert.ok(waiting, `${this.where()}: no formWaitingUrl in ${r.text.slice(0, 300)}`);
		// n8n builds it from its own idea of its address: keep the path and signature, use ours.
		const u = new URL(waiting);
		this.url = `${state.base}${u.pathname}${u.search}`;
		return this.next();
	}

	/** The run's status as the page's script reads it. */
	async status() {
		const u = new URL(this.url);
		u.pathname += '/n8n-execution-status';
		return (await request('GET', u.toString())).text.trim();
	}

	/** Waits until the run shows a page (never GETting it while the run is still running), then reads it. */
	async next() {
		const deadline = Date.now() + PAGE_TIMEOUT_MS;
		for (;;) {
			const s = await this.status();
			if (s === 'form-waiting') break;
			assert.ok(!['error', 'crashed', 'canceled', 'null', 'success'].includes(s), `${this.where()}: the run ended (${s}) instead of showing a page`);
			assert.ok(Date.now() < deadline, `${this.where()}: no page within ${PAGE_TIMEOUT_MS} ms (status ${s})`);
			await sleep(150);
		}
		return this.page(this.url);
	}

	/** Submits the page on screen with these inputs; returns the page that follows. */
	async submit(values) {
		const { body, headers } = multipart(values);
		const r = await request('POST', this.url, { body, headers });
		assert.ok(r.status < 400, `${this.where()}: POST → ${r.status} ${r.text.slice(0, 300)}`);
		return this.next();
	}

	/**
	 * Closes an ending page as its script does; the run must end in success, or be gone at once when the workflow does
	 * not keep finished runs (a journey that asked for an Aadhaar number).
	 */
	async close() {
		const r = await request('POST', this.url, { body: Buffer.from('{}'), headers: { 'content-type': 'text/plain' } });
		assert.ok(r.status < 400, `${this.where()}: closing POST → ${r.status} ${r.text.slice(0, 300)}`);
		const end = this.journey.workflow.settings.saveDataSuccessExecution === 'none' ? 'null' : 'success';
		const deadline = Date.now() + PAGE_TIMEOUT_MS;
		let s;
		while ((s = await this.status()) !== end) {
			assert.ok(
				!['error', 'crashed', 'canceled'].includes(s) && Date.now() < deadline,
				`${this.where()}: the run did not end (${end}) after its last page (${s})`,
			);
			await sleep(150);
		}
		if (end === 'null') return;
		// A person who reloads the last page after the run ended sees it again, the same.
		const last = this.pages[this.pages.length - 1];
		const again = await this.page(this.url);
		assert.deepEqual(
			{ title: again.title, text: again.text },
			{ title: last.title, text: last.text },
			`${this.where()}: the last page, reloaded after the run ended`,
		);
	}
}

// ---------------------------------------------------------------------------------------------------
// The journeys as the test drives them
// ---------------------------------------------------------------------------------------------------

/** Per journey: its description (dist/journeys), its workflow, and what the pages say. */
function loadCases(only) {
	const dist = (p) => require(path.join(lib.ROOT, 'dist', 'journeys', p));
	const { JOURNEYS, CUSTOMER_WORDS } = dist('index');
	const { PAGE } = dist('n8n');
	const { sampleParams } = dist('params');
	const shipped = new Map(lib.loadJourneys().map((j) => [j.id, j]));
	return {
		words: CUSTOMER_WORDS,
		cases: JOURNEYS.filter((j) => !only || j.id.includes(only)).map((j) => {
			const shippedJourney = shipped.get(j.id);
			assert.ok(shippedJourney, `templates/n8n/journeys/${j.id}.json exists (npm run build && npm run journeys)`);
			const node = (name) => shippedJourney.workflow.nodes.find((n) => n.name === name);
			return {
				id: j.id,
				journey: j,
				workflow: shippedJourney.workflow,
				path: shippedJourney.path,
				title: j.title,
				firstFields: node(PAGE.details).parameters.formFields.values.map((f) => f.fieldName),
				firstValues: node(PAGE.details).parameters.formFields.values.map((f) => j.ask.find((a) => a.name === f.fieldName).sample),
				codeFields: node(PAGE.code).parameters.formFields.values.map((f) => f.fieldName),
				codePageTitle: node(PAGE.code).parameters.options.formTitle,
				newCodeTitle: node(PAGE.newCode).parameters.options.formTitle,
				errorTitle: node(PAGE.error).parameters.completionTitle,
				sendPath: sendPath(j, sampleParams),
			};
		}),
	};
}

/** The path of the send step's request at the sandbox, from its operation description (where the fault goes). */
function sendPath(journey, sampleParams) {
	const op = journey.provider.operations.find((o) => o.id === journey.send.op);
	const account = state.credentials.find((c) => c.type === journey.provider.credential.name).data;
	// The steps before it hand their fixed choices on in the reference (Capillary's web flavour changes the path).
	const earlier = journey.before.map((step) =>
		sampleParams(
			journey,
			'before',
			step,
			journey.provider.operations.find((o) => o.id === step.op),
			'',
		),
	);
	const params = Object.assign({}, ...earlier, sampleParams(journey, 'send', journey.send, op, ''));
	const built = op.request({ params, account, now: new Date() });
	return new URL(built.url).pathname.slice(new URL(account.baseUrl).pathname.replace(/\/+$/, '').length);
}

/** The values of the code page: the code, then any other input with its sample. */
function codeValues(c, code) {
	return c.codeFields.map((name) => (name === 'code' ? code : c.journey.codeAsk.find((a) => a.name === name).sample));
}

/** The newest code the sandbox delivered for the journey's provider (the sandbox is reset before each run). */
async function latestCode(c, notId) {
	const msg = await sandboxCall('GET', `/_sandbox/inbox/latest?provider=${c.journey.provider.id}&to=`);
	assert.ok(/^\d{4,10}$/.test(msg.otp), `${c.id}: a code in the inbox: ${JSON.stringify(msg).slice(0, 200)}`);
	assert.notEqual(msg.id, notId, `${c.id}: a new code was delivered`);
	return msg;
}

function wrongCode(code) {
	return code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
}

/** The done page: its title, and its text with every {placeholder} filled (the CIBIL score, say). */
function assertDone(c, page, run) {
	assert.equal(page.title, c.journey.done.title, `${run.where()}: the done page, got ${page.text.slice(0, 300)}`);
	const pattern = c.journey.done.text
		.split(/\{\w+\}/)
		.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
		.join('(\\S+?)');
	const m = page.text.match(new RegExp(pattern));
	assert.ok(m, `${run.where()}: "${c.journey.done.text}" on ${page.text.slice(0, 300)}`);
	for (const value of m.slice(1)) assert.ok(value && !/undefined|null/.test(value), `${run.where()}: a placeholder stayed empty: ${m[0]}`);
	return m[0];
}

function assertCodePage(c, page, run) {
	assert.equal(page.title, c.codePageTitle, `${run.where()}: the code page, got ${page.text.slice(0, 300)}`);
	assert.match(page.text, /We sent a code to \S/, `${run.where()}: the code page says where the code went`);
}

const SCENARIOS = {
	async right(c, run) {
		const page = await run.start(c.firstValues);
		assertCodePage(c, page, run);
		const msg = await latestCode(c);
		const done = await run.submit(codeValues(c, msg.otp));
		const said = assertDone(c, done, run);
		await run.close();
		return said;
	},
	async wrongThenRight(c, run, words) {
		assertCodePage(c, await run.start(c.firstValues), run);
		const msg = await latestCode(c);
		const again = await run.submit(codeValues(c, wrongCode(msg.otp)));
		assertCodePage(c, again, run);
		assert.ok(again.text.includes(words.invalid_otp), `${run.where()}: the second code page says the code was wrong: ${again.text.slice(0, 300)}`);
		const left = again.text.match(/Attempts left: (\d+)/);
		if (!NO_ATTEMPT_COUNT.has(c.journey.provider.id))
			assert.ok(left, `${run.where()}: the second code page shows the attempts left: ${again.text.slice(0, 300)}`);
		assertDone(c, await run.submit(codeValues(c, msg.otp)), run);
		await run.close();
		return left ? `attempts left ${left[1]}` : 'no count from this provider';
	},
	async expired(c, run, words) {
		assertCodePage(c, await run.start(c.firstValues), run);
		const first = await latestCode(c);
		await sandboxCall('POST', '/_sandbox/clock', { advanceSeconds: EXPIRE_SECONDS });
		const offer = await run.submit(codeValues(c, first.otp));
		assert.equal(offer.title, c.newCodeTitle, `${run.where()}: the new-code page, got ${offer.text.slice(0, 300)}`);
		assert.ok(offer.text.includes(words.expired), `${run.where()}: the new-code page says the code expired: ${offer.text.slice(0, 300)}`);
		assertCodePage(c, await run.submit([]), run);
		const second = await latestCode(c, first.id);
		assertDone(c, await run.submit(codeValues(c, second.otp)), run);
		await run.close();
		return 'new code accepted';
	},
	/** Only journeys with a step after the code: the sandbox prepares the report of a customer called "Pending" slowly. */
	async slowReport(c, run) {
		if (!c.journey.after || !c.journey.ask.some((a) => a.name === 'first_name')) return undefined;
		const values = c.firstFields.map((name, i) => (name === 'first_name' ? 'Pending' : c.firstValues[i]));
		assertCodePage(c, await run.start(values), run);
		const msg = await latestCode(c);
		const t0 = Date.now();
		const done = await run.submit(codeValues(c, msg.otp));
		const waited = Date.now() - t0;
		assertDone(c, done, run);
		// Submit OTP said "in progress", Get Credit History said it once more: one wait before asking again.
		assert.ok(waited >= c.journey.after.poll.waitSeconds * 1000, `${run.where()}: the report was asked for again after a wait (${waited} ms)`);
		await run.close();
		return `asked again after ${lib.secs(waited)}`;
	},
	async providerDown(c, run, words) {
		await sandboxCall('POST', '/_sandbox/faults', { provider: c.journey.provider.id, path: c.sendPath, kind: 'status', status: 503, times: 1 });
		const page = await run.start(c.firstValues);
		assert.equal(page.title, c.errorTitle, `${run.where()}: the error page, got ${page.text.slice(0, 300)}`);
		assert.ok(page.text.includes(words.provider_error), `${run.where()}: the error page in plain words: ${page.text.slice(0, 300)}`);
		assert.ok(!/503|provider_error|HTTP/.test(page.text), `${run.where()}: no status code or status name on the page: ${page.text.slice(0, 300)}`);
		const faults = await sandboxCall('GET', '/_sandbox/faults');
		assert.deepEqual(faults.faults, [], `${run.where()}: the send step met the fault`);
		await run.close();
		return 'error page';
	},
};

// ---------------------------------------------------------------------------------------------------
// Set-up and tear-down
// ---------------------------------------------------------------------------------------------------

/**
 * n8n with the journeys published and answering, the sandbox in this process: fills `state` (base, sandbox, cases…).
 * `only`: a journey id substring, to import and publish fewer; `extraWorkflows`: more workflows (objects with an id)
 * imported and published with them (the browser run adds a Send and Wait template).
 */
async function setUp({ only = process.env.OTPFLOW_E2E_ONLY, extraWorkflows = [] } = {}) {
	let t = Date.now();
	state.inst = ensureN8n({ log });
	timings.install = { ms: Date.now() - t, reused: state.inst.reused };
	lib.build({ force: process.env.OTPFLOW_E2E_BUILD === '1', log });

	const { startSandbox, SANDBOX_ACCOUNTS } = require(path.join(lib.ROOT, 'dist', 'sandbox'));
	state.sandbox = await startSandbox({ port: 0, maxLifetimeMs: 15 * 60 * 1000 });
	state.secrets = Object.values(SANDBOX_ACCOUNTS).flatMap((account) =>
		Object.entries(account)
			.filter(([k, v]) => typeof v === 'string' && /token|secret|key|password/i.test(k))
			.map(([, v]) => v),
	);
	log(`[journeys] sandbox on ${state.sandbox.url}; ${state.secrets.length} sandbox secrets watched for`);

	state.work = fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-n8n-journeys-'));
	state.userFolder = path.join(state.work, 'user');
	t = Date.now();
	const tarball = lib.pack(state.work);
	lib.installIntoUserFolder(tarball, state.userFolder);
	timings.packInstall = Date.now() - t;

	state.port = await lib.freePort();
	state.base = `http://${lib.HOST}:${state.port}`;
	state.env = lib.n8nEnv(state.inst, { userFolder: state.userFolder, brokerPort: await lib.freePort(), port: state.port });
	const templates = lib.loadTemplates();
	state.credentials = lib.rewriteUrls(templates.credentials, state.sandbox.url);
	state.verhoeffValid = require(path.join(lib.ROOT, 'dist', 'nodes', 'core')).verhoeffValid;
	const loaded = loadCases(only);
	state.cases = loaded.cases;
	state.aadhaars = state.cases.flatMap((c) => [...c.journey.ask, ...(c.journey.codeAsk || [])].filter((a) => a.sensitive).map((a) => a.sample));
	state.words = loaded.words;
	assert.ok(state.cases.length > 0, 'journeys to run');

	t = Date.now();
	const credFile = path.join(state.work, 'credentials.json');
	fs.writeFileSync(credFile, JSON.stringify(state.credentials, null, 2));
	let r = await lib.runN8n(state.inst, state.env, ['import:credentials', `--input=${credFile}`]);
	assert.equal(r.status, 0, `import:credentials failed:\n${r.stdout}\n${r.stderr}`);
	const wfDir = path.join(state.work, 'journeys');
	fs.mkdirSync(wfDir);
	for (const c of state.cases) fs.writeFileSync(path.join(wfDir, `${c.id}.json`), JSON.stringify(c.workflow, null, 2));
	for (const wf of extraWorkflows) fs.writeFileSync(path.join(wfDir, `${wf.id}.json`), JSON.stringify(wf, null, 2));
	r = await lib.runN8n(state.inst, state.env, ['import:workflow', '--separate', `--input=${wfDir}`]);
	assert.equal(r.status, 0, `import:workflow failed:\n${r.stdout}\n${r.stderr}`);
	timings.import = Date.now() - t;
	timings.publish = await lib.publishWorkflows(state.inst, state.env, [...state.cases.map((c) => c.workflow.id), ...extraWorkflows.map((w) => w.id)]);
	log(
		`[journeys] imported ${state.credentials.length} credentials and ${state.cases.length} journeys${extraWorkflows.length ? ` (and ${extraWorkflows.length} more workflows)` : ''} (${lib.secs(timings.import)}), published them (${lib.secs(timings.publish)}) in n8n ${N8N_VERSION} on Node ${NODE_VERSION}`,
	);

	t = Date.now();
	state.log = '';
	state.server = spawn(state.inst.nodeBin, [state.inst.n8nBin, 'start'], {
		env: state.env,
		cwd: state.userFolder,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	state.server.stdout.on('data', (d) => {
		state.log += d;
	});
	state.server.stderr.on('data', (d) => {
		state.log += d;
	});
	state.exited = new Promise((resolve) => state.server.on('exit', resolve));
	const alive = () => state.server.exitCode === null;
	await lib.waitForHttp(`${state.base}/healthz`, { timeoutMs: 180000, isAlive: alive });
	// Published before the start: the first form answers once n8n has registered its webhooks.
	await lib.waitForHttp(`${state.base}/form/${state.cases[0].path}`, {
		want: (s, body) => s === 200 && !/starting up/i.test(body),
		timeoutMs: 120000,
		isAlive: alive,
	});
	timings.start = Date.now() - t;
	log(`[journeys] n8n answers on ${state.base} (${lib.secs(timings.start)})`);
}

/** Stops n8n (by its process group) and the sandbox, removes the temp folder unless OTPFLOW_E2E_KEEP=1. */
async function tearDown() {
	try {
		await lib.stopGroup(state.server, state.exited);
	} finally {
		stopN8n();
		if (state.sandbox) await state.sandbox.close();
		if (process.env.OTPFLOW_E2E_KEEP === '1') {
			if (state.log) fs.writeFileSync(path.join(state.work, 'n8n.log'), state.log);
			log(`[journeys] kept ${state.work}`);
		} else if (state.work) fs.rmSync(state.work, { recursive: true, force: true });
		clearTimeout(watchdog);
	}
}

function summary() {
	log('');
	log('[journeys] ---- n8n journeys, real n8n ----');
	if (timings.install)
		log(
			`[journeys] n8n install: ${timings.install.reused ? 'warm (cache)' : 'cold'} ${lib.secs(timings.install.ms)}; pack + install ${lib.secs(timings.packInstall || 0)}`,
		);
	if (timings.import)
		log(
			`[journeys] import ${lib.secs(timings.import)}, publish ${lib.secs(timings.publish)}, n8n start until the first form answers ${lib.secs(timings.start || 0)}`,
		);
	for (const s of timings.scenarios)
		log(`[journeys]   ${s.journey.padEnd(22)} ${s.scenario.padEnd(16)} ${String(s.pages).padStart(2)} pages ${lib.secs(s.ms).padStart(7)}  ${s.said}`);
	const ok = timings.scenarios.filter((s) => s.ok).length;
	const polled = timings.scenarios.filter((s) => s.scenario === NAMES.slowReport).length;
	log(
		`[journeys] ${ok}/${timings.scenarios.length} runs passed (${state.cases ? state.cases.length : 0} journeys × 4 scenarios, and ${polled} with a slow report), ${state.pages} pages checked for secrets and Aadhaar numbers`,
	);
	log(`[journeys] total ${lib.secs(Date.now() - timings.started)}`);
}

module.exports = { setUp, tearDown, state };

// One run at a time: the sandbox's clock and faults are shared, and each run starts from a reset sandbox.
const NAMES = {
	right: '(a) right code',
	wrongThenRight: '(b) wrong, then right',
	expired: '(c) code expired',
	providerDown: '(d) provider down',
	slowReport: '(e) slow report',
};

if (require.main === module) {
	before(() => setUp());
	after(async () => {
		await tearDown();
		summary();
	});
	test('every journey, in real n8n, as a browser goes through it', async (t) => {
		for (const c of state.cases) {
			for (const key of Object.keys(NAMES)) {
				const scenario = SCENARIOS[key];
				if (key === 'slowReport' && !c.journey.after) continue;
				await t.test(`${c.id}: ${NAMES[key]}`, async () => {
					await sandboxCall('POST', '/_sandbox/reset');
					const run = new FormRun(c, key);
					const t0 = Date.now();
					const entry = { journey: c.id, scenario: NAMES[key], pages: 0, ms: 0, said: '', ok: false };
					timings.scenarios.push(entry);
					try {
						entry.said = await scenario(c, run, state.words);
						entry.ok = true;
					} catch (e) {
						e.message += `\n--- pages seen ---\n${run.pages.map((p) => `[${p.title}] ${p.text.slice(0, 300)}`).join('\n')}`;
						throw e;
					} finally {
						entry.pages = run.pages.length;
						entry.ms = Date.now() - t0;
					}
				});
			}
		}
	});
}
