/**
 * A stand-in of the CAPTCHA providers' siteverify endpoints (Cloudflare Turnstile, hCaptcha), for tests of a page's
 * server check: POST /_captcha/<turnstile|hcaptcha>/siteverify with the form fields secret, response and remoteip, as
 * the real endpoints take them, answering { success, "error-codes" } as they do. A token passes when the secret is
 * CAPTCHA_SECRET and the token starts with "pass"; everything else fails. Counted like a provider route.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLarge, readBody, sendJson } from './http';
import type { Stats } from './stats';

export const CAPTCHA_SECRET = 'sandbox-captcha-secret';
export const CAPTCHA_SITE_KEY = 'sandbox-captcha-site-key';
export const CAPTCHA_KINDS = ['turnstile', 'hcaptcha'] as const;

export async function handleCaptcha(req: IncomingMessage, res: ServerResponse, path: string, stats: Stats, maxBodyBytes: number): Promise<void> {
	const kind = /^\/_captcha\/([a-z]+)\/siteverify$/.exec(path)?.[1];
	if (!kind || !(CAPTCHA_KINDS as readonly string[]).includes(kind)) return sendJson(res, 404, { error: 'not_found' });
	if (req.method !== 'POST') return sendJson(res, 405, { success: false, 'error-codes': ['method-not-allowed'] }, { Allow: 'POST' });
	res.on('close', stats.begin(`POST /_captcha/${kind}/siteverify`));
	let raw: Buffer;
	try {
		raw = await readBody(req, maxBodyBytes);
	} catch (e) {
		if (e instanceof BodyTooLarge) return sendJson(res, 413, { success: false, 'error-codes': ['bad-request'] });
		throw e;
	}
	const form = new URLSearchParams(raw.toString('utf8'));
	const secret = form.get('secret') ?? '';
	const token = form.get('response') ?? '';
	const errors = [
		...(secret === '' ? ['missing-input-secret'] : secret !== CAPTCHA_SECRET ? ['invalid-input-secret'] : []),
		...(token === '' ? ['missing-input-response'] : !token.startsWith('pass') ? ['invalid-input-response'] : []),
	];
	return sendJson(res, 200, { success: errors.length === 0, 'error-codes': errors, ...(errors.length === 0 ? { hostname: '127.0.0.1' } : {}) });
}
