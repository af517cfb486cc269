#!/usr/bin/env node
/**
 * npm start: build, start the sandbox and a real Node-RED editor with this package installed, an example tab
 * per provider and a tab per journey (web pages at /otp/<journey>) already pointed at the sandbox. Everything
 * listens on 127.0.0.1 only; the journeys' addresses are printed first.
 *
 *   npm start                      sandbox on 4010, Node-RED on 1880
 *   SANDBOX_PORT=4011 NODE_RED_PORT=1881 npm start
 *   npm start -- --reset           replace .node-red-user/flows.json with fresh example flows
 *   npm start -- --no-build        skip `gulp build` (dist/ must exist)
 *
 * Node-RED's user directory is .node-red-user/ (gitignored). The package is installed in it the way a
 * user's `npm install <path>` would: node_modules/@otpflow/node-red-otpflow is a link to dist/packages/node-red-otpflow,
 * and the user package.json lists it. Ctrl-C stops Node-RED and the sandbox.
 */
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { fail, portFromEnv } = require('./cli');

const ROOT = path.resolve(__dirname, '..');
const HOST = '127.0.0.1';
const USER_DIR = path.join(ROOT, '.node-red-user');
const packaging = require('../packaging');
/** The Node-RED package (packages/node-red-otpflow), as the build stages it in dist/packages/. */
const PKG = packaging.manifest(packaging.folderOf('node-red'));
/** What `npm start` used to link before the packages were split: it registers the same node types. */
const FORMER_PACKAGES = ['@otpflow/n8n-nodes-otpflow'];

/** Resolves when the port can be bound on 127.0.0.1; rejects with EADDRINUSE (or another error) otherwise. */
function checkPort(port) {
	if (port === 0) return Promise.resolve();
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(port, HOST, () => server.close(() => resolve()));
	});
}

async function ensurePortFree(port, what, envName, alternative) {
	try {
		await checkPort(port);
	} catch (e) {
		if (e.code === 'EADDRINUSE') {
			fail(
				`Port ${port} on ${HOST} is already in use, so the ${what} cannot start there.\n` +
					`Stop whatever is using it (is another \`npm start\` still running?), or choose another port:\n\n` +
					`  ${envName}=${alternative} npm start\n`,
			);
		}
		fail(`Cannot use port ${port} on ${HOST} for the ${what}: ${e.message}`);
	}
}

function build() {
	const gulp = path.join(ROOT, 'node_modules', 'gulp', 'bin', 'gulp.js');
	if (!fs.existsSync(gulp)) fail('gulp is not installed: run `npm install` first.');
	process.stdout.write('Building (gulp build)…\n');
	const result = spawnSync(process.execPath, [gulp, 'build'], { cwd: ROOT, stdio: 'inherit' });
	if (result.status !== 0) fail('The build failed: fix the errors above and run `npm start` again.');
}

function settingsFile() {
	return `/**
 * Node-RED settings for OTP Flow's \`npm start\` (scripts/start.js writes this file on every start).
 * Local demo only: the editor listens on 127.0.0.1 and credentials are stored unencrypted in
 * flows_cred.json so the sandbox secrets work without typing them.
 */
module.exports = {
	uiHost: '127.0.0.1',
	uiPort: Number(process.env.NODE_RED_PORT) || 1880,
	flowFile: 'flows.json',
	flowFilePretty: true,
	credentialSecret: false,
	editorTheme: {
		projects: { enabled: false },
		tours: false,
		page: { title: 'OTP Flow · Node-RED' },
		header: { title: 'OTP Flow · Node-RED' },
	},
	telemetry: { enabled: false, updateNotification: false },
	diagnostics: { enabled: false, ui: false },
	externalModules: { autoInstall: false },
	functionExternalModules: false,
	exportGlobalContextKeys: false,
	logging: { console: { level: 'info', metrics: false, audit: false } },
};
`;
}

