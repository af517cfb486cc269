/**
 * Writes the shipped examples and templates from the provider descriptions (nodes/providers, their samples.ts included);
 * `--check` only compares, for tests and CI. Run by `npm run examples` and `npm run examples:check` after a build.
 *
 *   examples/<slug>/00 - Full chain.json     Node-RED: the whole send → verify chain of a provider
 *   examples/<slug>/<NN> - <Operation>.json  Node-RED: one example per palette node (named as Node-RED names its own)
 *   templates/n8n/<slug>-<operation>.json    n8n: one workflow per operation (with the steps it continues first)
 *   templates/n8n/<slug>-chain.json          n8n: the whole chain, the OTP read from the sandbox inbox
 *   templates/n8n/credentials.sandbox.json   n8n: `n8n import:credentials --input` file for the sandbox accounts
 *
 *   node dist/generate/examples.js [--sandbox-url http://127.0.0.1:4010] [--check]
 *
 * Output is deterministic (ids derived from names, stable order). scripts/start.js seeds Node-RED with seedFlows.
 */
import { JOURNEY_DIRS } from '../journeys/generate';
import { n8nCredentials, n8nTemplates } from './n8n';
import { nodeRedExamples } from './node-red';
import { DEFAULT_SANDBOX_URL } from './plan';
import { asText, differences, writeOrCheck, type Files, type Owned } from './write';

export { n8nCredentials, n8nTemplates } from './n8n';
export { CHAIN_TITLE, configCredentials, configNodeId, contextKey, CORE_TYPES, exampleTitle, nodeRedExamples, seedFlows, type FlowNode } from './node-red';
export { DEFAULT_SANDBOX_URL, OTP_PLACEHOLDER, sandboxAccount } from './plan';
export { JOURNEY_DIRS };

/** Every .json under these is this generator's, but the journeys' (journeys/generate.ts). */
export const OWNED: Owned = { dirs: ['examples', 'templates/n8n'], except: JOURNEY_DIRS };

/** Every generated file, sorted by path. */
export function generateAll(sandboxUrl = DEFAULT_SANDBOX_URL): Map<string, string> {
	const files = new Map<string, string>();
	for (const e of nodeRedExamples(sandboxUrl)) files.set(e.file, asText(e.flow));
	for (const t of n8nTemplates(sandboxUrl)) files.set(t.file, asText(t.workflow));
	files.set('templates/n8n/credentials.sandbox.json', asText(n8nCredentials(sandboxUrl)));
	return new Map([...files.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** How the committed files differ from the generator's, one line each; empty when up to date. */
export const outdated = (files: Files = generateAll()) => differences(files, OWNED);

function main(argv: string[]): number {
	let sandboxUrl = DEFAULT_SANDBOX_URL;
	let check = false;
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		if (flag === '--sandbox-url') sandboxUrl = (inline ?? argv[++i] ?? '').replace(/\/+$/, '');
		else if (flag === '--check') check = true;
		else if (flag === '--help' || flag === '-h') {
			process.stdout.write('Usage: node dist/generate/examples.js [--sandbox-url http://127.0.0.1:4010] [--check]\n');
			return 0;
		} else {
			process.stderr.write(`Unknown argument: ${argv[i]}\n`);
			return 2;
		}
	}
	return writeOrCheck(generateAll(sandboxUrl), OWNED, { check, what: 'example and template files', command: 'npm run build && npm run examples' });
}

if (require.main === module) {
	try {
		process.exitCode = main(process.argv.slice(2));
	} catch (e) {
		process.stderr.write(`${(e as Error).message}\n`);
		process.exitCode = 1;
	}
}
