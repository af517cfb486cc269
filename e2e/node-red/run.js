#!/usr/bin/env node
'use strict';
/**
 * Real Node-RED end to end: for each runtime (Node-RED 4.1.x on this Node 20, Node-RED 5.x on Node 24),
 *   sandbox on a free 127.0.0.1 port → fresh user dir → `npm install <packed tarball>` → Node-RED started →
 *   GET /nodes (all our types, no errors) → every shipped example deployed in one POST /flows →
 *   each provider's 00 - Full chain (send, OTP read from the sandbox inbox and typed into the deployed
 *   "2. verify" inject, verify) → every operation example → the fault table → log scanned for secrets.
 *
 *   node e2e/node-red/run.js                 both runtimes (needs `npx gulp build` first)
 *   node e2e/node-red/run.js --runtime 5     only Node-RED 5
 *   OTPFLOW_E2E_VERBOSE=1 …                  echo Node-RED's log
 *   OTPFLOW_E2E_KEEP=1 …                     keep the user directories (their paths are printed)
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const cache = require('./cache');
const { CRASH_PATTERNS, Collector, NodeRed, Report, freePort, installIntoUserDir, mask, sandboxSecrets, secs, settingsJs, sleep } = require('./lib');
const { buildDeployment, opChain } = require('./flows');

const ROOT = path.resolve(__dirname, '..', '..');
const packaging = require('../../packaging');
const PKG = packaging.manifest(packaging.folderOf('node-red'));
const RESULT_TIMEOUT_MS = 30000;
const NODE_TIMEOUT_S = 15; // the examples' "timeout" field; the timeout fault holds longer than this
/** Typed into the account dialog's Test in step 4: must come back refused, and appear in no answer and no log line. */
const WRONG_TEST_SECRET = 'wrong-e2e-access-token-do-not-log';

/** What a successful run of each operation reports (`${slug}/${opId}`, or `*\/${opId}`). */
const SUCCESS_STATUS = {
	'*/registerCustomer': 'completed',
	'iserveu/registerCustomer': 'verified',
	'*/generateOtp': 'otp_sent',
	'*/sendOtp': 'otp_sent',
	'*/submitOtp': 'verified',
	'*/validateOtp': 'verified',
	'*/verifyBeneficiary': 'verified',
	'*/getCreditHistory': 'completed',
	'*/getCustomer': 'completed',
	'*/generateToken': 'completed',
	'*/regenerateToken': 'completed',
	'*/validatePassword': 'verified',
	'*/expireToken': 'completed',
	'*/forgotPassword': 'completed',
	'*/findUser': 'completed',
	'*/transactionStatus': 'completed',
};

/**
 * Examples that, clicked in order on their tab after 00 - Full chain, cannot succeed by design: the
 * expected outcome instead (documented in the example's comment).
 */
const EXAMPLE_OUTCOME = {};

/**
 * What an example's comment says to click first, when that is not simply the previous example on the tab.
 * `advance`: seconds the sandbox's virtual clock moves first (a provider's resend cooldown).
 */
const EXAMPLE_PRELUDE = {
	// "Registration consumes a type-1 OTP: click 1. send OTP in 00 - Full chain first, then put the code from the inbox into this inject."
	'iserveu/03 - Register Customer.json': { chainInject: /^1\./, advance: 60 },
	// "Beneficiary verification consumes a type-2 OTP sent with the same external reference: click 02 - Send OTP first, …"
	'iserveu/04 - Verify Beneficiary.json': { example: /^02 - Send OTP/ },
};

/** The fault table: sandbox fault → the failure status every provider's send node must report. */
const FAULTS = [
	{ name: 'timeout', spec: { kind: 'timeout', ms: (NODE_TIMEOUT_S + 5) * 1000 }, status: 'network_error' },
	{ name: 'reset', spec: { kind: 'reset' }, status: 'network_error' },
	{ name: '503', spec: { kind: 'status', status: 503 }, status: 'provider_error' },
	{ name: 'html', spec: { kind: 'html' }, status: 'provider_error' },
	{ name: 'malformed', spec: { kind: 'malformed' }, status: 'provider_error' },
	{
		name: '429',
		spec: { kind: 'rate_limit', retryAfter: 7 },
		status: 'rate_limited',
		extra: (r) => r.retryAfterSeconds === 7 || `retryAfterSeconds ${r.retryAfterSeconds}`,
	},
];

