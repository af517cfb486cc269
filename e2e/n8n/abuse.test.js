#!/usr/bin/env node
/**
 * Abuse suite, real n8n 2.41.1 (node:test; `npm run test:e2e:abuse:n8n`): what an attacker of Send and Wait for Code's
 * page and app endpoint, and of a Generate OTP node behind a public Webhook, can make a business send. One `n8n start`
 * on a free 127.0.0.1 port, the sandbox in this process (it counts provider requests by route), every case bounded
 * (at most a few dozen requests) and the whole suite stopped after 10 minutes whatever happens.
 *
 * Cases (the closing table gives, per case, requests tried / refused / sent to the provider):
 *   crafted, altered, replayed (the older state after a new code; the same state twice, also at once), expired states,
 *   page and app: 0 provider requests;
 *   one number beyond its budget (first sends, new codes, a Generate OTP node): provider sends ≤ 5;
 *   one client beyond its budget (first sends from one address, new codes from one address whatever X-Forwarded-For
 *   says, a Generate OTP node): provider sends ≤ 10;
 *   an XSS corpus in every field the page echoes (title and message options, the destination, a hostile provider's
 *   messages): reflected unescaped 0 times; every page and JSON answer of the node carries the protective headers.
 *
 * Env: OTPFLOW_CACHE, OTPFLOW_E2E_KEEP=1, OTPFLOW_E2E_BUILD=1.
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

const SUITE_LIMIT_MS = 10 * 60 * 1000;
const log = (line) => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const state = { rows: [], answers: [] };
const watchdog = lib.suiteWatchdog(require.main === module, SUITE_LIMIT_MS, 'abuse', () => lib.killGroup(state.server));

const WAIT = 'Send and Wait for Code';
const { request } = lib;
const form = (values, headers = {}) => ({
	body: new URLSearchParams(values).toString(),
	headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
});
const json = (value, headers = {}) => ({
	body: JSON.stringify(value),
	headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
});
const unescapeHtml = (s) => s.replace(/&#(\d+);/g, (_m, d) => String.fromCharCode(Number(d))).replace(/&amp;/g, '&');

/** The XSS corpus: tags, attribute breakouts, a javascript: URL (no white space: it must pass as an address part too). */
const XSS = [
	'<script>alert(1)</script>',
	'"><img/src=x/onerror=alert(1)>',
	"'><svg/onload=alert(1)>",
	'</title><script>alert(2)</script>',
	'javascript:alert(3)',
];

// ---------------------------------------------------------------------------------------------------
// Counting
// ---------------------------------------------------------------------------------------------------

/** Provider requests the sandbox has received so far (its control and store routes are not providers). */
function providerRequests() {
	const byRoute = state.sandbox.stats.snapshot().byRoute;
	return Object.entries(byRoute).reduce((n, [route, count]) => (/ \/_/.test(route) ? n : n + count), 0);
}

/**
 * Runs one case: `fn(c)` makes the requests (c.tried++ / c.refused++ as it goes) and returns what it says; the provider
 * requests made meanwhile are the case's `sent`. `limit` is the most the provider may have received.
 */
async function abuseCase(t, name, limit, fn) {
	await t.test(name, async () => {
		const row = { name, tried: 0, refused: 0, sent: 0, limit, ok: false };
		state.rows.push(row);
		const before = providerRequests();
		const setupSends = { n: 0 };
		// Requests the case makes to set the scene (a first code it then abuses) are not the attack: they are subtracted.
		row.scene = async (f) => {
			const b = providerRequests();
			const r = await f();
			setupSends.n += providerRequests() - b;
			return r;
		};
		try {
			row.said = await fn(row);
		} finally {
			// Measured whatever happened: a failing case still says what reached the provider.
			row.sent = providerRequests() - before - setupSends.n;
		}
		assert.ok(row.sent <= limit, `${name}: ${row.sent} requests reached the provider (at most ${limit})`);
		row.ok = true;
	});
}

/** Every answer of the node's own endpoints is kept: headers and escaping are checked on all of them at the end. */
async function call(method, url, options = {}) {
	const r = await request(method, url, options);
	if (new URL(url).pathname.startsWith('/webhook-waiting/')) state.answers.push({ url, status: r.status, headers: r.headers, text: r.text });
	return r;
}

// ---------------------------------------------------------------------------------------------------
// A person (or an attacker) at a waiting run
// ---------------------------------------------------------------------------------------------------

