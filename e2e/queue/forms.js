'use strict';
/**
 * A browser's part in an n8n form journey, over plain HTTP (n8n 2.41.1; shared DESIGN.md §7):
 *   GET /form/<path>, POST it as multipart/form-data with inputs named field-0, field-1… by position
 *   → { formWaitingUrl: …/form-waiting/<executionId>?signature=… }; poll …/n8n-execution-status until
 *   'form-waiting' (a page GET while the run is 'running' hangs), GET the page, POST the next one to the same URL.
 * Every request has a deadline.
 */
const { request, multipart } = require('../n8n/lib');

async function postForm(url, values, timeoutMs = 60000) {
	const { body, headers } = multipart(values);
	return request('POST', url, { body, headers, timeoutMs });
}

/** The execution id in a form-waiting URL. */
function executionIdOf(formWaitingUrl) {
	const m = /\/form-waiting\/(\d+)/.exec(formWaitingUrl);
	if (!m) throw new Error(`not a form-waiting URL: ${formWaitingUrl}`);
	return m[1];
}

function statusUrl(formWaitingUrl) {
	const u = new URL(formWaitingUrl);
	u.pathname = `${u.pathname.replace(/\/$/, '')}/n8n-execution-status`;
	return u.toString();
}

/** Polls the run's status until it is one of `want` (default: a page waits for the person); returns it. */
async function waitForStatus(formWaitingUrl, { want = ['form-waiting'], timeoutMs = 60000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last;
	for (;;) {
		const r = await request('GET', statusUrl(formWaitingUrl), { timeoutMs: 10000 });
		last = `${r.status} ${r.text.slice(0, 200)}`;
		if (r.status === 200 && want.includes(r.text.trim())) return r.text.trim();
		if (Date.now() > deadline) throw new Error(`${formWaitingUrl}: status ${want.join('|')} expected within ${timeoutMs} ms, last ${last}`);
		await new Promise((res) => setTimeout(res, 100));
	}
}

module.exports = { request, multipart, postForm, executionIdOf, statusUrl, waitForStatus };
