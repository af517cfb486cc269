#!/usr/bin/env node
'use strict';
/**
 * Packaging check: every package of packages/ as npm would publish it, from its tarball.
 *
 *   node e2e/package/check.js          (needs `npm run build` first; installs n8n's scanner and node-red-dev into the cache)
 *
 * For each package: `npm pack` of its built copy (dist/packages/<folder>), unpacked, then
 * 1. contents: the entry points its manifest names (n8n nodes with codex files and credentials; Node-RED .js with
 *    their .html and help; main; bin) and every icon they reference are in; every relative require() resolves
 *    inside the tarball; nothing outside the package's allow list, nothing that must never ship;
 * 2. n8n packages: n8n's scanner (@n8n/scan-community-package) on the tarball, as its published scan does
 *    (compiled .js and package.json), 0 errors; no runtime dependency;
 * 3. the Node-RED package: node-red-dev's validate (the scorecard). Its only non-registry lookups
 *    (catalogue.nodered.org, for N01 duplicate node types and P08 similar names) are answered by a stub with an
 *    empty catalogue and reported as skipped; registry.npmjs.org lookups are real;
 * 4. the sandbox: installed from its tarball, its `otpflow-sandbox` command started with --port and with
 *    SANDBOX_PORT, and its inbox answered.
 * It ends with a table of the packages: files, packed and unpacked size, runtime dependencies.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const cache = require('../node-red/cache');
const packaging = require('../../packaging');
const { scan, TARBALL_PATTERNS } = require('../../packaging/scan');

const ROOT = packaging.ROOT;
const CATALOGUE = 'https://catalogue.nodered.org/catalogue.json';

/** Files each kind of package may ship. Anything else in a tarball fails the check. */
const ALLOWED = {
	common: [/^package\.json$/, /^README\.md$/, /^LICENSE$/],
	n8n: [
		/^dist\/(nodes|credentials)\/.+\.js$/,
		/^dist\/nodes\/[^/]+\/[^/]+\.node\.json$/,
		/^dist\/icons\/[^/]+\.(svg|png)$/,
		/^templates\/n8n\/(journeys\/|send-and-wait\/|agents\/)?[^/]+\.json$/,
	],
	'node-red': [
		/^dist\/(nodes\/(core|providers)|node-red)\/.+\.js$/,
		// The journeys' words in every language, read by the journey guard node.
		/^dist\/journeys\/model\.js$/,
		/^dist\/node-red\/[^/]+\.html$/,
		/^dist\/node-red\/icons\/[^/]+\.(svg|png)$/,
		/^dist\/node-red\/locales\/[^/]+\/[^/]+\.(json|html)$/,
		/^examples\/[^/]+\/[^/]+\.json$/,
	],
	tool: [/^dist\/(sandbox|nodes\/(core|providers))\/.+\.js$/],
};

