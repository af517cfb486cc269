/**
 * Sealed values: a sensitive input the next step needs again (iServeU's Register Customer needs the Aadhaar
 * number that Send OTP was given) travels in `reference` encrypted with a key derived from the account's
 * secret, so it can pass through a web page, a form or a queue without being readable, and nothing has to be
 * kept in memory between the steps. AES-256-GCM: a tampered or foreign token does not open.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'crypto';

const VERSION = 'sealed.v1.';

function keyFor(secret: string): Buffer {
	return createHash('sha256').update(`otpflow-seal-v1:${secret}`).digest();
}

export function seal(value: string, secret: string): string {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', keyFor(secret), iv);
	const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
	return `${VERSION}${Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64url')}`;
}

/** The value, or undefined when the token is not one sealed with any of these secrets. */
export function unseal(token: string, secrets: readonly string[]): string | undefined {
	if (!token.startsWith(VERSION)) return undefined;
	const raw = Buffer.from(token.slice(VERSION.length), 'base64url');
	if (raw.length < 29) return undefined;
	for (const secret of secrets) {
		try {
			const decipher = createDecipheriv('aes-256-gcm', keyFor(secret), raw.subarray(0, 12));
			decipher.setAuthTag(raw.subarray(12, 28));
			return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
		} catch {
			// Not this secret (or tampered): try the next.
		}
	}
	return undefined;
}

/**
 * Stands in for a sealed value that did not open (sealed by another account, or altered): the field is then refused by
 * name rather than taken as empty, where an optional field would otherwise go out without it.
 */
export const UNOPENED: Readonly<{ sealedValueThatDidNotOpen: true }> = Object.freeze({ sealedValueThatDidNotOpen: true });

export function isSealed(value: unknown): value is string {
	return typeof value === 'string' && value.startsWith(VERSION);
}
