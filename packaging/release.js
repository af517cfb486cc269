#!/usr/bin/env node
/**
 * node packaging/release.js check v0.1.0: fails unless the tag is `v` + the version every package of packages/ and
 * the workspace carry (the release workflow runs it before publishing anything).
 *
 * Where each package is published from: an n8n package from the root of its own repository (packaging/repository.js,
 * whose workflow publishes it), every other package from this repository's release workflow (`publishedHere`).
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const packaging = require('.');

function versionProblems(tag) {
	const workspace = JSON.parse(fs.readFileSync(path.join(packaging.ROOT, 'package.json'), 'utf8')).version;
	const problems = [];
	if (tag !== `v${workspace}`) problems.push(`the tag ${tag} is not v${workspace}, the workspace's version`);
	for (const folder of packaging.folders()) {
		const { name, version } = packaging.manifest(folder);
		if (version !== workspace) problems.push(`${name} (packages/${folder}) is ${version}, not ${workspace}`);
	}
	return problems;
}

/** The packages this repository's own workflow publishes: all but the n8n packages, which have repositories of their own. */
function publishedHere() {
	const own = new Set(require('./repository').n8nFolders());
	return packaging.folders().filter((folder) => !own.has(folder));
}

module.exports = { versionProblems, publishedHere };

if (require.main === module) {
	const [command, tag] = process.argv.slice(2);
	if (command !== 'check' || !tag) {
		process.stderr.write('Usage: node packaging/release.js check <tag>\n');
		process.exit(2);
	}
	const problems = versionProblems(tag);
	for (const p of problems) process.stderr.write(`✘ ${p}\n`);
	if (problems.length) process.exit(1);
	process.stdout.write(`✔ ${tag}: every package is ${tag.slice(1)}\n`);
}
