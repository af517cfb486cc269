/**
 * Shared helpers for driving a real n8n (installed by ./install.js) from the end-to-end test and from
 * scripts/start-n8n.js: environment, CLI runs, packing and installing this package as a community
 * node, template rewriting, and a tiny REST client (owner setup, login, credential test).
 */
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const HOST = '127.0.0.1';
const TEMPLATE_DIR = path.join(ROOT, 'templates', 'n8n');
/** The sandbox URL the shipped templates point at. */
const TEMPLATE_SANDBOX_URL = 'http://127.0.0.1:4010';
const packaging = require('../../packaging');
/** The n8n package with all five providers (packages/n8n-nodes-otpflow): what these suites install. */
const PKG = packaging.manifest(packaging.folderOf('n8n'));
/** Local, fixed: only protects the throw-away user folders these scripts create. */
const ENCRYPTION_KEY = 'otpflow-local-n8n-encryption-key-not-a-secret';

function secs(ms) {
	return `${(ms / 1000).toFixed(1)} s`;
}

/** A free TCP port on 127.0.0.1 (bound then released). */
function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.once('error', reject);
		srv.listen(0, HOST, () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

/** Resolves true when nothing listens on HOST:port. */
function portIsFree(port) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, HOST, () => srv.close(() => resolve(true)));
	});
}

/**
 * The environment for every n8n process: its own user folder, a fixed encryption key, no telemetry, no
 * calls home, everything on 127.0.0.1, a broker port of its own (two n8n processes must not share it).
 */
function n8nEnv(inst, { userFolder, brokerPort, port, extra = {} }) {
	const env = {
		...process.env,
		PATH: `${path.dirname(inst.nodeBin)}${path.delimiter}${process.env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: HOST,
		N8N_HOST: HOST,
		N8N_LISTEN_ADDRESS: HOST,
		N8N_PORT: String(port || 5678),
		N8N_SECURE_COOKIE: 'false',
		// Its start-up fetch from api.n8n.io cannot succeed offline and prints a stack trace.
		N8N_DISABLED_MODULES: 'mcp-registry',
		DB_TYPE: 'sqlite',
		// `n8n execute --rawOutput` prints its JSON through the logger at level info: below info it prints nothing.
		N8N_LOG_LEVEL: 'info',
		NODE_ENV: 'production',
		...extra,
	};
	// The caller's npm/node variables (npm run sets many) must not leak into n8n's own npm calls.
	for (const k of Object.keys(env)) if (k.startsWith('npm_')) delete env[k];
	delete env.NODE_OPTIONS;
	return env;
}

/**
 * Runs `n8n <args>` to completion; returns { status, stdout, stderr, ms }. `onSpawn(child)` sees the process as it
 * starts (to sample its memory, say).
 */
function runN8n(inst, env, args, { timeoutMs = 180000, onSpawn } = {}) {
	const t0 = Date.now();
	return new Promise((resolve) => {
		// Its own process group: n8n starts a task-runner child, and a timeout must end both.
		const child = spawn(inst.nodeBin, [inst.n8nBin, ...args], { env, cwd: env.N8N_USER_FOLDER, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		if (onSpawn) onSpawn(child);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => {
			stdout += d;
		});
		child.stderr.on('data', (d) => {
			stderr += d;
		});
		const timer = setTimeout(() => {
			stderr += `\n[e2e] n8n ${args[0]} timed out after ${timeoutMs} ms: killed\n`;
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				child.kill('SIGKILL');
			}
		}, timeoutMs);
		child.on('close', (status, signal) => {
			clearTimeout(timer);
			resolve({ status, signal, stdout, stderr, ms: Date.now() - t0 });
		});
	});
}

/**
 * The JSON document that `n8n execute --rawOutput` prints (JSON.stringify(run, null, 2)): log lines come
 * before it and may come after it (shutdown messages), so take the lines from a top-level "{" to the next
 * top-level "}".
 */
function parseRawOutput(stdout) {
	const lines = stdout.split('\n');
	for (let i = 0; i < lines.length; i++) {
		if (lines[i] !== '{') continue;
		for (let j = i + 1; j < lines.length; j++) {
			if (lines[j] !== '}') continue;
			try {
				return JSON.parse(lines.slice(i, j + 1).join('\n'));
			} catch {
				break; // not the document: look for the next "{"
			}
		}
	}
	throw new Error(`no JSON document in n8n's output:\n${stdout.slice(-3000)}`);
}

/** Builds dist/ (gulp) unless it is there and `force` is false. */
function build({ force = false, log = console.log } = {}) {
	const marker = path.join(ROOT, 'dist', 'nodes', 'core', 'index.js');
	if (!force && fs.existsSync(marker)) return;
	const gulp = path.join(ROOT, 'node_modules', 'gulp', 'bin', 'gulp.js');
	if (!fs.existsSync(gulp)) throw new Error('gulp is not installed: run `npm install` first.');
	const t0 = Date.now();
	log('[n8n] building the package (gulp build)…');
	const r = spawnSync(process.execPath, [gulp, 'build'], { cwd: ROOT, stdio: 'inherit' });
	if (r.status !== 0) throw new Error('gulp build failed');
	log(`[n8n] built in ${secs(Date.now() - t0)}`);
}

/** `npm pack`s a built package (default: the all-provider n8n package) into destDir; returns the tarball's path. */
function pack(destDir, folder = packaging.folderOf('n8n')) {
	return packaging.pack(folder, destDir);
}

/**
 * Installs the tarball into `<userFolder>/.n8n/nodes` the way n8n's community-package installer and the
 * docs' manual install do (`npm install <package>` in that folder). n8n-workflow is an optional peer: it
 * is NOT installed there; n8n points Node's module resolution at its own copy when it loads the nodes.
 */
function installIntoUserFolder(tarball, userFolder, name = PKG.name) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const pj = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(pj)) fs.writeFileSync(pj, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	const r = spawnSync('npm', ['install', tarball, '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error', '--no-package-lock'], {
		cwd: nodesDir,
		encoding: 'utf8',
	});
	if (r.status !== 0) throw new Error(`npm install of ${tarball} into ${nodesDir} failed:\n${r.stderr}`);
	const installed = path.join(nodesDir, 'node_modules', ...name.split('/'));
	if (!fs.existsSync(path.join(installed, 'package.json'))) throw new Error(`${name} is not in ${nodesDir}/node_modules`);
	if (fs.existsSync(path.join(nodesDir, 'node_modules', 'n8n-workflow'))) {
		throw new Error('n8n-workflow got installed next to the package: it must come from n8n itself (optional peer)');
	}
	return { nodesDir, installed };
}

