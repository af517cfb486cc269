/**
 * Writes every journey's n8n workflow (templates/n8n/journeys/) and Node-RED flow (examples/journeys/) from the
 * journey descriptions; `--check` only compares, for tests and CI. Run by `npm run journeys` after a build.
 *
 *   node dist/journeys/generate.js [--check] [--sandbox http://127.0.0.1:4010]
 */
import fs from 'node:fs';
import path from 'node:path';
import { n8nJourneyFiles } from './n8n';
import { nodeRedJourneyFiles } from './node-red';

/** The repository root, from dist/journeys or journeys/ alike. */
export const ROOT = path.resolve(__dirname, fs.existsSync(path.resolve(__dirname, '..', 'package.json')) ? '..' : '../..');

export const DEFAULT_SANDBOX_URL = 'http://127.0.0.1:4010';

/** Repository-relative path → file content (JSON written with 2 spaces and a trailing newline). */
export function journeyFiles(sandboxUrl = DEFAULT_SANDBOX_URL): Record<string, unknown> {
	return { ...n8nJourneyFiles(sandboxUrl), ...nodeRedJourneyFiles(sandboxUrl) };
}

export const asText = (content: unknown) => `${JSON.stringify(content, null, 2)}\n`;

/** Files that differ from what the generator makes, and generated files that no longer would be. */
export function staleJourneyFiles(sandboxUrl = DEFAULT_SANDBOX_URL): string[] {
	const files = journeyFiles(sandboxUrl);
	const problems = Object.entries(files)
		.filter(([file, content]) => !fs.existsSync(path.join(ROOT, file)) || fs.readFileSync(path.join(ROOT, file), 'utf8') !== asText(content))
		.map(([file]) => `out of date: ${file}`);
	for (const dir of ['templates/n8n/journeys', 'examples/journeys']) {
		const abs = path.join(ROOT, dir);
		if (!fs.existsSync(abs)) continue;
		for (const f of fs.readdirSync(abs)) if (!(`${dir}/${f}` in files)) problems.push(`no longer generated: ${dir}/${f}`);
	}
	return problems;
}

if (require.main === module) {
	const args = process.argv.slice(2);
	const at = args.indexOf('--sandbox');
	const sandboxUrl = at >= 0 ? args[at + 1] : DEFAULT_SANDBOX_URL;
	if (args.includes('--check')) {
		const problems = staleJourneyFiles(sandboxUrl);
		if (problems.length > 0) {
			process.stderr.write(`${problems.join('\n')}\nRun \`npm run build && npm run journeys\` and commit the result.\n`);
			process.exit(1);
		}
	} else {
		for (const dir of ['templates/n8n/journeys', 'examples/journeys']) fs.rmSync(path.join(ROOT, dir), { recursive: true, force: true });
		const files = journeyFiles(sandboxUrl);
		for (const [file, content] of Object.entries(files)) {
			fs.mkdirSync(path.dirname(path.join(ROOT, file)), { recursive: true });
			fs.writeFileSync(path.join(ROOT, file), asText(content));
		}
		process.stdout.write(`Wrote ${Object.keys(files).length} journey files.\n`);
	}
}
