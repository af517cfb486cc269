#!/usr/bin/env node
/**
 * n8n's rules, run offline the way n8n's verification will run them, on what each n8n package's own repository holds
 * (packaging/repository.js: the manifest at the root, the TypeScript sources of its nodes and credentials, icons and
 * codex files). n8n's scanner (@n8n/scan-community-package) and n8n's node CLI (@n8n/node-cli) are installed into the
 * runtime cache on first use; inline `eslint-disable` comments are ignored by the scanner, so none can hide a finding.
 *
 *   node packaging/scan.js         for each n8n package's repository (written into a temporary folder; no build needed):
 *                                  1. the package at the root: one manifest, no repository.directory, its own repository
 *                                     (n8n's coming `no-monorepo` rule, packaging/rules/no-monorepo.js);
 *                                  2. the scanner's source leg: the registry plugin's recommended rules and
 *                                     eslint-plugin-n8n-nodes-base on package.json, nodes/ and credentials/;
 *                                  3. `n8n-node lint` there, in strict mode (the CLI's own eslint.config.mjs)
 *   node packaging/scan.js DIR…    the scanner's tarball leg: compiled .js and package.json of unpacked packages
 *
 * The published scan (`npx @n8n/scan-community-package <name>`) does the source leg on the repository its npm
 * provenance names, at the attested commit, and the tarball leg on the registry's tarball; only its download and
 * provenance steps need the network.
 */
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { pathToFileURL } = require('node:url');
const cache = require('../e2e/node-red/cache');
const repository = require('./repository');
const { lintManifest } = require('./rules');

/** The scanner's file patterns for each leg (scanner.mjs: SOURCE_FILE_PATTERNS and the tarball leg's). */
const SOURCE_PATTERNS = ['package.json', '{nodes,credentials}/**/*.{js,ts,json}'];
const TARBALL_PATTERNS = ['**/*.js', 'package.json'];

let scanner;
async function analyzer() {
	if (!scanner) {
		const installed = cache.n8nScanner();
		if (!installed.cached) process.stdout.write(`[scan] @n8n/scan-community-package ${installed.version} installed in ${installed.seconds.toFixed(1)} s\n`);
		scanner = await import(pathToFileURL(installed.scanner).href);
	}
	return scanner.analyzePackage;
}

/** { passed, details } for one directory and the scanner's file patterns. */
async function scan(dir, patterns) {
	const analyzePackage = await analyzer();
	const result = await analyzePackage(path.resolve(dir), patterns);
	return { passed: Boolean(result.passed), details: result.details || (result.passed ? '' : result.message) };
}

/** ESLint's summary line, e.g. "✖ 3 problems (2 errors, 1 warning)", read from n8n-node's colourful output. */
function problemCounts(output) {
	const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
	const m = plain.match(/\((\d+) errors?, (\d+) warnings?\)/);
	return { errors: m ? Number(m[1]) : 0, warnings: m ? Number(m[2]) : 0, plain };
}

/**
 * `n8n-node lint` in a repository folder. The CLI runs `npm exec -- eslint .` there, and its eslint.config.mjs imports
 * `@n8n/node-cli/eslint`: the folder borrows the cached CLI's node_modules (eslint, the CLI, n8n-workflow for imports).
 */
async function nodeCliLint(dir) {
	const cli = cache.n8nNodeCli();
	if (!cli.cached) process.stdout.write(`[scan] @n8n/node-cli ${cli.version} installed in ${cli.seconds.toFixed(1)} s\n`);
	fs.symlinkSync(path.join(cli.dir, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
	const child = spawn(process.execPath, [cli.bin, 'lint'], { cwd: dir, env: { ...process.env, npm_config_update_notifier: 'false' } });
	let output = '';
	child.stdout.on('data', (d) => (output += d));
	child.stderr.on('data', (d) => (output += d));
	const status = await new Promise((resolve) => child.on('close', resolve));
	const { errors, warnings, plain } = problemCounts(output);
	// A failure without ESLint's summary (strict mode refused the config, the CLI broke) still fails, with its output.
	return { passed: status === 0, errors: status === 0 ? errors : Math.max(errors, 1), warnings, details: plain.trim() };
}

/** The three checks on one n8n package's repository; each gives { label, passed, errors, warnings, details }. */
async function checkRepository(folder) {
	const dir = repository.writeRepository(folder, fs.mkdtempSync(path.join(os.tmpdir(), `otpflow-${folder}-`)), { withPackage: false });
	try {
		// n8n-node lint runs in its own process meanwhile.
		const linting = nodeCliLint(dir);
		const where = [...repository.repositoryProblems(dir, folder), ...(await lintManifest(dir)).messages.map((m) => m.split(dir).join(folder))];
		const source = await scan(dir, SOURCE_PATTERNS);
		const cli = await linting;
		// Findings name files as the package's repository has them: <folder>/nodes/…, not the temporary folder.
		const named = (text) => text.split(dir).join(folder);
		return [
			{ label: `${folder}: the package at the root of its own repository`, passed: where.length === 0, errors: where.length, details: where.join('\n') },
			{ label: `${folder}: n8n scanner, source leg`, passed: source.passed, errors: source.passed ? 0 : 1, details: named(source.details) },
			{ label: `${folder}: n8n-node lint`, ...cli, details: cli.passed ? '' : named(cli.details) },
		];
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

async function main(argv) {
	let failed = 0;
	let checks = 0;
	const report = (r) => {
		checks++;
		const count = (n, what) => `${n} ${what}${n === 1 ? '' : 's'}`;
		const counts = r.errors !== undefined ? ` (${count(r.errors, 'error')}${r.warnings ? `, ${count(r.warnings, 'warning')}` : ''})` : '';
		process.stdout.write(`${r.passed ? '✔' : '✘'} ${r.label}${counts}\n`);
		if (!r.passed) {
			failed++;
			process.stdout.write(`${r.details}\n`);
		}
	};
	if (argv.length) {
		for (const dir of argv) report({ label: `n8n scanner: ${dir}`, ...(await scan(dir, TARBALL_PATTERNS)) });
	} else {
		// Two repositories at a time (each also has its n8n-node lint process), reported in order.
		const folders = repository.n8nFolders();
		const results = new Array(folders.length);
		let next = 0;
		const worker = async () => {
			while (next < folders.length) {
				const i = next++;
				results[i] = await checkRepository(folders[i]);
			}
		};
		await Promise.all([worker(), worker()]);
		for (const r of results.flat()) report(r);
	}
	if (failed) {
		process.stdout.write(`${failed} of ${checks} checks failed: n8n would refuse to verify these packages.\n`);
		process.exitCode = 1;
	}
}

module.exports = { scan, checkRepository, problemCounts, SOURCE_PATTERNS, TARBALL_PATTERNS };

if (require.main === module) {
	main(process.argv.slice(2)).catch((e) => {
		process.stderr.write(`${e.stack || e}\n`);
		process.exitCode = 1;
	});
}
