import { randomBytes, randomInt, randomUUID } from 'node:crypto';

/** `n` random decimal digits (leading zeros allowed, as real OTPs have). */
export function digits(n: number): string {
	let s = '';
	for (let i = 0; i < n; i++) s += String(randomInt(10));
	return s;
}

/** `n` random digits with a non-zero first digit, for ids that providers send as numbers. */
export function numericId(n: number): string {
	return String(randomInt(1, 10)) + digits(n - 1);
}

export function hex(bytes: number, upper = false): string {
	const h = randomBytes(bytes).toString('hex');
	return upper ? h.toUpperCase() : h;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export function alnum(n: number): string {
	let s = '';
	for (let i = 0; i < n; i++) s += ALNUM[randomInt(ALNUM.length)];
	return s;
}

export function base64url(bytes: number): string {
	return randomBytes(bytes).toString('base64url');
}

export const uuid = (): string => randomUUID();

/**
 * A repeatable pseudo-random sequence in [0, 1) from a 32-bit seed (mulberry32): the same seed gives the same
 * draws, so a fault injected "20% of the time" hits the same requests on every run. Not for secrets or OTPs.
 */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
