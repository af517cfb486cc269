/**
 * The pages of Send and Wait for Code, and the app's answers: small, self-contained HTML (no external asset, every
 * value escaped), showing where the code went (masked), the time left, the attempts left, a code field and a "Send a
 * new code" button that appears once a new code may be asked for. Nothing secret is ever put on a page: the state is
 * sealed, the destination masked, the provider's words are not shown (only plain words per status), codes never echoed.
 */
import { pageHeaders } from './page-headers';
import type { OtpResult, Status } from './result';
import type { WaitReply, WaitState } from './wait';

export function escapeHtml(value: unknown): string {
	return String(value ?? '').replace(/[&<>"'`=/]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** What the person reads when the run ends, per status. */
export const END_WORDS: Readonly<Partial<Record<Status, string>>> = {
	verified: 'Your code is confirmed. You can close this page.',
	completed: 'Your code is confirmed. You can close this page.',
	pending: 'Your code is confirmed. The rest is still being prepared.',
	max_attempts: 'That code was tried too many times. Please start again.',
	expired: 'The time to enter the code has run out. Please start again.',
	invalid_request: 'Some of the details could not be used. Please start again.',
	auth_failed: 'This service is not set up correctly. Please try again later.',
	rate_limited: 'Too many requests just now. Please try again in a little while.',
};
const END_FALLBACK = 'The service could not answer just now. Please try again later.';

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1f2328;margin:0;padding:24px}
main{max-width:420px;margin:40px auto;background:#fff;border-radius:10px;box-shadow:0 1px 4px rgba(0,0,0,.12);padding:28px}
h1{font-size:22px;margin:0 0 12px}p{line-height:1.45;margin:8px 0}.muted{color:#59636e;font-size:14px}
.notice{background:#fff4e5;border-left:4px solid #d97706;padding:8px 12px;margin:12px 0}.ok{background:#e7f6ec;border-color:#1a7f37}
label{display:block;font-weight:600;margin:16px 0 6px}input[type=text]{box-sizing:border-box;width:100%;font-size:22px;letter-spacing:4px;padding:10px;border:1px solid #8c959f;border-radius:6px}
button{font-size:16px;padding:10px 16px;border-radius:6px;border:0;background:#1f6feb;color:#fff;cursor:pointer;margin-top:14px;width:100%}
button.secondary{background:#eaeef2;color:#1f2328}form.resend{margin-top:8px}`;

/**
 * The pages' only scripts, fixed texts (allowed by hash in the pages' content security policy): the code page's clock
 * (when the resend button appears, the minutes left; the server checks both again) and the redirect page's hop.
 */
export const CODE_PAGE_SCRIPT = `(function(){var l=document.getElementById('left'),r=document.getElementById('resend'),w=document.getElementById('resend-wait');if(!l||!r)return;var s=Date.now()-(+l.dataset.now);
function tick(){var t=Date.now()-s;if(r.hidden&&t>=+r.dataset.at){r.hidden=false;if(w)w.remove();}var m=Math.max(0,Math.ceil((+l.dataset.until-t)/60000));
l.textContent=m>0?'Time left: about '+m+' minute'+(m===1?'':'s')+'.':'The time to enter the code has run out.';}tick();setInterval(tick,1000);})();`;
export const REDIRECT_SCRIPT = `(function(){var a=document.getElementById('go');if(a)location.replace(a.href);})();`;

/** The protective headers of every page and JSON answer of Send and Wait (no framing, no cache, no referrer, CSP by hash). */
export const waitPageHeaders = (): Record<string, string> => pageHeaders({ styles: [STYLE], scripts: [CODE_PAGE_SCRIPT, REDIRECT_SCRIPT] });

function document(title: string, body: string, script = ''): string {
	return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main>${script ? `<script>${script}</script>` : ''}</body></html>`;
}

/** The page that asks for the code. `sealed` is the state to post back; the form posts to the page's own URL. */
export function codePage(state: WaitState, sealed: string, now: number, notice?: WaitReply['notice']): string {
	const until = Math.min(state.end, state.codeExp ? Date.parse(state.codeExp) || state.end : state.end);
	const minutes = Math.max(0, Math.ceil((until - now) / 60000));
	const canResend = now >= state.resendAt;
	const ok = notice?.status === 'resent';
	const parts = [
		`<h1>${escapeHtml(state.title)}</h1>`,
		state.text ? `<p>${escapeHtml(state.text)}</p>` : '',
		notice ? `<p class="notice${ok ? ' ok' : ''}" role="status">${escapeHtml(notice.message)}</p>` : '',
		`<p>We sent a code to <strong>${escapeHtml(state.to)}</strong>.</p>`,
		`<p class="muted" id="left" data-now="${now}" data-until="${until}">Time left: about ${minutes} minute${minutes === 1 ? '' : 's'}.</p>`,
		state.left !== undefined ? `<p class="muted">Attempts left: ${escapeHtml(state.left)}.</p>` : '',
		`<form method="post" autocomplete="off"><input type="hidden" name="state" value="${escapeHtml(sealed)}">`,
		`<label for="code">Code</label><input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="12" required autofocus>`,
		`<button type="submit">Confirm</button></form>`,
		`<form method="post" class="resend" id="resend"${canResend ? '' : ' hidden'} data-at="${state.resendAt}"><input type="hidden" name="state" value="${escapeHtml(sealed)}"><input type="hidden" name="resend" value="true"><button type="submit" class="secondary">Send a new code</button></form>`,
		canResend ? '' : `<p class="muted" id="resend-wait">You can ask for a new code in ${Math.ceil((state.resendAt - now) / 1000)} seconds.</p>`,
	];
	return document(state.title, parts.join(''), CODE_PAGE_SCRIPT);
}

/** The page when the run ends (the run goes on with the same result). */
export function endPage(result: OtpResult, title: string): string {
	const words =
		result.retryAfterSeconds !== undefined && result.status === 'rate_limited'
			? `Too many codes were asked just now. Please try again in ${inWords(result.retryAfterSeconds)}.`
			: (END_WORDS[result.status] ?? END_FALLBACK);
	const heading = result.ok ? 'Confirmed' : 'That did not work';
	return document(title || heading, `<h1>${escapeHtml(heading)}</h1><p class="notice${result.ok ? ' ok' : ''}">${escapeHtml(words)}</p>`);
}

/** "5 minutes", "40 seconds": when to try again, rounded up. */
export function inWords(seconds: number): string {
	const s = Math.max(1, Math.ceil(seconds));
	if (s < 90) return `${s} second${s === 1 ? '' : 's'}`;
	const m = Math.ceil(s / 60);
	return `${m} minute${m === 1 ? '' : 's'}`;
}

/** A state that opens but is not the latest (an older page, or one already used): nothing about the run is shown. */
export function stalePage(): string {
	return document(
		'Page out of date',
		'<h1>This page is out of date</h1><p>It was already used, or a newer page was shown since. Use the latest page you were shown, or start again.</p>',
	);
}

/** The counter store could not be asked: nothing was sent or checked. */
export function unavailablePage(): string {
	return document('Try again later', '<h1>Please try again in a moment</h1><p>This service cannot check your request just now. Nothing was sent.</p>');
}

/** A state that does not open (forged, altered, another run's): nothing about the run is shown. */
export function invalidPage(): string {
	return document('Link not valid', '<h1>This link is not valid</h1><p>Open the link you were sent again, or start again.</p>');
}

/** The answer to the first request in Page mode: sends the person on to the code page. */
export function redirectPage(url: string): string {
	const safe = escapeHtml(url);
	return document(
		'Your code is on its way',
		`<h1>Your code is on its way</h1><p><a id="go" href="${safe}">Continue to enter your code</a></p>`,
		REDIRECT_SCRIPT,
	).replace('<head>', `<head><meta http-equiv="refresh" content="0;url=${safe}">`);
}

/** What the app reads after each request: the normalised fields, whether the run ended, and the state to send back. */
export function appAnswer(state: WaitState, sealed: string, reply: WaitReply, now: number): Record<string, unknown> {
	if (reply.final) return { ...reply.final, final: true };
	const status = reply.notice?.status === 'resent' ? 'otp_sent' : (reply.last?.status ?? 'otp_sent');
	return {
		ok: status === 'otp_sent',
		status,
		message: reply.notice?.message ?? 'Waiting for the code',
		final: false,
		sentTo: state.to,
		...(state.left !== undefined ? { attemptsRemaining: state.left } : {}),
		...(state.codeExp ? { expiresAt: state.codeExp } : {}),
		retryAfterSeconds: Math.max(0, Math.ceil((state.resendAt - now) / 1000)),
		waitEndsAt: new Date(state.end).toISOString(),
		state: sealed,
	};
}
