/** The human page at GET /_sandbox/: inbox, where to point each credential, active faults. */
import { PROVIDER_IDS, SANDBOX_ACCOUNTS, providerBaseUrls, type ProviderId } from './accounts';
import type { Fault } from './faults';
import type { InboxMessage } from './inbox';

export interface PageModel {
	url: string;
	messages: InboxMessage[];
	faults: Fault[];
	now: number;
}

const NAMES: Record<ProviderId, string> = {
	iserveu: 'iServeU',
	capillary: 'Capillary',
	bos: 'BOS',
	aopay: 'AOPay',
	summitai: 'SummitAI',
};

/** The inbox's one style block, allowed by hash in its content security policy. */
export const INBOX_STYLE = `
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}
table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}
td,th{border-bottom:1px solid #ddd;padding:.4rem .6rem;text-align:left;vertical-align:top}
.otp{font-size:2rem;font-family:ui-monospace,monospace;letter-spacing:.15em;font-weight:bold}
.k{color:#666}.empty{color:#888}code{background:#f4f4f4;padding:0 .2rem}
button{font:inherit;cursor:pointer}.copy{vertical-align:middle}
.tag{display:inline-block;padding:0 .4rem;border-radius:3px;font-size:.85rem}
.valid{background:#e3f4e8;color:#14532d}.used{background:#e8e8e8;color:#444}.expired{background:#fde8e4;color:#8a1c0a}
tr.done .otp{color:#999;text-decoration:line-through}
`;

/** What to type into each provider's credential when pointing it at the sandbox. */
export function credentialHints(): Record<ProviderId, Record<string, string>> {
	const a = SANDBOX_ACCOUNTS;
	return {
		iserveu: { client_id: a.iserveu.clientId, client_secret: a.iserveu.clientSecret, username: a.iserveu.username },
		capillary: { brand: a.capillary.brand },
		bos: { access_token: a.bos.accessToken, RegistrationID: a.bos.registrationId, CompanyCode: a.bos.companyCode },
		aopay: { access_token: a.aopay.accessToken, RegistrationID: a.aopay.registrationId, CompanyCode: a.aopay.companyCode },
		summitai: {
			AuthType: 'APIKEY',
			APIKey: a.summitai.apiKey,
			'or AuthType FORM': `${a.summitai.userName} / ${a.summitai.password}`,
			'test user': `DomainId ${a.summitai.user.DomainId}, UserID/LoginUID ${a.summitai.user.LoginUID}, UserName ${a.summitai.user.UserName}`,
			'Find User': `e-mail ${a.summitai.directory[0].EmailID}; user name "john" finds several`,
		},
	};
}

