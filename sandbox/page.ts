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
		},
	};
}

export function escapeHtml(value: unknown): string {
	return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function renderPage(model: PageModel): string {
	const e = escapeHtml;
	const bases = providerBaseUrls(model.url);
	const hints = credentialHints();

	const inbox = model.messages.length
		? model.messages
				.map(
					(m) =>
						`<tr><td class="otp">${e(m.otp)}</td><td>${e(NAMES[m.provider] ?? m.provider)}<br><small>${e(m.channel)}</small></td>` +
						`<td>${e(m.to)}</td><td>${e(m.text)}</td><td><small>${e(m.at)}</small></td></tr>`,
				)
				.join('\n')
		: '<tr><td colspan="5" class="empty">No messages yet. Send an OTP through any provider.</td></tr>';

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
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}
table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}
td,th{border-bottom:1px solid #ddd;padding:.4rem .6rem;text-align:left;vertical-align:top}
.otp{font-size:2rem;font-family:ui-monospace,monospace;letter-spacing:.15em;font-weight:bold}
.k{color:#666}.empty{color:#888}code{background:#f4f4f4;padding:0 .2rem}
</style></head><body>
<h1>OTP Flow sandbox</h1>
<p>Virtual time: ${e(new Date(model.now).toISOString())}. This page refreshes every 3 seconds.</p>
<h2>Inbox (newest first)</h2>
<table><tr><th>OTP</th><th>Provider</th><th>To</th><th>Message</th><th>At</th></tr>
${inbox}
</table>
<h2>Providers</h2>
<table><tr><th>Provider</th><th>Base URL</th><th>Sandbox credentials</th></tr>
${providers}
</table>
<h2>Active faults</h2>
${faults}
</body></html>
`;
}
