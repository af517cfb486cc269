#!/usr/bin/env node
/**
 * npm run packages [-- DIR] [--published-here]: packs every package of packages/ from its built copy (run `npm run
 * build` first) into DIR (default dist/tarballs) and prints each tarball with its size and runtime dependencies. With
 * --published-here only the packages this repository publishes itself (packaging/release.js), not the n8n packages.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const packaging = require('.');
const { publishedHere } = require('./release');

const args = process.argv.slice(2);
const dest = path.resolve(args.find((a) => !a.startsWith('--')) || path.join(packaging.ROOT, 'dist', 'tarballs'));
for (const folder of args.includes('--published-here') ? publishedHere() : packaging.folders()) {
	const tarball = packaging.pack(folder, dest);
	const pkg = packaging.manifest(folder);
	const deps = Object.keys(pkg.dependencies || {});
	process.stdout.write(
		`${path.relative(process.cwd(), tarball)}  ${(fs.statSync(tarball).size / 1024).toFixed(0)} kB  ${deps.length ? `dependencies: ${deps.join(', ')}` : 'no dependencies'}\n`,
	);
}
