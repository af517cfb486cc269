/**
 * Writes the editor HTML beside each compiled Node-RED entry: dist/node-red/<name>.js → <name>.html.
 * Run after tsc: `node dist/node-red/editor/build.js [dir]` (dir defaults to the compiled node-red folder).
 * Entries are found, not listed: any module there exporting a `provider` (see register.ts providerModule).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ProviderSpec } from '../../nodes/core';
import { providerHelp, providerHtml } from './html';
import { journeysHelp, journeysHtml } from './journeys-html';

export function findEntries(dir: string): Array<{ file: string; provider: ProviderSpec }> {
	const entries: Array<{ file: string; provider: ProviderSpec }> = [];
	for (const name of fs.readdirSync(dir).sort()) {
		if (!/\.js$/.test(name)) continue;
		const file = path.join(dir, name);
		// Entries are found on disk at build time, so they are loaded by path.
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const mod: unknown = require(file);
		const provider = typeof mod === 'function' ? (mod as { provider?: ProviderSpec }).provider : undefined;
		if (provider) entries.push({ file, provider });
	}
	return entries;
}

/** Writes <name>.html beside each entry and its help to locales/en-US/<name>.html. */
export function buildEditor(dir: string): string[] {
	const locale = path.join(dir, 'locales', 'en-US');
	fs.mkdirSync(locale, { recursive: true });
	const journeys = path.join(dir, 'journeys.js');
	const safety = fs.existsSync(journeys) ? [journeys.replace(/\.js$/, '.html'), path.join(locale, 'journeys.html')] : [];
	if (safety.length > 0) {
		fs.writeFileSync(safety[0], journeysHtml());
		fs.writeFileSync(safety[1], journeysHelp());
	}
	return [
		...safety,
		...findEntries(dir).flatMap(({ file, provider }) => {
			const out = file.replace(/\.js$/, '.html');
			const help = path.join(locale, path.basename(out));
			fs.writeFileSync(out, providerHtml(provider));
			fs.writeFileSync(help, providerHelp(provider));
			return [out, help];
		}),
	];
}

if (require.main === module) {
	const dir = path.resolve(process.argv[2] ?? path.join(__dirname, '..'));
	const written = buildEditor(dir);
	if (written.length === 0) {
		console.error(`No Node-RED provider entries found in ${dir}`);
		process.exit(1);
	}
	for (const file of written) console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
