#!/usr/bin/env node
/**
 * Real n8n, end to end (node:test; run with `node --test-reporter=spec e2e/n8n/run.test.js`).
 *
 *  1. n8n + Node 24 from the cache (./install.js installs them the first time: several minutes).
 *  2. The sandbox on a free 127.0.0.1 port, in this process, stopping by itself after 30 minutes at most.
 *  3. `npm pack` of this project (dist/ must be built: `npm test` builds it; OTPFLOW_E2E_BUILD=1 rebuilds),
 *     installed into a fresh `$N8N_USER_FOLDER/.n8n/nodes` with `npm install <tarball>`, as users install
 *     community nodes.
 *  4. `n8n import:credentials` of templates/n8n/credentials.sandbox.json (+ one deliberately wrong
 *     credential) and `n8n import:workflow --separate` of every shipped template plus failure variants,
 *     all with the sandbox URL rewritten to the test sandbox.
 *  5. `n8n execute --id=ID --rawOutput` for each, the run data parsed and checked: which output (Success /
 *     Failure) every provider node emitted on, the normalised status, and the chains' verification.
 *  6. n8n's own credential test for each credential type (the CLI has none, so through the REST API of a
 *     short-lived `n8n start` on a free port: owner setup, then POST /rest/credentials/test).
 *
 * Env: OTPFLOW_CACHE (n8n cache root), OTPFLOW_E2E_BUILD=1 (rebuild dist first), OTPFLOW_E2E_KEEP=1 (keep
 * the temp folder), OTPFLOW_E2E_ONLY=<substring> (run only matching workflow cases).
 */
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

const { ensureN8n, N8N_VERSION, NODE_VERSION } = require('./install');
const lib = require('./lib');

const PKG_TYPE_PREFIX = `${lib.PKG.name}.`;
const OK_STATUSES = new Set(['otp_sent', 'verified', 'completed']);
const INBOX_NODE = 'Read OTP from Sandbox Inbox';
const WRONG_CREDENTIAL = { id: 'summitai-wrong-key', name: 'SummitAI sandbox (wrong API key)' };
/** What each operation's happy run must end on, by `<slug>:<operation>`. */
const EXPECTED_STATUS = {
	'bos:registerCustomer': 'completed',
	'bos:generateOtp': 'otp_sent',
	'bos:submitOtp': 'verified',
	'bos:getCreditHistory': 'completed',
	'aopay:registerCustomer': 'completed',
	'aopay:generateOtp': 'otp_sent',
	'aopay:submitOtp': 'verified',
	'aopay:getCreditHistory': 'completed',
	'iserveu:getCustomer': 'completed',
	'iserveu:sendOtp': 'otp_sent',
	'iserveu:registerCustomer': 'verified',
	'iserveu:verifyBeneficiary': 'verified',
	'summitai:findUser': 'completed',
	'iserveu:transactionStatus': 'completed',
	'summitai:generateOtp': 'otp_sent',
	'summitai:validateOtp': 'verified',
	'capillary:generateToken': 'completed',
	'capillary:generateOtp': 'otp_sent',
	'capillary:validateOtp': 'verified',
	'capillary:regenerateToken': 'completed',
	'capillary:validatePassword': 'verified',
	'capillary:expireToken': 'completed',
	'capillary:forgotPassword': 'completed',
};

const timings = { started: Date.now() };
const state = {};
const log = (line) => process.stdout.write(`${line}\n`);

function providerNodes(workflow) {
	return workflow.nodes.filter((n) => n.type.startsWith(PKG_TYPE_PREFIX));
}

/** { success: items[], failure: items[] } of a node's first run, or undefined if it did not run. */
function outputsOf(run, nodeName) {
	const runs = run.data.resultData.runData[nodeName];
	if (!runs || !runs.length) return undefined;
	const main = (runs[0].data && runs[0].data.main) || [];
	return {
		success: (main[0] || []).map((i) => i.json),
		failure: (main[1] || []).map((i) => i.json),
		error: runs[0].error,
	};
}

/** The node a provider node's first (Success) output leads to, following the template's connections. */
function consumerOfInbox(workflow) {
	const next = workflow.connections[INBOX_NODE];
	const target = next && next.main && next.main[0] && next.main[0][0];
	return target ? workflow.nodes.find((n) => n.name === target.node) : undefined;
}

