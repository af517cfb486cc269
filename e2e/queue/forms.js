'use strict';
/**
 * A browser's part in an n8n form journey, over plain HTTP (n8n 2.41.1; shared DESIGN.md §7):
 *   GET /form/<path>, POST it as multipart/form-data with inputs named field-0, field-1… by position
 *   → { formWaitingUrl: …/form-waiting/<executionId>?signature=… }; poll …/n8n-execution-status until
 *   'form-waiting' (a page GET while the run is 'running' hangs), GET the page, POST the next one to the same URL.
 * Every request has a deadline.
 */
const http = require('node:http');
const crypto = require('node:crypto');

function request(method, url, { body, headers = {}, timeoutMs = 30000 } = {}) {
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method, headers: { ...headers, ...(body ? { 'content-length': body.length } : {}) }, timeout: timeoutMs }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let json;
				try {
					json = JSON.parse(text);
				} catch {
					json = undefined;
				}
				resolve({ status: res.statusCode, headers: res.headers, text, json });
			});
			res.on('error', reject);
		});
		req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out after ${timeoutMs} ms`)));
		req.on('error', reject);
		if (body) req.write(body);
		req.end();
	});
}

/** multipart/form-data with one text part per value, named field-<index> as n8n's form page names its inputs. */
function multipart(values) {
	const boundary = `----otpflow${crypto.randomBytes(8).toString('hex')}`;
	const parts = values.map((v, i) => `--${boundary}\r\nContent-Disposition: form-data; name="field-${i}"\r\n\r\n${v}\r\n`);
	const body = Buffer.from(`${parts.join('')}--${boundary}--\r\n`);
	return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

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
