#!/usr/bin/env node
/**
 * AI agents that verify the customer before acting, in real n8n 2.41.1 offline (node:test; `npm run test:e2e:agents`).
 *
 * The templates of templates/n8n/agents/ are imported and published into `n8n start` with this package installed, the
 * sandbox in this process, and n8n's OpenAI Chat Model pointed (its credential's Base URL) at a scripted
 * OpenAI-compatible model on 127.0.0.1 (./model.js): it calls the verify tool first, the action only after `verified`,
 * and answers from the tool's result. Your backend is a small server here: the templates' action tool and reply post to
 * it. Each run is driven as the customer's app would: post the message, read `codeUrl`, wait until it says `otp_sent`,
 * read the code from the sandbox inbox, post it.
 *
 * Cases: the right code → the action runs (Capillary, SummitAI); a wrong code then the right one; wrong codes until
 * max_attempts → the agent is told, the action never runs; never answered (a one-minute wait) → the agent is told it
 * expired, the action never runs; n8n's human-in-the-loop variant of our node as a gate in front of the action: it
 * runs only after `verified`. Every tool result that reached the model is checked: no sandbox secret, no code, no
 * token, no sealed state, no Aadhaar-like number, no `reference`.
 *
 * Env: OTPFLOW_CACHE, OTPFLOW_E2E_KEEP=1, OTPFLOW_E2E_BUILD=1, OTPFLOW_E2E_QUICK=1 (skip the one-minute run).
 */
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

const { ensureN8n, N8N_VERSION, NODE_VERSION } = require('../n8n/install');
const lib = require('../n8n/lib');
const { startModel } = require('./model');

const SUITE_LIMIT_MS = 10 * 60 * 1000;
const log = (line) => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const state = { calls: [], runs: [] };
const stopN8n = () => lib.killGroup(state.server);
const watchdog = lib.suiteWatchdog(require.main === module, SUITE_LIMIT_MS, 'agents', stopN8n);

const json = (value) => ({ body: JSON.stringify(value), headers: { 'content-type': 'application/json', accept: 'application/json' } });

/** Your backend: records what the action tools and the replies post. */
function startBackend() {
	return new Promise((resolve) => {
		const srv = http.createServer((req, res) => {
			const chunks = [];
			req.on('data', (c) => chunks.push(c));
			req.on('end', () => {
				let body;
				try {
					body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
				} catch {
					body = null;
				}
				state.calls.push({ path: req.url, body, at: Date.now() });
				res.setHeader('content-type', 'application/json');
				res.end(JSON.stringify({ done: true }));
			});
		});
		srv.listen(0, lib.HOST, () => resolve(srv));
	});
}

// ---------------------------------------------------------------------------------------------------
// The workflows: the shipped templates, and variants of them
// ---------------------------------------------------------------------------------------------------

function template(journey) {
	const { N8N_AGENT_DIR } = state.agents;
	return JSON.parse(fs.readFileSync(path.join(lib.ROOT, N8N_AGENT_DIR, `${journey}.json`), 'utf8'));
}

/** A template as the test runs it: your backend here; `variant` renames it, changes the wait, or gates the action. */
function forTest(journey, variant = {}) {
	const { AGENT_NODE, BACKEND_URL, AGENT_TEMPLATES } = state.agents;
	const wf = JSON.parse(JSON.stringify(template(journey)).split(state.agents.BACKEND_URL).join(state.backendUrl));
	assert.ok(!JSON.stringify(wf).includes(BACKEND_URL));
	const trigger = wf.nodes.find((n) => n.name === AGENT_NODE.trigger);
	const verify = wf.nodes.find((n) => n.name === AGENT_NODE.verify);
	const action = AGENT_TEMPLATES.find((t) => t.journey === journey).action;
	if (variant.suffix) {
		wf.id = `${wf.id.slice(0, 12)}${variant.suffix}`;
		wf.name += ` (${variant.suffix})`;
		trigger.parameters.path += `-${variant.suffix.toLowerCase()}`;
		trigger.webhookId = crypto.randomUUID();
		verify.webhookId = crypto.randomUUID();
	}
	if (variant.waitMinutes) verify.parameters.options.waitMinutes = variant.waitMinutes;
	if (variant.gate) {
		// n8n's human-in-the-loop variant of our node, between the agent and the action: the action runs only when our
		// node answers approved (verified). Its parameters are the same; n8n adds a message, which our node ignores.
		verify.type = verify.type.replace(/Tool$/, 'HitlTool');
		delete verify.parameters.descriptionType;
		delete verify.parameters.toolDescription;
		delete wf.connections[AGENT_NODE.verify];
		wf.connections[action.name] = { ai_tool: [[{ node: AGENT_NODE.verify, type: 'ai_tool', index: 0 }]] };
		wf.connections[AGENT_NODE.verify] = { ai_tool: [[{ node: AGENT_NODE.agent, type: 'ai_tool', index: 0 }]] };
	}
	return { workflow: wf, path: trigger.parameters.path, action };
}