/** The parameter of `node` that takes the OTP read from the inbox (an expression reading $json.otp). */
function otpParameter(node) {
	const hit = Object.entries(node.parameters).find(([, v]) => typeof v === 'string' && /\$json\.otp\b/.test(v));
	return hit && hit[0];
}

let idCounter = 0;
function variantId(tag) {
	idCounter += 1;
	return `e2e${tag.replace(/[^A-Za-z0-9]/g, '')}${String(idCounter).padStart(3, '0')}`.slice(0, 16).padEnd(16, 'x');
}

function clone(value) {
	return JSON.parse(JSON.stringify(value));
}

/**
 * Every case: a workflow to import and execute, and what to expect.
 *   expect.path     'success' | 'failure'  (which noOp the last provider node leads to)
 *   expect.status   the last provider node's normalised status
 *   expect.verified node name whose status must be 'verified' (chains)
 */
function buildCases(templates, sandboxUrl) {
	const cases = [];
	for (const t of templates.workflows) {
		const workflow = lib.rewriteUrls(t.workflow, sandboxUrl);
		const pNodes = providerNodes(workflow);
		const last = pNodes[pNodes.length - 1];
		const isChain = t.file.endsWith('-chain.json');
		const key = `${t.slug}:${last.parameters.operation}`;
		const c = {
			name: t.file,
			slug: t.slug,
			workflow,
			expect: { path: 'success', lastNode: last.name, status: EXPECTED_STATUS[key] },
		};
		if (isChain) {
			const consumer = consumerOfInbox(workflow);
			assert.ok(consumer, `${t.file}: the chain reads the OTP from the sandbox inbox and passes it on`);
			c.expect.otpConsumer = consumer.name;
			c.expect.otpConsumerStatus = EXPECTED_STATUS[`${t.slug}:${consumer.parameters.operation}`];
		}
		cases.push(c);
	}
	// Failure variants, at least one per provider: the chain with a wrong OTP (always differs from the
	// real code read from the inbox), so the verifying node must land on Failure as invalid_otp.
	for (const t of templates.workflows.filter((w) => w.file.endsWith('-chain.json'))) {
		const workflow = lib.rewriteUrls(clone(t.workflow), sandboxUrl);
		const consumer = consumerOfInbox(workflow);
		const param = otpParameter(consumer);
		assert.ok(param, `${t.file}: ${consumer.name} takes the OTP from $json.otp`);
		consumer.parameters[param] = "={{ String((Number($json.otp) + 1) % 1000000).padStart(String($json.otp).length, '0') }}";
		workflow.id = variantId(`wrongotp${t.slug}`);
		workflow.name = `${workflow.name} [e2e: wrong OTP]`;
		cases.push({
			name: `${t.slug}-chain + wrong OTP`,
			slug: t.slug,
			workflow,
			expect: { path: 'failure', lastNode: consumer.name, status: 'invalid_otp' },
		});
	}
	// Bad input: an invalid PAN is refused locally (nothing sent), on Failure as invalid_request.
	const bosRegister = templates.workflows.find((w) => w.file === 'bos-register-customer.json');
	if (bosRegister) {
		const workflow = lib.rewriteUrls(clone(bosRegister.workflow), sandboxUrl);
		const node = providerNodes(workflow)[0];
		node.parameters.pancard = 'NOT-A-PAN';
		workflow.id = variantId('badpan');
		workflow.name = `${workflow.name} [e2e: bad PAN]`;
		cases.push({ name: 'bos-register-customer + bad PAN', slug: 'bos', workflow, expect: { path: 'failure', lastNode: node.name, status: 'invalid_request' } });
	}
	// Wrong secret: a credential the sandbox rejects, through n8n's credential machinery → auth_failed.
	const summitGenerate = templates.workflows.find((w) => w.file === 'summitai-generate-otp.json');
	if (summitGenerate) {
		const workflow = lib.rewriteUrls(clone(summitGenerate.workflow), sandboxUrl);
		const node = providerNodes(workflow)[0];
		const credType = Object.keys(node.credentials)[0];
		node.credentials[credType] = { id: WRONG_CREDENTIAL.id, name: WRONG_CREDENTIAL.name };
		workflow.id = variantId('badcred');
		workflow.name = `${workflow.name} [e2e: wrong credential]`;
		cases.push({
			name: 'summitai-generate-otp + wrong API key',
			slug: 'summitai',
			workflow,
			expect: { path: 'failure', lastNode: node.name, status: 'auth_failed' },
		});
	}
	const only = process.env.OTPFLOW_E2E_ONLY;
	return only ? cases.filter((c) => c.name.includes(only)) : cases;
}

