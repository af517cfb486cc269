#!/usr/bin/env node
/**
 * npm run start:n8n: the n8n counterpart of `npm start`. Installs n8n (first time only, into
 * ${OTPFLOW_CACHE:-~/.cache/otpflow}/n8n-<version>/, several minutes), builds this package, starts the
 * sandbox and a real n8n editor, both on 127.0.0.1, with this package installed as a community node and
 * (first run only) the sandbox credentials and every template of templates/n8n imported. The journeys of
 * templates/n8n/journeys (customer-facing forms) are imported and published before n8n starts, so each form
 * URL printed works at once.
 *
 *   npm run start:n8n                         sandbox on 4010, n8n on 5678
 *   SANDBOX_PORT=4011 N8N_PORT=5679 npm run start:n8n
 *   npm run start:n8n -- --reset              forget .n8n-user/ (workflows, executions, owner) and start fresh
 *   npm run start:n8n -- --no-build           skip `gulp build` (dist/ must exist)
 *   npm run start:n8n -- --max-lifetime 600   stop everything by itself after 600 s
 *
 * n8n's user folder is .n8n-user/ (gitignored). The package is packed (`npm pack`) and installed into
 * .n8n-user/.n8n/nodes on every start, as users install community nodes, so the editor runs what you
 * just built. n8n asks for an owner account once; this script creates a local one for you (printed below)
 * so you land on the sign-in page. Ctrl-C stops n8n (its whole process group) and the sandbox.
 */
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { fail, portFromEnv } = require('./cli');

const lib = require('../e2e/n8n/lib');
const { ensureN8n, N8N_VERSION, NODE_VERSION } = require('../e2e/n8n/install');

const ROOT = lib.ROOT;
const USER_FOLDER = path.join(ROOT, '.n8n-user');
const IMPORTED_MARKER = path.join(USER_FOLDER, '.otpflow-imported.json');

function parseArgs(argv) {
	const args = { build: true, reset: false, maxLifetime: 0 };
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		if (flag === '--no-build') args.build = false;
		else if (flag === '--reset') args.reset = true;
		else if (flag === '--max-lifetime') {
			args.maxLifetime = Number(inline ?? argv[++i]);
			if (!Number.isFinite(args.maxLifetime) || args.maxLifetime <= 0) fail('--max-lifetime needs a positive number of seconds');
		} else if (flag === '--help' || flag === '-h') {
			process.stdout.write('Usage: npm run start:n8n [-- --reset] [--no-build] [--max-lifetime SECONDS]\n');
			process.exit(0);
		} else fail(`Unknown argument: ${argv[i]}`);
	}
	return args;
}