/** The package, installed into the user directory as `npm install <its built folder>` would (a link). */
function installPackage() {
	const target = packaging.stagedDir(packaging.folderOf('node-red'));
	const [scope, name] = PKG.name.startsWith('@') ? PKG.name.split('/') : [undefined, PKG.name];
	const modules = path.join(USER_DIR, 'node_modules');
	const parent = scope ? path.join(modules, scope) : modules;
	const link = path.join(parent, name);
	fs.mkdirSync(parent, { recursive: true });
	let current;
	try {
		current = fs.realpathSync(link);
	} catch {
		current = undefined;
	}
	if (current !== target) {
		fs.rmSync(link, { recursive: true, force: true });
		fs.symlinkSync(path.relative(parent, target), link, 'dir');
	}
	for (const former of FORMER_PACKAGES) {
		const old = path.join(modules, ...former.split('/'));
		if (fs.existsSync(old) && fs.lstatSync(old).isSymbolicLink()) fs.rmSync(old, { force: true });
	}
	const userPkgFile = path.join(USER_DIR, 'package.json');
	let userPkg = { name: 'node-red-project', description: 'OTP Flow npm start user directory', version: '0.0.1', private: true, dependencies: {} };
	if (fs.existsSync(userPkgFile)) {
		try {
			userPkg = JSON.parse(fs.readFileSync(userPkgFile, 'utf8'));
		} catch {
			// Rewritten below.
		}
	}
	const dependencies = { ...(userPkg.dependencies || {}) };
	for (const former of FORMER_PACKAGES) delete dependencies[former];
	userPkg.dependencies = { ...dependencies, [PKG.name]: `file:${path.relative(USER_DIR, target)}` };
	fs.writeFileSync(userPkgFile, `${JSON.stringify(userPkg, null, 2)}\n`);
}

/** The journeys (dist/journeys): their web-page flows for this sandbox, and where each answers. */
function loadJourneys(sandboxUrl) {
	const { JOURNEYS } = require(path.join(ROOT, 'dist', 'journeys'));
	const { nodeRedJourneyFiles, journeyPath } = require(path.join(ROOT, 'dist', 'journeys', 'node-red'));
	return { journeys: JOURNEYS, files: nodeRedJourneyFiles(sandboxUrl), journeyPath };
}

/**
 * The journey tabs' nodes not in `flows` yet. Their account nodes are the example tabs' own (same ids), so usually
 * only tabs and their nodes are added; an account node the user removed comes back with its sandbox secret.
 */
function addJourneys(generator, model, journeys, flows, credentials, sandboxUrl) {
	const ids = new Set(flows.map((n) => n.id));
	let added = 0;
	for (const flow of Object.values(journeys.files)) {
		for (const node of flow) {
			if (ids.has(node.id)) continue;
			ids.add(node.id);
			flows.push(node);
			if (node.type === 'tab') added++;
			const provider = model.providers.find((p) => model.names.configType(p) === node.type);
			if (provider) {
				const creds = generator.configCredentials(provider, sandboxUrl);
				if (Object.keys(creds).length > 0) credentials[node.id] = creds;
			}
			// The journeys' pages refuse to run without a sealing key: this demo's own, made up once.
			if (node.type === 'otpflow-public-pages' && !credentials[node.id])
				credentials[node.id] = { sealingKey: require('node:crypto').randomBytes(32).toString('base64url') };
		}
	}
	return added;
}

/**
 * First run (or --reset): flows.json holds every example, one tab per provider, and a tab per journey; flows_cred.json
 * the sandbox secrets. Later runs keep the user's flows, add the journey tabs when none is there yet (flows from before
 * journeys existed), and move our sandbox accounts to the current port.
 */
function prepareFlows(generator, model, journeys, sandboxUrl, reset) {
	const flowsFile = path.join(USER_DIR, 'flows.json');
	const credsFile = path.join(USER_DIR, 'flows_cred.json');
	if (reset || !fs.existsSync(flowsFile)) {
		const { flows, credentials } = generator.seedFlows(sandboxUrl);
		const added = addJourneys(generator, model, journeys, flows, credentials, sandboxUrl);
		fs.writeFileSync(flowsFile, `${JSON.stringify(flows, null, 4)}\n`);
		fs.writeFileSync(credsFile, `${JSON.stringify(credentials, null, 4)}\n`);
		return `seeded ${flows.filter((n) => n.type === 'tab').length - added} example tabs and ${added} journey tabs`;
	}
	let flows;
	try {
		flows = JSON.parse(fs.readFileSync(flowsFile, 'utf8'));
	} catch (e) {
		return `kept flows.json as it is (${e.message}); \`npm start -- --reset\` restores the examples`;
	}
	let moved = 0;
	let changed = false;
	const journeyTabs = new Set(Object.values(journeys.files).flatMap((flow) => flow.filter((n) => n.type === 'tab').map((n) => n.id)));
	let journeysNote = '';
	if (!flows.some((n) => journeyTabs.has(n.id))) {
		let credentials = {};
		try {
			credentials = JSON.parse(fs.readFileSync(credsFile, 'utf8'));
		} catch {
			// None yet (or unreadable): only what the journeys need is written.
		}
		const added = addJourneys(generator, model, journeys, flows, credentials, sandboxUrl);
		fs.writeFileSync(credsFile, `${JSON.stringify(credentials, null, 4)}\n`);
		changed = true;
		journeysNote = `; added ${added} journey tabs`;
	}
	const ours = new Set(model.providers.map((p) => generator.configNodeId(p)));
	for (const node of flows) {
		// Our comments name the sandbox inbox: keep them pointing at the running sandbox.
		if (node.type === 'comment') {
			for (const key of ['name', 'info']) {
				if (typeof node[key] !== 'string') continue;
				const rewritten = node[key].replace(/http:\/\/127\.0\.0\.1:\d+\/_sandbox/g, `${sandboxUrl}/_sandbox`);
				if (rewritten !== node[key]) {
					node[key] = rewritten;
					changed = true;
				}
			}
		}
		if (!ours.has(node.id) || typeof node.baseUrl !== 'string') continue;
		const rewritten = node.baseUrl.replace(/^http:\/\/127\.0\.0\.1:\d+\//, `${sandboxUrl}/`);
		if (rewritten !== node.baseUrl) {
			node.baseUrl = rewritten;
			moved++;
		}
	}
	if (moved > 0 || changed) fs.writeFileSync(flowsFile, `${JSON.stringify(flows, null, 4)}\n`);
	return moved > 0
		? `kept your flows${journeysNote}; pointed ${moved} sandbox accounts at ${sandboxUrl}`
		: `kept your flows${journeysNote} (\`npm start -- --reset\` restores the examples)`;
}

function get(url, headers = {}) {
	return new Promise((resolve, reject) => {
		const req = http.get(url, { headers }, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (d) => (body += d));
			res.on('end', () => resolve({ status: res.statusCode, body }));
		});
		req.on('error', reject);
		req.setTimeout(5000, () => req.destroy(new Error('timeout')));
	});
}

