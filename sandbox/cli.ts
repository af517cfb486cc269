#!/usr/bin/env node
/**
 * otpflow-sandbox [--port 4010] [--max-lifetime SECONDS]      (node dist/sandbox/cli.js in this repository)
 * Starts the sandbox on 127.0.0.1, prints where everything is, stops on SIGINT/SIGTERM. The port is, in order:
 * --port, the SANDBOX_PORT environment variable, 4010.
 */
import { PROVIDER_IDS, startSandbox } from './index';

const USAGE = 'Usage: otpflow-sandbox [--port 4010] [--max-lifetime SECONDS]   (SANDBOX_PORT sets the default port)';

function portOf(value: string | undefined, what: string): number {
	const port = Number(value);
	if (value === undefined || value.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${what} must be 0-65535`);
	return port;
}

export function parseArgs(argv: string[], env: Record<string, string | undefined> = {}): { port: number; maxLifetimeMs?: number } {
	let port = env.SANDBOX_PORT ? portOf(env.SANDBOX_PORT, 'SANDBOX_PORT') : 4010;
	let maxLifetimeMs: number | undefined;
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		const value = () => inline ?? argv[++i];
		switch (flag) {
			case '--port':
				port = portOf(value(), '--port');
				break;
			case '--max-lifetime': {
				const seconds = Number(value());
				if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('--max-lifetime must be a positive number of seconds');
				maxLifetimeMs = seconds * 1000;
				break;
			}
			case '--help':
			case '-h':
				process.stdout.write(`${USAGE}\n`);
				process.exit(0);
				break;
			default:
				throw new Error(`Unknown argument: ${argv[i]}`);
		}
	}
	return { port, maxLifetimeMs };
}

async function main(): Promise<void> {
	let args: ReturnType<typeof parseArgs>;
	try {
		args = parseArgs(process.argv.slice(2), process.env);
	} catch (e) {
		process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
		process.exit(2);
	}
	const sandbox = await startSandbox({ port: args.port, maxLifetimeMs: args.maxLifetimeMs });
	// Handlers go in before the banner: whoever reads the banner may signal at once.
	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		process.stdout.write(`\n${signal}: stopping the sandbox\n`);
		void sandbox.close().then(() => process.exit(0));
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
	const width = Math.max(...PROVIDER_IDS.map((id) => id.length));
	const lines = [
		`OTP Flow sandbox listening on ${sandbox.url}`,
		'',
		'Provider base URLs (paste into the credential):',
		...PROVIDER_IDS.map((id) => `  ${id.padEnd(width)}  ${sandbox.baseUrls[id]}`),
		'',
		`Inbox page:  ${sandbox.url}/_sandbox/`,
		`Inbox JSON:  ${sandbox.url}/_sandbox/inbox`,
		args.maxLifetimeMs ? `Stops by itself after ${args.maxLifetimeMs / 1000} s.` : 'Press Ctrl+C to stop.',
		'',
	];
	process.stdout.write(lines.join('\n'));

	void sandbox.closed.then(() => {
		if (!stopping) process.stdout.write('Maximum lifetime reached: sandbox stopped\n');
		process.exit(0);
	});
}

if (require.main === module) {
	main().catch((e: Error & { code?: string }) => {
		const hint = e.code === 'EADDRINUSE' ? ' (port in use: try --port 0 for any free port)' : '';
		process.stderr.write(`Could not start the sandbox: ${e.message}${hint}\n`);
		process.exit(1);
	});
}
