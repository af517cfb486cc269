#!/usr/bin/env node
'use strict';
/**
 * Packaging check: what `npm pack` would publish, and Node-RED's scorecard (`node-red-dev validate`).
 *
 *   node e2e/package/check.js          (needs `npx gulp build` first; installs node-red-dev into the cache)
 *
 * 1. `npm pack --dry-run --json`: every file users need is in (package.json, README, LICENSE, the n8n nodes,
 *    codex files and credentials from package.json "n8n", every icon they reference, the Node-RED runtime
 *    .js and editor .html from package.json "node-red" with the icons the .html names, examples/, templates/)
 *    and nothing else (an allow list; tests, e2e, scripts, TypeScript sources, source maps, sandbox state,
 *    tarballs, config files are named when found).
 * 2. The real tarball unpacked and its production dependencies installed, then node-red-dev's validate
 *    command run in process on it. Its only non-registry lookups (catalogue.nodered.org, for N01 duplicate
 *    node types and P08 similar names) are answered by a stub with an empty catalogue and reported as
 *    skipped; registry.npmjs.org lookups (P06, P07, D02, D03) are real.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const cache = require('../node-red/cache');

const ROOT = path.resolve(__dirname, '..', '..');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const CATALOGUE = 'https://catalogue.nodered.org/catalogue.json';

/** Files a user of the package may receive. Anything else in the tarball fails the check. */
const ALLOWED = [
	/^package\.json$/,
	/^README\.md$/,
	/^LICENSE$/,
	/^dist\/(nodes|credentials|node-red|sandbox)\/.+\.js$/,
	/^dist\/nodes\/[^/]+\/[^/]+\.node\.json$/,
	/^dist\/icons\/[^/]+\.(svg|png)$/,
	/^dist\/nodes\/[^/]+\/[^/]+\.(svg|png)$/,
	/^dist\/node-red\/[^/]+\.html$/,
	/^dist\/node-red\/icons\/[^/]+\.(svg|png)$/,
	/^dist\/node-red\/locales\/[^/]+\/[^/]+\.(json|html)$/,
	/^examples\/[^/]+\/[^/]+\.json$/,
	/^templates\/n8n\/(journeys\/)?[^/]+\.json$/,
];