// ---------------------------------------------------------------------------------------------------
// One customer talking to one agent run, through their app
// ---------------------------------------------------------------------------------------------------

/** The customer on record per journey: the journey's sample inputs (the sandbox knows them). */
const CUSTOMERS = {};
const MESSAGES = {
	'capillary-mobile': 'Please change my mobile number to 9876543210',
	summitai: 'I lost my card ending 4242, please block it',
};
const PROVIDER = { 'capillary-mobile': 'capillary', summitai: 'summitai' };

class Customer {
	constructor(journey, run) {
		Object.assign(this, { journey, run, answers: [] });
	}

	async say() {
		const url = `${state.base}/webhook/${this.run.path}`;
		let r;
		for (const deadline = Date.now() + 60000; ; await sleep(500)) {
			r = await lib.request('POST', url, json({ message: MESSAGES[this.journey], customer: CUSTOMERS[this.journey] }));
			if (!(r.status === 404 && /is not registered/.test(r.text)) || Date.now() > deadline) break;
		}
		assert.equal(r.status, 200, `POST ${url} → ${r.status} ${r.text.slice(0, 300)}`);
		assert.ok(r.json && r.json.codeUrl && r.json.executionId, `codeUrl and executionId: ${r.text.slice(0, 300)}`);
		const u = new URL(r.json.codeUrl);
		this.url = `${state.base}${u.pathname}${u.search}`;
		this.executionId = String(r.json.executionId);
		return r.json;
	}

	/** Polls codeUrl (GET) as the app does until the tool waits for the code: 409 while the agent runs. */
	async waitForCode(timeoutMs = 60000) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const r = await lib.request('GET', this.url, { headers: { accept: 'application/json' } });
			if (r.status === 200) {
				assert.equal(r.json.status, 'otp_sent', r.text.slice(0, 300));
				assert.equal(typeof r.json.sentTo, 'string', 'where the code went');
				for (const v of Object.values(CUSTOMERS[this.journey])) if (/\d{6}/.test(v)) assert.ok(!r.json.sentTo.includes(v), 'never the whole number');
				this.state = r.json.state;
				return r.json;
			}
			if (r.status === 409 && /finished/.test(r.text)) {
				const said = state.calls.find((x) => x.path === '/agent/reply' && String(x.body && x.body.executionId) === this.executionId);
				assert.fail(`the run ended without waiting for a code; the agent said: ${said ? said.body.reply : '(nothing)'}`);
			}
			assert.equal(r.status, 409, `GET codeUrl while the agent runs → ${r.status} ${r.text.slice(0, 200)}`);
			assert.ok(Date.now() < deadline, 'the tool never started waiting');
			await sleep(300);
		}
	}

	async code(code) {
		const r = await lib.request('POST', this.url, json({ code, state: this.state }));
		assert.equal(r.status, 200, `POST code → ${r.status} ${r.text.slice(0, 300)}`);
		if (r.json.state) this.state = r.json.state;
		this.answers.push(r.json);
		return r.json;
	}
}

async function latestCode(journey) {
	const r = await lib.request('GET', `${state.sandbox.url}/_sandbox/inbox/latest?provider=${PROVIDER[journey]}&to=`);
	assert.ok(r.json && /^\d{4,10}$/.test(r.json.otp), `${journey}: a code in the inbox: ${r.text.slice(0, 200)}`);
	return r.json.otp;
}

const wrong = (code) => code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));

/** The reply the agent gave for this run (your backend's /agent/reply). */
async function reply(customer, timeoutMs = 60000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const c = state.calls.find((x) => x.path === '/agent/reply' && String(x.body && x.body.executionId) === customer.executionId);
		if (c) return c.body.reply;
		assert.ok(Date.now() < deadline, 'the agent never replied');
		await sleep(300);
	}
}

