'use strict';
/**
 * Runtimes the end-to-end tests need, installed once into a cache OUTSIDE the repository:
 *   ${OTPFLOW_CACHE:-$HOME/.cache/otpflow}/<name>/
 * Each folder is installed into a temporary sibling, verified, then renamed into place and marked with
 * `.otpflow-installed.json`; a folder with the marker is reused as it is (idempotent, safe to interrupt).
 *
 *   node e2e/node-red/cache.js            install everything the Node-RED e2e run needs, print times
 *   node e2e/node-red/cache.js --all      also node-red-dev, n8n's scanner and n8n's node CLI (lint and packaging checks)
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const CACHE = path.resolve(process.env.OTPFLOW_CACHE || path.join(os.homedir(), '.cache', 'otpflow'));
const MARKER = '.otpflow-installed.json';

/** Pinned versions: bump here (and in README) when a new release should be covered. */
const VERSIONS = {
	nodeRed4: '4.1.15',
	nodeRed5: '5.0.7',
	node24: '24.21.0',
	nodeRedDev: '0.1.6',
	n8nScanner: '0.32.0',
	n8nNodeCli: '0.48.3',
};

const SPECS = {
	node24: { dir: `node-${VERSIONS.node24}`, deps: { node: VERSIONS.node24 } },
	nodeRed4: { dir: `node-red-${VERSIONS.nodeRed4}`, deps: { 'node-red': VERSIONS.nodeRed4 } },
	nodeRed5: { dir: `node-red-${VERSIONS.nodeRed5}`, deps: { 'node-red': VERSIONS.nodeRed5 } },
	nodeRedDev: { dir: `node-red-dev-${VERSIONS.nodeRedDev}`, deps: { 'node-red-dev': VERSIONS.nodeRedDev } },
	// n8n's own package scanner. Its rule plugin eslint-plugin-n8n-nodes-base has `preinstall: npx only-allow pnpm`,
	// which fails under npm: installed without lifecycle scripts (none of its packages needs one to work).
	n8nScanner: { dir: `n8n-scan-community-package-${VERSIONS.n8nScanner}`, deps: { '@n8n/scan-community-package': VERSIONS.n8nScanner }, ignoreScripts: true },
	// n8n's node-developer CLI, for `n8n-node lint` on each staged n8n package. It needs the same eslint-plugin-n8n-nodes-base
	// (hence no lifecycle scripts) and brings LangChain through its AI SDK: kept in the cache, not in devDependencies.
	n8nNodeCli: { dir: `n8n-node-cli-${VERSIONS.n8nNodeCli}`, deps: { '@n8n/node-cli': VERSIONS.n8nNodeCli }, ignoreScripts: true },
};

function log(line) {
	process.stdout.write(`[cache] ${line}\n`);
}

function npmCli() {
	// The npm that runs this script's own Node (Node 20's npm): found beside the node binary.
	const candidates = [
		path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
		path.join(path.dirname(process.execPath), 'node_modules', 'npm', 'bin', 'npm-cli.js'),
	];
	return candidates.find((c) => fs.existsSync(c));
}

function runNpm(args, cwd, extraEnv = {}) {
	const cli = npmCli();
	const cmd = cli ? process.execPath : 'npm';
	const argv = cli ? [cli, ...args] : args;
	const res = spawnSync(cmd, argv, {
		cwd,
		env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...extraEnv },
		encoding: 'utf8',
		timeout: 15 * 60 * 1000,
		maxBuffer: 64 * 1024 * 1024,
	});
	if (res.status !== 0) {
		throw new Error(`npm ${args.join(' ')} failed in ${cwd} (exit ${res.status}${res.signal ? `, ${res.signal}` : ''}):\n${(res.stderr || '').slice(-4000)}`);
	}
	return res.stdout;
}

function readMarker(dir) {
	try {
		return JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
	} catch {
		return undefined;
	}
}

/** Installs `spec.deps` into CACHE/spec.dir unless already marked; returns { dir, cached, seconds }. */
function ensure(name, verify) {
	const spec = SPECS[name];
	const dir = path.join(CACHE, spec.dir);
	const marker = readMarker(dir);
	if (marker && JSON.stringify(marker.deps) === JSON.stringify(spec.deps)) {
		try {
			verify(dir);
			return { dir, cached: true, seconds: 0 };
		} catch (e) {
			log(`${spec.dir}: cached copy fails its check (${e.message}); reinstalling`);
		}
	}
	const started = Date.now();
	fs.mkdirSync(CACHE, { recursive: true });
	const tmp = `${dir}.tmp-${process.pid}`;
	fs.rmSync(tmp, { recursive: true, force: true });
	fs.mkdirSync(tmp, { recursive: true });
	fs.writeFileSync(
		path.join(tmp, 'package.json'),
		`${JSON.stringify({ name: `otpflow-cache-${name.toLowerCase()}`, private: true, version: '0.0.0', dependencies: spec.deps }, null, 2)}\n`,
	);
	log(
		`${spec.dir}: installing ${Object.entries(spec.deps)
			.map(([k, v]) => `${k}@${v}`)
			.join(' ')} …`,
	);
	try {
		runNpm(['install', '--no-audit', '--no-fund', '--loglevel=error', '--engine-strict=false', ...(spec.ignoreScripts ? ['--ignore-scripts'] : [])], tmp);
		verify(tmp);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.renameSync(tmp, dir);
		verify(dir); // bins must still work after the move
		fs.writeFileSync(path.join(dir, MARKER), `${JSON.stringify({ deps: spec.deps, installedAt: new Date().toISOString() }, null, 2)}\n`);
	} catch (e) {
		fs.rmSync(tmp, { recursive: true, force: true });
		throw e;
	}
	return { dir, cached: false, seconds: (Date.now() - started) / 1000 };
}