/** The credentials to import: the shipped sandbox ones, rewritten, plus one with a wrong secret. */
function buildCredentials(templates, sandboxUrl) {
	const creds = lib.rewriteUrls(templates.credentials, sandboxUrl);
	const summit = creds.find((c) => c.type === 'summitAiApi');
	if (summit) {
		const wrong = clone(summit);
		Object.assign(wrong, WRONG_CREDENTIAL);
		wrong.data.apiKey = `${wrong.data.apiKey}-wrong`;
		creds.push(wrong);
	}
	return creds;
}

before(async () => {
	const t0 = Date.now();
	state.inst = ensureN8n({ log });
	timings.install = { ms: Date.now() - t0, reused: state.inst.reused };

	if (process.env.OTPFLOW_E2E_BUILD === '1') lib.build({ force: true, log });
	else lib.build({ log });
	const { startSandbox } = require(path.join(lib.ROOT, 'dist', 'sandbox'));
	// Several templates send iServeU registration OTPs to one mobile number within seconds: no 30 s resend wait here.
	state.sandbox = await startSandbox({ port: 0, maxLifetimeMs: 30 * 60 * 1000, config: { iserveuResendCooldownSeconds: 0 } });
	log(`[e2e] sandbox on ${state.sandbox.url}`);

	state.work = fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-n8n-e2e-'));
	state.userFolder = path.join(state.work, 'user');
	let t = Date.now();
	state.tarball = lib.pack(state.work);
	const { installed } = lib.installIntoUserFolder(state.tarball, state.userFolder);
	timings.packInstall = Date.now() - t;
	log(`[e2e] packed ${path.basename(state.tarball)} and installed it into ${installed} in ${lib.secs(timings.packInstall)}`);

	state.env = lib.n8nEnv(state.inst, { userFolder: state.userFolder, brokerPort: await lib.freePort(), port: await lib.freePort() });
	const templates = lib.loadTemplates();
	state.credentials = buildCredentials(templates, state.sandbox.url);
	state.cases = buildCases(templates, state.sandbox.url);

	t = Date.now();
	const credFile = path.join(state.work, 'credentials.json');
	fs.writeFileSync(credFile, JSON.stringify(state.credentials, null, 2));
	let r = await lib.runN8n(state.inst, state.env, ['import:credentials', `--input=${credFile}`]);
	assert.equal(r.status, 0, `import:credentials failed:\n${r.stdout}\n${r.stderr}`);
	timings.importCredentials = Date.now() - t;

	t = Date.now();
	const wfDir = path.join(state.work, 'workflows');
	fs.mkdirSync(wfDir);
	for (const c of state.cases) fs.writeFileSync(path.join(wfDir, `${c.workflow.id}.json`), JSON.stringify(c.workflow, null, 2));
	r = await lib.runN8n(state.inst, state.env, ['import:workflow', '--separate', `--input=${wfDir}`]);
	assert.equal(r.status, 0, `import:workflow failed:\n${r.stdout}\n${r.stderr}`);
	timings.importWorkflows = Date.now() - t;
	log(
		`[e2e] imported ${state.credentials.length} credentials (${lib.secs(timings.importCredentials)}) and ${state.cases.length} workflows (${lib.secs(timings.importWorkflows)}) with n8n ${N8N_VERSION} on Node ${NODE_VERSION}`,
	);
	timings.executions = [];
});

