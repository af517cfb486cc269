/**
 * The packages this repository publishes, and how one build becomes each of them.
 *
 * Every folder of packages/ holds the manifest (package.json) of one npm package. Its entry points (the
 * n8n nodes and credentials, the Node-RED node files, `main`, `bin`) name files under dist/; staging copies
 * exactly what those entry points require, file by file, into dist/packages/<folder>/, with the assets that
 * go with them (n8n icons and codex files, Node-RED editor HTML, icons and help). So the per-provider n8n
 * packages carry one provider, the n8n packages carry no Node-RED or sandbox code, and a require of a
 * package that the manifest does not declare fails the build. Every other entry of the manifest's `files`
 * (examples/, templates/) is copied from the repository root as it is, with LICENSE and a README written for the package (packaging/readme.js).
 *
 *   staged = stage('n8n-nodes-bos')        → dist/packages/n8n-nodes-bos/
 *   tarball = pack('n8n-nodes-bos', dir)   → dir/otpflow-n8n-nodes-bos-0.1.0.tgz
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { builtinModules } = require('node:module');
const { spawnSync } = require('node:child_process');
const { packageReadme, readmeSources } = require('./readme');

const ROOT = path.resolve(__dirname, '..');
const MANIFESTS = path.join(ROOT, 'packages');
const STAGE = path.join(ROOT, 'dist', 'packages');
/** Provided by n8n itself at run time (an optional peer); never installed with our packages. */
const N8N_PEERS = new Set(['n8n-workflow']);
const BUILTINS = new Set(builtinModules);

/** Folder names under packages/, in a stable order. */
function folders() {
	return fs
		.readdirSync(MANIFESTS, { withFileTypes: true })
		.filter((d) => d.isDirectory() && fs.existsSync(path.join(MANIFESTS, d.name, 'package.json')))
		.map((d) => d.name)
		.sort();
}

function manifest(folder) {
	return JSON.parse(fs.readFileSync(path.join(MANIFESTS, folder, 'package.json'), 'utf8'));
}

/** What kind of package a manifest describes: 'n8n', 'node-red' or 'tool' (the sandbox). */
function kind(pkg) {
	if (pkg.n8n) return 'n8n';
	if (pkg['node-red']) return 'node-red';
	return 'tool';
}

/** The files a manifest names as entry points, relative to the package root. */
function entryPoints(pkg) {
	const bins = typeof pkg.bin === 'string' ? [pkg.bin] : Object.values(pkg.bin || {});
	return [...(pkg.n8n?.nodes || []), ...(pkg.n8n?.credentials || []), ...Object.values(pkg['node-red']?.nodes || {}), ...(pkg.main ? [pkg.main] : []), ...bins];
}

/** The bare package name of a require specifier: 'axios', '@scope/name', 'node:fs' → 'node:fs'. */
function packageOf(specifier) {
	const parts = specifier.split('/');
	return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function resolveRelative(fromFile, specifier) {
	const base = path.resolve(path.dirname(fromFile), specifier);
	for (const candidate of [base, `${base}.js`, path.join(base, 'index.js')]) {
		if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
	}
	throw new Error(`${path.relative(ROOT, fromFile)} requires ${specifier}, which is not in dist/: run the build first`);
}

/**
 * Every compiled file the entry points reach through require(), and the packages they need from outside.
 * tsc's CommonJS output writes each import as require("…"), so reading the calls finds them all.
 */
function requireClosure(entries) {
	const files = new Set();
	const external = new Map(); // package name → first file that needs it
	const queue = entries.map((e) => path.join(ROOT, e));
	while (queue.length) {
		const file = queue.pop();
		if (files.has(file)) continue;
		if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, file)} does not exist: run the build first`);
		files.add(file);
		const source = fs.readFileSync(file, 'utf8');
		for (const m of source.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
			const specifier = m[1];
			if (specifier.startsWith('.')) queue.push(resolveRelative(file, specifier));
			else if (!external.has(packageOf(specifier))) external.set(packageOf(specifier), path.relative(ROOT, file));
		}
	}
	return { files: [...files], external };
}

/** Icons, codex files, editor HTML and help that belong with the entry points. */
function assets(pkg) {
	const out = [];
	const add = (file) => {
		if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is named by the package but was not built`);
		out.push(file);
	};
	for (const entry of [...(pkg.n8n?.nodes || []), ...(pkg.n8n?.credentials || [])]) {
		const file = path.join(ROOT, entry);
		const source = fs.readFileSync(file, 'utf8');
		for (const m of source.matchAll(/["']file:([^"']+)["']/g)) add(path.resolve(path.dirname(file), m[1]));
		const codex = file.replace(/\.node\.js$/, '.node.json');
		if (codex !== file) add(codex);
	}
	for (const entry of Object.values(pkg['node-red']?.nodes || {})) {
		const file = path.join(ROOT, entry);
		const dir = path.dirname(file);
		const stem = path.basename(file, '.js');
		add(path.join(dir, `${stem}.html`));
		const html = fs.readFileSync(path.join(dir, `${stem}.html`), 'utf8');
		for (const m of html.matchAll(/icon\s*:\s*["']([^"'/]+\.(?:svg|png))["']/g)) add(path.join(dir, 'icons', m[1]));
		const locales = path.join(dir, 'locales');
		for (const lang of fs.existsSync(locales) ? fs.readdirSync(locales) : []) {
			for (const ext of ['html', 'json']) {
				const help = path.join(locales, lang, `${stem}.${ext}`);
				if (fs.existsSync(help)) add(help);
			}
		}
	}
	return out;
}