/** Named reasons for what must never ship (checked first, for a clearer message). */
const FORBIDDEN = [
	[/^(test|tests|__tests__|e2e|coverage|scripts|\.ci|seeds)\//, 'tests, e2e, scripts or CI files'],
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

function tarballContents() {
	const out = cache.runNpm(['pack', '--dry-run', '--json', '--ignore-scripts'], ROOT);
	const [info] = JSON.parse(out.slice(out.indexOf('[')));
	return info;
}

/** `file:` icon paths in the compiled n8n nodes and credentials, resolved inside the package. */
function n8nIcons() {
	const icons = [];
	for (const js of [...(PKG.n8n?.nodes || []), ...(PKG.n8n?.credentials || [])]) {
		const src = fs.readFileSync(path.join(ROOT, js), 'utf8');
		for (const m of src.matchAll(/['"]file:([^'"]+)['"]/g)) icons.push({ from: js, file: path.posix.normalize(path.posix.join(path.posix.dirname(js), m[1])) });
	}
	return icons;
}

/** `icon: "x.svg"` in the Node-RED editor files: Node-RED serves them from icons/ beside the .js. */
function nodeRedIcons() {
	const icons = [];
	for (const js of Object.values(PKG['node-red']?.nodes || {})) {
		const html = js.replace(/\.js$/, '.html');
		const src = fs.readFileSync(path.join(ROOT, html), 'utf8');
		for (const m of src.matchAll(/icon\s*:\s*['"]([^'"]+\.(?:svg|png))['"]/g)) {
			if (m[1].includes('/')) continue; // a core icon such as "font-awesome/fa-key" or "node-red/…"
			icons.push({ from: html, file: path.posix.join(path.posix.dirname(js), 'icons', m[1]) });
		}
	}
	return icons;
}

function checkContents() {
	process.stdout.write('■ npm pack --dry-run --json\n');
	const info = tarballContents();
	const files = info.files.map((f) => f.path);
	const set = new Set(files);
	let ok = true;
	ok =
		line(
			true,
			`${info.name}@${info.version}: ${info.entryCount} files, ${(info.size / 1024).toFixed(0)} kB packed, ${(info.unpackedSize / 1024).toFixed(0)} kB unpacked`,
		) && ok;
	const required = [
		'package.json',
		'README.md',
		'LICENSE',
		...(PKG.n8n?.nodes || []),
		...(PKG.n8n?.nodes || []).map((n) => n.replace(/\.js$/, '.json')),
		...(PKG.n8n?.credentials || []),
		...Object.values(PKG['node-red']?.nodes || {}),
		...Object.values(PKG['node-red']?.nodes || {}).map((n) => n.replace(/\.js$/, '.html')),
		PKG.main,
	];
	const missing = required.filter((f) => !set.has(f));
	ok =
		line(
			missing.length === 0,
			`declared entry points present (package.json main, n8n nodes + codex + credentials, Node-RED .js + .html): ${required.length}${missing.length ? `; MISSING ${missing.join(', ')}` : ''}`,
		) && ok;
	const iconRefs = [...n8nIcons(files), ...nodeRedIcons()];
	const missingIcons = iconRefs.filter((i) => !set.has(i.file));
	ok =
		line(
			missingIcons.length === 0,
			`icons referenced by n8n nodes/credentials and Node-RED editor files present: ${iconRefs.length - missingIcons.length}/${iconRefs.length}${missingIcons.length ? `; MISSING ${[...new Set(missingIcons.map((i) => i.file))].join(', ')} (referenced from ${[...new Set(missingIcons.map((i) => i.from))].length} files)` : ''}`,
		) && ok;
	// Every local require() of a shipped .js must resolve to a shipped file.
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
			`every relative require() in the shipped .js resolves inside the tarball${unresolved.length ? `: ${unresolved.slice(0, 10).join('; ')}` : ''}`,
		) && ok;
	const exampleFiles = files.filter((f) => f.startsWith('examples/'));
	const exampleSrc = listFiles(path.join(ROOT, 'examples'))
		.map((f) => `examples/${f}`)
		.filter((f) => f.endsWith('.json'));
	ok = line(exampleFiles.length > 0 && exampleSrc.every((f) => set.has(f)), `examples/ shipped: ${exampleFiles.length}/${exampleSrc.length} flow files`) && ok;
	const templateFiles = files.filter((f) => f.startsWith('templates/'));
	ok = line(templateFiles.length > 0, `templates/ shipped: ${templateFiles.length} n8n files`) && ok;
	const forbidden = [];
	const unexpected = [];
	for (const f of files) {
		const bad = FORBIDDEN.find(([re]) => re.test(f));
		if (bad) forbidden.push(`${f} (${bad[1]})`);
		else if (!ALLOWED.some((re) => re.test(f))) unexpected.push(f);
	}
	ok =
		line(
			forbidden.length === 0,
			`nothing that must not ship (tests, e2e, scripts, .ts, source maps, sandbox/Node-RED state, tarballs, tool config)${forbidden.length ? `: ${forbidden.join(', ')}` : ''}`,
		) && ok;
	ok = line(unexpected.length === 0, `nothing outside the allow list${unexpected.length ? `: ${unexpected.join(', ')}` : ''}`) && ok;
	const secretsInExamples = [];
	for (const f of [...exampleFiles, ...templateFiles]) {
		const nodes = JSON.parse(fs.readFileSync(path.join(ROOT, f), 'utf8'));
		const list = Array.isArray(nodes) ? nodes : [];
		for (const n of list) if (n && n.credentials && Object.keys(n.credentials).length) secretsInExamples.push(`${f}: node ${n.id}`);
	}
	ok =
		line(secretsInExamples.length === 0, `no example flow carries a credentials block${secretsInExamples.length ? `: ${secretsInExamples.join(', ')}` : ''}`) &&
		ok;
	return ok;
}

function listFiles(dir, prefix = '') {
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir, { withFileTypes: true })
		.flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
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

async function scorecard() {
	process.stdout.write('\n■ node-red-dev validate (Node-RED scorecard)\n');
	const dev = cache.nodeRedDev();
	process.stdout.write(`  node-red-dev ${dev.version} (${dev.cached ? 'cached' : `installed in ${dev.seconds.toFixed(1)} s`}) in ${dev.dir}\n`);
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-package-'));
	try {
		const out = cache.runNpm(['pack', '--json', '--ignore-scripts', '--pack-destination', work], ROOT);
		const [info] = JSON.parse(out.slice(out.indexOf('[')));
		const tar = require(require.resolve('tar', { paths: [dev.moduleDir] }));
		await tar.x({ file: path.join(work, info.filename), cwd: work });
		const pkgDir = path.join(work, 'package');
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
		const opTypes = nodeTypes(pkgDir).providers.flatMap((p) => p.ops.map((o) => o.type));
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
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

async function main() {
	const started = Date.now();
	if (!fs.existsSync(path.join(ROOT, 'dist', 'node-red'))) {
		process.stderr.write('No dist/: run `npx gulp build` (or `npm run build`) first.\n');
		process.exit(2);
	}
	const contents = checkContents();
	const card = await scorecard();
	process.stdout.write(`\n${contents && card ? '✔ packaging check passed' : '✘ packaging check FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
	process.exit(contents && card ? 0 : 1);
}

main().catch((e) => {
	process.stderr.write(`${e.stack || e.message}\n`);
	process.exit(1);
});