/** Deep-copies a JSON value, rewriting every string that contains the template sandbox URL. */
function rewriteUrls(value, sandboxUrl) {
	if (typeof value === 'string') return value.split(TEMPLATE_SANDBOX_URL).join(sandboxUrl);
	if (Array.isArray(value)) return value.map((v) => rewriteUrls(v, sandboxUrl));
	if (value && typeof value === 'object') {
		const out = {};
		for (const [k, v] of Object.entries(value)) out[k] = rewriteUrls(v, sandboxUrl);
		return out;
	}
	return value;
}

/** The shipped templates: { file, slug, workflow } for every workflow, and the credentials file. */
function loadTemplates() {
	if (!fs.existsSync(TEMPLATE_DIR)) throw new Error(`No templates in ${TEMPLATE_DIR}`);
	const files = fs
		.readdirSync(TEMPLATE_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort();
	const credentials = JSON.parse(fs.readFileSync(path.join(TEMPLATE_DIR, 'credentials.sandbox.json'), 'utf8'));
	const workflows = files
		.filter((f) => f !== 'credentials.sandbox.json')
		.map((file) => ({
			file,
			slug: file.split('-')[0],
			workflow: JSON.parse(fs.readFileSync(path.join(TEMPLATE_DIR, file), 'utf8')),
		}));
	return { credentials, workflows };
}

// ---------------------------------------------------------------------------------------------------
// REST (a running `n8n start`)
// ---------------------------------------------------------------------------------------------------

/** A minimal JSON client that keeps n8n's auth cookie and browser-id header. */
function restClient(baseUrl) {
	let cookie = '';
	const browserId = 'otpflow-e2e-browser';
	function request(method, urlPath, body) {
		return new Promise((resolve, reject) => {
			const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
			const req = http.request(
				`${baseUrl}${urlPath}`,
				{
					method,
					headers: {
						accept: 'application/json',
						'browser-id': browserId,
						...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}),
						...(cookie ? { cookie } : {}),
					},
					timeout: 30000,
				},
				(res) => {
					const chunks = [];
					res.on('data', (c) => chunks.push(c));
					res.on('end', () => {
						const setCookie = res.headers['set-cookie'];
						if (setCookie) {
							const auth = setCookie.map((c) => c.split(';')[0]).filter((c) => c.startsWith('n8n-auth='));
							if (auth.length) cookie = auth[0];
						}
						resolve(answerOf(res, chunks));
					});
				},
			);
			req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath} timed out`)));
			req.on('error', reject);
			if (data) req.write(data);
			req.end();
		});
	}
	return { request, get: (p) => request('GET', p), post: (p, b) => request('POST', p, b) };
}

/**
 * Polls until GET url answers with a status (and body) `want` accepts (default: any status < 500), or throws after
 * timeoutMs. While n8n starts, every route answers 200 with an "n8n is starting up" page: `want` can read the body.
 */
async function waitForHttp(url, { timeoutMs = 120000, isAlive = () => true, want = (s) => s > 0 && s < 500 } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (!isAlive()) throw new Error(`the process serving ${url} exited`);
		const [status, body] = await new Promise((resolve) => {
			const req = http.get(url, { timeout: 2000 }, (res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (d) => {
					if (text.length < 4096) text += d;
				});
				res.on('end', () => resolve([res.statusCode, text]));
				res.on('error', () => resolve([0, '']));
			});
			req.on('error', () => resolve([0, '']));
			req.on('timeout', () => {
				req.destroy();
				resolve([0, '']);
			});
		});
		if (want(status, body)) return status;
		if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 500));
	}
}

/** The local demo owner that start-n8n.js and the credential test create (127.0.0.1 only). */
const DEMO_OWNER = { email: 'demo@otpflow.local', firstName: 'OTP', lastName: 'Flow', password: 'OtpFlow-demo-1' };

/**
 * Creates the owner account if n8n still asks for it, otherwise logs in. Returns the client (logged in).
 */
async function ownerSetupOrLogin(baseUrl, owner = DEMO_OWNER) {
	const client = restClient(baseUrl);
	const settings = await client.get('/rest/settings');
	const showSetup = settings.json && settings.json.data && settings.json.data.userManagement && settings.json.data.userManagement.showSetupOnFirstLoad;
	if (showSetup) {
		const r = await client.post('/rest/owner/setup', owner);
		if (r.status !== 200) throw new Error(`owner setup failed: ${r.status} ${r.text.slice(0, 500)}`);
		return { client, created: true };
	}
	const r = await client.post('/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
	if (r.status !== 200) throw new Error(`login as ${owner.email} failed: ${r.status} ${r.text.slice(0, 300)}`);
	return { client, created: false };
}

// ---------------------------------------------------------------------------------------------------
// Journeys (templates/n8n/journeys: Form Trigger workflows, written by journeys/generate.ts)
// ---------------------------------------------------------------------------------------------------

const JOURNEY_DIR = path.join(TEMPLATE_DIR, 'journeys');

/**
 * A journey as the suites run it: each drives one sample number through its journey several times within minutes, so
 * the send guard stays on (its code path runs) but the per-number budget is switched off. The abuse suites prove the
 * budgets; `npm run start:n8n` imports the templates as shipped.
 */
function relaxSendGuard(workflow) {
	for (const node of workflow.nodes) {
		const options = node.parameters && node.parameters.options;
		if (options && options.sendGuard === true) options.perIdentifierMax = 0;
	}
	return workflow;
}

/**
 * The journey workflows: [{ file, id, workflow, path }] with `path` the form's path (/form/<path>); for the suites
 * (relaxSendGuard) unless `asShipped`.
 */
function loadJourneys({ asShipped = false } = {}) {
	if (!fs.existsSync(JOURNEY_DIR)) return [];
	return fs
		.readdirSync(JOURNEY_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => {
			const shipped = JSON.parse(fs.readFileSync(path.join(JOURNEY_DIR, file), 'utf8'));
			const workflow = asShipped ? shipped : relaxSendGuard(shipped);
			const trigger = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.formTrigger');
			return { file, id: file.replace(/\.json$/, ''), workflow, path: trigger && trigger.parameters.options.path };
		});
}

/**
 * Publishes each workflow with the CLI, one after the other (they share the SQLite database), so a `n8n start` that
 * follows serves its form at once. Throws with n8n's output when one fails.
 */
async function publishWorkflows(inst, env, ids) {
	const t0 = Date.now();
	for (const id of ids) {
		const r = await runN8n(inst, env, ['publish:workflow', `--id=${id}`]);
		if (r.status !== 0) throw new Error(`n8n publish:workflow --id=${id} failed:\n${r.stdout}\n${r.stderr}`);
	}
	return Date.now() - t0;
}

/**
 * Imports credentials and workflows into `work`'s n8n (the CLI, one process each) and publishes the workflows, so that
 * an `n8n start` after it serves their webhooks at once. Throws with n8n's output when a step fails.
 */
async function importAndPublish(inst, env, work, credentials, workflows) {
	const credFile = path.join(work, 'credentials.json');
	fs.writeFileSync(credFile, JSON.stringify(credentials, null, 2));
	let r = await runN8n(inst, env, ['import:credentials', `--input=${credFile}`]);
	if (r.status !== 0) throw new Error(`import:credentials failed:\n${r.stdout}\n${r.stderr}`);
	const wfDir = path.join(work, 'workflows');
	fs.mkdirSync(wfDir);
	for (const wf of workflows) fs.writeFileSync(path.join(wfDir, `${wf.id}.json`), JSON.stringify(wf, null, 2));
	r = await runN8n(inst, env, ['import:workflow', '--separate', `--input=${wfDir}`]);
	if (r.status !== 0) throw new Error(`import:workflow failed:\n${r.stdout}\n${r.stderr}`);
	await publishWorkflows(
		inst,
		env,
		workflows.map((w) => w.id),
	);
}

/**
 * `n8n start` in its own process group; resolves once its REST API answers and every Webhook path in `paths` is
 * registered: { server, exited, output() } (output: what it printed so far).
 */
async function startServer(inst, env, base, paths = []) {
	let output = '';
	const server = spawn(inst.nodeBin, [inst.n8nBin, 'start'], { env, cwd: env.N8N_USER_FOLDER, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	server.stdout.on('data', (d) => (output += d));
	server.stderr.on('data', (d) => (output += d));
	const exited = new Promise((resolve) => server.on('exit', resolve));
	const isAlive = () => server.exitCode === null;
	const started = { server, exited, output: () => output };
	try {
		await waitForHttp(`${base}/healthz`, { timeoutMs: 180000, isAlive });
		await waitForHttp(`${base}/rest/settings`, { want: (st, body) => st === 200 && !/starting up/i.test(body), timeoutMs: 120000, isAlive });
		for (const p of paths)
			await waitForHttp(`${base}/webhook/${p}`, { want: (_st, body) => /Did you mean to make a POST/i.test(body), timeoutMs: 120000, isAlive });
	} catch (error) {
		killGroup(server);
		throw error;
	}
	return started;
}

// ---------------------------------------------------------------------------------------------------
// Plain HTTP, as a browser or an app sends it (the suites' own client: every request has a deadline)
// ---------------------------------------------------------------------------------------------------

/** An answer as the suites read it: { status, headers, text, json } (json when the body parses as JSON). */
function answerOf(res, chunks) {
	const text = Buffer.concat(chunks).toString('utf8');
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.statusCode, headers: res.headers, text, json };
}

/** One request with a deadline, answered as answerOf says. */
function request(method, url, { body, headers = {}, timeoutMs = 30000 } = {}) {
	const data = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body);
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method, headers: { ...headers, ...(data ? { 'content-length': data.length } : {}) }, timeout: timeoutMs }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve(answerOf(res, chunks)));
			res.on('error', reject);
		});
		req.on('timeout', () => req.destroy(new Error(`${method} ${url} took longer than ${timeoutMs} ms`)));
		req.on('error', reject);
		if (data) req.write(data);
		req.end();
	});
}

/** multipart/form-data with one text part per value, named field-<index> as n8n's form page names its inputs. */
function multipart(values) {
	const boundary = `----otpflow${require('node:crypto').randomBytes(8).toString('hex')}`;
	const parts = values.map((v, i) => `--${boundary}\r\nContent-Disposition: form-data; name="field-${i}"\r\n\r\n${v}\r\n`);
	return { body: Buffer.from(`${parts.join('')}--${boundary}--\r\n`), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Ends a process group we started (n8n is spawned detached), if it still runs. */
function killGroup(child) {
	if (child && child.exitCode === null && child.signalCode === null) {
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			/* already gone */
		}
	}
}

/** Asks a process group we started to stop (SIGTERM) and waits for `exited`; after `graceMs` it is ended (SIGKILL). */
async function stopGroup(child, exited, graceMs = 15000) {
	if (!child || child.exitCode !== null) return;
	try {
		process.kill(-child.pid, 'SIGTERM');
	} catch {
		/* gone */
	}
	const timer = setTimeout(() => killGroup(child), graceMs);
	await exited;
	clearTimeout(timer);
}

/**
 * Bounds a whole suite even if a step hangs: after `limitMs`, `onExpiry` runs (stop what the suite started) and the
 * process exits 1. Only when the file runs as the suite (`asSuite`): a file required for its set-up has its own limit.
 */
function suiteWatchdog(asSuite, limitMs, label, onExpiry) {
	if (!asSuite) return undefined;
	const timer = setTimeout(() => {
		process.stdout.write(`[${label}] the suite ran past ${limitMs / 1000} s: stopping\n`);
		onExpiry();
		process.exit(1);
	}, limitMs);
	timer.unref();
	return timer;
}

module.exports = {
	request,
	multipart,
	killGroup,
	stopGroup,
	suiteWatchdog,
	ROOT,
	HOST,
	PKG,
	TEMPLATE_DIR,
	TEMPLATE_SANDBOX_URL,
	ENCRYPTION_KEY,
	DEMO_OWNER,
	secs,
	freePort,
	portIsFree,
	n8nEnv,
	runN8n,
	parseRawOutput,
	build,
	pack,
	installIntoUserFolder,
	rewriteUrls,
	loadTemplates,
	restClient,
	waitForHttp,
	ownerSetupOrLogin,
	JOURNEY_DIR,
	loadJourneys,
	publishWorkflows,
	importAndPublish,
	startServer,
};