/** The repository files one package ships, as absolute paths (dist/ files relative to the repository root). */
function contents(folder, pkg = manifest(folder)) {
	const { files, external } = requireClosure(entryPoints(pkg));
	const declared = new Set([...Object.keys(pkg.dependencies || {}), ...(kind(pkg) === 'n8n' ? N8N_PEERS : [])]);
	const undeclared = [...external].filter(([name]) => !BUILTINS.has(name) && !name.startsWith('node:') && !declared.has(name));
	if (undeclared.length) {
		throw new Error(
			`${pkg.name} would need packages its manifest does not declare: ${undeclared.map(([n, f]) => `${n} (required by ${f})`).join(', ')}. ` +
				'Declare them in packages/' +
				folder +
				'/package.json, or keep that code out of this package.',
		);
	}
	const extras = (pkg.files || []).filter((f) => f !== 'dist').map((f) => path.join(ROOT, f));
	return { pkg, files: [...new Set([...files, ...assets(pkg)])].sort(), extras, external: [...external.keys()].sort() };
}

/**
 * A node's codex file as one package ships it: `node` names the node type that package registers,
 * `<package name>.<node name>` (the codex in nodes/ names the all-provider package's).
 */
function codexFor(pkg, text) {
	return text.replace(/("node"\s*:\s*")[^"]*\.([^".]+)"/, (_m, key, node) => `${key}${pkg.name}.${node}"`);
}

/** Writes dist/packages/<folder>/: the manifest, its README (packaging/readme.js), LICENSE, the dist/ closure and the extra folders. */
function stage(folder, sources = readmeSources(ROOT)) {
	const { pkg, files, extras } = contents(folder);
	const out = path.join(STAGE, folder);
	fs.rmSync(out, { recursive: true, force: true });
	fs.mkdirSync(out, { recursive: true });
	fs.writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
	fs.writeFileSync(path.join(out, 'README.md'), packageReadme(pkg, folder, kind(pkg), sources));
	fs.copyFileSync(path.join(ROOT, 'LICENSE'), path.join(out, 'LICENSE'));
	for (const file of files) {
		const target = path.join(out, path.relative(ROOT, file));
		fs.mkdirSync(path.dirname(target), { recursive: true });
		if (file.endsWith('.node.json')) fs.writeFileSync(target, codexFor(pkg, fs.readFileSync(file, 'utf8')));
		else fs.copyFileSync(file, target);
	}
	for (const dir of extras) fs.cpSync(dir, path.join(out, path.relative(ROOT, dir)), { recursive: true });
	return out;
}

function stagedDir(folder) {
	const dir = path.join(STAGE, folder);
	if (!fs.existsSync(path.join(dir, 'package.json'))) throw new Error(`dist/packages/${folder} is missing: run \`npx gulp build\` first`);
	return dir;
}

/** `npm pack`s a staged package into destDir; returns the tarball's absolute path. */
function pack(folder, destDir) {
	fs.mkdirSync(destDir, { recursive: true });
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const r = spawnSync(npm, ['pack', '--json', '--pack-destination', destDir, '--ignore-scripts'], { cwd: stagedDir(folder), encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`npm pack of ${folder} failed:\n${r.stderr}`);
	const [info] = JSON.parse(r.stdout.slice(r.stdout.indexOf('[')));
	return path.join(destDir, info.filename);
}

/** The folder of the package of a kind, e.g. byKind('node-red') → 'node-red-otpflow'; n8n: the all-provider one. */
function folderOf(which) {
	const named = { n8n: 'n8n-nodes-otpflow', 'node-red': 'node-red-otpflow', sandbox: 'sandbox' };
	const folder = named[which] || which;
	if (!folders().includes(folder)) throw new Error(`No package folder packages/${folder}`);
	return folder;
}

module.exports = { ROOT, STAGE, folders, manifest, kind, entryPoints, requireClosure, contents, codexFor, stage, stagedDir, pack, folderOf, readmeSources };
