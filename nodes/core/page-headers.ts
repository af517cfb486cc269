/**
 * The response headers of every page OTP Flow serves to the public (Node-RED journey pages, Send and Wait's page, the
 * sandbox inbox): never framed (clickjacking a code form), never cached (a code page in a shared browser's history),
 * no referrer (the waiting URL carries a signature), and a content security policy that allows only what the page
 * itself holds: its own styles, its own forms, and script only where a page needs it, by nonce.
 */
import { createHash } from 'crypto';

/** A CAPTCHA widget's origin, allowed to run its script and frame (Turnstile, hCaptcha). */
export interface PageAllowances {
	/** A per-response nonce for the one inline script a page has (Send and Wait's clock); none: no script at all. */
	scriptNonce?: string;
	/** Origins whose script and frames the page loads (a CAPTCHA widget). */
	widgetOrigins?: readonly string[];
	/** Whether the page fetches from its own origin (the sandbox inbox's refresh). */
	connectSelf?: boolean;
	/** The exact text of each inline <style> block: allowed by hash, so no injected style runs. */
	styles?: readonly string[];
	/** The exact text of each inline <script> that never changes: allowed by hash. */
	scripts?: readonly string[];
}

/** The CSP source that allows exactly this inline text. */
export const inlineHash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export function contentSecurityPolicy(allow: PageAllowances = {}): string {
	const widgets = allow.widgetOrigins ?? [];
	const script = [...(allow.scriptNonce ? [`'nonce-${allow.scriptNonce}'`] : []), ...(allow.scripts ?? []).map(inlineHash), ...widgets];
	return [
		"default-src 'none'",
		`script-src ${script.length > 0 ? script.join(' ') : "'none'"}`,
		`style-src ${(allow.styles ?? []).map(inlineHash).join(' ') || "'none'"}`,
		"img-src 'self' data:",
		`connect-src ${[...(allow.connectSelf ? ["'self'"] : []), ...widgets].join(' ') || "'none'"}`,
		...(widgets.length > 0 ? [`frame-src ${widgets.join(' ')}`] : []),
		"form-action 'self'",
		"base-uri 'none'",
		"frame-ancestors 'none'",
	].join('; ');
}

/** The headers, by their usual spelling. */
export function pageHeaders(allow: PageAllowances = {}): Record<string, string> {
	return {
		'Content-Security-Policy': contentSecurityPolicy(allow),
		'X-Frame-Options': 'DENY',
		'Cache-Control': 'no-store',
		'Referrer-Policy': 'no-referrer',
		'X-Content-Type-Options': 'nosniff',
	};
}