function pkgVersion(dir, name) {
	return JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')).version;
}

function node24() {
	const r = ensure('node24', (dir) => {
		const bin = path.join(dir, 'node_modules', 'node', 'bin', 'node');
		const out = spawnSync(bin, ['-v'], { encoding: 'utf8' });
		if (out.stdout.trim() !== `v${VERSIONS.node24}`) throw new Error(`${bin} -v said "${out.stdout.trim()}" ${out.stderr || ''}`);
	});
	return { ...r, bin: path.join(r.dir, 'node_modules', 'node', 'bin', 'node'), version: VERSIONS.node24 };
}

/** Node-RED 4.1.x: the project's own devDependency when it is a 4.1.x (no extra install), else the cache. */
function nodeRed4() {
	const own = path.join(ROOT, 'node_modules', 'node-red');
	if (process.env.OTPFLOW_NR4_FROM !== 'cache' && fs.existsSync(path.join(own, 'package.json'))) {
		const version = JSON.parse(fs.readFileSync(path.join(own, 'package.json'), 'utf8')).version;
		if (/^4\.1\./.test(version)) return { dir: own, red: path.join(own, 'red.js'), version, cached: true, seconds: 0, source: 'project devDependency' };
	}
	const r = ensure('nodeRed4', (dir) => {
		if (!/^4\.1\./.test(pkgVersion(dir, 'node-red'))) throw new Error('not a 4.1.x');
	});
	const dir = path.join(r.dir, 'node_modules', 'node-red');
	return { ...r, dir, red: path.join(dir, 'red.js'), version: pkgVersion(r.dir, 'node-red'), source: 'cache' };
}

function nodeRed5() {
	const r = ensure('nodeRed5', (dir) => {
		if (pkgVersion(dir, 'node-red') !== VERSIONS.nodeRed5) throw new Error('wrong version');
	});
	const dir = path.join(r.dir, 'node_modules', 'node-red');
	return { ...r, dir, red: path.join(dir, 'red.js'), version: pkgVersion(r.dir, 'node-red'), source: 'cache' };
}

function nodeRedDev() {
	const r = ensure('nodeRedDev', (dir) => {
		if (pkgVersion(dir, 'node-red-dev') !== VERSIONS.nodeRedDev) throw new Error('wrong version');
	});
	return {
		...r,
		bin: path.join(r.dir, 'node_modules', 'node-red-dev', 'bin', 'run'),
		moduleDir: path.join(r.dir, 'node_modules', 'node-red-dev'),
		version: VERSIONS.nodeRedDev,
	};
}

/** n8n's community-package scanner (@n8n/scan-community-package); `scanner` is its ESM module's path. */
function n8nScanner() {
	const r = ensure('n8nScanner', (dir) => {
		if (pkgVersion(dir, '@n8n/scan-community-package') !== VERSIONS.n8nScanner) throw new Error('wrong version');
	});
	return { ...r, scanner: path.join(r.dir, 'node_modules', '@n8n', 'scan-community-package', 'scanner', 'scanner.mjs'), version: VERSIONS.n8nScanner };
}

/** n8n's node-developer CLI (@n8n/node-cli); `bin` is its `n8n-node` command, run with this Node. */
function n8nNodeCli() {
	const r = ensure('n8nNodeCli', (dir) => {
		if (pkgVersion(dir, '@n8n/node-cli') !== VERSIONS.n8nNodeCli) throw new Error('wrong version');
	});
	return { ...r, bin: path.join(r.dir, 'node_modules', '@n8n', 'node-cli', 'bin', 'n8n-node.mjs'), version: VERSIONS.n8nNodeCli };
}

/** The two runtimes the e2e run covers. */
function runtimes() {
	const nr4 = nodeRed4();
	const n24 = node24();
	const nr5 = nodeRed5();
	return [
		{ label: `Node-RED ${nr4.version} on Node ${process.versions.node}`, nodeBin: process.execPath, nodeVersion: process.versions.node, nodeRed: nr4 },
		{ label: `Node-RED ${nr5.version} on Node ${n24.version}`, nodeBin: n24.bin, nodeVersion: n24.version, nodeRed: nr5 },
	];
}

module.exports = { CACHE, VERSIONS, ensure, node24, nodeRed4, nodeRed5, nodeRedDev, n8nScanner, n8nNodeCli, runtimes, runNpm };

if (require.main === module) {
	const started = Date.now();
	const wanted = process.argv.includes('--all') ? [nodeRed4, node24, nodeRed5, nodeRedDev, n8nScanner, n8nNodeCli] : [nodeRed4, node24, nodeRed5];
	try {
		for (const fn of wanted) {
			const r = fn();
			log(`${fn.name}: ${r.version ?? ''} in ${r.dir} (${r.cached ? 'cached' : `installed in ${r.seconds.toFixed(1)} s`})`);
		}
		log(`cache ${CACHE} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	} catch (e) {
		process.stderr.write(`[cache] ${e.message}\n`);
		process.exit(1);
	}
}
