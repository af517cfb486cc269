/**
 * The one writer of generated files (examples and templates, journeys): writes what differs, removes what is no longer
 * generated, or with --check only reports both, for tests and CI.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The repository root, from generate/ or dist/generate/ alike. */
export const ROOT = path.resolve(__dirname, fs.existsSync(path.resolve(__dirname, '..', 'package.json')) ? '..' : '../..');

/** Repository-relative path → file text. */
export type Files = ReadonlyMap<string, string>;

/** JSON as committed: 2 spaces and a trailing newline. */
export const asText = (content: unknown) => `${JSON.stringify(content, null, 2)}\n`;

export interface Owned {
	/** Folders whose .json files (at any depth) are this generator's: one it no longer makes is removed. */
	dirs: readonly string[];
	/** Folders inside those that another generator owns. */
	except?: readonly string[];
}

/** The .json files on disk that the generator owns. */
function owned({ dirs, except = [] }: Owned): string[] {
	const out: string[] = [];
	const walk = (rel: string) => {
		const abs = path.join(ROOT, rel);
		if (!fs.existsSync(abs)) return;
		for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
			const child = path.posix.join(rel, entry.name);
			if (entry.isDirectory() && !except.includes(child)) walk(child);
			else if (entry.isFile() && entry.name.endsWith('.json')) out.push(child);
		}
	};
	for (const dir of dirs) walk(dir);
	return out.sort();
}

/** How the disk differs from `files`, one line per file; empty when up to date. */
export function differences(files: Files, dirs: Owned): string[] {
	const problems: string[] = [];
	for (const [rel, text] of files) {
		const abs = path.join(ROOT, rel);
		if (!fs.existsSync(abs)) problems.push(`missing: ${rel}`);
		else if (fs.readFileSync(abs, 'utf8') !== text) problems.push(`out of date: ${rel}`);
	}
	for (const rel of owned(dirs)) if (!files.has(rel)) problems.push(`no longer generated: ${rel}`);
	return problems;
}

/**
 * Makes the disk match `files` (`what` names them in messages), or with `check` only reports where it does not and how
 * to fix that (`command`). Returns the exit code.
 */
export function writeOrCheck(files: Files, dirs: Owned, { check, what, command }: { check: boolean; what: string; command: string }): number {
	if (check) {
		const problems = differences(files, dirs);
		if (problems.length > 0) {
			process.stderr.write(`${problems.join('\n')}\nRun \`${command}\` and commit the result.\n`);
			return 1;
		}
		process.stdout.write(`${files.size} ${what} are up to date.\n`);
		return 0;
	}
	for (const rel of owned(dirs)) if (!files.has(rel)) fs.rmSync(path.join(ROOT, rel));
	for (const [rel, text] of files) {
		const abs = path.join(ROOT, rel);
		fs.mkdirSync(path.dirname(abs), { recursive: true });
		if (!fs.existsSync(abs) || fs.readFileSync(abs, 'utf8') !== text) fs.writeFileSync(abs, text);
	}
	// Folders emptied by a removed provider or journey.
	const prune = (rel: string) => {
		const abs = path.join(ROOT, rel);
		if (!fs.existsSync(abs) || dirs.except?.includes(rel)) return;
		for (const entry of fs.readdirSync(abs, { withFileTypes: true })) if (entry.isDirectory()) prune(path.posix.join(rel, entry.name));
		if (!dirs.dirs.includes(rel) && fs.readdirSync(abs).length === 0) fs.rmdirSync(abs);
	};
	for (const dir of dirs.dirs) prune(dir);
	process.stdout.write(`Wrote ${files.size} ${what}.\n`);
	return 0;
}
