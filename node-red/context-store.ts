/**
 * The send guard's and the journeys' counters in a Node-RED context store the user picks (settings.js
 * contextStorage): the default memory store, a persistent `localfilesystem` one, or a shared one (a Redis context
 * plugin) unchanged, through the asynchronous context API with the store's name. Global context, so every journey
 * and operation node of the runtime counts in one place.
 *
 * Hits on one key are chained in this process, so a double-submit on one copy counts twice, never once. Across copies
 * only a store that is itself shared (and answers in order) can be strict: written down in the config node's help.
 */
import type { CounterStore, StoreFailure, WindowCount } from '../nodes/core';

/** The slice of Node-RED's context object used here. */
export interface ContextLike {
	get(key: string, store: string | undefined, callback: (err: Error | null | undefined, value?: unknown) => void): void;
	set(key: string, value: unknown, store: string | undefined, callback: (err?: Error | null) => void): void;
	keys(store: string | undefined, callback: (err: Error | null | undefined, keys?: string[]) => void): void;
}

interface Window {
	count: number;
	resetAt: number;
}

const isWindow = (v: unknown): v is Window =>
	typeof v === 'object' && v !== null && typeof (v as Window).count === 'number' && typeof (v as Window).resetAt === 'number';

/** Context keys may not hold '.' (a path) nor '[': the guard's keys are prefix:base64url, made safe here anyway. */
const safe = (key: string) => key.replace(/[^A-Za-z0-9:_-]/g, '_');

export class ContextCounterStore implements CounterStore {
	private readonly chains = new Map<string, Promise<unknown>>();
	private hits = 0;

	constructor(
		private readonly context: ContextLike,
		private readonly store: string | undefined,
		private readonly sweepEvery = 500,
	) {}

	private get(key: string): Promise<unknown> {
		return new Promise((resolve, reject) => this.context.get(key, this.store, (err, value) => (err ? reject(err) : resolve(value))));
	}

	private set(key: string, value: unknown): Promise<void> {
		return new Promise((resolve, reject) => this.context.set(key, value, this.store, (err) => (err ? reject(err) : resolve())));
	}

	hit(rawKey: string, windowMs: number, now: number): Promise<WindowCount | StoreFailure> {
		const key = safe(rawKey);
		const previous = this.chains.get(key) ?? Promise.resolve();
		const next = previous.then(async (): Promise<WindowCount | StoreFailure> => {
			try {
				const found = await this.get(key);
				const window: Window = isWindow(found) && found.resetAt > now ? { ...found } : { count: 0, resetAt: now + windowMs };
				window.count++;
				await this.set(key, window);
				return { count: window.count, resetAt: window.resetAt };
			} catch (e) {
				return { storeFailure: `The context store${this.store ? ` "${this.store}"` : ''} did not answer (${e instanceof Error ? e.message : String(e)})` };
			}
		});
		this.chains.set(key, next);
		void next.then(() => {
			if (this.chains.get(key) === next) this.chains.delete(key);
		});
		if (++this.hits % this.sweepEvery === 0) void this.sweep(now);
		return next;
	}

	async peek(rawKey: string, now: number): Promise<number | StoreFailure> {
		try {
			const found = await this.get(safe(rawKey));
			return isWindow(found) && found.resetAt > now ? found.count : 0;
		} catch (e) {
			return { storeFailure: `The context store did not answer (${e instanceof Error ? e.message : String(e)})` };
		}
	}

	/** Drops ended windows of our keys (no timer: it runs on a hit now and then). */
	private async sweep(now: number): Promise<void> {
		try {
			const keys = await new Promise<string[]>((resolve, reject) => this.context.keys(this.store, (err, k) => (err ? reject(err) : resolve(k ?? []))));
			for (const key of keys) {
				if (!key.startsWith('otpflow:') || this.chains.has(key)) continue;
				const found = await this.get(key);
				if (isWindow(found) && found.resetAt <= now) await this.set(key, undefined);
			}
		} catch {
			// A sweep that fails leaves ended windows behind: they read as empty anyway.
		}
	}
}
