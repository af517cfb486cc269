#!/usr/bin/env node
/**
 * Each n8n package's own repository, github.com/otpflow/<folder>: the package at its root, so n8n's scanner, which
 * lints the source that the package's npm provenance names, finds one package and no `repository.directory`.
 * Development stays here; a release writes each such repository from this one and pushes it with the version tag,
 * and the repository's own workflow publishes it with provenance (docs/release.md).
 *
 * A repository holds: the staged package (package.json, README.md, LICENSE, dist/, templates/), the TypeScript
 * sources of its nodes and credentials with the icons and codex files they name (the scanner's source leg), the
 * eslint.config.mjs `n8n-node lint` expects in strict mode, and the publishing workflow.
 *
 *   node packaging/repository.js write DIR           every n8n package's repository into DIR/<folder> (after the build)
 *   node packaging/repository.js push DIR TAG        commit each DIR/<folder> to its repository's main and tag it TAG
 */
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const packaging = require('.');

const ROOT = packaging.ROOT;
const OWNER = 'otpflow';
/** Where development happens, e.g. otpflow/otpflow: named in each release commit of the packages' repositories. */
const DEVELOPMENT = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).repository.url.match(/github\.com\/(.+?)(?:\.git)?$/)[1];
const TEMPLATES = path.join(__dirname, 'repository');
/** What a repository holds beyond the package: the files written from packaging/repository/ (name there → path). */
const TEMPLATE_FILES = { 'eslint.config.mjs': 'eslint.config.mjs', 'publish.yml': '.github/workflows/publish.yml', gitignore: '.gitignore' };

/** The n8n packages, each published from a repository of its own. */
function n8nFolders() {
	return packaging.folders().filter((f) => packaging.kind(packaging.manifest(f)) === 'n8n');
}

/** The repository an n8n package is published from: `git+https://github.com/otpflow/<folder>.git`. */
function repositoryUrl(folder) {
	return `git+https://github.com/${OWNER}/${folder}.git`;
}

function resolveSource(fromFile, specifier) {
	const base = path.resolve(path.dirname(fromFile), specifier);
	for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) {
		if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
	}
	throw new Error(`${path.relative(ROOT, fromFile)} imports ${specifier}, which has no source file`);
}

/**
 * The TypeScript sources behind a package's n8n entry points: every file they import, type-only imports included
 * (tsc drops those from the compiled files, but the sources need them to read and lint), with the icons and codex
 * files the nodes and credentials name. Paths relative to the repository root, which is also their place in the
 * package's own repository.
 */
