/**
 * A CounterStore every process reaches over HTTP: Redis through the Upstash REST protocol (Upstash's managed Redis,
 * or an open-source REST proxy in front of one's own Redis). n8n's community nodes may not open a TCP socket or ship
 * a Redis client (its lint allows no such import, and n8n Cloud installs no dependency), but they may make HTTP calls
 * through n8n's own helper, so a main, its workers and its webhook processors share one count this way.
 *
 * One transaction per hit (POST /multi-exec): SET key 0 PX window NX starts the window if there is none, INCR counts,
 * PTTL says when the window ends; a transaction, so a window can never lose its expiry between two commands.
 */

import type { CounterStore } from './guard';

/** POSTs JSON and resolves to the answer whatever its status; rejects when there is no answer. The adapter's HTTP. */
export type PostJson = (url: string, headers: Record<string, string>, body: unknown, timeoutMs: number) => Promise<{ status: number; text: string }>;

/** The store could not be asked: the guard cannot count, so the send does not go (fail closed). */
export class CounterStoreError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'CounterStoreError';
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

	async hit(key: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }> {
		const results = await this.run('multi-exec', [
			['SET', key, '0', 'PX', String(Math.max(1, Math.round(windowMs))), 'NX'],
			['INCR', key],
			['PTTL', key],
		]);
		const count = Number(results[1]);
		const ttl = Number(results[2]);
		if (!Number.isInteger(count) || count < 1) throw new CounterStoreError('The counter store answered INCR with something else than a count');
		return { count, resetAt: now + (Number.isFinite(ttl) && ttl > 0 ? ttl : windowMs) };
	}

	async peek(key: string): Promise<number> {
		const [value] = await this.run('pipeline', [['GET', key]]);
		const count = value === null || value === undefined ? 0 : Number(value);
		return Number.isFinite(count) ? count : 0;
	}

	private async run(path: 'multi-exec' | 'pipeline', commands: string[][]): Promise<unknown[]> {
		let answer: { status: number; text: string };
		try {
			answer = await this.post(`${this.base}/${path}`, { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' }, commands, this.timeoutMs);
		} catch {
			throw new CounterStoreError('The counter store did not answer');
		}
		if (answer.status === 401 || answer.status === 403) throw new CounterStoreError(`The counter store refused the token (HTTP ${answer.status})`);
		if (answer.status < 200 || answer.status >= 300) throw new CounterStoreError(`The counter store answered HTTP ${answer.status}`);
		let parsed: unknown;
		try {
			parsed = JSON.parse(answer.text);
		} catch {
			throw new CounterStoreError('The counter store answered something else than JSON');
		}
		if (!Array.isArray(parsed) || parsed.length !== commands.length)
			throw new CounterStoreError('The counter store answered something else than one result per command');
		return parsed.map((entry: unknown) => {
			const e = (entry ?? {}) as { result?: unknown; error?: unknown };
			if (e.error !== undefined) throw new CounterStoreError(`The counter store refused a command: ${String(e.error).slice(0, 120)}`);
			return e.result;
		});
	}
}
