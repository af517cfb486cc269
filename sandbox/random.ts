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
