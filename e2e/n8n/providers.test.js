#!/usr/bin/env node
/**
 * Each provider's own n8n package in real n8n (node:test; `node --test-reporter=spec e2e/n8n/providers.test.js`).
 *
 * The five per-provider packages (packages/n8n-nodes-<slug>) are packed from their built copies and installed
 * side by side into a fresh `$N8N_USER_FOLDER/.n8n/nodes` with `npm install <tarball>`, as n8n installs
 * community packages; no all-provider package is there. Each provider's chain template (templates/n8n/<slug>-chain.json:
 * every operation, the code read from the sandbox inbox) is imported with its node types pointed at that provider's
 * package, and `n8n execute` must take every provider node to Success, the code-checking step to `verified`.
 */
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ensureN8n } = require('./install');
const lib = require('./lib');
const packaging = require('../../packaging');

const ALL = lib.PKG.name;
const OK_STATUSES = new Set(['otp_sent', 'verified', 'completed']);
const state = {};
const log = (line) => process.stdout.write(`${line}\n`);

/** Per-provider package folders: n8n-nodes-<slug>, every n8n package but the all-provider one. */
const folders = packaging.folders().filter((f) => packaging.kind(packaging.manifest(f)) === 'n8n' && f !== packaging.folderOf('n8n'));

before(async () => {
	state.inst = ensureN8n({ log });
	lib.build({ log });
	const { startSandbox } = require(path.join(lib.ROOT, 'dist', 'sandbox'));
	state.sandbox = await startSandbox({ port: 0, maxLifetimeMs: 15 * 60 * 1000, config: { iserveuResendCooldownSeconds: 0 } });
	state.work = fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-n8n-providers-'));
	state.userFolder = path.join(state.work, 'user');
	const t = Date.now();
	state.packages = folders.map((folder) => {
		const pkg = packaging.manifest(folder);
		const tarball = packaging.pack(folder, state.work);
		const { installed } = lib.installIntoUserFolder(tarball, state.userFolder, pkg.name);
		return { folder, pkg, tarball, installed, slug: folder.replace(/^n8n-nodes-/, '') };
	});
	log(`[e2e] packed and installed ${state.packages.length} provider packages in ${lib.secs(Date.now() - t)}`);
	state.env = lib.n8nEnv(state.inst, { userFolder: state.userFolder, brokerPort: await lib.freePort(), port: await lib.freePort() });

	const templates = lib.loadTemplates();
	const credFile = path.join(state.work, 'credentials.json');
	fs.writeFileSync(credFile, JSON.stringify(lib.rewriteUrls(templates.credentials, state.sandbox.url), null, 2));
	let r = await lib.runN8n(state.inst, state.env, ['import:credentials', `--input=${credFile}`]);
	assert.equal(r.status, 0, `import:credentials failed:\n${r.stdout}\n${r.stderr}`);

	const wfDir = path.join(state.work, 'workflows');
	fs.mkdirSync(wfDir);
	state.chains = state.packages.map((p) => {
		const template = templates.workflows.find((w) => w.file === `${p.slug}-chain.json`);
		assert.ok(template, `templates/n8n/${p.slug}-chain.json exists`);
		const workflow = lib.rewriteUrls(JSON.parse(JSON.stringify(template.workflow)), state.sandbox.url);
		for (const node of workflow.nodes) if (node.type.startsWith(`${ALL}.`)) node.type = node.type.replace(`${ALL}.`, `${p.pkg.name}.`);
		fs.writeFileSync(path.join(wfDir, `${workflow.id}.json`), JSON.stringify(workflow, null, 2));
		return { ...p, workflow };
	});
	r = await lib.runN8n(state.inst, state.env, ['import:workflow', '--separate', `--input=${wfDir}`]);
	assert.equal(r.status, 0, `import:workflow failed:\n${r.stdout}\n${r.stderr}`);
});

after(async () => {
	if (state.sandbox) await state.sandbox.close();
	if (state.work && process.env.OTPFLOW_E2E_KEEP !== '1') fs.rmSync(state.work, { recursive: true, force: true });
});

test('each provider package installs alone: its own node and credential, no other provider, no dependency', () => {
	assert.equal(state.packages.length, 5);
	const nodesDir = path.join(state.userFolder, '.n8n', 'nodes', 'node_modules');
	assert.ok(!fs.existsSync(path.join(nodesDir, ...ALL.split('/'))), 'the all-provider package is not installed here');
	for (const p of state.packages) {
		const pj = JSON.parse(fs.readFileSync(path.join(p.installed, 'package.json'), 'utf8'));
		assert.equal(pj.name, p.pkg.name);
		assert.deepEqual(pj.dependencies, undefined, `${pj.name} has no runtime dependency`);
		for (const file of [...pj.n8n.nodes, ...pj.n8n.credentials]) assert.ok(fs.existsSync(path.join(p.installed, file)), `${pj.name}: ${file}`);
		const providers = fs.readdirSync(path.join(p.installed, 'dist', 'nodes', 'providers'));
		assert.equal(providers.length, 1, `${pj.name} carries one provider folder: ${providers.join(', ')}`);
	}
});

test("each provider's chain runs in real n8n from that provider's own package", async (t) => {
	for (const c of state.chains) {
		await t.test(`${c.pkg.name}: ${c.workflow.name}`, async () => {
			const r = await lib.runN8n(state.inst, state.env, ['execute', `--id=${c.workflow.id}`, '--rawOutput']);
			let run;
			try {
				run = lib.parseRawOutput(r.stdout);
			} catch (e) {
				assert.fail(`n8n execute exited ${r.status}; ${e.message}\nstderr:\n${r.stderr.slice(-3000)}`);
			}
			assert.ok(!run.data.resultData.error, `the execution failed: ${String(JSON.stringify(run.data.resultData.error)).slice(0, 1500)}`);
			const runData = run.data.resultData.runData;
			const ours = c.workflow.nodes.filter((n) => n.type.startsWith(`${c.pkg.name}.`));
			assert.ok(ours.length >= 2, `the chain has the provider's steps (${ours.length})`);
			const summary = [];
			for (const node of ours) {
				const runs = runData[node.name];
				assert.ok(runs && runs.length, `${node.name} ran (node type ${node.type})`);
				const [success = [], failure = []] = (runs[0].data && runs[0].data.main) || [];
				assert.equal(success.length + failure.length, 1, `${node.name}: one item in, one out`);
				const item = (success[0] || failure[0]).json;
				summary.push(`${node.name}:${item.status}`);
				assert.equal(success.length, 1, `${node.name} lands on Success, got ${item.status}: ${item.message}`);
				assert.ok(OK_STATUSES.has(item.status), `${node.name}: ${item.status}`);
				assert.equal(item.provider, c.slug);
			}
			const statuses = summary.map((s) => s.split(':').pop());
			assert.ok(statuses.includes('verified'), `a step verified the code read from the inbox: ${summary.join(' → ')}`);
			log(`[e2e]   ${c.pkg.name}: ${summary.join(' → ')} (${lib.secs(r.ms)})`);
		});
	}
});