after(async () => {
	if (state.server && state.server.exitCode === null) {
		try {
			process.kill(-state.server.pid, 'SIGTERM');
		} catch {
			/* gone */
		}
	}
	if (state.sandbox) await state.sandbox.close();
	if (state.work && process.env.OTPFLOW_E2E_KEEP !== '1') fs.rmSync(state.work, { recursive: true, force: true });
	else if (state.work) log(`[e2e] kept ${state.work}`);
	const total = Date.now() - timings.started;
	const execMs = (timings.executions || []).map((e) => e.ms);
	log('');
	log('[e2e] ---- real n8n timings ----');
	if (timings.install) log(`[e2e] n8n install: ${timings.install.reused ? 'warm (reused cache)' : 'cold'} ${lib.secs(timings.install.ms)}`);
	if (timings.packInstall) log(`[e2e] npm pack + install into user folder: ${lib.secs(timings.packInstall)}`);
	if (timings.importCredentials) log(`[e2e] import:credentials ${lib.secs(timings.importCredentials)}, import:workflow ${lib.secs(timings.importWorkflows)}`);
	for (const e of timings.executions || []) log(`[e2e]   execute ${e.name.padEnd(48)} ${lib.secs(e.ms)}`);
	if (execMs.length)
		log(
			`[e2e] ${execMs.length} executions: ${lib.secs(execMs.reduce((a, b) => a + b, 0))} (mean ${lib.secs(execMs.reduce((a, b) => a + b, 0) / execMs.length)})`,
		);
	if (timings.credentialTest) log(`[e2e] credential tests via REST (n8n start + owner setup + tests): ${lib.secs(timings.credentialTest)}`);
	log(`[e2e] total ${lib.secs(total)}`);
});

test('the package installs into the user folder the way community nodes do', () => {
	const pkgDir = path.join(state.userFolder, '.n8n', 'nodes', 'node_modules', ...lib.PKG.name.split('/'));
	const pj = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
	assert.equal(pj.name, lib.PKG.name);
	for (const file of [...pj.n8n.nodes, ...pj.n8n.credentials]) assert.ok(fs.existsSync(path.join(pkgDir, file)), `${file} is in the tarball`);
});

test('every shipped template and failure variant runs in real n8n', async (t) => {
	const providersWithFailure = new Set();
	const providersChainVerified = new Set();
	for (const c of state.cases) {
		await t.test(c.name, async () => {
			const r = await lib.runN8n(state.inst, state.env, ['execute', `--id=${c.workflow.id}`, '--rawOutput']);
			timings.executions.push({ name: c.name, ms: r.ms });
			let run;
			try {
				run = lib.parseRawOutput(r.stdout);
			} catch (e) {
				assert.fail(`n8n execute exited ${r.status}; ${e.message}\nstderr:\n${r.stderr.slice(-3000)}`);
			}
			const runData = run.data.resultData.runData;
			assert.ok(!run.data.resultData.error, `the execution failed: ${String(JSON.stringify(run.data.resultData.error)).slice(0, 1500)}`);
			const summary = [];
			const pNodes = providerNodes(c.workflow);
			for (const node of pNodes) {
				const out = outputsOf(run, node.name);
				assert.ok(out, `${node.name} ran (ran: ${Object.keys(runData).join(', ')})`);
				assert.ok(!out.error, `${node.name} threw: ${String(JSON.stringify(out.error)).slice(0, 800)}`);
				const items = [...out.success, ...out.failure];
				assert.equal(items.length, 1, `${node.name}: one item in, one item out`);
				const item = items[0];
				summary.push(`${node.name}→${out.success.length ? 'Success' : 'Failure'}:${item.status}`);
				assert.equal(typeof item.ok, 'boolean');
				assert.equal(item.ok, OK_STATUSES.has(item.status), `${node.name}: ok matches status ${item.status}`);
				assert.equal(item.provider, c.slug);
				const isLast = node.name === c.expect.lastNode;
				if (!isLast) {
					assert.equal(out.success.length, 1, `${node.name} (before ${c.expect.lastNode}) lands on Success, got ${item.status}: ${item.message}`);
					continue;
				}
				if (c.expect.path === 'success') {
					assert.equal(out.success.length, 1, `${node.name} lands on Success, got ${item.status}: ${item.message}`);
				} else {
					assert.equal(out.failure.length, 1, `${node.name} lands on Failure, got ${item.status}: ${item.message}`);
					providersWithFailure.add(c.slug);
				}
				if (c.expect.status) assert.equal(item.status, c.expect.status, `${node.name} status (${item.message})`);
				break;
			}
			if (c.expect.otpConsumer) {
				const inbox = outputsOf(run, INBOX_NODE);
				assert.ok(
					inbox && inbox.success.length === 1 && /^\d{4,8}$/.test(String(inbox.success[0].otp)),
					`the workflow read a code from the sandbox inbox: ${JSON.stringify(inbox && inbox.success)}`,
				);
				const out = outputsOf(run, c.expect.otpConsumer);
				assert.equal(out.success.length, 1, `${c.expect.otpConsumer} accepted the code from the inbox`);
				if (c.expect.otpConsumerStatus) assert.equal(out.success[0].status, c.expect.otpConsumerStatus);
				providersChainVerified.add(c.slug);
			}
			// The noOp the last node leads to ran, the other did not.
			const landed = c.expect.path === 'success' ? 'Success' : 'Failure';
			const other = landed === 'Success' ? 'Failure' : 'Success';
			if (c.workflow.nodes.some((n) => n.name === landed)) assert.ok(runData[landed], `the ${landed} node ran`);
			if (c.workflow.nodes.some((n) => n.name === other)) assert.ok(!runData[other], `the ${other} node did not run`);
			log(`[e2e]   ${c.name}: ${summary.join(' → ')} (${lib.secs(r.ms)})`);
		});
	}
	if (!process.env.OTPFLOW_E2E_ONLY) {
		const slugs = [...new Set(state.cases.map((c) => c.slug))].sort();
		assert.deepEqual([...providersWithFailure].sort(), slugs, 'every provider has a case that lands on Failure');
		assert.deepEqual([...providersChainVerified].sort(), slugs, 'every provider has a chain that verifies the inbox code');
	}
});

