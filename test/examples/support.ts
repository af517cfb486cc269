/** Shared by the example tests: the generator, the compiled package and the committed files. */
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

// The generator is plain CommonJS that reads dist/ (npm test builds first).
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const generator = require(path.join(ROOT, 'scripts', 'generate-examples.js'));

export function model(): Json {
	return generator.loadModel(ROOT);
}

export function readJson(rel: string): Json {
	return JSON.parse(fs.readFileSync(path.join(ROOT, rel), 'utf8'));
}

/** Committed files under a folder, relative to the root, e.g. filesUnder('examples'). */
export function filesUnder(rel: string, ext = '.json'): string[] {
	const out: string[] = [];
	const walk = (dir: string) => {
		const abs = path.join(ROOT, dir);
		if (!fs.existsSync(abs)) return;
		for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
			const child = path.posix.join(dir, entry.name);
			if (entry.isDirectory()) walk(child);
			else if (entry.name.endsWith(ext)) out.push(child);
		}
	};
	walk(rel);
	return out.sort();
}