async function importFirstRun(inst, env, sandboxUrl) {
	if (fs.existsSync(IMPORTED_MARKER)) {
		process.stdout.write('Templates and sandbox credentials were imported on an earlier run (use --reset to start over).\n');
		return;
	}
	const templates = lib.loadTemplates();
	const work = fs.mkdtempSync(path.join(USER_FOLDER, '.import-'));
	try {
		const credFile = path.join(work, 'credentials.json');
		fs.writeFileSync(credFile, JSON.stringify(lib.rewriteUrls(templates.credentials, sandboxUrl), null, 2));
		let r = await lib.runN8n(inst, env, ['import:credentials', `--input=${credFile}`]);
		if (r.status !== 0) throw new Error(`n8n import:credentials failed:\n${r.stdout}\n${r.stderr}`);
		const wfDir = path.join(work, 'workflows');
		fs.mkdirSync(wfDir);
		for (const t of templates.workflows) fs.writeFileSync(path.join(wfDir, t.file), JSON.stringify(lib.rewriteUrls(t.workflow, sandboxUrl), null, 2));
		r = await lib.runN8n(inst, env, ['import:workflow', '--separate', `--input=${wfDir}`]);
		if (r.status !== 0) throw new Error(`n8n import:workflow failed:\n${r.stdout}\n${r.stderr}`);
		fs.writeFileSync(
			IMPORTED_MARKER,
			JSON.stringify(
				{
					importedAt: new Date().toISOString(),
					sandboxUrl,
					credentials: templates.credentials.map((c) => c.id),
					workflows: templates.workflows.map((t) => t.file),
				},
				null,
				2,
			),
		);
		process.stdout.write(`Imported ${templates.credentials.length} sandbox credentials and ${templates.workflows.length} workflow templates.\n`);
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

/**
 * The journeys not imported yet (all on a first run; new ones after an update): imported, then published with the
 * CLI while n8n is stopped, so their forms answer as soon as n8n is up. Published once: later edits in the editor
 * are yours, and n8n keeps a published workflow published across restarts.
 */
async function importJourneys(inst, env, sandboxUrl) {
	// In the order the journeys are described (journeys/index.ts), as `npm start` prints them too.
	const order = require(path.join(ROOT, 'dist', 'journeys')).JOURNEYS.map((j) => j.id);
	const journeys = lib.loadJourneys({ asShipped: true }).sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
	const marker = JSON.parse(fs.readFileSync(IMPORTED_MARKER, 'utf8'));
	const imported = new Set(marker.journeys || []);
	const todo = journeys.filter((j) => !imported.has(j.file));
	if (todo.length === 0) return journeys;
	const work = fs.mkdtempSync(path.join(USER_FOLDER, '.import-'));
	try {
		for (const j of todo) fs.writeFileSync(path.join(work, j.file), JSON.stringify(lib.rewriteUrls(j.workflow, sandboxUrl), null, 2));
		const r = await lib.runN8n(inst, env, ['import:workflow', '--separate', `--input=${work}`]);
		if (r.status !== 0) throw new Error(`n8n import:workflow (journeys) failed:\n${r.stdout}\n${r.stderr}`);
		const ms = await lib.publishWorkflows(
			inst,
			env,
			todo.map((j) => j.workflow.id),
		);
		fs.writeFileSync(IMPORTED_MARKER, JSON.stringify({ ...marker, journeys: [...imported, ...todo.map((j) => j.file)].sort() }, null, 2));
		process.stdout.write(`Imported and published ${todo.length} journeys (${lib.secs(ms)} to publish).\n`);
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
	return journeys;
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	const sandboxPort = portFromEnv('SANDBOX_PORT', 4010);
	const n8nPort = portFromEnv('N8N_PORT', 5678);
	for (const [port, what, envName] of [
		[sandboxPort, 'sandbox', 'SANDBOX_PORT'],
		[n8nPort, 'n8n editor', 'N8N_PORT'],
	]) {
		if (!(await lib.portIsFree(port))) {
			fail(
				`Port ${port} on ${lib.HOST} is already in use, so the ${what} cannot start there.\n` +
					`Stop whatever is using it (is another \`npm run start:n8n\` still running?), or choose another port:\n\n` +
					`  ${envName}=${port + 1} npm run start:n8n\n`,
			);
		}
	}

	const inst = ensureN8n({ log: (l) => process.stdout.write(`${l}\n`) });
	if (args.build) lib.build({ force: true, log: (l) => process.stdout.write(`${l}\n`) });
	else if (!fs.existsSync(path.join(ROOT, 'dist', 'sandbox', 'index.js'))) fail('dist/ is missing: run without --no-build.');

	if (args.reset && fs.existsSync(USER_FOLDER)) {
		process.stdout.write(`--reset: removing ${USER_FOLDER}\n`);
		fs.rmSync(USER_FOLDER, { recursive: true, force: true });
	}
	fs.mkdirSync(USER_FOLDER, { recursive: true });

	// The package, as a community node: pack, then npm install the tarball into the user folder's nodes dir.
	const packDir = path.join(USER_FOLDER, '.pack');
	fs.rmSync(packDir, { recursive: true, force: true });
	const tarball = lib.pack(packDir);
	fs.rmSync(path.join(USER_FOLDER, '.n8n', 'nodes', 'node_modules', ...lib.PKG.name.split('/')), { recursive: true, force: true });
	lib.installIntoUserFolder(tarball, USER_FOLDER);
	process.stdout.write(`Installed ${path.basename(tarball)} into ${path.join(USER_FOLDER, '.n8n', 'nodes')}\n`);

	const { startSandbox } = require(path.join(ROOT, 'dist', 'sandbox'));
	const sandbox = await startSandbox({ port: sandboxPort });
	const env = lib.n8nEnv(inst, {
		userFolder: USER_FOLDER,
		brokerPort: await lib.freePort(),
		port: n8nPort,
		extra: { N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL || 'info', N8N_EDITOR_BASE_URL: `http://${lib.HOST}:${n8nPort}/` },
	});

	let n8n;
	let stopping = false;
	const stop = async (why, code = 0) => {
		if (stopping) return;
		stopping = true;
		process.stdout.write(`\n${why}: stopping n8n and the sandbox…\n`);
		if (n8n && n8n.exitCode === null && n8n.signalCode === null) {
			const exited = new Promise((resolve) => n8n.once('exit', resolve));
			try {
				process.kill(-n8n.pid, 'SIGTERM');
			} catch {
				/* already gone */
			}
			const timer = setTimeout(() => {
				try {
					process.kill(-n8n.pid, 'SIGKILL');
				} catch {
					/* gone */
				}
			}, 15000);
			await exited;
			clearTimeout(timer);
		}
		await sandbox.close();
		process.stdout.write('Stopped.\n');
		process.exit(code);
	};
	process.on('SIGINT', () => void stop('SIGINT'));
	process.on('SIGTERM', () => void stop('SIGTERM'));
	process.on('SIGHUP', () => void stop('SIGHUP'));
	if (args.maxLifetime) setTimeout(() => void stop(`--max-lifetime ${args.maxLifetime} s reached`), args.maxLifetime * 1000).unref();

	let journeys;
	try {
		await importFirstRun(inst, env, sandbox.url);
		journeys = await importJourneys(inst, env, sandbox.url);
	} catch (e) {
		await sandbox.close();
		fail(e.message);
	}

	const base = `http://${lib.HOST}:${n8nPort}`;
	process.stdout.write(`Starting n8n ${N8N_VERSION} (Node ${NODE_VERSION}) on ${base} …\n`);
	// Its own process group, so Ctrl-C handling is ours and stopping reaches n8n's task runners too.
	n8n = spawn(inst.nodeBin, [inst.n8nBin, 'start'], { env, cwd: USER_FOLDER, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	const prefix = (stream, out) => {
		let buf = '';
		stream.on('data', (d) => {
			buf += d;
			const lines = buf.split('\n');
			buf = lines.pop();
			for (const l of lines) if (l.trim()) out.write(`[n8n] ${l}\n`);
		});
	};
	prefix(n8n.stdout, process.stdout);
	prefix(n8n.stderr, process.stderr);
	n8n.on('exit', (code, signal) => {
		if (!stopping) void stop(`n8n exited by itself (${signal || `code ${code}`})`, code || 1);
	});

	try {
		await lib.waitForHttp(`${base}/healthz`, { timeoutMs: 180000, isAlive: () => n8n.exitCode === null });
		await lib.waitForHttp(`${base}/rest/settings`, {
			want: (s, body) => s === 200 && !/starting up/i.test(body),
			timeoutMs: 120000,
			isAlive: () => n8n.exitCode === null,
		});
		const { client, created } = await lib.ownerSetupOrLogin(base);
		// Published before the start, every form answers once n8n has registered its webhooks, all at once.
		const forms = [];
		for (const j of journeys) {
			const url = `${base}/form/${j.path}`;
			let ok = true;
			try {
				await lib.waitForHttp(url, { want: (s) => s === 200, timeoutMs: forms.length === 0 ? 30000 : 3000, isAlive: () => n8n.exitCode === null });
			} catch {
				ok = false;
			}
			const name = j.workflow.name.replace(/^OTP Flow journey: /, '');
			forms.push(`  ${url.padEnd(base.length + 32)} ${name}${ok ? '' : '   (not answering: is the workflow published?)'}`);
		}
		const types = await client.get('/types/nodes.json');
		const ours =
			types.status === 200 && Array.isArray(types.json)
				? types.json.filter((n) => n.name.startsWith(`${lib.PKG.name}.`)).map((n) => n.name.split('.').pop())
				: [];
		process.stdout.write(
			[
				'',
				'OTP Flow: n8n is ready.',
				'',
				'Journeys: open a form, read the code in the sandbox inbox, type it in.',
				...forms,
				'',
				`  n8n editor   ${base}/`,
				`  sign in      ${lib.DEMO_OWNER.email} / ${lib.DEMO_OWNER.password}${created ? '   (local owner account created just now)' : ''}`,
				`  sandbox      ${sandbox.url}   (inbox: ${sandbox.url}/_sandbox)`,
				`  nodes        ${ours.length ? ours.join(', ') : '(could not list them)'}`,
				`  workflows    "OTP Flow: …" templates, one per operation and a chain per provider, and the "OTP Flow journey: …" forms above, with sandbox credentials`,
				`  user folder  ${USER_FOLDER}`,
				'',
				'Press Ctrl-C to stop.',
				'',
			].join('\n'),
		);
	} catch (e) {
		process.stderr.write(`\n${e.message}\n`);
		await stop('n8n did not come up', 1);
	}
}

main().catch((e) => fail(e.stack || e.message));