function successStatus(slug, opId) {
	return SUCCESS_STATUS[`${slug}/${opId}`] || SUCCESS_STATUS[`*/${opId}`];
}

/** The Node-RED package (packages/node-red-otpflow), packed from its built copy in dist/packages/. */
function pack() {
	return packaging.pack(packaging.folderOf('node-red'), fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-pack-')));
}

function summary(r) {
	if (!r) return 'nothing';
	const res = r.result || {};
	return `output ${r.output} status ${res.status}${res.message ? ` "${String(res.message).slice(0, 120)}"` : ''}`;
}

async function runtimeRun(rt, ctx) {
	const report = new Report(rt.label);
	process.stdout.write(`\n■ ${rt.label}\n`);
	const t0 = Date.now();
	const { startSandbox, SANDBOX_ACCOUNTS } = require(path.join(ROOT, 'dist', 'sandbox'));
	const sandbox = await startSandbox({ port: 0, maxLifetimeMs: 20 * 60 * 1000 });
	const collector = await new Collector().start();
	const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-nr-'));
	let nr;
	try {
		// 1. The package, installed the way users install nodes: npm install in the user directory.
		let t = Date.now();
		const installed = installIntoUserDir(userDir, ctx.tarball);
		report.time('npm install <tarball> into the user dir', Date.now() - t);
		report.check(
			'package installed from the tarball (not a link)',
			fs.existsSync(path.join(installed, 'package.json')) && !fs.lstatSync(installed).isSymbolicLink(),
		);

		// 2. Node-RED in a fresh user directory.
		const port = await freePort();
		fs.writeFileSync(path.join(userDir, 'settings.js'), settingsJs({ port, maxLifetimeMs: 15 * 60 * 1000, parentPid: process.pid }));
		nr = new NodeRed({ nodeBin: rt.nodeBin, red: rt.nodeRed.red, userDir, port, logFile: path.join(userDir, 'node-red.log') });
		t = Date.now();
		await nr.start();
		report.time(`Node-RED start (pid ${nr.pid}, port ${port})`, Date.now() - t);
		const versionLine = (nr.log.match(/Node-RED version: (\S+)/) || [])[1];
		const nodeLine = (nr.log.match(/Node\.js {2}version: (\S+)/) || [])[1];
		report.check(
			'runtime versions',
			String(versionLine).replace(/-git$/, '') === `v${rt.nodeRed.version}` && nodeLine === `v${rt.nodeVersion}`,
			`Node-RED ${versionLine} on Node ${nodeLine}`,
		);

		// 3. GET /nodes: all our types registered, no errors.
		const nodesRes = await nr.get('/nodes');
		const sets = (nodesRes.json || []).filter((s) => s.module === PKG.name);
		const deployment = buildDeployment({
			examplesDir: path.join(installed, 'examples'),
			pkgDir: installed,
			sandboxUrl: sandbox.url,
			collectorUrl: collector.url,
			accounts: SANDBOX_ACCOUNTS,
		});
		const { flows, index } = deployment;
		const registered = new Set(sets.flatMap((s) => s.types || []));
		const missing = index.types.all.filter((tp) => !registered.has(tp));
		const errs = sets.filter((s) => s.err || s.enabled === false).map((s) => `${s.id}: ${s.err || 'disabled'}`);
		report.check(
			`GET /nodes: ${PKG.name} ${sets[0] && sets[0].version} registered ${registered.size} types in ${sets.length} sets`,
			missing.length === 0 && errs.length === 0 && sets.length === Object.keys(PKG['node-red'].nodes).length,
			`missing ${missing.join(', ') || '-'}; errors ${errs.join('; ') || '-'}`,
		);
		report.check('every operation node has an example', index.missingExamples.length === 0 || `no example for ${index.missingExamples.join(', ')}`);

		// 4. Deploy every example at once (a full deploy; waits for the flows to start).
		const deploy = () => nr.deploy(flows);
		t = Date.now();
		await deploy();
		report.time(`deploy ${index.examples.length} example files (${flows.length} nodes) in one POST /flows`, Date.now() - t);
		const deployedRes = await nr.get('/flows');
		const deployedIds = new Set((deployedRes.json || []).map((n) => n.id));
		report.check(
			'all example nodes deployed',
			flows.every((n) => deployedIds.has(n.id)) || `${flows.filter((n) => !deployedIds.has(n.id)).length} nodes missing`,
		);
		const credProblems = [];
		for (const n of flows.filter((f) => /^otpflow-.*-config$/.test(f.type))) {
			const res = await nr.get(`/credentials/${n.type}/${n.id}`);
			for (const k of Object.keys(n.credentials))
				if (!res.json || res.json[`has_${k}`] !== true) credProblems.push(`${n.type} ${k}: ${res.status} ${res.text}`);
			if (ctx.secrets.some((s) => res.text.includes(s))) credProblems.push(`${n.type}: a secret value in GET /credentials`);
		}
		report.check(
			'account credentials stored (GET /credentials/<type>/<id> says has_<secret>, never the value)',
			credProblems.length === 0 || credProblems.join('; '),
		);
		// The account dialog's Test button (POST <admin>/otpflow/<slug>/test), for BOS: the stored secret behind the
		// editor's password placeholder, the right secret typed in, and a wrong one.
		const bosAccount = flows.find((f) => f.type === 'otpflow-bos-config');
		if (!bosAccount) report.fail('account Test endpoint', 'no otpflow-bos-config node in the examples');
		else {
			const { id, credentials, ...props } = bosAccount;
			const test = async (body) => {
				const res = await nr.post('/otpflow/bos/test', body);
				return res.status === 200 && res.json ? res.json : { ok: undefined, message: `HTTP ${res.status} ${res.text.slice(0, 200)}` };
			};
			const stored = await test({ id, credentials: { ...props, accessToken: '__PWRD__' } });
			const typed = await test({ credentials: { ...props, ...credentials } });
			const wrong = await test({ id, credentials: { ...props, accessToken: WRONG_TEST_SECRET } });
			const answers = JSON.stringify([stored, typed, wrong]);
			report.check(
				'account Test endpoint (BOS): stored and typed right secret ok, a wrong one refused, no secret in the answers',
				(stored.ok === true &&
					typed.ok === true &&
					wrong.ok === false &&
					/rejected the access token/.test(wrong.message) &&
					![...ctx.secrets, WRONG_TEST_SECRET].some((x) => answers.includes(x))) ||
					answers,
				`"${stored.message}" / "${typed.message}" / "${wrong.message}"`,
			);
		}
		// The examples' comment nodes name the (public) sandbox secrets on purpose; no other node may hold one.
		const nonComment = JSON.stringify((deployedRes.json || []).filter((n) => n.type !== 'comment'));
		const inFlows = ctx.secrets.filter((s) => nonComment.includes(s));
		report.check('no secret in any deployed node but the comments (GET /flows)', inFlows.length === 0 || `visible: ${inFlows.map(mask).join(', ')}`);
		const expectedWarnings = /Projects disabled|Using unencrypted credentials/;
		const warnings = nr.log.split('\n').filter((l) => /\[(warn|error)\]/.test(l) && !expectedWarnings.test(l));
		report.check(
			'no warnings/errors while loading and deploying (besides projects off, plain credentials)',
			warnings.length === 0 || warnings.join(' | ').slice(0, 800),
		);

		const fileOf = new Map(index.examples.flatMap((e) => e.ops.map((o) => [o.id, `${e.slug}/${e.file}`])));
		const fire = async (injectId) => {
			const res = await nr.post(`/inject/${injectId}`);
			if (res.status !== 200) throw new Error(`POST /inject/${injectId} → ${res.status} ${res.text}`);
		};

		/** Fires an inject and waits for one result from each expected operation node; checks nothing else came. */
		const step = async (name, injectId, expects) => {
			const mark = collector.mark();
			const started = Date.now();
			const got = [];
			try {
				await fire(injectId);
				for (const e of expects) {
					const slug = fileOf.get(e.node).split('/')[0];
					const r = await collector.waitFor(
						(x) => collector.entries.indexOf(x) >= mark && (x.node === e.node || (x.kind === 'catch' && x.slug === slug)),
						e.timeoutMs || RESULT_TIMEOUT_MS,
						`${e.label}`,
					);
					got.push(r);
					if (r.kind === 'catch') throw new Error(`Catch node got: ${r.error && r.error.message}`);
					if (r.output !== e.output) {
						// A failure ends the chain: the later nodes never run.
						break;
					}
				}
			} catch (err) {
				report.fail(name, `${err.message}; got ${got.map(summary).join(' → ') || 'nothing'}`);
				return got;
			}
			await sleep(150); // anything extra (a second output for the same message) would arrive now
			// Other steps may run at the same time (the fault table): only this example's results count.
			const files = new Set(expects.map((e) => fileOf.get(e.node)));
			const slugs = new Set([...files].map((f) => f.split('/')[0]));
			const extra = collector.since(mark).filter((x) => !got.includes(x) && (files.has(x.file) || (x.kind === 'catch' && slugs.has(x.slug))));
			const problems = [];
			expects.forEach((e, i) => {
				const r = got[i];
				if (!r) return problems.push(`${e.label}: no result`);
				const res = r.result || {};
				if (r.output !== e.output || res.status !== e.status) problems.push(`${e.label}: want output ${e.output} ${e.status}, got ${summary(r)}`);
				if (res.ok !== (e.output === 0)) problems.push(`${e.label}: ok=${res.ok} on output ${r.output}`);
				if (e.extra) {
					const x = e.extra(res);
					if (x !== true) problems.push(`${e.label}: ${x}`);
				}
			});
			if (extra.length) problems.push(`unexpected extra results: ${extra.map((x) => `${x.node || x.kind} ${summary(x)}`).join('; ')}`);
			if (problems.length) report.fail(name, problems.join('; '));
			else report.ok(name, `${got.map((r) => r.result.status).join(' → ')}, ${secs(Date.now() - started)}`);
			return got;
		};

		const injectNamed = (ex, re) => ex.injects.find((i) => re.test(i.name || ''));
		const setOtp = (injectId, code) => {
			const node = flows.find((n) => n.id === injectId);
			const prop = node.props.find((p) => p.p === 'otp');
			prop.v = code;
		};
		const latestOtp = (slug, afterId) => {
			const m = sandbox.inbox.latest(index.types.providers.find((p) => p.slug === slug).id);
			return m && m.id !== afterId ? m : undefined;
		};

		// 5. Each provider's full chain, then each operation example in file order on the same tab.
		t = Date.now();
		const unknownPreludes = Object.keys(EXAMPLE_PRELUDE).filter((key) => !index.examples.some((e) => `${e.slug}/${e.file}` === key));
		report.check('every example prelude names a shipped example', unknownPreludes.length === 0, unknownPreludes.join(', '));
		for (const slug of Object.keys(index.tabs)) {
			const exs = index.examples.filter((e) => e.slug === slug);
			const chain = exs.find((e) => /^00 - /.test(e.file));
			if (!chain) {
				report.fail(`${slug}: 00 - Full chain`, 'missing');
			} else {
				const send = injectNamed(chain, /^1\./);
				const verify = injectNamed(chain, /^2\./);
				const before = (latestOtp(slug) || {}).id;
				const sendOps = opChain(index, send.id);
				const sendExpect = sendOps.map((n, i) => ({
					node: n.id,
					label: `${n.type}`,
					output: 0,
					status: i === sendOps.length - 1 ? 'otp_sent' : successStatus(slug, index.opTypes.get(n.type).op.id),
				}));
				await step(`${slug} 00 - Full chain "1. send OTP": ${sendOps.map((n) => n.type).join(' → ')}`, send.id, sendExpect);
				const message = latestOtp(slug, before);
				report.check(`${slug}: OTP delivered to the sandbox inbox`, !!message, message ? `to ${message.to} via ${message.channel}` : '');
				if (message) {
					setOtp(verify.id, message.otp);
					await deploy();
					const verifyOps = opChain(index, verify.id);
					const verifyExpect = verifyOps.map((n, i) => ({
						node: n.id,
						label: n.type,
						output: 0,
						status: i === 0 ? 'verified' : successStatus(slug, index.opTypes.get(n.type).op.id),
					}));
					const got = await step(
						`${slug} 00 - Full chain "2. verify" with the inbox OTP: ${verifyOps.map((n) => n.type).join(' → ')}`,
						verify.id,
						verifyExpect,
					);
					const last = got[got.length - 1];
					report.check(`${slug}: chain ends ok`, !!(last && last.output === 0 && last.result.ok === true), summary(last));
				}
			}
			for (const ex of exs.filter((e) => e !== chain)) {
				const inject = ex.injects[0];
				const op = ex.ops[0];
				if (!inject || !op || ex.ops.length !== 1) {
					report.fail(`${slug}/${ex.file}`, `expected one inject and one operation node, found ${ex.injects.length} and ${ex.ops.length}`);
					continue;
				}
				const status = successStatus(slug, op.opId);
				const special = EXAMPLE_OUTCOME[`${slug}/${ex.file}`];
				const prelude = EXAMPLE_PRELUDE[`${slug}/${ex.file}`];
				if (prelude && prelude.example) {
					const before = exs.find((e) => prelude.example.test(e.file));
					const bop = before.ops[0];
					await step(`${slug}/${ex.file} prelude: ${before.file} as its comment says`, before.injects[0].id, [
						{ node: bop.id, label: bop.type, output: 0, status: successStatus(slug, bop.opId) },
					]);
				}
				if (prelude && prelude.chainInject && chain) {
					if (prelude.advance) sandbox.advance(prelude.advance);
					const first = injectNamed(chain, prelude.chainInject);
					const ops = opChain(index, first.id);
					await step(
						`${slug}/${ex.file} prelude: 00 - Full chain "${first.name}" as its comment says`,
						first.id,
						ops.map((n, i) => ({
							node: n.id,
							label: n.type,
							output: 0,
							status: i === ops.length - 1 ? 'otp_sent' : successStatus(slug, index.opTypes.get(n.type).op.id),
						})),
					);
				}
				const hasOtp = (inject.props || []).some((p) => p.p === 'otp');
				if (special) {
					await step(`${slug}/${ex.file} (${special.why})`, inject.id, [{ node: op.id, label: op.type, output: special.output, status: special.status }]);
				} else if (hasOtp) {
					const message = latestOtp(slug);
					if (!message || message.otp !== '123456') {
						await step(`${slug}/${ex.file} as shipped (sample code 123456)`, inject.id, [{ node: op.id, label: op.type, output: 1, status: 'invalid_otp' }]);
					}
					if (message) {
						setOtp(inject.id, message.otp);
						await deploy();
					}
					await step(`${slug}/${ex.file} with the inbox OTP`, inject.id, [{ node: op.id, label: op.type, output: 0, status }]);
				} else {
					await step(`${slug}/${ex.file}`, inject.id, [{ node: op.id, label: op.type, output: 0, status }]);
				}
			}
		}
		report.time('chains and operation examples', Date.now() - t);

		// 6. The fault table, every provider's send example at once per fault.
		t = Date.now();
		const sendExamples = index.examples.filter((e) => !/^00 - /.test(e.file) && e.ops.length === 1 && /^(generateOtp|sendOtp)$/.test(e.ops[0].opId));
		for (const fault of FAULTS) {
			const tf = Date.now();
			await Promise.all(
				sendExamples.map(async (ex) => {
					const provider = index.types.providers.find((p) => p.slug === ex.slug);
					sandbox.faults.add({ ...fault.spec, provider: provider.id, times: 1 });
					await step(`fault ${fault.name}: ${ex.slug}/${ex.file} → failure ${fault.status}`, ex.injects[0].id, [
						{
							node: ex.ops[0].id,
							label: ex.ops[0].type,
							output: 1,
							status: fault.status,
							extra: fault.extra,
							timeoutMs: RESULT_TIMEOUT_MS + NODE_TIMEOUT_S * 1000,
						},
					]);
				}),
			);
			sandbox.faults.clear();
			report.check(`Node-RED alive after fault ${fault.name}`, nr.alive() && (await nr.get('/settings')).status === 200, secs(Date.now() - tf));
		}
		report.time('fault table', Date.now() - t);
		// Still serving after the faults: one plain example per provider.
		for (const ex of index.examples.filter((e) => /^01 - /.test(e.file))) {
			await step(`after the faults: ${ex.slug}/${ex.file}`, ex.injects[0].id, [
				{ node: ex.ops[0].id, label: ex.ops[0].type, output: 0, status: successStatus(ex.slug, ex.ops[0].opId) },
			]);
		}

		// 7. Stop, then read the whole log.
		const crashedBeforeStop = !nr.alive() && nr.exit;
		report.check('Node-RED never exited on its own', !crashedBeforeStop || JSON.stringify(crashedBeforeStop));
		t = Date.now();
		const exit = await nr.stop();
		report.time('Node-RED stop', Date.now() - t);
		report.check('clean stop on SIGTERM', exit.code === 0 || exit.signal === 'SIGTERM' || JSON.stringify(exit), JSON.stringify(exit));
		const crash = CRASH_PATTERNS.filter((re) => re.test(nr.log));
		report.check('no uncaught exception / unhandled rejection in the log', crash.length === 0 || `log matches ${crash.join(', ')}`);
		const leaked = [...ctx.secrets, WRONG_TEST_SECRET].filter((s) => nr.log.includes(s));
		const dynamicSecrets = [...new Set(collector.entries.flatMap((e) => findSecrets(e.result)))];
		const leakedDynamic = dynamicSecrets.filter((s) => nr.log.includes(s));
		report.check(
			`no sandbox secret (${ctx.secrets.length} fixed, ${dynamicSecrets.length} issued tokens) in the Node-RED log`,
			leaked.length + leakedDynamic.length === 0 || `found ${[...leaked, ...leakedDynamic].map(mask).join(', ')}`,
		);
		const bearer = /Bearer\s+[A-Za-z0-9._-]{8,}|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/.exec(nr.log);
		report.check('no bearer token or JWT in the log', !bearer || mask(bearer[0]));
		const aadhaar = ctx.aadhaar.filter((a) => nr.log.includes(a));
		report.check(
			`no Aadhaar number (${ctx.aadhaar.join(', ').replace(/\d{8}(\d{4})/g, 'XXXXXXXX$1')}) in the log`,
			aadhaar.length === 0 || `found ${aadhaar.length}`,
		);
		const resultsText = JSON.stringify(collector.entries.map((e) => e.result));
		const inResults = [...ctx.secrets, ...ctx.aadhaar].filter((s) => resultsText.includes(s));
		report.check('no fixed secret or Aadhaar number in any result message', inResults.length === 0 || `found ${inResults.map(mask).join(', ')}`);
		// The customers' passwords the examples send (Capillary) and the stored ones SummitAI's user search lists: never in a result or the log.
		const passwords = ctx.passwords.filter((s) => resultsText.includes(s) || nr.log.includes(s));
		report.check(
			`no customer password (${ctx.passwords.length}) in any result or the log`,
			passwords.length === 0 || `found ${passwords.map(mask).join(', ')}`,
		);
		report.check('log lines counted', true, `${nr.log.split('\n').length} lines, ${nr.log.length} bytes, ${collector.entries.length} results collected`);
	} catch (e) {
		report.fail('run', e.stack || e.message);
	} finally {
		if (nr) await nr.stop();
		await collector.close();
		await sandbox.close();
		if (process.env.OTPFLOW_E2E_KEEP) {
			fs.writeFileSync(path.join(userDir, 'results.json'), `${JSON.stringify(collector.entries, null, 2)}\n`);
			process.stdout.write(`  user dir kept: ${userDir} (node-red.log, results.json)\n`);
		} else fs.rmSync(userDir, { recursive: true, force: true });
	}
	report.time(`total for ${rt.label}`, Date.now() - t0);
	return report;
}

function findSecrets(value, key = '') {
	if (value == null) return [];
	if (typeof value === 'string') return /token|secret|password|apikey|api_key/i.test(key) && value.length >= 8 && !/\*/.test(value) ? [value] : [];
	if (typeof value !== 'object') return [];
	return Object.entries(value).flatMap(([k, v]) => findSecrets(v, k));
}

/** Fixed sandbox secrets (password fields of every credential), the Aadhaar numbers and customer passwords the examples use or the sandbox lists. */
function secretsAndPii() {
	const secrets = sandboxSecrets(ROOT);
	const aadhaar = new Set();
	const passwords = new Set();
	const walk = (dir) => {
		for (const f of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, f.name);
			if (f.isDirectory()) walk(full);
			else if (f.name.endsWith('.json')) {
				const text = fs.readFileSync(full, 'utf8');
				for (const m of text.matchAll(/\\?"(ovdData|aadhaar\w*)\\?"\s*:\s*\\?"(\d{12})\\?"/gi)) aadhaar.add(m[2]);
				// In an inject's JSON payload (escaped quotes), not a node's "password": "input.password" setting.
				for (const m of text.matchAll(/\\"(password|confirmPassword)\\"\s*:\s*\\"([^"\\]{8,})\\"/g)) passwords.add(m[2]);
			}
		}
	};
	walk(path.join(ROOT, 'examples'));
	// The stored passwords (Frm_PWD) SummitAI's user search lists for each user: Find User passes none of them on.
	const { SANDBOX_ACCOUNTS } = require(path.join(ROOT, 'dist', 'sandbox'));
	for (const u of SANDBOX_ACCOUNTS.summitai.directory) passwords.add(u.Frm_PWD);
	return { secrets, aadhaar: [...aadhaar], passwords: [...passwords] };
}