test("n8n's own credential test accepts each sandbox credential and rejects a wrong one (REST)", async () => {
	const t0 = Date.now();
	const port = await lib.freePort();
	const env = { ...state.env, N8N_PORT: String(port), N8N_RUNNERS_BROKER_PORT: String(await lib.freePort()) };
	const base = `http://${lib.HOST}:${port}`;
	let serverLog = '';
	state.server = spawn(state.inst.nodeBin, [state.inst.n8nBin, 'start'], { env, cwd: state.userFolder, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	state.server.stdout.on('data', (d) => {
		serverLog += d;
	});
	state.server.stderr.on('data', (d) => {
		serverLog += d;
	});
	const exited = new Promise((resolve) => state.server.on('exit', resolve));
	try {
		await lib.waitForHttp(`${base}/healthz`, { timeoutMs: 180000, isAlive: () => state.server.exitCode === null });
		await lib.waitForHttp(`${base}/rest/settings`, {
			want: (s, body) => s === 200 && !/starting up/i.test(body),
			timeoutMs: 120000,
			isAlive: () => state.server.exitCode === null,
		});
		const { client } = await lib.ownerSetupOrLogin(base);
		const types = await client.get('/types/nodes.json');
		if (types.status === 200 && Array.isArray(types.json)) {
			const ours = types.json.filter((n) => n.name.startsWith(PKG_TYPE_PREFIX)).map((n) => n.name.slice(PKG_TYPE_PREFIX.length));
			log(`[e2e]   node types served to the editor: ${ours.join(', ')}`);
			for (const name of ['bos', 'aoPay', 'iServeU', 'summitAi', 'capillary']) {
				assert.ok(ours.includes(name), `${name} is served to the editor`);
				assert.ok(ours.includes(`${name}Tool`), `${name}Tool (usableAsTool) is served to the editor`);
			}
		}
		const wrongResults = [];
		for (const cred of state.credentials) {
			const r = await client.post('/rest/credentials/test', { credentials: { id: cred.id, name: cred.name, type: cred.type, data: cred.data } });
			assert.ok(r.status === 200 && r.json && r.json.data, `credential test of ${cred.id}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
			const result = r.json.data;
			const wantOk = cred.id !== WRONG_CREDENTIAL.id;
			log(`[e2e]   credential test ${cred.type} (${cred.id}): ${result.status} ${result.message || ''}`);
			if (result.status !== (wantOk ? 'OK' : 'Error'))
				wrongResults.push(`${cred.id}: ${result.status} ${result.message || ''} (expected ${wantOk ? 'OK' : 'Error'})`);
		}
		assert.deepEqual(wrongResults, [], "n8n's credential test gives the expected verdict for every credential");
	} catch (e) {
		e.message += `\n--- n8n start log (tail) ---\n${serverLog.slice(-4000)}`;
		throw e;
	} finally {
		try {
			process.kill(-state.server.pid, 'SIGTERM');
		} catch {
			/* gone */
		}
		const timer = setTimeout(() => {
			try {
				process.kill(-state.server.pid, 'SIGKILL');
			} catch {
				/* gone */
			}
		}, 20000);
		await exited;
		clearTimeout(timer);
		timings.credentialTest = Date.now() - t0;
	}
});