function sources(pkg) {
	const entries = [...pkg.n8n.nodes, ...pkg.n8n.credentials].map((e) => path.join(ROOT, e.replace(/^dist\//, '').replace(/\.js$/, '.ts')));
	const files = new Set();
	const queue = [...entries];
	while (queue.length) {
		const file = queue.pop();
		if (files.has(file)) continue;
		files.add(file);
		const text = fs.readFileSync(file, 'utf8');
		for (const m of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*|\brequire\(\s*)["'](\.[^"']*)["']/g)) queue.push(resolveSource(file, m[1]));
		for (const m of text.matchAll(/["']file:([^"']+)["']/g)) files.add(path.resolve(path.dirname(file), m[1]));
	}
	for (const entry of entries) {
		const codex = entry.replace(/\.node\.ts$/, '.node.json');
		if (codex !== entry) files.add(codex);
	}
	for (const file of files) if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is named by ${pkg.name}'s sources but does not exist`);
	return [...files].map((f) => path.relative(ROOT, f).split(path.sep).join('/')).sort();
}

function copyInto(out, rel, from = path.join(ROOT, rel)) {
	const target = path.join(out, rel);
	fs.mkdirSync(path.dirname(target), { recursive: true });
	fs.copyFileSync(from, target);
}

/**
 * Writes the repository of one n8n package into `out` (emptied first). `withPackage: false` leaves out what the
 * build makes (dist/, README, LICENSE): the lint reads only the manifest and the sources, and runs before the build.
 */
function writeRepository(folder, out, { withPackage = true } = {}) {
	const pkg = packaging.manifest(folder);
	if (packaging.kind(pkg) !== 'n8n') throw new Error(`${pkg.name} is not an n8n package: it is published from this repository`);
	fs.rmSync(out, { recursive: true, force: true });
	fs.mkdirSync(out, { recursive: true });
	if (withPackage) fs.cpSync(packaging.stagedDir(folder), out, { recursive: true });
	else fs.writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
	for (const rel of sources(pkg)) {
		copyInto(out, rel);
		if (rel.endsWith('.node.json')) fs.writeFileSync(path.join(out, rel), packaging.codexFor(pkg, fs.readFileSync(path.join(ROOT, rel), 'utf8')));
	}
	for (const [name, rel] of Object.entries(TEMPLATE_FILES)) copyInto(out, rel, path.join(TEMPLATES, name));
	return out;
}

/**
 * What would keep n8n from finding the package at the root of the repository written in `dir`: its manifest must be
 * the root package.json, name its own repository (npm's provenance check), and be the only manifest (the scanner
 * takes the first package.json with the package's name it finds). A `repository.directory` is the no-monorepo
 * rule's to report (packaging/rules).
 */
function repositoryProblems(dir, folder) {
	const problems = [];
	const rootManifest = path.join(dir, 'package.json');
	if (!fs.existsSync(rootManifest)) return [`${folder}: no package.json at the root of its repository`];
	const pkg = JSON.parse(fs.readFileSync(rootManifest, 'utf8'));
	if (pkg.repository?.url !== repositoryUrl(folder)) {
		problems.push(`${folder}/package.json: repository.url is "${pkg.repository?.url}", not its own repository ${repositoryUrl(folder)}`);
	}
	const nested = listFiles(dir).filter((f) => f !== 'package.json' && path.basename(f) === 'package.json' && !f.split('/').includes('node_modules'));
	for (const file of nested) problems.push(`${folder}/${file}: a second package.json in the repository; the manifest belongs at the root only`);
	return problems;
}

function listFiles(dir, prefix = '') {
	return fs
		.readdirSync(dir, { withFileTypes: true })
		.flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

function git(args, cwd, { allowFailure = false } = {}) {
	const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
	// The remote's address carries the token: never in a message.
	const redact = (text) => text.replace(/x-access-token:[^@\s]+@/g, 'x-access-token:***@');
	if (r.status !== 0 && !allowFailure) throw new Error(redact(`git ${args.join(' ')} failed in ${cwd}:\n${r.stderr}`));
	return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * Commits the repository written in `dir` on top of `remote`'s main (its whole tree replaced) and pushes main and
 * `tag`. A tag the remote already has is left alone when it holds the same tree (a re-run of a release), and is an
 * error otherwise: a published version never changes.
 */
function pushRepository(dir, remote, tag, { message = `Release ${tag}`, author = 'OTP Flow release <maintainers@otpflow.dev>' } = {}) {
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-release-'));
	try {
		git(['init', '--quiet', '--initial-branch=main'], work);
		git(['remote', 'add', 'origin', remote], work);
		const hasMain = git(['fetch', '--quiet', '--depth=1', 'origin', 'main'], work, { allowFailure: true }) !== undefined;
		if (hasMain) git(['reset', '--quiet', '--soft', 'FETCH_HEAD'], work);
		for (const e of fs.readdirSync(dir)) fs.cpSync(path.join(dir, e), path.join(work, e), { recursive: true });
		git(['add', '--all'], work);
		const [name, email] = author.match(/^(.*) <(.*)>$/).slice(1);
		const env = ['-c', `user.name=${name}`, '-c', `user.email=${email}`];
		const tree = git(['write-tree'], work);
		const existing = git(['ls-remote', '--tags', 'origin', `refs/tags/${tag}`], work);
		if (existing) {
			git(['fetch', '--quiet', '--depth=1', 'origin', `refs/tags/${tag}:refs/tags/${tag}`], work);
			if (git(['rev-parse', `${tag}^{tree}`], work) === tree) return { pushed: false, tag };
			throw new Error(`${remote} already has ${tag} with other contents: a released version is never replaced`);
		}
		git([...env, 'commit', '--quiet', '--allow-empty', '-m', message], work);
		git([...env, 'tag', '-a', tag, '-m', message], work);
		git(['push', '--quiet', 'origin', 'HEAD:refs/heads/main', `refs/tags/${tag}`], work);
		return { pushed: true, tag, commit: git(['rev-parse', 'HEAD'], work) };
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

/** The address a release pushes to: RELEASE_REPOSITORY_BASE (a local folder in tests) or GitHub with the token. */
function remoteOf(folder, env = process.env) {
	if (env.RELEASE_REPOSITORY_BASE) return `${env.RELEASE_REPOSITORY_BASE.replace(/\/$/, '')}/${folder}.git`;
	if (!env.RELEASE_REPOSITORIES_TOKEN)
		throw new Error('RELEASE_REPOSITORIES_TOKEN is not set: it needs contents and workflows write on every otpflow/n8n-nodes-* repository');
	return `https://x-access-token:${env.RELEASE_REPOSITORIES_TOKEN}@github.com/${OWNER}/${folder}.git`;
}

module.exports = { OWNER, TEMPLATES, n8nFolders, repositoryUrl, sources, writeRepository, repositoryProblems, pushRepository, remoteOf, listFiles };

async function main([command, dir, tag]) {
	try {
		if (command === 'write' && dir) {
			const { lintManifest } = require('./rules');
			for (const folder of n8nFolders()) {
				const out = writeRepository(folder, path.resolve(dir, folder));
				const problems = [...repositoryProblems(out, folder), ...(await lintManifest(out)).messages];
				if (problems.length) throw new Error(problems.join('\n'));
				process.stdout.write(`✔ ${path.relative(process.cwd(), out)}: ${listFiles(out).length} files for github.com/${OWNER}/${folder}\n`);
			}
		} else if (command === 'push' && dir && tag) {
			const sourceCommit = git(['rev-parse', 'HEAD'], ROOT, { allowFailure: true });
			for (const folder of n8nFolders()) {
				const message = `Release ${tag}${sourceCommit ? ` (${DEVELOPMENT}@${sourceCommit.slice(0, 12)})` : ''}`;
				const r = pushRepository(path.resolve(dir, folder), remoteOf(folder), tag, { message });
				process.stdout.write(`${r.pushed ? '✔ pushed' : '✔ already released'} ${OWNER}/${folder} ${tag}\n`);
			}
		} else {
			process.stderr.write('Usage: node packaging/repository.js write DIR | push DIR TAG\n');
			process.exitCode = 2;
		}
	} catch (e) {
		process.stderr.write(`✘ ${e.message}\n`);
		process.exitCode = 1;
	}
}

if (require.main === module) main(process.argv.slice(2));