export function escapeHtml(value: unknown): string {
	return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A timestamp the page's script shows in the viewer's local time; the ISO text stays for a browser without scripts. */
const time = (iso: string) => `<time datetime="${escapeHtml(iso)}">${escapeHtml(iso)}</time>`;

/** Whether the code can still be typed: used (accepted once), expired (not used, validity passed), or valid until. */
function codeState(m: InboxMessage): string {
	if (m.used) return '<span class="tag used">used</span>';
	if (m.expired) return `<span class="tag expired">expired</span>${m.expiresAt ? `<br><small>at ${time(m.expiresAt)}</small>` : ''}`;
	return m.expiresAt ? `<span class="tag valid">valid</span><br><small>until ${time(m.expiresAt)}</small>` : '';
}

function inboxRow(m: InboxMessage): string {
	const e = escapeHtml;
	const done = m.used || m.expired ? ' class="done"' : '';
	return (
		`<tr${done}><td><span class="otp">${e(m.otp)}</span> <button type="button" class="copy" data-otp="${e(m.otp)}" aria-label="Copy code ${e(m.otp)}">Copy</button></td>` +
		`<td>${codeState(m)}</td><td>${e(NAMES[m.provider] ?? m.provider)}<br><small>${e(m.channel)}</small></td>` +
		`<td>${e(m.to)}</td><td>${e(m.text)}</td><td><small>${time(m.at)}</small></td></tr>`
	);
}

/**
 * The page's only script: local times, copy buttons (the Clipboard API, or a selected textarea and execCommand where
 * the page is not a secure context), and the reset button (DELETE /_sandbox/inbox). No external assets.
 */
export const INBOX_SCRIPT = `
(function () {
	function local() {
		document.querySelectorAll('time[datetime]').forEach(function (t) {
			var d = new Date(t.getAttribute('datetime'));
			if (!isNaN(d.getTime())) { t.textContent = d.toLocaleTimeString(); t.title = d.toLocaleString(); }
		});
	}
	function fallbackCopy(text) {
		var area = document.createElement('textarea');
		area.value = text;
		area.setAttribute('readonly', '');
		area.style.position = 'fixed';
		area.style.opacity = '0';
		document.body.appendChild(area);
		area.select();
		var ok = false;
		try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
		document.body.removeChild(area);
		return ok ? Promise.resolve() : Promise.reject(new Error('copy failed'));
	}
	function copy(text) {
		if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
		return fallbackCopy(text);
	}
	document.addEventListener('click', function (ev) {
		var b = ev.target.closest && ev.target.closest('button.copy');
		if (b) {
			copy(b.getAttribute('data-otp')).then(function () { b.textContent = 'Copied'; }, function () { b.textContent = 'Select and copy'; });
			return;
		}
		if (ev.target.id === 'reset-inbox') {
			if (!window.confirm('Remove every message from the sandbox inbox?')) return;
			fetch('/_sandbox/inbox', { method: 'DELETE' }).then(function () { location.reload(); });
		}
	});
	local();
})();
`;

export function renderPage(model: PageModel): string {
	const e = escapeHtml;
	const bases = providerBaseUrls(model.url);
	const hints = credentialHints();

	const inbox = model.messages.length
		? model.messages.map(inboxRow).join('\n')
		: '<tr><td colspan="6" class="empty">No messages yet. Send an OTP through any provider.</td></tr>';

	const providers = PROVIDER_IDS.map((id) => {
		const creds = Object.entries(hints[id])
			.map(([k, v]) => `<div><span class="k">${e(k)}</span> <code>${e(v)}</code></div>`)
			.join('');
		return `<tr><td>${e(NAMES[id])}</td><td><code>${e(bases[id])}</code></td><td>${creds}</td></tr>`;
	}).join('\n');

	const faults = model.faults.length
		? `<ul>${model.faults
				.map((f) => {
					const detail = [
						f.provider ? `provider=${f.provider}` : 'any provider',
						f.path ? `path~${f.path}` : '',
						f.ms !== undefined ? `ms=${f.ms}` : '',
						f.status !== undefined ? `status=${f.status}` : '',
						f.retryAfter !== undefined ? `retryAfter=${f.retryAfter}s` : '',
						`${f.remaining} left`,
					].filter(Boolean);
					return `<li><b>${e(f.kind)}</b> ${e(detail.join(', '))}</li>`;
				})
				.join('')}</ul>`
		: '<p class="empty">None. POST /_sandbox/faults to add one.</p>';

	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="3">
<title>OTP Flow sandbox</title>
<style>${INBOX_STYLE}</style></head><body>
<h1>OTP Flow sandbox</h1>
<p>Virtual time: ${time(new Date(model.now).toISOString())} (times in your local time zone). This page refreshes every 3 seconds.</p>
<h2>Inbox (newest first)</h2>
<p><button type="button" id="reset-inbox">Reset inbox</button> <small>Removes every message (DELETE /_sandbox/inbox); sessions and codes stay valid.</small></p>
<table><tr><th>OTP</th><th>State</th><th>Provider</th><th>To</th><th>Message</th><th>At</th></tr>
${inbox}
</table>
<h2>Providers</h2>
<table><tr><th>Provider</th><th>Base URL</th><th>Sandbox credentials</th></tr>
${providers}
</table>
<h2>Active faults</h2>
${faults}
<script>${INBOX_SCRIPT}</script>
</body></html>
`;
}
