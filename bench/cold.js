'use strict';
/**
 * Cold load: a fresh `node -e` process per run, timing require() of the installed package's files the way each
 * runtime loads them, median of several runs.
 *   Node-RED (Node 20): every dist/node-red/*.js; then, apart, the registration of the five provider modules with a
 *     stub RED (what Node-RED does next).
 *   n8n (Node 24 from the runtime cache): every dist/nodes/<Node>/<Node>.node.js and dist/credentials/*.js, with
 *     n8n-workflow (n8n's own copy) loaded before the clock starts, as it is in n8n; then, apart, one instance of each
 *     class (n8n reads their descriptions from instances).
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const B = require('./lib');

const NODE_RED_SCRIPT = `const files = JSON.parse(process.argv[1]);
const modules = JSON.parse(process.argv[2]);
const t0 = process.hrtime.bigint();
for (const f of files) require(f);
const t1 = process.hrtime.bigint();
const RED = { nodes: { registerType() {}, createNode() {}, getNode() { return null; } }, util: {}, log: {}, settings: {} };
for (const f of modules) require(f)(RED);
const t2 = process.hrtime.bigint();
process.stdout.write(JSON.stringify({ load: Number(t1 - t0) / 1e6, extra: Number(t2 - t1) / 1e6 }));`;

const N8N_SCRIPT = `const files = JSON.parse(process.argv[1]);
require('n8n-workflow');
const t0 = process.hrtime.bigint();
const loaded = files.map((f) => require(f));
const t1 = process.hrtime.bigint();
for (const m of loaded) for (const C of Object.values(m)) if (typeof C === 'function') new C();
const t2 = process.hrtime.bigint();
process.stdout.write(JSON.stringify({ load: Number(t1 - t0) / 1e6, extra: Number(t2 - t1) / 1e6 }));`;

function listJs(dir, test = (f) => f.endsWith('.js')) {
	return fs.existsSync(dir)
		? fs
				.readdirSync(dir)
				.filter(test)
				.sort()
				.map((f) => path.join(dir, f))
		: [];
}

function once(nodeBin, script, args, env, cwd) {
	const r = spawnSync(nodeBin, ['-e', script, ...args], { encoding: 'utf8', env, cwd, timeout: 60000 });
	if (r.status !== 0) throw new Error(`cold load (${path.basename(nodeBin)}) failed: ${r.stderr || r.error}`);
	return JSON.parse(r.stdout);
}

/** { nodeRed: { load: [ms…], extra: [ms…], files }, n8n: {…} } over `runs` fresh processes each. */
function coldLoad({ pkgDir, n8nDir, work, runs, n8nInst }) {
	const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
	const env = { ...process.env };
	delete env.NODE_OPTIONS;
	const out = {};

	const nrFiles = listJs(path.join(pkgDir, 'dist', 'node-red'));
	const nrModules = Object.values(pkg['node-red'].nodes).map((f) => path.join(pkgDir, f));
	out.nodeRed = { load: [], extra: [], files: nrFiles.length, node: process.versions.node };
	for (let r = 0; r < runs; r++) {
		const x = once(process.execPath, NODE_RED_SCRIPT, [JSON.stringify(nrFiles), JSON.stringify(nrModules)], env, work);
		out.nodeRed.load.push(x.load);
		out.nodeRed.extra.push(x.extra);
	}

	if (n8nInst) {
		const nodeFiles = fs
			.readdirSync(path.join(n8nDir, 'dist', 'nodes'), { withFileTypes: true })
			.filter((d) => d.isDirectory())
			.flatMap((d) => listJs(path.join(n8nDir, 'dist', 'nodes', d.name), (f) => f.endsWith('.node.js')));
		const files = [...nodeFiles, ...listJs(path.join(n8nDir, 'dist', 'credentials'))];
		// n8n-workflow is an optional peer, not installed with the package: n8n's copy, found the way n8n finds it.
		const n8nEnv = { ...env, NODE_PATH: n8nInst.n8nModules };
		out.n8n = { load: [], extra: [], files: files.length };
		for (let r = 0; r < runs; r++) {
			const x = once(n8nInst.nodeBin, N8N_SCRIPT, [JSON.stringify(files)], n8nEnv, work);
			out.n8n.load.push(x.load);
			out.n8n.extra.push(x.extra);
		}
		out.n8n.node = spawnSync(n8nInst.nodeBin, ['-v'], { encoding: 'utf8' }).stdout.trim().replace(/^v/, '');
	}
	return out;
}

module.exports = { coldLoad, median: B.median };