const actionCalls = (customer, run) => state.calls.filter((c) => c.path === run.action.path && c.at >= customer.since);

/** The tool results the model was handed during this run (the scripted model keeps every request). */
function toolResults(since) {
	const seen = new Map();
	for (const r of state.model.requests.filter((q) => q.at >= since)) {
		for (const m of r.body.messages || [])
			if (m.role === 'tool') seen.set(m.tool_call_id, typeof m.content === 'string' ? m.content : JSON.stringify(m.content));
	}
	return [...seen.values()];
}

/** Nothing the model was handed holds a secret, a code, a token, the sealed state, an Aadhaar-like number or `reference`. */
function assertCleanResults(results, codes) {
	assert.ok(results.length > 0, 'the model was handed a tool result');
	for (const text of results) {
		for (const secret of state.secrets) assert.ok(!text.includes(secret), `a tool result holds the sandbox secret ${secret.slice(0, 4)}…`);
		for (const code of codes) assert.ok(!text.includes(code), 'a tool result holds the code');
		assert.ok(!/sealed\.v1\./.test(text), 'a tool result holds the sealed state');
		assert.ok(!/eyJ[A-Za-z0-9_-]{10,}/.test(text), 'a tool result holds a token');
		assert.ok(!/"reference"/.test(text), 'a tool result holds the reference');
		for (const m of text.matchAll(/(?<!\d)\d{4}[ -]?\d{4}[ -]?\d{4}(?!\d)/g))
			assert.ok(!state.verhoeffValid(m[0].replace(/\D/g, '')), 'a tool result holds an Aadhaar-like number');
	}
}

/** The verify tool's result as the model read it. */
function verifyResult(results) {
	const parsed = results.map((t) => {
		try {
			const v = JSON.parse(t);
			return Array.isArray(v) ? v[0] : v;
		} catch {
			return undefined;
		}
	});
	return parsed.find((v) => v && v.operation === 'sendAndWait');
}

/** A customer whose message made the agent call the verify tool: the tool waits, the code is in the inbox. */
async function waiting(journey, run) {
	const c = new Customer(journey, run);
	c.since = Date.now();
	state.last = c;
	await c.say();
	await c.waitForCode();
	return { c, otp: await latestCode(journey) };
}

/** Wrong codes until the run ends (the provider's attempts run out): the last answer, which must be max_attempts. */
async function exhaust(c, otp) {
	let last;
	for (let i = 0; i < 10 && !(last && last.final); i++) last = await c.code(wrong(otp));
	assert.equal(last.final, true, 'the attempts ran out');
	assert.equal(last.status, 'max_attempts');
	return last;
}

