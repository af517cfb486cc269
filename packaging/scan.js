#!/usr/bin/env node
/**
 * n8n's community-package scanner (@n8n/scan-community-package, installed into the runtime cache on first use),
 * run offline on our own code. Its analysis is plain ESLint with n8n's rule sets and inline disables ignored, so
 * no `eslint-disable` comment can hide a finding from it.
 *
 *   node packaging/scan.js                 the source leg: nodes/ and credentials/ (every file the n8n packages
 *                                          ship, before compiling) and every n8n package's manifest
 *   node packaging/scan.js DIR…            the tarball leg: compiled .js and package.json of unpacked packages
 *
 * The published scan (`npx @n8n/scan-community-package <name>`) does the same two legs on the registry's
 * tarball and on the source its npm provenance names; only its download and provenance steps need the network.
 */
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const cache = require('../e2e/node-red/cache');
const packaging = require('.');

/** The scanner's own file patterns for each leg (scanner.mjs: SOURCE_FILE_PATTERNS and the tarball leg's). */
const SOURCE_PATTERNS = ['{nodes,credentials}/**/*.{js,ts,json}'];
const MANIFEST_PATTERNS = ['package.json', '{nodes,credentials}/**/*.{js,ts,json}'];
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

/**
 * The sources as the all-provider package's source tree: its manifest beside nodes/, credentials/ and icons/ (linked), so
 * the rules that read package.json's n8n section (credential reuse, credential tests) and the icon files see what that package has.
 */
function sourceTree() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-scan-'));
	fs.copyFileSync(path.join(packaging.ROOT, 'packages', packaging.folderOf('n8n'), 'package.json'), path.join(dir, 'package.json'));
	for (const sub of ['nodes', 'credentials', 'icons']) fs.symlinkSync(path.join(packaging.ROOT, sub), path.join(dir, sub), 'dir');
	return dir;
}

async function main(argv) {
	const targets = argv.length
		? argv.map((dir) => ({ label: dir, dir, patterns: TARBALL_PATTERNS }))
		: [
				{ label: 'nodes/ and credentials/ (TypeScript sources) with the all-provider manifest', dir: sourceTree(), patterns: SOURCE_PATTERNS, temporary: true },
				...packaging
					.folders()
					.filter((f) => packaging.kind(packaging.manifest(f)) === 'n8n')
					.map((f) => ({ label: `packages/${f}/package.json`, dir: path.join(packaging.ROOT, 'packages', f), patterns: MANIFEST_PATTERNS })),
			];
	let failed = 0;
	for (const t of targets) {
		const r = await scan(t.dir, t.patterns);
		if (t.temporary) fs.rmSync(t.dir, { recursive: true, force: true });
		process.stdout.write(`${r.passed ? '✔' : '✘'} n8n scanner: ${t.label}\n`);
		if (!r.passed) {
			failed++;
			process.stdout.write(`${r.details}\n`);
		}
	}
	if (failed) {
		process.stdout.write(`n8n's scanner found errors in ${failed} of ${targets.length}: n8n would refuse to verify these packages.\n`);
		process.exitCode = 1;
	}
}

module.exports = { scan, SOURCE_PATTERNS, MANIFEST_PATTERNS, TARBALL_PATTERNS };

if (require.main === module) {
	main(process.argv.slice(2)).catch((e) => {
		process.stderr.write(`${e.stack || e}\n`);
		process.exitCode = 1;
	});
}
