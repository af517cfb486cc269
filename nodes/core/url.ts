/** Joins a credential's base URL and an API path, refusing anything that is not an http(s) URL. */
export function joinUrl(base: string | undefined, path: string): string {
	const trimmed = (base ?? '').trim().replace(/\/+$/, '');
	if (!/^https?:\/\/[^/\s]+/i.test(trimmed)) {
		throw new Error(`The credential's base URL "${trimmed}" is not an http(s) URL: fix it in the credential.`);
	}
	return `${trimmed}/${path.replace(/^\/+/, '')}`;
}

/** Adds minutes to a date, as ISO-8601 (for `expiresAt`). */
export function inMinutes(now: Date, minutes: number): string {
	return new Date(now.getTime() + minutes * 60000).toISOString();
}
