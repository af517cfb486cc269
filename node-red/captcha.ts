/**
 * The optional CAPTCHA of a journey's first page: Cloudflare Turnstile or hCaptcha. The browser shows the widget and
 * posts its token; the server asks the provider's documented siteverify endpoint once (POST secret, response,
 * remoteip as a form; read `success`). Anything but a clear `success: true` refuses the post (fail closed).
 */
export const CAPTCHAS = {
	turnstile: {
		label: 'Cloudflare Turnstile',
		script: 'https://challenges.cloudflare.com/turnstile/v0/api.js',
		origins: ['https://challenges.cloudflare.com'],
		widgetClass: 'cf-turnstile',
		field: 'cf-turnstile-response',
		verifyUrl: 'https://challenges.cloudflare.com/turnstile/v0/siteverify',
	},
	hcaptcha: {
		label: 'hCaptcha',
		script: 'https://js.hcaptcha.com/1/api.js',
		origins: ['https://hcaptcha.com', 'https://*.hcaptcha.com'],
		widgetClass: 'h-captcha',
		field: 'h-captcha-response',
		verifyUrl: 'https://api.hcaptcha.com/siteverify',
	},
} as const;

export type CaptchaKind = keyof typeof CAPTCHAS;

const VERIFY_TIMEOUT_MS = 10000;

/** Whether the provider says the token is good. */
export async function verifyCaptcha(url: string, secret: string, token: string, remoteip?: string): Promise<boolean> {
	if (token === '' || token.length > 4096) return false;
	const body = new URLSearchParams({ secret, response: token, ...(remoteip ? { remoteip } : {}) });
	try {
		const res = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body,
			redirect: 'error',
			signal: AbortSignal.timeout(VERIFY_TIMEOUT_MS),
		});
		if (!res.ok) return false;
		const answer = (await res.json()) as { success?: unknown };
		return answer.success === true;
	} catch {
		return false;
	}
}
