/**
 * Writes every journey's n8n workflow (templates/n8n/journeys/) and Node-RED flow (examples/journeys/) from the
 * journey descriptions; `--check` only compares, for tests and CI. Run by `npm run journeys` after a build.
 *
 *   node dist/journeys/generate.js [--check] [--sandbox http://127.0.0.1:4010]
 */
import { asText, differences, writeOrCheck, type Files } from '../generate/write';
import { n8nJourneyFiles } from './n8n';
import { N8N_AGENT_DIR, n8nAgentFiles } from './n8n-agents';
import { N8N_WAIT_DIR, n8nWaitFiles } from './n8n-wait';
import { nodeRedJourneyFiles } from './node-red';

export const DEFAULT_SANDBOX_URL = 'http://127.0.0.1:4010';

/** The folders the journeys own (the examples generator leaves them alone). */
export const JOURNEY_DIRS: readonly string[] = ['templates/n8n/journeys', 'examples/journeys', N8N_WAIT_DIR, N8N_AGENT_DIR];

/** Repository-relative path → file content. */
export function journeyFiles(sandboxUrl = DEFAULT_SANDBOX_URL): Record<string, unknown> {
	return { ...n8nJourneyFiles(sandboxUrl), ...nodeRedJourneyFiles(sandboxUrl), ...n8nWaitFiles(), ...n8nAgentFiles() };
}

const journeyTexts = (sandboxUrl: string): Files => new Map(Object.entries(journeyFiles(sandboxUrl)).map(([file, content]) => [file, asText(content)]));

/** Files that differ from what the generator makes, and generated files that no longer would be. */
export function staleJourneyFiles(sandboxUrl = DEFAULT_SANDBOX_URL): string[] {
	return differences(journeyTexts(sandboxUrl), { dirs: JOURNEY_DIRS });
}

if (require.main === module) {
	const args = process.argv.slice(2);
	const at = args.indexOf('--sandbox');
	const sandboxUrl = at >= 0 ? args[at + 1] : DEFAULT_SANDBOX_URL;
	const check = args.includes('--check');
	process.exitCode = writeOrCheck(
		journeyTexts(sandboxUrl),
		{ dirs: JOURNEY_DIRS },
		{ check, what: 'journey files', command: 'npm run build && npm run journeys' },
	);
}
