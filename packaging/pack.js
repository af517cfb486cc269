#!/usr/bin/env node
/**
 * npm run packages [-- DIR]: packs every package of packages/ from its built copy (run `npm run build` first) into
 * DIR (default dist/tarballs) and prints each tarball with its size and runtime dependencies.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const packaging = require('.');

const dest = path.resolve(process.argv[2] || path.join(packaging.ROOT, 'dist', 'tarballs'));
for (const folder of packaging.folders()) {
	const tarball = packaging.pack(folder, dest);
	const pkg = packaging.manifest(folder);
	const deps = Object.keys(pkg.dependencies || {});
	process.stdout.write(
		`${path.relative(process.cwd(), tarball)}  ${(fs.statSync(tarball).size / 1024).toFixed(0)} kB  ${deps.length ? `dependencies: ${deps.join(', ')}` : 'no dependencies'}\n`,
	);
}