const SCENARIOS = {
	async right(journey, run) {
		const { c, otp } = await waiting(journey, run);
		const end = await c.code(otp);
		assert.equal(end.status, 'verified', JSON.stringify(end).slice(0, 300));
		const said = await reply(c);
		assert.match(said, /^DONE\./, `the agent did it: ${said}`);
		const acts = actionCalls(c, run);
		assert.equal(acts.length, 1, 'the action ran once');
		assert.deepEqual(acts[0].body.customer, CUSTOMERS[journey], 'the action acts for the customer on record');
		const results = toolResults(c.since);
		assertCleanResults(results, [otp]);
		assert.equal(verifyResult(results).status, 'verified');
		return `verified → ${run.action.name} ran once; agent: "${said.slice(0, 40)}…"`;
	},
	async wrongThenRight(journey, run) {
		const { c, otp } = await waiting(journey, run);
		const again = await c.code(wrong(otp));
		assert.equal(again.status, 'invalid_otp', JSON.stringify(again).slice(0, 300));
		assert.equal(again.final, false, 'a wrong code keeps the run waiting');
		assert.equal(actionCalls(c, run).length, 0, 'nothing done on a wrong code');
		assert.equal((await c.code(otp)).status, 'verified');
		const said = await reply(c);
		assert.match(said, /^DONE\./, said);
		assert.equal(actionCalls(c, run).length, 1);
		assertCleanResults(toolResults(c.since), [otp, wrong(otp)]);
		return `invalid_otp (still waiting), then verified → ${run.action.name} ran`;
	},
	async exhausted(journey, run) {
		const { c, otp } = await waiting(journey, run);
		await exhaust(c, otp);
		const said = await reply(c);
		assert.match(said, /^NOT DONE\..*status max_attempts/, `the agent explains: ${said}`);
		assert.equal(actionCalls(c, run).length, 0, 'the action never ran');
		const results = toolResults(c.since);
		assertCleanResults(results, [otp, wrong(otp)]);
		const v = verifyResult(results);
		assert.equal(v.ok, false);
		assert.equal(v.approved, false);
		return `${c.answers.length} wrong codes → the agent was told max_attempts; the action never ran`;
	},
	async neverAnswers(journey, run) {
		const { c, otp } = await waiting(journey, run);
		const said = await reply(c, 200000);
		assert.match(said, /^NOT DONE\..*status expired/, `the agent was told it expired: ${said}`);
		assert.equal(actionCalls(c, run).length, 0, 'the action never ran');
		const results = toolResults(c.since);
		assertCleanResults(results, [otp]);
		assert.equal(verifyResult(results).status, 'expired');
		return `expired reached the agent after ${lib.secs(Date.now() - c.since)}; the action never ran`;
	},
	async gateRight(journey, run) {
		const { c, otp } = await waiting(journey, run);
		assert.equal(actionCalls(c, run).length, 0, 'the gated action waits for the code');
		assert.equal((await c.code(otp)).status, 'verified');
		const said = await reply(c);
		assert.match(said, /^DONE\./, said);
		assert.equal(actionCalls(c, run).length, 1, 'the gate let the action run once');
		assertCleanResults(toolResults(c.since), [otp]);
		return `gate approved on verified → ${run.action.name} ran once`;
	},
	async gateExhausted(journey, run) {
		const { c, otp } = await waiting(journey, run);
		await exhaust(c, otp);
		const said = await reply(c);
		assert.match(said, /^NOT DONE\..*rejected the tool call/, `n8n tells the agent the call was rejected: ${said}`);
		assert.equal(actionCalls(c, run).length, 0, 'the gate never let the action run');
		assertCleanResults(toolResults(c.since), [otp, wrong(otp)]);
		return `max_attempts → n8n's gate refused the action ("${said.slice(10, 70)}…")`;
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
	state.agents = dist('journeys/n8n-agents');
	const { JOURNEYS } = dist('journeys/index');
	const { waitInputs } = dist('journeys/n8n-wait');
	for (const j of JOURNEYS) CUSTOMERS[j.id] = Object.fromEntries(waitInputs(j).map((a) => [a.name, a.sample]));
	state.verhoeffValid = dist('nodes/core').verhoeffValid;
	state.sandbox = await startSandbox({ port: 0, maxLifetimeMs: 15 * 60 * 1000 });
	state.secrets = Object.values(SANDBOX_ACCOUNTS).flatMap((a) =>
		Object.entries(a)
			.filter(([k, v]) => typeof v === 'string' && /token|secret|key|password/i.test(k))
			.map(([, v]) => v),
	);
	state.model = await startModel({ maxLifetimeMs: 15 * 60 * 1000 });
	state.backend = await startBackend();
	state.backendUrl = `http://${lib.HOST}:${state.backend.address().port}`;
	state.work = fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-n8n-agents-'));
	state.userFolder = path.join(state.work, 'user');
	lib.installIntoUserFolder(lib.pack(state.work), state.userFolder);
	state.port = await lib.freePort();
	state.base = `http://${lib.HOST}:${state.port}`;
	state.env = lib.n8nEnv(state.inst, { userFolder: state.userFolder, brokerPort: await lib.freePort(), port: state.port });

	state.plan = {
		capillary: forTest('capillary-mobile'),
		summitai: forTest('summitai'),
		timeout: forTest('summitai', { suffix: 'TIME', waitMinutes: 1 }),
		gate: forTest('capillary-mobile', { suffix: 'GATE', gate: true }),
	};
	const workflows = Object.values(state.plan).map((p) => p.workflow);

	const { OPENAI_CREDENTIAL } = state.agents;
	const creds = lib.rewriteUrls(lib.loadTemplates().credentials, state.sandbox.url);
	// The scripted model: n8n's own OpenAI credential, its Base URL on 127.0.0.1.
	creds.push({ ...OPENAI_CREDENTIAL, type: 'openAiApi', data: { apiKey: 'sk-scripted-model-not-a-secret', url: state.model.url } });
	const credFile = path.join(state.work, 'credentials.json');
	fs.writeFileSync(credFile, JSON.stringify(creds, null, 2));
	let r = await lib.runN8n(state.inst, state.env, ['import:credentials', `--input=${credFile}`]);
	assert.equal(r.status, 0, `import:credentials failed:\n${r.stdout}\n${r.stderr}`);
	const wfDir = path.join(state.work, 'workflows');
	fs.mkdirSync(wfDir);
	for (const wf of workflows) fs.writeFileSync(path.join(wfDir, `${wf.id}.json`), JSON.stringify(wf, null, 2));
	r = await lib.runN8n(state.inst, state.env, ['import:workflow', '--separate', `--input=${wfDir}`]);
	assert.equal(r.status, 0, `import:workflow failed:\n${r.stdout}\n${r.stderr}`);
	await lib.publishWorkflows(
		state.inst,
		state.env,
		workflows.map((w) => w.id),
	);
	log(`[agents] ${workflows.length} workflows imported and published in n8n ${N8N_VERSION} (Node ${NODE_VERSION})`);

	state.log = '';
	state.server = spawn(state.inst.nodeBin, [state.inst.n8nBin, 'start'], {
		env: state.env,
		cwd: state.userFolder,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	state.server.stdout.on('data', (d) => (state.log += d));
	state.server.stderr.on('data', (d) => (state.log += d));
	state.exited = new Promise((resolve) => state.server.on('exit', resolve));
	const alive = () => state.server.exitCode === null;
	await lib.waitForHttp(`${state.base}/healthz`, { timeoutMs: 180000, isAlive: alive });
	await lib.waitForHttp(`${state.base}/rest/settings`, { want: (s, body) => s === 200 && !/starting up/i.test(body), timeoutMs: 120000, isAlive: alive });
	await lib.waitForHttp(`${state.base}/webhook/${state.plan.gate.path}`, {
		want: (s, body) => /Did you mean to make a POST/i.test(body),
		timeoutMs: 120000,
		isAlive: alive,
	});
	log(`[agents] n8n answers on ${state.base}; the scripted model on ${state.model.url}`);
}

async function tearDown() {
	try {
		await lib.stopGroup(state.server, state.exited);
	} finally {
		stopN8n();
		if (state.sandbox) await state.sandbox.close();
		if (state.model) await state.model.close();
		if (state.backend) state.backend.close();
		if (process.env.OTPFLOW_E2E_KEEP === '1') {
			if (state.log) fs.writeFileSync(path.join(state.work, 'n8n.log'), state.log);
			log(`[agents] kept ${state.work}`);
		} else if (state.work) fs.rmSync(state.work, { recursive: true, force: true });
		clearTimeout(watchdog);
	}
}

module.exports = { setUp, tearDown, state, forTest, Customer, latestCode, SCENARIOS };

const PLAN = [
	['capillary-mobile', 'capillary', 'right'],
	['summitai', 'summitai', 'right'],
	['capillary-mobile', 'capillary', 'wrongThenRight'],
	['summitai', 'summitai', 'exhausted'],
	['capillary-mobile', 'gate', 'gateRight'],
	['capillary-mobile', 'gate', 'gateExhausted'],
	['summitai', 'timeout', 'neverAnswers'],
];

if (require.main === module) {
	before(() => setUp());
	after(async () => {
		await tearDown();
		log('');
		log('[agents] ---- AI agents that verify the customer first, real n8n ----');
		for (const r of state.runs) log(`[agents]   ${r.ok ? '✔' : '✘'} ${r.name.padEnd(44)} ${lib.secs(r.ms).padStart(7)}  ${r.said || ''}`);
		log(`[agents] ${state.runs.filter((r) => r.ok).length}/${state.runs.length} runs passed`);
	});
	test('AI agents verify the customer with our tool before acting, in real n8n', async (t) => {
		for (const [journey, run, key] of PLAN) {
			if (key === 'neverAnswers' && process.env.OTPFLOW_E2E_QUICK === '1') continue;
			const name = `${journey} (${run}): ${key}`;
			await t.test(name, async () => {
				await lib.request('POST', `${state.sandbox.url}/_sandbox/reset`);
				const entry = { name, ok: false, ms: 0 };
				state.runs.push(entry);
				const t0 = Date.now();
				try {
					entry.said = await SCENARIOS[key](journey, state.plan[run]);
					entry.ok = true;
				} finally {
					entry.ms = Date.now() - t0;
				}
			});
		}
	});
}