async function waitForEditor(url, child, timeoutMs) {
	const started = Date.now();
	while (Date.now() - started < timeoutMs) {
		if (child.exitCode !== null || child.signalCode !== null) return false;
		try {
			const res = await get(url);
			if (res.status === 200) return true;
		} catch {
			// Not listening yet.
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	return false;
}

/** Which of our node types Node-RED loaded, from its admin API (GET /nodes). */
async function loadedTypes(editorUrl) {
	const res = await get(`${editorUrl}/nodes`, { Accept: 'application/json' });
	if (res.status !== 200) return { types: [], error: `GET /nodes answered ${res.status}` };
	const sets = JSON.parse(res.body).filter((s) => s.module === PKG.name);
	const errors = sets.filter((s) => s.err).map((s) => `${s.name}: ${s.err}`);
	return { types: sets.flatMap((s) => (s.enabled ? s.types : [])), error: errors.join('; ') };
}

function pipeWithPrefix(stream, out, prefix) {
	let rest = '';
	stream.setEncoding('utf8');
	stream.on('data', (chunk) => {
		const lines = (rest + chunk).split('\n');
		rest = lines.pop();
		for (const line of lines) out.write(`${prefix}${line}\n`);
	});
	stream.on('end', () => {
		if (rest) out.write(`${prefix}${rest}\n`);
	});
}

async function main() {
	const args = process.argv.slice(2);
	for (const a of args) if (!['--reset', '--no-build'].includes(a)) fail(`Unknown argument ${a}. Usage: npm start [-- --reset] [-- --no-build]`);
	const sandboxPort = portFromEnv('SANDBOX_PORT', 4010, true);
	const nodeRedPort = portFromEnv('NODE_RED_PORT', 1880, true);
	if (sandboxPort !== 0 && sandboxPort === nodeRedPort) fail('SANDBOX_PORT and NODE_RED_PORT must differ.');
	const redJs = path.join(ROOT, 'node_modules', 'node-red', 'red.js');
	if (!fs.existsSync(redJs)) fail('Node-RED is not installed: run `npm install` first.');

	await ensurePortFree(sandboxPort, 'sandbox', 'SANDBOX_PORT', sandboxPort === 4010 ? 4011 : 4010);
	await ensurePortFree(nodeRedPort, 'Node-RED editor', 'NODE_RED_PORT', nodeRedPort === 1880 ? 1881 : 1880);

	if (!args.includes('--no-build')) build();
	else if (!fs.existsSync(path.join(ROOT, 'dist', 'sandbox', 'index.js'))) fail('dist/ is missing: run `npm start` without --no-build.');

	const generator = require(path.join(ROOT, 'dist', 'generate', 'examples'));
	const model = { providers: require(path.join(ROOT, 'dist', 'nodes', 'providers')).PROVIDERS, names: require(path.join(ROOT, 'dist', 'node-red', 'names')) };
	const { startSandbox } = require(path.join(ROOT, 'dist', 'sandbox'));

	let sandbox;
	try {
		sandbox = await startSandbox({ port: sandboxPort });
	} catch (e) {
		if (e.code === 'EADDRINUSE') fail(`Port ${sandboxPort} on ${HOST} is in use: stop what uses it, or run SANDBOX_PORT=${sandboxPort + 1} npm start`);
		throw e;
	}
	const inboxUrl = `${sandbox.url}/_sandbox/`;

	fs.mkdirSync(USER_DIR, { recursive: true });
	fs.writeFileSync(path.join(USER_DIR, 'settings.js'), settingsFile());
	installPackage();
	const journeys = loadJourneys(sandbox.url);
	const flowsNote = prepareFlows(generator, model, journeys, sandbox.url, args.includes('--reset'));

	process.stdout.write(`Sandbox listening on ${sandbox.url}\nStarting Node-RED (user directory .node-red-user, ${flowsNote})…\n`);
	const child = spawn(process.execPath, [redJs, '--userDir', USER_DIR], {
		cwd: ROOT,
		env: { ...process.env, NODE_RED_PORT: String(nodeRedPort) },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	pipeWithPrefix(child.stdout, process.stdout, '[node-red] ');
	pipeWithPrefix(child.stderr, process.stderr, '[node-red] ');

	let stopping = false;
	const childExit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

	async function stop(reason, exitCode) {
		if (stopping) return;
		stopping = true;
		process.stdout.write(`\n${reason}: stopping Node-RED and the sandbox…\n`);
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGINT');
			const killer = setTimeout(() => child.kill('SIGKILL'), 10000);
			await childExit;
			clearTimeout(killer);
		}
		await sandbox.close();
		process.stdout.write('Stopped.\n');
		process.exit(exitCode);
	}
	process.on('SIGINT', () => void stop('SIGINT', 0));
	process.on('SIGTERM', () => void stop('SIGTERM', 0));
	void childExit.then(({ code, signal }) => {
		if (!stopping) void stop(`Node-RED exited (${signal || `code ${code}`})`, 1);
	});

	const editorUrl = `http://${HOST}:${nodeRedPort}`;
	if (!(await waitForEditor(`${editorUrl}/`, child, 60000))) {
		if (!stopping) await stop('Node-RED did not start within 60 s', 1);
		return;
	}
	const loaded = await loadedTypes(editorUrl).catch((e) => ({ types: [], error: e.message }));
	const expected = model.providers.flatMap((p) => [model.names.configType(p), ...p.operations.map((op) => model.names.operationType(p, op))]);
	const missing = expected.filter((t) => !loaded.types.includes(t));
	const capillary = model.providers.find((p) => p.id === 'capillary') || model.providers[0];

	// Each journey's first page, checked: a journey tab the user removed does not answer. The editor answers before the
	// flows have started, so a missing page is asked again for a few seconds.
	const pages = [];
	const until = Date.now() + 10000;
	for (const journey of journeys.journeys) {
		const url = `${editorUrl}${journeys.journeyPath(journey)}`;
		let res = { status: 0 };
		for (;;) {
			res = await get(url).catch(() => ({ status: 0 }));
			if (res.status === 200 || Date.now() > until) break;
			await new Promise((r) => setTimeout(r, 250));
		}
		pages.push(
			`  ${url.padEnd(48)} ${journey.title} (${journey.provider.label})${res.status === 200 ? '' : ` — NOT DEPLOYED (HTTP ${res.status}); \`npm start -- --reset\` restores it`}`,
		);
	}
	const first = journeys.journeys[0];
	const lines = [
		'',
		'OTP Flow is running (Ctrl-C stops everything). Journeys, as web pages (each a tab in the editor):',
		...pages,
		'',
		`  Node-RED editor  ${editorUrl}`,
		`  Sandbox inbox    ${inboxUrl}`,
		missing.length === 0
			? `  ${loaded.types.length} OTP Flow node types loaded into Node-RED from .node-red-user/node_modules/${PKG.name}`
			: `  WARNING: Node-RED did not load ${missing.join(', ')}${loaded.error ? ` (${loaded.error})` : ''}`,
		'',
		'Try it:',
		`  1. Open ${editorUrl}${journeys.journeyPath(first)}, type ${first.ask.map((a) => `${a.label} ${a.sample}`).join(', ')} and press "Send me a code".`,
		`  2. Read the code in the sandbox inbox ${inboxUrl}, type it in and press "Confirm": "${first.done.title}".`,
		`  Or in the editor: on the "${capillary.label}" tab click the button of inject "1. send OTP", read the code in the inbox,`,
		'  double-click inject "2. verify (edit the OTP in this inject first)", put the code in msg.otp, Done, Deploy, click its button:',
		'  the debug sidebar shows status "verified".',
		'',
	];
	process.stdout.write(lines.join('\n'));
}

main().catch((e) => fail(`npm start failed: ${e.stack || e.message}`));