function local(url) {
	const u = new URL(url);
	return `${state.base}${u.pathname}${u.search}`;
}

/** Starts a run at a Webhook path: { url, state, first } (first: the trigger's answer). */
async function start(webhookPath, mode, values, headers = {}) {
	const r = await request('POST', `${state.base}/webhook/${webhookPath}`, mode === 'page' ? form(values, headers) : json(values, headers));
	if (mode === 'page') {
		const m = r.text.match(/url=([^"]+)"/);
		if (!m) return { first: r };
		const url = local(unescapeHtml(m[1]));
		const page = await call('GET', url);
		return { first: r, url, page, state: stateOf(page.text) };
	}
	if (!r.json || !r.json.resumeUrl) return { first: r };
	return { first: r, url: local(r.json.resumeUrl), state: r.json.state };
}

function stateOf(html) {
	const m = html.match(/name="state" value="([^"]+)"/);
	return m ? unescapeHtml(m[1]) : undefined;
}

/** POSTs to a run as its mode does; returns { status, text, json, state } (the state handed back, if any). */
async function post(run, mode, values, headers = {}) {
	const r = await call('POST', run.url, mode === 'page' ? form(values, headers) : json(values, headers));
	return { ...r, state: mode === 'page' ? stateOf(r.text) : r.json && r.json.state };
}

/** A new code refused: by the guard (rate_limited), or by the resend wait its refusal set ("You can ask … in N seconds"). */
const notSent = (r) => r.json && (r.json.status === 'rate_limited' || /You can ask for a new code in/.test(r.json.message || ''));

const isRefusal = (r) => r.status === 403 && (/out of date|not valid/i.test(r.text) || (r.json && r.json.ok === false));

// ---------------------------------------------------------------------------------------------------
// Workflows: the shipped Send and Wait templates, varied; a Generate OTP node behind a Webhook
// ---------------------------------------------------------------------------------------------------

function template(file) {
	return lib.rewriteUrls(JSON.parse(fs.readFileSync(path.join(lib.TEMPLATE_DIR, 'send-and-wait', file), 'utf8')), state.sandbox.url);
}

/** A template with its own id and path, `options` merged into the node's, and a node on Failure (the trigger answers with its item). */
function variant(file, suffix, options, { credential } = {}) {
	const wf = template(file);
	wf.id = `${wf.id.slice(0, 10)}AB${suffix}`;
	wf.name += ` (abuse ${suffix})`;
	const trigger = wf.nodes.find((n) => n.type === 'n8n-nodes-base.webhook');
	trigger.parameters.path += `-abuse-${suffix.toLowerCase()}`;
	trigger.webhookId = crypto.randomUUID();
	const wait = wf.nodes.find((n) => n.name === WAIT);
	wait.webhookId = crypto.randomUUID();
	Object.assign(wait.parameters.options, options);
	if (credential) wait.credentials = credential;
	// The templates end Failure on a node (the trigger then answers a refused first send with its item): kept so.
	if (!wf.nodes.some((n) => n.name === 'Not verified'))
		wf.nodes.push({ parameters: {}, id: crypto.randomUUID(), name: 'Not verified', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [540, 420] });
	wf.connections[WAIT].main[1] = [{ node: 'Not verified', type: 'main', index: 0 }];
	return { workflow: wf, path: trigger.parameters.path };
}

/** Webhook → SummitAI Generate OTP with the send guard on (client from X-Real-IP) → answers with the item. */
function generateWorkflow() {
	const node = (name, type, typeVersion, parameters, position, extra = {}) => ({
		parameters,
		id: crypto.randomUUID(),
		name,
		type,
		typeVersion,
		position,
		...extra,
	});
	const wf = {
		id: 'otpflowAbuseGEN1',
		name: 'OTP Flow abuse: Generate OTP behind a Webhook',
		nodes: [
			node(
				'Webhook',
				'n8n-nodes-base.webhook',
				2.1,
				{ httpMethod: 'POST', path: 'abuse-generate', responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} },
				[0, 300],
				{
					webhookId: crypto.randomUUID(),
				},
			),
			node(
				'Generate OTP',
				`${lib.PKG.name}.summitAi`,
				1,
				{
					operation: 'generateOtp',
					DomainId: '1',
					UserID: "={{ $json.body['UserID'] }}",
					LoginUID: "={{ $json.body['UserID'] }}",
					UserName: 'abcd',
					options: { sendGuard: true, sendGuardClient: "={{ $json.headers['x-real-ip'] }}" },
				},
				[260, 300],
				{ credentials: { summitAiApi: { id: 'summitai-sandbox', name: 'SummitAI ITSM sandbox' } } },
			),
			node('Refused or failed', 'n8n-nodes-base.noOp', 1, {}, [520, 400]),
		],
		connections: {
			Webhook: { main: [[{ node: 'Generate OTP', type: 'main', index: 0 }]] },
			'Generate OTP': { main: [[], [{ node: 'Refused or failed', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
	return { workflow: wf, path: 'abuse-generate' };
}

// ---------------------------------------------------------------------------------------------------
// A hostile provider: SummitAI's envelope with the corpus in every message it gives
// ---------------------------------------------------------------------------------------------------

function startHostile() {
	return new Promise((resolve) => {
		let n = 0;
		const srv = http.createServer((req, res) => {
			const chunks = [];
			req.on('data', (c) => chunks.push(c));
			req.on('end', () => {
				const body = Buffer.concat(chunks).toString('utf8');
				const payload = XSS[n++ % XSS.length];
				const envelope = (errors, output) => ({
					Errors: errors,
					Message: payload,
					Output: '',
					TokenID: 'x',
					OrgID: 0,
					OutputObject: output,
					OutputID: 0,
					Input: null,
				});
				const answer = /ADM_ValidateOTP/.test(body)
					? envelope(`Invalid OTP ${payload}`, null)
					: envelope('', { OTP_Communication: [{ Message: payload, AuthenticationType: payload, TransactionID: `T${n}` }] });
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(JSON.stringify(answer));
			});
		});
		srv.listen(0, lib.HOST, () => resolve(srv));
	});
}

// ---------------------------------------------------------------------------------------------------
// Set-up
// ---------------------------------------------------------------------------------------------------

async function setUp() {
	state.inst = ensureN8n({ log });
	lib.build({ force: process.env.OTPFLOW_E2E_BUILD === '1', log });
	const { startSandbox, SANDBOX_ACCOUNTS } = require(path.join(lib.ROOT, 'dist', 'sandbox'));
	state.sandbox = await startSandbox({ port: 0, maxLifetimeMs: SUITE_LIMIT_MS + 60000, config: { iserveuResendCooldownSeconds: 0 } });
	state.hostile = await startHostile();
	state.secrets = Object.values(SANDBOX_ACCOUNTS).flatMap((a) =>
		Object.entries(a)
			.filter(([k, v]) => typeof v === 'string' && /token|secret|key|password/i.test(k))
			.map(([, v]) => v),
	);
	state.work = fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-n8n-abuse-'));
	state.userFolder = path.join(state.work, 'user');
	lib.installIntoUserFolder(lib.pack(state.work), state.userFolder);
	state.port = await lib.freePort();
	state.base = `http://${lib.HOST}:${state.port}`;
	state.env = lib.n8nEnv(state.inst, { userFolder: state.userFolder, brokerPort: await lib.freePort(), port: state.port });

	const fromBody = (name, fallback) => `={{ $('Webhook').item.json.body['${name}'] || '${fallback}' }}`;
	const page = { pageTitle: fromBody('title', 'Verify it is you'), pageMessage: fromBody('message', 'Enter the code we sent you.') };
	const clientHeader = { sendGuardClient: "={{ $('Webhook').item.json.headers['x-real-ip'] }}" };
	const hostileCredential = { summitAiApi: { id: 'summitai-hostile', name: 'SummitAI (hostile provider)' } };
	const flows = {
		page: variant('summitai-page.json', 'PAGE', { ...page, ...clientHeader }),
		app: variant('summitai-app.json', 'APP', { ...clientHeader }),
		hostile: variant('summitai-page.json', 'HOST', page, { credential: hostileCredential }),
		resendPage: variant('iserveu-registration-page.json', 'RSP', { resendWaitSeconds: 0, trustedProxies: 1 }),
		resendApp: variant('iserveu-registration-app.json', 'RSA', { resendWaitSeconds: 0, trustedProxies: 1 }),
		direct: variant('iserveu-registration-app.json', 'DIR', { resendWaitSeconds: 0 }),
		expire: variant('summitai-app.json', 'EXP', { waitMinutes: 1 }),
		generate: generateWorkflow(),
	};
	state.flows = flows;
	const workflows = Object.values(flows).map((f) => f.workflow);

	const creds = lib.rewriteUrls(lib.loadTemplates().credentials, state.sandbox.url);
	const summit = creds.find((c) => c.id === 'summitai-sandbox');
	creds.push({
		...summit,
		id: 'summitai-hostile',
		name: 'SummitAI (hostile provider)',
		data: { ...summit.data, baseUrl: `http://${lib.HOST}:${state.hostile.address().port}` },
	});
	await lib.importAndPublish(state.inst, state.env, state.work, creds, workflows);
	log(`[abuse] ${workflows.length} workflows imported and published in n8n ${N8N_VERSION} (Node ${NODE_VERSION})`);
	const started = await lib.startServer(
		state.inst,
		state.env,
		state.base,
		Object.values(flows).map((f) => f.path),
	);
	Object.assign(state, { server: started.server, exited: started.exited, output: started.output });
	log(`[abuse] n8n answers on ${state.base}`);
}

async function tearDown() {
	try {
		await lib.stopGroup(state.server, state.exited);
	} finally {
		lib.killGroup(state.server);
		if (state.sandbox) await state.sandbox.close();
		if (state.hostile) state.hostile.close();
		if (process.env.OTPFLOW_E2E_KEEP === '1') {
			fs.writeFileSync(path.join(state.work, 'n8n.log'), state.output ? state.output() : '');
			log(`[abuse] kept ${state.work}`);
		} else if (state.work) fs.rmSync(state.work, { recursive: true, force: true });
		clearTimeout(watchdog);
	}
}

// ---------------------------------------------------------------------------------------------------
// The cases
// ---------------------------------------------------------------------------------------------------

let nextUser = 5000;
const summitUser = (extra = {}) => ({ UserName: 'abcd', UserID: String(++nextUser), ...extra });
let nextMobile = 9000000000;
const iserveuPerson = () => ({
	customerMobileNumber: String(++nextMobile),
	ovdData: '234567890124',
	customerName: 'Asha Verma',
	address: '12 MG Road, Bengaluru',
	pincode: '560001',
});
let nextIp = 1;
const clientIp = () => `198.51.100.${nextIp++}`;

const flip = (s, at) => {
	const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
	return s.slice(0, at) + (B64.includes(s[at]) ? B64[B64.indexOf(s[at]) ^ 32] : 'A') + s.slice(at + 1);
};

/** A code the run's person never got (the sandbox's codes are 6 digits). */
const WRONG = '000001';

async function cases(t) {
	const { flows } = state;

	for (const mode of ['page', 'app']) {
		const flow = flows[mode];
		await abuseCase(t, `${mode}: crafted states`, 0, async (c) => {
			const run = await c.scene(() => start(flow.path, mode, summitUser(), { 'x-real-ip': clientIp() }));
			const other = await c.scene(() => start(flow.path, mode, summitUser(), { 'x-real-ip': clientIp() }));
			const crafted = [
				'x',
				'sealed.v1.' + 'A'.repeat(80),
				'sealed.v1.' + Buffer.from(JSON.stringify({ v: 1, run: 'r', seq: 1, mode, vop: 'validateOtp', ref: {}, given: {}, end: 9e15 })).toString('base64url'),
				// Another run's state: sealed with that run's key.
				other.state,
			];
			for (const s of crafted) {
				for (const values of [
					{ code: WRONG, state: s },
					{ resend: 'true', state: s },
				]) {
					c.tried++;
					const r = await post(run, mode, values);
					if (isRefusal(r)) c.refused++;
				}
				c.tried++;
				const g = await call('GET', `${run.url.replace(/&state=[^&]*/, '')}&state=${encodeURIComponent(s)}`);
				if (g.status === 403) c.refused++;
			}
			assert.equal(c.refused, c.tried);
			return 'forged, unsigned, foreign: 403';
		});

		await abuseCase(t, `${mode}: altered states`, 0, async (c) => {
			const run = await c.scene(() => start(flow.path, mode, summitUser(), { 'x-real-ip': clientIp() }));
			for (const at of [12, 30, Math.floor(run.state.length / 2), run.state.length - 1]) {
				for (const values of [{ code: WRONG }, { resend: 'true' }]) {
					c.tried++;
					if (isRefusal(await post(run, mode, { ...values, state: flip(run.state, at) }))) c.refused++;
				}
			}
			assert.equal(c.refused, c.tried);
			return 'bit flips: 403';
		});

		await abuseCase(t, `${mode}: the same state twice`, 0, async (c) => {
			const run = await c.scene(() => start(flow.path, mode, summitUser(), { 'x-real-ip': clientIp() }));
			// Used once (a wrong code: the provider is asked, that is the person's request, not the attack).
			const first = await c.scene(() => post(run, mode, { code: WRONG, state: run.state }));
			assert.ok(first.state && first.state !== run.state, `${mode}: a wrong code hands back a new state: ${first.status} ${first.text.slice(0, 200)}`);
			for (const values of [{ code: WRONG }, { resend: 'true' }, { code: WRONG }]) {
				c.tried++;
				if (isRefusal(await post(run, mode, { ...values, state: run.state }))) c.refused++;
			}
			c.tried++;
			if ((await call('GET', run.url)).status === 403) c.refused++;
			// The latest state still works: a replay costs the person nothing.
			const latest = await c.scene(() => post(run, mode, { code: WRONG, state: first.state }));
			assert.equal(latest.status, 200, `${mode}: the latest state still acts: ${latest.status} ${latest.text.slice(0, 200)}`);
			// Two posts of one state at the same moment: one acts.
			const both = await c.scene(() =>
				Promise.all([post(run, mode, { code: WRONG, state: latest.state }), post(run, mode, { code: WRONG, state: latest.state })]),
			);
			c.tried += 1;
			if (both.filter(isRefusal).length === 1) c.refused++;
			assert.equal(c.refused, c.tried);
			return 'replays 403; the latest state still acts; of two at once one acts';
		});
	}

	for (const mode of ['page', 'app']) {
		const flow = mode === 'page' ? flows.resendPage : flows.resendApp;
		await abuseCase(t, `${mode}: the older state after a new code`, 0, async (c) => {
			const ip = clientIp();
			const xff = { 'x-forwarded-for': ip };
			const run = await c.scene(() => start(flow.path, mode, iserveuPerson()));
			const resent = await c.scene(() => post(run, mode, { resend: 'true', state: run.state }, xff));
			assert.ok(resent.state, `${mode}: a new code: ${resent.status} ${resent.text.slice(0, 300)}`);
			for (const values of [{ resend: 'true' }, { code: WRONG }, { resend: 'true' }]) {
				c.tried++;
				if (isRefusal(await post(run, mode, { ...values, state: run.state }, xff))) c.refused++;
			}
			assert.equal(c.refused, c.tried);
			return 'older state 403 (code and resend)';
		});
	}

	await abuseCase(t, 'page: first sends for one number', 5, async (c) => {
		const user = summitUser();
		let pages = 0;
		for (let i = 0; i < 8; i++) {
			c.tried++;
			const r = await request('POST', `${state.base}/webhook/${flows.page.path}`, form(user, { 'x-real-ip': clientIp() }));
			// The trigger's answer (the redirect, or the refusal page) has the node's pages' headers (the template sets them).
			state.answers.push({ url: `${state.base}/webhook/${flows.page.path}`, status: r.status, headers: r.headers, text: r.text, trigger: true });
			if (/Too many codes were asked just now\. Please try again in \d+ (seconds|minutes)\./.test(r.text)) {
				c.refused++;
				pages++;
			}
		}
		assert.equal(c.refused, 3);
		return `6th-8th refused, the page says when to try again (${pages})`;
	});

	await abuseCase(t, 'app: first sends from one client, many numbers', 10, async (c) => {
		const ip = clientIp();
		for (let i = 0; i < 14; i++) {
			c.tried++;
			const r = await request('POST', `${state.base}/webhook/${flows.app.path}`, json(summitUser(), { 'x-real-ip': ip }));
			if (r.json && r.json.status === 'rate_limited' && r.json.retryAfterSeconds > 0) c.refused++;
		}
		assert.equal(c.refused, 4);
		return '11th-14th rate_limited with retryAfterSeconds';
	});

	await abuseCase(t, 'page: new codes for one number', 4, async (c) => {
		const run = await c.scene(() => start(flows.resendPage.path, 'page', iserveuPerson()));
		let s = run.state;
		for (let i = 0; i < 7; i++) {
			c.tried++;
			const r = await post(run, 'page', { resend: 'true', state: s }, { 'x-forwarded-for': clientIp() });
			s = r.state || s;
			// Refused by the guard, then (its window set as the resend wait) by the wait itself.
			if (/Too many codes were asked just now|You can ask for a new code in/.test(r.text)) c.refused++;
		}
		// The first send and 4 new codes make the number's 5.
		assert.equal(c.refused, 3);
		return '5 codes in all, then refused with the time to wait';
	});

	await abuseCase(t, 'app: new codes from one client (trusted proxy)', 10, async (c) => {
		const ip = { 'x-forwarded-for': clientIp() };
		for (let i = 0; i < 6; i++) {
			const run = await c.scene(() => start(flows.resendApp.path, 'app', iserveuPerson()));
			let s = run.state;
			for (let k = 0; k < 2; k++) {
				c.tried++;
				const r = await post(run, 'app', { resend: 'true', state: s }, ip);
				s = r.state || s;
				if (notSent(r)) c.refused++;
			}
		}
		assert.equal(c.refused, 2);
		return '11th-12th rate_limited';
	});

	await abuseCase(t, 'app: new codes from one client, X-Forwarded-For forged (no trusted proxy)', 10, async (c) => {
		for (let i = 0; i < 6; i++) {
			const run = await c.scene(() => start(flows.direct.path, 'app', iserveuPerson()));
			let s = run.state;
			for (let k = 0; k < 2; k++) {
				c.tried++;
				const r = await post(run, 'app', { resend: 'true', state: s }, { 'x-forwarded-for': clientIp() });
				s = r.state || s;
				if (notSent(r)) c.refused++;
			}
		}
		assert.equal(c.refused, 2);
		return 'counted by the connecting address';
	});

	await abuseCase(t, 'Generate OTP behind a Webhook: one number', 5, async (c) => {
		const user = summitUser();
		for (let i = 0; i < 8; i++) {
			c.tried++;
			const r = await request('POST', `${state.base}/webhook/${flows.generate.path}`, json(user, { 'x-real-ip': clientIp() }));
			if (r.json && r.json.status === 'rate_limited' && r.json.providerStatus.code === 'send_guard_identifier') c.refused++;
		}
		assert.equal(c.refused, 3);
		return '6th-8th rate_limited';
	});

	await abuseCase(t, 'Generate OTP behind a Webhook: one client', 10, async (c) => {
		const ip = clientIp();
		for (let i = 0; i < 14; i++) {
			c.tried++;
			const r = await request('POST', `${state.base}/webhook/${flows.generate.path}`, json(summitUser(), { 'x-real-ip': ip }));
			if (r.json && r.json.status === 'rate_limited' && r.json.providerStatus.code === 'send_guard_client') c.refused++;
		}
		assert.equal(c.refused, 4);
		return '11th-14th rate_limited';
	});

	await abuseCase(t, 'app: expired states', 0, async (c) => {
		const run = state.expiring;
		await sleep(Math.max(0, state.expiringAt - Date.now()));
		// Past the wait's end: n8n has resumed the run (409/404) or the node answers expired; nothing reaches the provider.
		for (const values of [{ code: WRONG }, { resend: 'true' }, { code: WRONG }]) {
			c.tried++;
			const r = await post(run, 'app', { ...values, state: run.state });
			if (r.status === 409 || r.status === 404 || r.status === 403 || (r.json && r.json.status === 'expired')) c.refused++;
		}
		assert.equal(c.refused, c.tried);
		return 'after the limit: expired or ended';
	});

	await abuseCase(t, 'XSS corpus in every field the page echoes', Infinity, async (c) => {
		const reflected = [];
		const check = (where, html) => {
			c.tried++;
			const raw = XSS.filter((p) => !p.startsWith('javascript:') && html.includes(p));
			const jsUrl = /(href|src|action|formaction)\s*=\s*["']?\s*javascript:/i.test(html);
			if (raw.length || jsUrl) reflected.push(`${where}: ${raw.join(' ')}${jsUrl ? ' javascript: URL' : ''}`);
			else c.refused++;
		};
		for (const [i, payload] of XSS.entries()) {
			// Title and message options (expressions of the trigger's body), the destination (an address-like user name).
			const values = { ...summitUser({ UserName: `a@${payload}.io` }), title: payload, message: payload };
			const run = await start(flows.page.path, 'page', values, { 'x-real-ip': clientIp() });
			assert.ok(run.page, `XSS ${i}: the code page: ${run.first.status} ${run.first.text.slice(0, 200)}`);
			check(`title/message/destination ${i} first page`, run.page.text);
			const wrong = await post(run, 'page', { code: WRONG, state: run.state });
			check(`title/message/destination ${i} wrong code`, wrong.text);
			check(`title/message/destination ${i} too early`, (await post(run, 'page', { resend: 'true', state: wrong.state })).text);
			// A hostile provider: the corpus in its messages (send and verify).
			const h = await start(flows.hostile.path, 'page', { ...summitUser(), title: payload, message: payload }, { 'x-real-ip': clientIp() });
			assert.ok(h.page, `hostile ${i}: the code page: ${h.first.status} ${h.first.text.slice(0, 200)}`);
			check(`hostile provider ${i} first page`, h.page.text);
			const hw = await post(h, 'page', { code: WRONG, state: h.state });
			check(`hostile provider ${i} its refusal`, hw.text);
			check(`hostile provider ${i} trigger answer`, h.first.text);
		}
		assert.deepEqual(reflected, []);
		return `${c.tried} pages, reflected unescaped 0 times`;
	});

	await abuseCase(t, 'every page and JSON answer of the node carries the protective headers', Infinity, async (c) => {
		const missing = [];
		for (const a of state.answers) {
			// n8n's own answers (a wrong signature 401, a run that ended or is resuming 404/409) are n8n's, not the node's.
			if ([401, 404, 409].includes(a.status)) continue;
			c.tried++;
			const h = a.headers;
			// The trigger's answer is n8n's Webhook node's: n8n replaces any policy of an HTML answer with its own
			// sandbox policy (n8n-core html-sandbox.js); the template's other headers stay.
			const policy = a.trigger ? /^sandbox /.test(h['content-security-policy'] || '') : /frame-ancestors 'none'/.test(h['content-security-policy'] || '');
			const ok =
				policy &&
				(a.trigger || /default-src 'none'/.test(h['content-security-policy'] || '')) &&
				!/unsafe-inline/.test(h['content-security-policy'] || '') &&
				h['x-frame-options'] === 'DENY' &&
				/no-store/.test(h['cache-control'] || '') &&
				h['referrer-policy'] === 'no-referrer' &&
				h['x-content-type-options'] === 'nosniff';
			if (ok) c.refused++;
			else missing.push(`${a.status} ${a.url.slice(0, 80)}: ${JSON.stringify(h).slice(0, 300)}`);
		}
		assert.deepEqual(missing, []);
		assert.ok(c.tried > 50, `answers checked: ${c.tried}`);
		for (const secret of state.secrets)
			assert.ok(!state.answers.some((a) => a.text.includes(secret)), `an answer holds a sandbox secret ${secret.slice(0, 4)}…`);
		return `${c.tried} answers (${state.answers.filter((a) => a.trigger).length} of them the trigger's), all with the headers, no secret`;
	});
}

if (require.main === module) {
	before(async () => {
		await setUp();
		// The expiring run starts first: its one-minute limit runs while the other cases do.
		state.expiring = await start(state.flows.expire.path, 'app', summitUser());
		assert.ok(state.expiring.state, `the expiring run: ${state.expiring.first.status} ${state.expiring.first.text.slice(0, 200)}`);
		state.expiringAt = Date.now() + 61000;
	});
	after(async () => {
		await tearDown();
		log('');
		log('[abuse] ---- n8n abuse suite: tried / refused / sent to the provider ----');
		log(`[abuse]   ${'case'.padEnd(72)} ${'tried'.padStart(6)} ${'refused'.padStart(8)} ${'sent'.padStart(5)} ${'limit'.padStart(6)}`);
		for (const r of state.rows) {
			const limit = r.limit === Infinity ? '-' : String(r.limit);
			log(
				`[abuse] ${r.ok ? '✔' : '✘'} ${r.name.padEnd(72)} ${String(r.tried).padStart(6)} ${String(r.refused).padStart(8)} ${String(r.sent).padStart(5)} ${limit.padStart(6)}  ${r.said || ''}`,
			);
		}
		log(`[abuse] ${state.rows.filter((r) => r.ok).length}/${state.rows.length} cases passed`);
	});
	test('abuse of Send and Wait for Code and a guarded Generate OTP in real n8n', async (t) => {
		await cases(t);
	});
}

module.exports = { XSS };