async function main() {
	const argv = process.argv.slice(2);
	const only = argv.includes('--runtime') ? argv[argv.indexOf('--runtime') + 1] : undefined;
	const started = Date.now();
	if (!fs.existsSync(path.join(ROOT, 'dist', 'node-red'))) {
		process.stderr.write('No dist/: run `npx gulp build` (or `npm run build`) first.\n');
		process.exit(2);
	}
	let t = Date.now();
	const runtimes = cache.runtimes().filter((rt) => !only || rt.nodeRed.version.startsWith(`${only}.`));
	const cacheSeconds = (Date.now() - t) / 1000;
	process.stdout.write(
		`Runtimes ready in ${cacheSeconds.toFixed(1)} s (cache ${cache.CACHE}):\n${runtimes.map((r) => `  ${r.label} (${r.nodeRed.source}, ${r.nodeRed.cached ? 'cached' : `installed in ${r.nodeRed.seconds.toFixed(1)} s`})`).join('\n')}\n`,
	);
	t = Date.now();
	const tarball = pack();
	process.stdout.write(`Packed ${path.basename(tarball)} in ${secs(Date.now() - t)}\n`);
	const ctx = { tarball, ...secretsAndPii() };
	const reports = [];
	for (const rt of runtimes) reports.push(await runtimeRun(rt, ctx));
	fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	process.stdout.write('\nSummary\n');
	for (const r of reports) {
		const total = r.timings.find((x) => x.name.startsWith('total'));
		process.stdout.write(
			`  ${r.failed.length ? '✘' : '✔'} ${r.label}: ${r.checks.length - r.failed.length}/${r.checks.length} checks passed in ${total ? total.seconds.toFixed(1) : '?'} s\n`,
		);
		for (const f of r.failed) process.stdout.write(`      ✘ ${f.name}: ${f.detail}\n`);
	}
	process.stdout.write(`  wall time ${secs(Date.now() - started)} (runtime cache ${cacheSeconds.toFixed(1)} s)\n`);
	process.exit(reports.every((r) => r.failed.length === 0) && reports.length > 0 ? 0 : 1);
}

main().catch((e) => {
	process.stderr.write(`${e.stack || e.message}\n`);
	process.exit(1);
});