/** Named reasons for what must never ship (checked first, for a clearer message). */
const FORBIDDEN = [
	[/^(test|tests|__tests__|e2e|coverage|scripts|packaging|\.ci|seeds)\//, 'tests, e2e, scripts or CI files'],
	[/(^|\/)node_modules\//, 'node_modules'],
	[/\.(ts|tsx)$/, 'TypeScript sources'],
	[/\.map$/, 'source maps'],
	[/(^|\/)\.sandbox-state|(^|\/)\.node-red-user|flows(_cred)?\.json$/, 'sandbox or Node-RED state'],
	[/\.tgz$/, 'tarballs'],
	[/(^|\/)(tsconfig[^/]*\.json|jest\.config\.js|gulpfile\.js|eslint\.config\.mjs|\.npmrc|\.env[^/]*)$/, 'build or tool configuration'],
];

function line(ok, text) {
	process.stdout.write(`  ${ok ? '✔' : '✘'} ${text}\n`);
	return ok;
}

function listFiles(dir, prefix = '') {
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir, { withFileTypes: true })
		.flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

/** Packs a built package and unpacks it; returns npm's report and the unpacked folder. */
function packAndUnpack(folder, work) {
	const tarball = packaging.pack(folder, work);
	const out = path.join(work, 'unpacked');
	fs.mkdirSync(out, { recursive: true });
	const r = spawnSync('tar', ['-xzf', tarball, '-C', out, '--strip-components=1']);
	if (r.status !== 0) throw new Error(`tar -xzf ${tarball} failed: ${r.stderr}`);
	return { tarball, dir: out, files: listFiles(out) };
}

/** Contents: entry points, their assets, requires resolving inside, the allow list. */
function checkContents(pkg, kind, files) {
	const set = new Set(files);
	let ok = true;
	const n8nFiles = [...(pkg.n8n?.nodes || []), ...(pkg.n8n?.credentials || [])];
	const nodeRedFiles = Object.values(pkg['node-red']?.nodes || {});
	const required = [
		'package.json',
		'README.md',
		'LICENSE',
		...packaging.entryPoints(pkg),
		...(pkg.n8n?.nodes || []).map((n) => n.replace(/\.js$/, '.json')),
		...nodeRedFiles.map((n) => n.replace(/\.js$/, '.html')),
	];
	const missing = required.filter((f) => !set.has(f));
	ok = line(missing.length === 0, `entry points present (${required.length})${missing.length ? `; MISSING ${missing.join(', ')}` : ''}`) && ok;
	const icons = [];
	for (const js of n8nFiles) {
		for (const m of fs.readFileSync(path.join(ROOT, js), 'utf8').matchAll(/['"]file:([^'"]+)['"]/g)) {
			icons.push(path.posix.normalize(path.posix.join(path.posix.dirname(js), m[1])));
		}
	}
	for (const js of nodeRedFiles) {
		const html = fs.readFileSync(path.join(ROOT, js.replace(/\.js$/, '.html')), 'utf8');
		for (const m of html.matchAll(/icon\s*:\s*['"]([^'"/]+\.(?:svg|png))['"]/g)) icons.push(path.posix.join(path.posix.dirname(js), 'icons', m[1]));
	}
	const missingIcons = [...new Set(icons)].filter((f) => !set.has(f));
	ok =
		line(
			missingIcons.length === 0,
			`icons referenced by the entry points present: ${new Set(icons).size}${missingIcons.length ? `; MISSING ${missingIcons.join(', ')}` : ''}`,
		) && ok;
	const unresolved = [];
	for (const f of files.filter((x) => x.endsWith('.js'))) {
		const src = fs.readFileSync(path.join(ROOT, f), 'utf8');
		for (const m of src.matchAll(/require\(["'](\.{1,2}\/[^"']+)["']\)/g)) {
			const base = path.posix.normalize(path.posix.join(path.posix.dirname(f), m[1]));
			if (![base, `${base}.js`, `${base}.json`, `${base}/index.js`].some((c) => set.has(c))) unresolved.push(`${f} → ${m[1]}`);
		}
	}
	ok =
		line(
			unresolved.length === 0,
			`every relative require() resolves inside the tarball${unresolved.length ? `: ${unresolved.slice(0, 10).join('; ')}` : ''}`,
		) && ok;
	const forbidden = [];
	const unexpected = [];
	const allowed = [...ALLOWED.common, ...ALLOWED[kind]];
	for (const f of files) {
		const bad = FORBIDDEN.find(([re]) => re.test(f));
		if (bad) forbidden.push(`${f} (${bad[1]})`);
		else if (!allowed.some((re) => re.test(f))) unexpected.push(f);
	}
	ok = line(forbidden.length === 0, `nothing that must not ship${forbidden.length ? `: ${forbidden.join(', ')}` : ''}`) && ok;
	ok = line(unexpected.length === 0, `nothing outside the ${kind} allow list${unexpected.length ? `: ${unexpected.slice(0, 20).join(', ')}` : ''}`) && ok;
	const withCredentials = [];
	for (const f of files.filter((x) => /^(examples|templates)\/.+\.json$/.test(x))) {
		const doc = JSON.parse(fs.readFileSync(path.join(ROOT, f), 'utf8'));
		for (const n of Array.isArray(doc) ? doc : []) if (n && n.credentials && Object.keys(n.credentials).length) withCredentials.push(`${f}: node ${n.id}`);
	}
	ok =
		line(withCredentials.length === 0, `no example flow carries a credentials block${withCredentials.length ? `: ${withCredentials.join(', ')}` : ''}`) && ok;
	if (pkg.files.includes('examples'))
		ok =
			line(
				files.some((f) => f.startsWith('examples/')),
				'examples/ shipped',
			) && ok;
	if (pkg.files.includes('templates'))
		ok =
			line(
				files.some((f) => f.startsWith('templates/')),
				'templates/ shipped',
			) && ok;
	return ok;
}

async function checkN8n(pkg, dir) {
	let ok = line(!pkg.dependencies || Object.keys(pkg.dependencies).length === 0, 'no runtime dependencies (n8n verifies only packages without any)');
	const r = await scan(dir, TARBALL_PATTERNS);
	ok = line(r.passed, `n8n's scanner (@n8n/scan-community-package ${cache.VERSIONS.n8nScanner}) on the tarball: ${r.passed ? '0 errors' : 'ERRORS'}`) && ok;
	if (!r.passed) process.stdout.write(`${r.details}\n`);
	return ok;
}

function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

function getStatus(url) {
	return new Promise((resolve) => {
		const req = http.get(url, (res) => {
			res.resume();
			res.on('end', () => resolve(res.statusCode));
		});
		req.on('error', () => resolve(0));
		req.setTimeout(2000, () => req.destroy());
	});
}

/** Starts the installed command, waits (at most 15 s) for the inbox to answer, stops it by its PID. */
async function runCommand(bin, args, env, port) {
	const child = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout.on('data', (d) => (output += d));
	child.stderr.on('data', (d) => (output += d));
	const deadline = Date.now() + 15000;
	let status = 0;
	try {
		while (Date.now() < deadline && child.exitCode === null) {
			status = await getStatus(`http://127.0.0.1:${port}/_sandbox/inbox`);
			if (status === 200) break;
			await new Promise((r) => setTimeout(r, 200));
		}
	} finally {
		child.kill('SIGTERM');
	}
	return { status, output };
}

async function checkSandbox(pkg, tarball, work) {
	const project = path.join(work, 'project');
	fs.mkdirSync(project, { recursive: true });
	fs.writeFileSync(path.join(project, 'package.json'), '{"name":"sandbox-user","private":true}\n');
	cache.runNpm(['install', tarball, '--no-audit', '--no-fund', '--loglevel=error', '--no-package-lock'], project);
	const [name] = Object.keys(pkg.bin);
	const bin = path.join(project, 'node_modules', '.bin', name);
	let ok = line(fs.existsSync(bin), `npm put the \`${name}\` command in node_modules/.bin (what npx runs)`);
	const byFlag = await freePort();
	const a = await runCommand(bin, ['--port', String(byFlag), '--max-lifetime', '30'], {}, byFlag);
	ok = line(a.status === 200, `\`${name} --port ${byFlag}\`: the inbox answers ${a.status || 'nothing'}${a.status === 200 ? '' : `\n${a.output}`}`) && ok;
	const byEnv = await freePort();
	const b = await runCommand(bin, ['--max-lifetime', '30'], { SANDBOX_PORT: String(byEnv) }, byEnv);
	ok = line(b.status === 200, `\`SANDBOX_PORT=${byEnv} ${name}\`: the inbox answers ${b.status || 'nothing'}${b.status === 200 ? '' : `\n${b.output}`}`) && ok;
	return ok;
}

/** node-red-dev's axios with catalogue.nodered.org answered locally; everything else goes to the real axios. */
function stubCatalogue(moduleDir, skipped) {
	const axiosPath = require.resolve('axios', { paths: [path.join(moduleDir, 'src', 'libs')] });
	const real = require(axiosPath);
	const stub = function (...args) {
		return real(...args);
	};
	Object.assign(stub, real);
	stub.get = (url, ...rest) => {
		if (String(url).startsWith(CATALOGUE)) {
			skipped.add(url);
			return Promise.resolve({ status: 200, data: { modules: [] } });
		}
		return real.get(url, ...rest);
	};
	require.cache[axiosPath] = { id: axiosPath, filename: axiosPath, loaded: true, exports: stub };
}

/** node-red-dev's validate on the unpacked Node-RED tarball (its production dependencies installed first). */
async function scorecard(pkgDir) {
	process.stdout.write('\n■ node-red-dev validate (Node-RED scorecard)\n');
	const dev = cache.nodeRedDev();
	process.stdout.write(`  node-red-dev ${dev.version} (${dev.cached ? 'cached' : `installed in ${dev.seconds.toFixed(1)} s`}) in ${dev.dir}\n`);
	const work = path.dirname(pkgDir);
	{
		cache.runNpm(['install', '--omit=dev', '--omit=peer', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', '--no-package-lock'], pkgDir);
		const skipped = new Set();
		stubCatalogue(dev.moduleDir, skipped);
		const scoreFile = path.join(work, 'scorecard.json');
		const Validate = require(path.join(dev.moduleDir, 'src', 'commands', 'validate.js'));
		// oclif writes its log to stdout and warnings to stderr: prefix both so they read as node-red-dev's.
		const origOut = process.stdout.write.bind(process.stdout);
		const origErr = process.stderr.write.bind(process.stderr);
		process.stdout.write = (s) => origOut(String(s).replace(/^(?=.)/gm, '    | '));
		process.stderr.write = (s) => origOut(String(s).replace(/^(?=.)/gm, '    | warn: '));
		try {
			await Validate.run(['--path', pkgDir, '--output', scoreFile]);
		} catch (e) {
			// oclif ends a successful command with this.exit(0), which throws EEXIT with exit code 0.
			if (!(e && e.oclif && e.oclif.exit === 0)) throw e;
		} finally {
			process.stdout.write = origOut;
			process.stderr.write = origErr;
		}
		const card = JSON.parse(fs.readFileSync(scoreFile, 'utf8'));
		const offline = { N01: 'duplicate node types in the catalogue', P08: 'similar package names in the catalogue' };
		let ok = true;
		for (const [id, res] of Object.entries(card)) {
			if (id === 'package') continue;
			const detail = Object.entries(res)
				.filter(([k]) => k !== 'test')
				.map(([k, v]) => `${k}=${JSON.stringify(v)}`)
				.join(' ');
			if (offline[id] && skipped.size) {
				line(true, `${id} SKIPPED (${offline[id]}: ${CATALOGUE} stubbed with an empty catalogue) ${detail}`);
				continue;
			}
			ok = line(res.test === true, `${id} ${res.test ? 'pass' : 'FAIL'} ${detail}`) && ok;
		}
		// N01/N02 read the node definitions from the .html with acorn; when none can be read both pass
		// with nothing checked. Require N02 to have seen every non-config node type.
		const { nodeTypes } = require('../node-red/flows');
		const opTypes = nodeTypes().providers.flatMap((p) => p.ops.map((o) => o.type));
		const seen = new Set((card.N02 && card.N02.nodes) || []);
		const unseen = opTypes.filter((t) => !seen.has(t));
		ok =
			line(
				unseen.length === 0,
				`scorecard read the node definitions from the editor .html (N01/N02 not vacuous): ${opTypes.length - unseen.length}/${opTypes.length} operation types seen${unseen.length ? ' (node-red-dev needs RED.nodes.registerType("<type>", { …object literal… }) with literal category/color/icon/inputs/outputs and inline defaults/credentials; it printed "Unable to parse" for each .js)' : ''}`,
			) && ok;
		const expected = ['P01', 'P03', 'P04', 'P05', 'P06', 'P07', 'P08', 'N01', 'N02', 'D01', 'D02', 'D03'];
		const notRun = expected.filter((id) => !(id in card));
		ok = line(notRun.length === 0, `all scorecard checks ran${notRun.length ? `; did not run: ${notRun.join(', ')}` : ` (${expected.join(', ')})`}`) && ok;
		return ok;
	}
}

async function main() {
	const started = Date.now();
	const rows = [];
	let ok = true;
	for (const folder of packaging.folders()) {
		const pkg = packaging.manifest(folder);
		const kind = packaging.kind(pkg);
		const work = fs.mkdtempSync(path.join(os.tmpdir(), `otpflow-package-${folder}-`));
		try {
			process.stdout.write(`\n■ ${pkg.name} (packages/${folder}, ${kind})\n`);
			const { tarball, dir, files } = packAndUnpack(folder, work);
			let pass = checkContents(pkg, kind, files);
			if (kind === 'n8n') pass = (await checkN8n(pkg, dir)) && pass;
			if (kind === 'node-red') pass = (await scorecard(dir)) && pass;
			if (pkg.bin) pass = (await checkSandbox(pkg, tarball, work)) && pass;
			const unpacked = files.reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
			rows.push([pkg.name, files.length, fs.statSync(tarball).size, unpacked, Object.keys(pkg.dependencies || {}), pass]);
			ok = pass && ok;
		} finally {
			fs.rmSync(work, { recursive: true, force: true });
		}
	}
	process.stdout.write('\n| Package | Files | Packed | Unpacked | Runtime dependencies | Check |\n|---|---|---|---|---|---|\n');
	for (const [name, count, packed, unpacked, deps, pass] of rows) {
		process.stdout.write(
			`| ${name} | ${count} | ${(packed / 1024).toFixed(0)} kB | ${(unpacked / 1024).toFixed(0)} kB | ${deps.length} ${deps.length ? `(${deps.join(', ')})` : ''} | ${pass ? 'passed' : 'FAILED'} |\n`,
		);
	}
	process.stdout.write(`\n${ok ? '✔ packaging check passed' : '✘ packaging check FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
	process.exit(ok ? 0 : 1);
}

if (!fs.existsSync(packaging.STAGE)) {
	process.stderr.write('No dist/packages/: run `npm run build` first.\n');
	process.exit(2);
}
main().catch((e) => {
	process.stderr.write(`${e.stack || e.message}\n`);
	process.exit(1);
});
