/**
 * A CounterStore every process reaches over HTTP: Redis through the Upstash REST protocol (Upstash's managed Redis,
 * or an open-source REST proxy in front of one's own Redis). n8n's community nodes may not open a TCP socket or ship
 * a Redis client (its lint allows no such import, and n8n Cloud installs no dependency), but they may make HTTP calls
 * through n8n's own helper, so a main, its workers and its webhook processors share one count this way.
 *
 * One transaction per hit (POST /multi-exec): SET key 0 PX window NX starts the window if there is none, INCR counts,
 * PTTL says when the window ends; a transaction, so a window can never lose its expiry between two commands.
 * A store that cannot be asked gives a StoreFailure, never a throw: the guard then refuses the send (fail closed).
 */

import type { CounterStore, StoreFailure, WindowCount } from './guard';

/** POSTs JSON and resolves to the answer whatever its status; rejects when there is no answer. The adapter's HTTP. */
export type PostJson = (url: string, headers: Record<string, string>, body: unknown, timeoutMs: number) => Promise<{ status: number; text: string }>;

const failure = (storeFailure: string): StoreFailure => ({ storeFailure });

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined; // not JSON: the caller reports it as not the protocol
	}
}

export class HttpCounterStore implements CounterStore {
	private readonly base: string;

	constructor(
		private readonly post: PostJson,
		url: string,
		private readonly token: string,
		private readonly timeoutMs = 3000,
	) {
		this.base = url.replace(/\/+$/, '');
	}

	async hit(key: string, windowMs: number, now: number): Promise<WindowCount | StoreFailure> {
		const results = await this.run('multi-exec', [
			['SET', key, '0', 'PX', String(Math.max(1, Math.round(windowMs))), 'NX'],
			['INCR', key],
			['PTTL', key],
		]);
		if (!Array.isArray(results)) return results;
		const count = Number(results[1]);
		const ttl = Number(results[2]);
		if (!Number.isInteger(count) || count < 1) return failure('The counter store answered INCR with something else than a count');
		return { count, resetAt: now + (Number.isFinite(ttl) && ttl > 0 ? ttl : windowMs) };
	}

	async peek(key: string): Promise<number | StoreFailure> {
		const results = await this.run('pipeline', [['GET', key]]);
		if (!Array.isArray(results)) return results;
		const value = results[0];
		const count = value === null || value === undefined ? 0 : Number(value);
		return Number.isFinite(count) ? count : 0;
	}

	/** The commands' results in order, or why there are none (never thrown: the guard turns it into a refusal). */
	private async run(path: 'multi-exec' | 'pipeline', commands: string[][]): Promise<unknown[] | StoreFailure> {
		const headers = { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' };
		const answer = await this.post(`${this.base}/${path}`, headers, commands, this.timeoutMs).catch(() => undefined);
		if (!answer) return failure('The counter store did not answer');
		if (answer.status === 401 || answer.status === 403) return failure(`The counter store refused the token (HTTP ${answer.status})`);
		if (answer.status < 200 || answer.status >= 300) return failure(`The counter store answered HTTP ${answer.status}`);
		const parsed = parseJson(answer.text);
		if (!Array.isArray(parsed) || parsed.length !== commands.length) return failure('The counter store answered something else than one result per command');
		const results: unknown[] = [];
		for (const entry of parsed as unknown[]) {
			const e = (entry ?? {}) as { result?: unknown; error?: unknown };
			if (e.error !== undefined) return failure(`The counter store refused a command: ${String(e.error).slice(0, 120)}`);
			results.push(e.result);
		}
		return results;
	}
}
