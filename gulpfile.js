/**
 * Build: TypeScript → dist/ (CommonJS), then the files tsc does not handle:
 * icons for n8n (dist/icons) and Node-RED (dist/node-red/icons), and the Node-RED editor HTML,
 * which is generated from the same provider descriptions as the nodes. Last, each published package is staged
 * under dist/packages/ from its manifest in packages/.
 */
const { series, src, dest } = require('gulp');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const dist = path.join(__dirname, 'dist');

function clean(done) {
	fs.rmSync(dist, { recursive: true, force: true });
	done();
}

function compile(done) {
	execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], { stdio: 'inherit' });
	done();
}

function n8nIcons() {
	return src('icons/*.svg').pipe(dest('dist/icons'));
}

/** n8n reads each node's codex file (<Node>.node.json) beside its compiled .node.js. */
function codex() {
	return src('nodes/*/*.node.json').pipe(dest('dist/nodes'));
}

function nodeRedIcons() {
	return src('icons/node-red/*.svg').pipe(dest('dist/node-red/icons'));
}

/** dist/packages/<folder>/ for every manifest in packages/ (see packaging/index.js): what npm publishes. */
function packages(done) {
	const packaging = require('./packaging');
	const sources = packaging.readmeSources(packaging.ROOT);
	for (const folder of packaging.folders()) packaging.stage(folder, sources);
	done();
}

function nodeRedEditor(done) {
	const generator = path.join(dist, 'node-red', 'editor', 'build.js');
	if (fs.existsSync(generator)) execFileSync(process.execPath, [generator], { stdio: 'inherit' });
	done();
}

exports.clean = clean;
exports.packages = packages;
exports.build = series(clean, compile, codex, n8nIcons, nodeRedIcons, nodeRedEditor, packages);
exports.default = exports.build;
