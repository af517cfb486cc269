/**
 * Our ESLint rules for n8n packages' manifests, and a way to run them on a folder as n8n's scanner runs its own (no
 * inline disables): `lintManifest(dir)` → { errorCount, messages } for dir/package.json.
 */
'use strict';

const path = require('node:path');
const { ESLint } = require('eslint');
const tseslint = require('typescript-eslint');

const plugin = { meta: { name: 'otpflow-n8n-manifest' }, rules: { 'no-monorepo': require('./no-monorepo') } };

/** The flat config block that applies them to the given package.json files. */
function manifestConfig(files = ['package.json']) {
	return { files, languageOptions: { parser: tseslint.parser }, plugins: { 'otpflow-n8n': plugin }, rules: { 'otpflow-n8n/no-monorepo': 'error' } };
}

async function lintManifest(dir) {
	const eslint = new ESLint({ cwd: dir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: [manifestConfig()] });
	const [result] = await eslint.lintFiles([path.join(dir, 'package.json')]);
	return { errorCount: result.errorCount, messages: result.messages.map((m) => `${path.join(dir, 'package.json')}:${m.line}:${m.column} ${m.message}`) };
}

module.exports = { plugin, manifestConfig, lintManifest };
