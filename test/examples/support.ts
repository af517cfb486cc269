/** Shared by the example tests: the generator (from source), the committed files. */
import fs from 'node:fs';
import path from 'node:path';
import * as generator from '../../generate/examples';

export { generator };

export const ROOT = path.resolve(__dirname, '../..');

 
export type Json = any;

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
