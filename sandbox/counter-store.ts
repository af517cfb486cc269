/**
 * A stand-in for Redis' REST front (the Upstash REST protocol) at /_store: the shared counter store the send guard
 * uses when several n8n processes (a main, workers, webhook processors) must agree on a count. Only what the guard
 * sends: SET (PX, NX), INCR, PTTL, GET and DEL, as /multi-exec and /pipeline, behind a bearer token. On the real
 * clock, not the virtual one: a window is the guard's wall-clock time.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadJson, BodyTooLarge, readBody, sendJson } from './http';

export const SANDBOX_STORE_TOKEN = 'sandbox-store-token';

type Result = { result: unknown } | { error: string };

export class CounterStoreStandIn {
	private readonly keys = new Map<string, { value: string; expiresAt?: number }>();
	/** Commands run, for tests that show the guard asked the store. */
	commands = 0;

	constructor(private readonly now: () => number = Date.now) {}

	clear(): void {
		this.keys.clear();
		this.commands = 0;
	}

	private live(key: string) {
		const entry = this.keys.get(key);
		if (entry && entry.expiresAt !== undefined && entry.expiresAt <= this.now()) {
			this.keys.delete(key);
			return undefined;
		}
		return entry;
	}

	run(command: unknown): Result {
		if (!Array.isArray(command) || command.length === 0 || !command.every((c) => typeof c === 'string' || typeof c === 'number')) {
			return { error: 'ERR a command is a non-empty array of strings' };
		}
		this.commands++;
		const [name, key, ...args] = command.map(String);
		switch (name.toUpperCase()) {
			case 'SET': {
				const options = args.slice(1).map((a) => a.toUpperCase());
				const px = options.indexOf('PX');
				const ms = px >= 0 ? Number(args[px + 2]) : undefined;
				if (ms !== undefined && !(Number.isInteger(ms) && ms > 0)) return { error: 'ERR invalid expire time in set' };
				if (options.includes('NX') && this.live(key)) return { result: null };
				this.keys.set(key, { value: args[0] ?? '', ...(ms !== undefined ? { expiresAt: this.now() + ms } : {}) });
				return { result: 'OK' };
			}
			case 'INCR': {
				const entry = this.live(key);
				const n = Number(entry?.value ?? '0');
				if (!Number.isInteger(n)) return { error: 'ERR value is not an integer or out of range' };
				this.keys.set(key, { value: String(n + 1), ...(entry?.expiresAt !== undefined ? { expiresAt: entry.expiresAt } : {}) });
				return { result: n + 1 };
			}
			case 'PTTL': {
				const entry = this.live(key);
				return { result: !entry ? -2 : entry.expiresAt === undefined ? -1 : entry.expiresAt - this.now() };
			}
			case 'GET':
				return { result: this.live(key)?.value ?? null };
			case 'DEL':
				return { result: this.keys.delete(key) ? 1 : 0 };
			default:
				return { error: `ERR unknown command '${name}'` };
		}
	}

	async handle(req: IncomingMessage, res: ServerResponse, path: string, maxBodyBytes: number): Promise<void> {
		if (path !== '/_store/multi-exec' && path !== '/_store/pipeline') return sendJson(res, 404, { error: 'not_found' });
		if (req.method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed' }, { Allow: 'POST' });
		if (req.headers.authorization !== `Bearer ${SANDBOX_STORE_TOKEN}`) return sendJson(res, 401, { error: 'Unauthorized' });
		let commands: unknown;
		try {
			commands = JSON.parse((await readBody(req, maxBodyBytes)).toString('utf8'));
		} catch (e) {
			if (e instanceof BodyTooLarge) return sendJson(res, 413, { error: 'body_too_large' }, { Connection: 'close' });
			if (e instanceof SyntaxError || e instanceof BadJson) return sendJson(res, 400, { error: 'ERR the body is not JSON' });
			throw e;
		}
		if (!Array.isArray(commands)) return sendJson(res, 400, { error: 'ERR the body is an array of commands' });
		// One process, one event loop: the commands of a transaction run one after the other, nothing between them.
		return sendJson(
			res,
			200,
			commands.map((c) => this.run(c)),
		);
	}
}
