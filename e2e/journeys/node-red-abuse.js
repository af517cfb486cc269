#!/usr/bin/env node
'use strict';
/**
 * The journeys (examples/journeys/) attacked in real Node-RED 4.1 on Node 20 and 5.0 on Node 24, with the public pages'
 * defaults (5 sends per number per 10 minutes, 10 per client per minute, 3 s fill time) and one trusted proxy, so each
 * case speaks from addresses of its own through X-Forwarded-For. The sandbox counts provider requests by route: a
 * refused request must reach none.
 *
 *   states     for every journey: crafted (another key; unsealed, the old reference format), altered, replayed, expired
 *              (sealed with the right key, past its expiry or the run's end) and out of order (a code page posted as
 *              "check again" or as a new code, a state of another journey, a later step without a state, a page
 *              not sealed as code verified) → error page, 0 provider requests; one state posted 5 times at once acts once
 *   pumping    200 first pages from one client for 200 numbers, 50 from 50 clients for one number, resends → sends ≤ limits
 *   bots       honeypot filled, posted too fast, no or another journey's issue token → 0 sends
 *   CAPTCHA    on (the sandbox's /_captcha stand-in): no token, a wrong one → refused, a right one → sent
 *   store      with a persistent context store ("file"), counts and claims survive a Node-RED restart
 *   no key     the pages refuse and say what to set, 0 sends
 *   XSS        a corpus in every field a page echoes and as the provider's message (a stand-in provider answering 400
 *              with it): reflected unescaped 0 times
 *   headers    every page: CSP (its style by hash, no script unless a CAPTCHA), no framing, no-store, no referrer, nosniff
 *
 *   node e2e/journeys/node-red-abuse.js [--runtime 5]      (after `npm run build`)
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const cache = require('../node-red/cache');
const { HOST, NodeRed, Report, freePort, installIntoUserDir, secs, settingsJs, sleep } = require('../node-red/lib');
const { HTTP_ROOT, journeyDeployment, pack, parsePage, plan, sandboxApi } = require('./node-red');

const ROOT = path.resolve(__dirname, '..', '..');
const RUN_CAP_MS = 9 * 60 * 1000;
const dist = (...p) => require(path.join(ROOT, 'dist', ...p));

const XSS = [
	'<script>alert(1)</script>',
	'"><img src=x onerror=alert(1)>',
	"'><svg onload=alert(1)>",
	'javascript:alert(1)',
	'</title><script>alert(1)</script>',
	'{{constructor.constructor("alert(1)")()}}',
];

/** Tags or attributes that would run: a script we did not write, an event handler, a javascript: URL. */
function unescapedIn(html, allowedScripts) {
	const found = [];
	for (const m of html.matchAll(/<([a-z][a-z0-9]*)\b([^>]*)>/gi)) {
		const tag = m[1].toLowerCase();
		if (tag === 'script' && !allowedScripts.some((src) => m[2].includes(`src="${src}"`))) found.push('a <script> tag');
		if (tag === 'svg' || tag === 'img') found.push(`an <${tag}> tag`);
		for (const a of m[2].matchAll(/([^\s=/"']+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/g)) {
			if (/^on/i.test(a[1])) found.push(`an ${a[1]} attribute`);
			if (/^["']?\s*javascript:/i.test(a[2]) && /^(href|src|action|formaction)$/i.test(a[1])) found.push(`a javascript: ${a[1]}`);
		}
	}
	return found;
}

const sha256 = (text) => `'sha256-${crypto.createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** What every journey page's headers must say. */
function headerProblems(page, captchaOrigins = []) {
	const h = (n) => page.headers.get(n) || '';
	const csp = h('content-security-policy');
	const bad = [];
	if (!/frame-ancestors 'none'/.test(csp)) bad.push("no frame-ancestors 'none'");
	if (!/default-src 'none'/.test(csp)) bad.push("no default-src 'none'");
	const script = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
	if (captchaOrigins.length === 0 ? script !== "'none'" : !captchaOrigins.every((o) => script.includes(o))) bad.push(`script-src ${script}`);
	if (captchaOrigins.length === 0 && /challenges\.cloudflare|hcaptcha/.test(csp)) bad.push('a CAPTCHA origin allowed without a CAPTCHA');
	for (const m of page.html.matchAll(/<style>([\s\S]*?)<\/style>/g)) if (!csp.includes(sha256(m[1]))) bad.push('style not allowed by hash');
	if (h('x-frame-options') !== 'DENY') bad.push(`X-Frame-Options ${h('x-frame-options')}`);
	if (!/no-store/.test(h('cache-control'))) bad.push(`Cache-Control ${h('cache-control')}`);
	if (h('referrer-policy') !== 'no-referrer') bad.push(`Referrer-Policy ${h('referrer-policy')}`);
	if (h('x-content-type-options') !== 'nosniff') bad.push('no nosniff');
	return bad;
}

/** A provider stand-in that answers every call with HTTP 400 and the message it is given (the XSS corpus). */
async function evilProvider() {
	let next = 0;
	let calls = 0;
	const server = http.createServer((req, res) => {
		req.resume();
		req.on('end', () => {
			calls++;
			const message = XSS[next++ % XSS.length];
			const body = JSON.stringify({ message, statusDesc: message, Message: message });
			res.writeHead(400, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
		});
	});
	server.keepAliveTimeout = 500;
	await new Promise((resolve) => server.listen(0, HOST, resolve));
	return { url: `http://${HOST}:${server.address().port}`, calls: () => calls, close: () => new Promise((r) => server.close(r)) };
}

async function runtimeRun(rt, ctx) {
	const report = new Report(rt.label);
	process.stdout.write(`\n■ ${rt.label}\n`);
	const t0 = Date.now();
	const { startSandbox, SANDBOX_ACCOUNTS } = dist('sandbox');
	const { CAPTCHA_SECRET, CAPTCHA_SITE_KEY } = dist('sandbox', 'captcha');
	const { sealState } = dist('node-red', 'journey-state');
	const { PUBLIC_PAGES_DEFAULTS } = dist('node-red', 'journey');
	const { CAPTCHAS } = dist('node-red', 'captcha');
	const sandbox = await startSandbox({ port: 0, maxLifetimeMs: RUN_CAP_MS });
	const api = sandboxApi(sandbox.url);
	const evil = await evilProvider();
	const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-abuse-'));
	const rows = [];
	let nr;
	try {
		const installed = installIntoUserDir(userDir, ctx.tarball);
		const port = await freePort();
		fs.writeFileSync(path.join(userDir, 'settings.js'), settingsJs({ port, maxLifetimeMs: RUN_CAP_MS, parentPid: process.pid, fileContext: true }));
		const start = async () => {
			nr = new NodeRed({ nodeBin: rt.nodeBin, red: rt.nodeRed.red, userDir, port, logFile: path.join(userDir, 'node-red.log') });
			await nr.start();
		};
		await start();
		const base = `http://${HOST}:${port}${HTTP_ROOT}/otp`;
		const sealingKey = crypto.randomBytes(24).toString('base64url');
		const defaults = { ...PUBLIC_PAGES_DEFAULTS, trustedProxies: 1, sealingKey };
		const deploy = async (pages, mapFlows = (f) => f) => {
			const { flows } = journeyDeployment(installed, sandbox.url, SANDBOX_ACCOUNTS, pages);
			await nr.deploy(mapFlows(flows));
			// Node-RED answers before its routes exist: wait for a first page.
			for (const until = Date.now() + 30000; Date.now() < until; await sleep(100)) {
				const status = await fetch(`${base}/${ctx.plans[0].journey.id}`, { signal: AbortSignal.timeout(5000) }).then(
					(r) => r.text().then(() => r.status),
					() => 0,
				);
				if (status === 200) return;
			}
			throw new Error('the journeys are not served after the deploy');
		};
		await deploy(defaults);

		// Every page seen: its headers, and nothing of the corpus reflected unescaped.
		const pages = { seen: 0, headerFaults: [], reflected: [], escapedEchoes: 0 };
		let captchaOrigins = [];
		const look = (page) => {
			pages.seen++;
			const first = page.step === 'start';
			const h = headerProblems(page, first ? captchaOrigins : []);
			if (h.length) pages.headerFaults.push(`${page.url} (${page.step || 'no form'}): ${h.join(', ')}`);
			const scripts = first ? Object.values(CAPTCHAS).map((c) => c.script) : [];
			const u = unescapedIn(page.html, scripts);
			for (const p of XSS) if (/[<>"']/.test(p) && page.html.includes(p)) u.push(`"${p}" verbatim`);
			if (u.length) pages.reflected.push(`${page.url}: ${u.join(', ')}`);
			if (/&lt;(script|img|svg)|&quot;&gt;|&#39;&gt;|javascript:alert/.test(page.html)) pages.escapedEchoes++;
			return page;
		};
		let clientSeq = 0;
		const newClient = () => `10.${Math.floor(++clientSeq / 250) % 250}.${clientSeq % 250}.7`;
		const get = async (journeyId, client = newClient()) => {
			const url = `${base}/${journeyId}`;
			const res = await fetch(url, { headers: { 'x-forwarded-for': client }, signal: AbortSignal.timeout(30000) });
			const page = look(parsePage(url, res.status, res.headers, await res.text()));
			page.client = client;
			page.gotAt = Date.now();
			return page;
		};
		const post = async (journeyId, fields, client = newClient()) => {
			const url = `${base}/${journeyId}`;
			const res = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': client },
				body: new URLSearchParams(fields),
				signal: AbortSignal.timeout(60000),
			});
			const page = look(parsePage(url, res.status, res.headers, await res.text()));
			page.client = client;
			page.gotAt = Date.now();
			return page;
		};
		/** The fields a page's form posts, `typed` over its visible inputs. */
		const formOf = (page, typed = {}) => {
			const form = page.forms.find((f) => f.method === 'post');
			const out = {};
			for (const i of form ? form.inputs : []) if (i.name) out[i.name] = i.type !== 'hidden' && typed[i.name] !== undefined ? typed[i.name] : (i.value ?? '');
			return out;
		};
		const fillWait = async (pagesGot) => {
			const latest = Math.max(...pagesGot.map((p) => p.gotAt));
			const wait = latest + PUBLIC_PAGES_DEFAULTS.minFillSeconds * 1000 + 150 - Date.now();
			if (wait > 0) await sleep(wait);
		};
		// The guard's own refusal (not a provider's error page): the error page in one of its sentences.
		const { STATE_WORDS, BOT_WORDS } = dist('node-red', 'journey-state');
		const guardWords = [...Object.values(STATE_WORDS), ...Object.values(BOT_WORDS), 'Too many codes were asked', 'These pages have no sealing key'];
		const refusal = (page) =>
			page.text.includes('Something went wrong') && !page.forms.some((f) => f.method === 'post') && guardWords.some((w) => page.text.includes(w));
		const stats = async () => (await fetch(`${sandbox.url}/_sandbox/stats`).then((r) => r.json())).byRoute;
		const providerRequests = (byRoute) =>
			Object.entries(byRoute)
				.filter(([k]) => !k.includes('/_captcha/'))
				.reduce((n, [, v]) => n + v, 0);
		const sendRoute = (pl) => {
			const prefix = new URL(ctx.baseUrls[pl.journey.provider.id]).pathname.toLowerCase();
			return (byRoute) =>
				Object.entries(byRoute)
					.filter(([k]) => k.includes(prefix) && k.endsWith(pl.sendPath.toLowerCase()))
					.reduce((n, [, v]) => n + v, 0);
		};
		/** One row of the table: what was tried, how much was refused, what reached the provider (or its send route). */
		const measure = async (name, bound, fn, count = providerRequests) => {
			const before = await stats();
			const ts = Date.now();
			let tried = 0;
			let refused = 0;
			const notes = [];
			try {
				const r = await fn({
					tried: (n = 1) => (tried += n),
					refused: (n = 1) => (refused += n),
					note: (s) => notes.push(s),
				});
				if (r && r.note) notes.push(r.note);
			} catch (e) {
				notes.push(`threw: ${e.message}`);
			}
			const after = await stats();
			const sent = count(after) - count(before);
			const ok = sent <= bound.max && (bound.min === undefined || sent >= bound.min) && !notes.some((n) => n.startsWith('✘') || n.startsWith('threw'));
			rows.push({
				name,
				tried,
				refused,
				sent,
				bound: bound.max === Infinity ? 'any (allowed sends)' : bound.min === bound.max ? `= ${bound.max}` : `≤ ${bound.max}`,
				ok,
				notes,
			});
			report.check(
				`${name}: ${tried} tried, ${refused} refused, ${sent} sent to the provider (${secs(Date.now() - ts)})`,
				ok || notes.join('; ') || `sent ${sent}`,
			);
		};
		const expectRefused = (page, c, what) => {
			c.tried();
			if (refusal(page)) c.refused();
			else c.note(`✘ ${what}: not refused: ${page.text.slice(0, 160)}`);
		};

		// ---- legit code pages, one per journey ----------------------------------------------------------------
		await api.reset();
		const firsts = [];
		for (const pl of ctx.plans) firsts.push(await get(pl.journey.id));
		await fillWait(firsts);
		const codePages = new Map();
		for (const [i, pl] of ctx.plans.entries()) {
			const page = await post(pl.journey.id, formOf(firsts[i], pl.samples), firsts[i].client);
			if (page.step !== 'verify') throw new Error(`${pl.journey.id}: no code page: ${page.text.slice(0, 200)}`);
			codePages.set(pl.journey.id, page);
		}
		const codeTyped = (pl, code) => ({ ...Object.fromEntries((pl.journey.codeAsk || []).map((a) => [a.name, a.sample])), otp: code });
		const readState = dist('node-red', 'journey-state').readState;

		// ---- crafted, altered, expired, out-of-order, replayed states: nothing reaches the provider ----------
		const steps = (pl) => ['verify', 'resend', ...(pl.journey.after ? ['check'] : [])];
		for (const pl of ctx.plans) {
			const id = pl.journey.id;
			const page = codePages.get(id);
			const fields = formOf(page, codeTyped(pl, '123456'));
			const real = readState(fields.state, sealingKey);
			const now = Date.now();
			const forged = (state, key = sealingKey) => sealState({ ...real, ...state }, key);
			const attempt = async (c, step, state, what, extra = {}) => expectRefused(await post(id, { ...fields, step, state, ...extra }), c, `${what} as ${step}`);

			await measure(`${id}: crafted states (another key, unsealed, old reference field)`, { max: 0 }, async (c) => {
				const wide = { next: ['verify', 'resend', 'check'], verified: true, exp: now + 600000 };
				const old = Buffer.from(encodeURIComponent(JSON.stringify(real.ref)), 'latin1').toString('base64');
				for (const step of steps(pl)) {
					await attempt(c, step, forged(wide, 'an attacker key of their own, long enough'), 'sealed with another key');
					await attempt(c, step, Buffer.from(JSON.stringify({ ...real, ...wide })).toString('base64url'), 'unsealed JSON');
					await attempt(c, step, '', 'the old reference field', { reference: old });
				}
			});
			await measure(`${id}: altered states (bits flipped, cut, appended)`, { max: 0 }, async (c) => {
				const s = fields.state;
				const flip = (at) => s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);
				const variants = [flip(12), flip(Math.floor(s.length / 2)), flip(s.length - 3), s.slice(0, -8), `${s}AAAA`, s.replace('sealed.v1.', 'sealed.v2.')];
				for (const step of steps(pl)) for (const v of variants) await attempt(c, step, v, 'altered');
			});
			await measure(`${id}: expired states (right key, past expiry or the run's hour)`, { max: 0 }, async (c) => {
				for (const step of steps(pl)) {
					const next = [step];
					await attempt(c, step, forged({ next, exp: now - 1000, verified: step === 'check' }), 'past its expiry');
					await attempt(c, step, forged({ next, born: now - 2 * 3600000, exp: now + 60000, verified: step === 'check' }), "past the run's end");
				}
			});
			await measure(`${id}: out-of-order (step not allowed, other journey, no state, not verified)`, { max: 0 }, async (c) => {
				await attempt(c, 'resend', fields.state, 'a code page posted as a new code');
				if (pl.journey.after) {
					await attempt(c, 'check', fields.state, 'a code page posted as Check again');
					await attempt(c, 'check', forged({ next: ['check'], verified: false }), 'a page not sealed as code verified');
				}
				const other = ctx.plans.find((p) => p.journey.id !== id);
				const otherFields = formOf(codePages.get(other.journey.id), codeTyped(other, '123456'));
				await attempt(c, 'verify', otherFields.state, "another journey's state");
				for (const step of steps(pl)) await attempt(c, step, '', 'no state');
			});
			// Used once (a wrong code: the provider is asked), its next page posted 5 times at once (acts once), then the
			// used pages replayed (refused; a replay also ends the run: the count it burns is the one its next page needed).
			const again = await post(id, fields);
			if (again.step !== 'verify') report.fail(`${id}: a wrong code → the code page again`, again.text.slice(0, 200));
			await measure(`${id}: one state posted 5 times at once (double submit) → acts once`, { max: 2 }, async (c) => {
				const results = await Promise.all(Array.from({ length: 5 }, () => post(id, formOf(again, codeTyped(pl, '000000')))));
				c.tried(5);
				const acted = results.filter((r) => !(refusal(r) && /already sent once/.test(r.text))).length;
				c.refused(5 - acted);
				if (acted !== 1) c.note(`✘ ${acted} of 5 acted`);
			});
			await measure(`${id}: replayed states (the used code pages posted 5 more times)`, { max: 0 }, async (c) => {
				for (let i = 0; i < 5; i++) expectRefused(await post(id, formOf(i % 2 ? again : page, codeTyped(pl, '123456'))), c, 'replayed');
			});
		}

		// ---- the send guard: fresh counters (a restart clears the memory store) --------------------------------
		await nr.stop();
		await start();
		await deploy(defaults);
		await api.reset();
		const pumpPlan = ctx.plans.find((p) => p.journey.id === 'capillary-mobile');
		const pumpIdentifier = 'identifierValue';
		await measure(
			`pumping: 200 first pages from one client for 200 numbers → sends ≤ ${PUBLIC_PAGES_DEFAULTS.perClientMax}`,
			{ max: PUBLIC_PAGES_DEFAULTS.perClientMax },
			async (c) => {
				const client = '10.200.0.1';
				const got = [];
				for (let i = 0; i < 200; i++) got.push(await get(pumpPlan.journey.id, client));
				await fillWait(got);
				let limited = 0;
				for (let i = 0; i < 200; i += 10) {
					const batch = await Promise.all(
						got.slice(i, i + 10).map((g, k) => post(pumpPlan.journey.id, formOf(g, { [pumpIdentifier]: `9198${String(76500000 + i + k)}` }), client)),
					);
					for (const r of batch) {
						c.tried();
						if (refusal(r)) c.refused();
						if (/try again in \d+ (second|minute)/.test(r.text)) limited++;
					}
				}
				if (limited < 190) c.note(`✘ only ${limited} pages said when to try again`);
			},
			sendRoute(pumpPlan),
		);
		const onePlan = ctx.plans.find((p) => p.journey.id === 'capillary-web');
		await measure(
			`pumping: 50 first pages from 50 clients for one address → sends ≤ ${PUBLIC_PAGES_DEFAULTS.perIdentifierMax}`,
			{ max: PUBLIC_PAGES_DEFAULTS.perIdentifierMax },
			async (c) => {
				const got = [];
				for (let i = 0; i < 50; i++) got.push(await get(onePlan.journey.id));
				await fillWait(got);
				for (const g of got) {
					const r = await post(onePlan.journey.id, formOf(g, { identifierValue: 'Victim@Example.com' }), g.client);
					c.tried();
					if (refusal(r)) c.refused();
				}
			},
			sendRoute(onePlan),
		);
		const resendPlan = ctx.plans.find((p) => p.journey.id === 'iserveu-transaction');
		await measure(
			`resends: a code page, then 8 × (code expired → new code) → sends ≤ ${PUBLIC_PAGES_DEFAULTS.perIdentifierMax} in all`,
			{ max: PUBLIC_PAGES_DEFAULTS.perIdentifierMax },
			async (c) => {
				const g = await get(resendPlan.journey.id);
				await fillWait([g]);
				let page = await post(resendPlan.journey.id, formOf(g, resendPlan.samples), g.client);
				let said = false;
				for (let i = 0; i < 8 && page.step === 'verify'; i++) {
					await api.advance(3600);
					const expired = await post(resendPlan.journey.id, formOf(page, codeTyped(resendPlan, '123456')));
					if (expired.step !== 'resend') {
						c.note(`✘ no new-code page: ${expired.text.slice(0, 120)}`);
						break;
					}
					page = await post(resendPlan.journey.id, formOf(expired));
					c.tried();
					if (refusal(page)) {
						c.refused();
						said = /try again in \d+ (second|minute)/.test(page.text);
					}
				}
				if (!said) c.note('✘ the refused resend did not say when to try again');
			},
			sendRoute(resendPlan),
		);

		// ---- bot friction ---------------------------------------------------------------------------------------
		const botPlan = ctx.plans.find((p) => p.journey.id === 'summitai');
		await measure('bots: honeypot filled (20 posts, after the fill time)', { max: 0 }, async (c) => {
			const got = [];
			for (let i = 0; i < 20; i++) got.push(await get(botPlan.journey.id));
			await fillWait(got);
			for (const g of got)
				expectRefused(await post(botPlan.journey.id, { ...formOf(g, botPlan.samples), website: 'http://spam.example' }, g.client), c, 'honeypot');
		});
		await measure(`bots: posted sooner than ${PUBLIC_PAGES_DEFAULTS.minFillSeconds} s after the page (20)`, { max: 0 }, async (c) => {
			for (let i = 0; i < 20; i++) {
				const g = await get(botPlan.journey.id);
				expectRefused(await post(botPlan.journey.id, formOf(g, botPlan.samples), g.client), c, 'too fast');
			}
		});
		await measure("bots: no issue token, a forged one, another journey's (30)", { max: 0 }, async (c) => {
			const other = await get('capillary-web');
			await sleep(PUBLIC_PAGES_DEFAULTS.minFillSeconds * 1000 + 150);
			for (let i = 0; i < 10; i++) {
				const fields = { step: 'start', ...botPlan.samples };
				expectRefused(await post(botPlan.journey.id, fields), c, 'no issue token');
				expectRefused(
					await post(botPlan.journey.id, { ...fields, issued: `sealed.v1.${crypto.randomBytes(40).toString('base64url')}` }),
					c,
					'forged issue token',
				);
				expectRefused(await post(botPlan.journey.id, { ...fields, issued: other.field('issued').value }), c, "another journey's issue token");
			}
		});

		// ---- XSS: the corpus typed into every echoed field, and as the provider's message -----------------------
		await deploy({ ...defaults, perIdentifierMax: 0, perClientMax: 0, minFillSeconds: 0 });
		const reflectedBefore = pages.reflected.length;
		const echoesBefore = pages.escapedEchoes;
		await measure('XSS: the corpus in every first-page and code-page input', { max: Infinity }, async (c) => {
			for (const pl of ctx.plans) {
				for (const ask of [...pl.journey.ask, ...(pl.journey.codeAsk || [])]) {
					for (const payload of XSS) {
						const g = await get(pl.journey.id);
						const first = pl.journey.ask.includes(ask);
						let page = await post(pl.journey.id, formOf(g, { ...pl.samples, ...(first ? { [ask.name]: payload } : {}) }), g.client);
						c.tried();
						if (!first && page.step === 'verify') page = await post(pl.journey.id, formOf(page, { ...codeTyped(pl, '000000'), [ask.name]: payload }));
					}
				}
			}
		});
		await deploy({ ...defaults, perIdentifierMax: 0, perClientMax: 0, minFillSeconds: 0 }, (flows) =>
			flows.map((n) => (typeof n.baseUrl === 'string' ? { ...n, baseUrl: n.baseUrl.replace(sandbox.url, evil.url) } : n)),
		);
		const evilBefore = evil.calls();
		await measure('XSS: the corpus as the provider message (a stand-in provider answering 400)', { max: Infinity }, async (c) => {
			for (const pl of ctx.plans) {
				for (let i = 0; i < XSS.length; i++) {
					const g = await get(pl.journey.id);
					const page = await post(pl.journey.id, formOf(g, pl.samples), g.client);
					c.tried();
					if (!/Some of the details could not be used/.test(page.text))
						c.note(`✘ ${pl.journey.id}: the provider's message not shown: ${page.text.slice(0, 120)}`);
				}
			}
			return { note: `${evil.calls() - evilBefore} stand-in calls` };
		});
		const reflected = pages.reflected.length - reflectedBefore;
		rows.push({
			name: 'XSS: pages reflecting the corpus unescaped',
			tried: pages.escapedEchoes - echoesBefore,
			refused: 0,
			sent: reflected,
			bound: '= 0 (sent: unescaped)',
			ok: reflected === 0 && pages.escapedEchoes - echoesBefore > 0,
			notes: pages.reflected.slice(reflectedBefore, reflectedBefore + 3),
		});
		report.check(
			`XSS: ${pages.escapedEchoes - echoesBefore} pages echoed the corpus, escaped; ${reflected} unescaped`,
			(reflected === 0 && pages.escapedEchoes - echoesBefore > 0) ||
				pages.reflected.slice(reflectedBefore, reflectedBefore + 3).join(' | ') ||
				'nothing echoed',
		);

		// ---- CAPTCHA on, against the sandbox's siteverify stand-in ----------------------------------------------
		const captchaPlan = ctx.plans.find((p) => p.journey.id === 'summitai');
		await deploy({
			...defaults,
			captcha: 'turnstile',
			captchaSiteKey: CAPTCHA_SITE_KEY,
			captchaSecret: CAPTCHA_SECRET,
			captchaVerifyUrl: `${sandbox.url}/_captcha/turnstile/siteverify`,
		});
		captchaOrigins = CAPTCHAS.turnstile.origins;
		const field = CAPTCHAS.turnstile.field;
		const captchaCalls = (byRoute) => byRoute['POST /_captcha/turnstile/siteverify'] ?? 0;
		let verifyAsked = 0;
		await measure('CAPTCHA on: no token, a wrong token (10) → refused', { max: 0 }, async (c) => {
			const before = captchaCalls(await stats());
			const got = [];
			for (let i = 0; i < 10; i++) got.push(await get(captchaPlan.journey.id));
			if (!got[0].html.includes(`data-sitekey="${CAPTCHA_SITE_KEY}"`)) c.note('✘ the first page shows no widget');
			await fillWait(got);
			for (const [i, g] of got.entries()) {
				const fields = formOf(g, captchaPlan.samples);
				if (i % 2 === 1) fields[field] = `fail-${i}`;
				expectRefused(await post(captchaPlan.journey.id, fields, g.client), c, i % 2 ? 'a wrong token' : 'no token');
			}
			verifyAsked = captchaCalls(await stats()) - before;
			return { note: `siteverify asked ${verifyAsked} times` };
		});
		await measure('CAPTCHA on: the right token → sent', { min: 1, max: 1 }, async (c) => {
			const g = await get(captchaPlan.journey.id);
			await fillWait([g]);
			const page = await post(captchaPlan.journey.id, { ...formOf(g, captchaPlan.samples), [field]: 'pass-e2e' }, g.client);
			c.tried();
			if (page.step !== 'verify') c.note(`✘ no code page: ${page.text.slice(0, 160)}`);
		});
		captchaOrigins = [];

		// ---- a persistent context store: counts and claims survive a restart --------------------------------------
		const persistPlan = ctx.plans.find((p) => p.journey.id === 'capillary-web');
		const persisted = { ...defaults, store: 'file' };
		await deploy(persisted);
		const victim = 'persist@example.com';
		const got = [];
		for (let i = 0; i < PUBLIC_PAGES_DEFAULTS.perIdentifierMax; i++) got.push(await get(persistPlan.journey.id));
		await fillWait(got);
		let used;
		for (const g of got) used = await post(persistPlan.journey.id, formOf(g, { identifierValue: victim }), g.client);
		const usedFields = formOf(used, codeTyped(persistPlan, '000000'));
		await post(persistPlan.journey.id, usedFields);
		await nr.stop();
		await start();
		await deploy(persisted);
		await measure('persistent context store ("file"): after a restart the 6th send and a used page are still refused', { max: 0 }, async (c) => {
			const g = await get(persistPlan.journey.id);
			await fillWait([g]);
			expectRefused(await post(persistPlan.journey.id, formOf(g, { identifierValue: victim }), g.client), c, 'the 6th send after a restart');
			expectRefused(await post(persistPlan.journey.id, usedFields), c, 'a used page after a restart');
		});

		// ---- no sealing key: the pages refuse to run and say what to set --------------------------------------
		await deploy({ ...defaults, sealingKey: ' ' });
		await measure('no sealing key: every page refuses and names the setting', { max: 0 }, async (c) => {
			for (const pl of ctx.plans) {
				const g = await get(pl.journey.id);
				c.tried();
				if (refusal(g) && /Sealing key/.test(g.text)) c.refused();
				else c.note(`✘ ${pl.journey.id}: ${g.text.slice(0, 120)}`);
				expectRefused(await post(pl.journey.id, { step: 'start', ...pl.samples }), c, 'a post without a key');
			}
		});

		rows.push({
			name: 'every page carries the headers',
			tried: pages.seen,
			refused: 0,
			sent: pages.headerFaults.length,
			bound: '= 0 (sent: pages without)',
			ok: pages.headerFaults.length === 0,
			notes: pages.headerFaults.slice(0, 3),
		});
		report.check(`every page carries the headers (${pages.seen} pages)`, pages.headerFaults.length === 0 || pages.headerFaults.slice(0, 3).join(' | '));
		const log = nr.log;
		const crash = /Uncaught Exception|unhandled ?(promise )?rejection/i.test(log);
		report.check('no uncaught exception / unhandled rejection in the log', !crash || 'see the log');
	} catch (e) {
		report.fail('run', e.stack || e.message);
	} finally {
		if (nr) await nr.stop();
		await sandbox.close();
		await evil.close();
		if (process.env.OTPFLOW_E2E_KEEP) process.stdout.write(`  user dir kept: ${userDir}\n`);
		else fs.rmSync(userDir, { recursive: true, force: true });
	}
	report.time(`total for ${rt.label}`, Date.now() - t0);
	report.rows = rows;
	return report;
}

function table(rows) {
	const head = ['case', 'tried', 'refused', 'sent to provider', 'bound', ''];
	const body = rows.map((r) => [r.name, String(r.tried), String(r.refused), String(r.sent), r.bound, r.ok ? '✔' : '✘']);
	const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
	const line = (cells) => `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}`;
	return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

async function main() {
	const argv = process.argv.slice(2);
	const only = argv.includes('--runtime') ? argv[argv.indexOf('--runtime') + 1] : undefined;
	const started = Date.now();
	const cap = setTimeout(() => {
		process.stderr.write(`journeys abuse e2e: over ${RUN_CAP_MS / 60000} minutes, giving up\n`);
		process.exit(1);
	}, RUN_CAP_MS);
	cap.unref();
	if (!fs.existsSync(path.join(ROOT, 'dist', 'node-red', 'journey.js'))) {
		process.stderr.write('No dist/node-red/journey.js: run `npm run build` first.\n');
		process.exit(2);
	}
	const journeys = dist('journeys');
	const { SANDBOX_ACCOUNTS, providerBaseUrls } = dist('sandbox');
	const baseUrls = providerBaseUrls('http://127.0.0.1:4010');
	const model = { params: dist('journeys', 'params'), accounts: SANDBOX_ACCOUNTS, baseUrls };
	const plans = journeys.JOURNEYS.map((j) => plan(j, model));
	const runtimes = cache.runtimes().filter((rt) => !only || rt.nodeRed.version.startsWith(`${only}.`));
	const tarball = pack();
	const reports = [];
	try {
		for (const rt of runtimes) reports.push(await runtimeRun(rt, { tarball, plans, baseUrls }));
	} finally {
		fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	}
	for (const r of reports) {
		process.stdout.write(`\n${r.label}: tried / refused / sent to the provider\n${table(r.rows || [])}\n`);
		for (const row of (r.rows || []).filter((x) => !x.ok)) process.stdout.write(`  ✘ ${row.name}: ${row.notes.slice(0, 3).join(' | ')}\n`);
	}
	process.stdout.write('\nSummary\n');
	for (const r of reports) {
		process.stdout.write(`  ${r.failed.length ? '✘' : '✔'} ${r.label}: ${r.checks.length - r.failed.length}/${r.checks.length} checks\n`);
		for (const f of r.failed) process.stdout.write(`      ✘ ${f.name}: ${String(f.detail).slice(0, 400)}\n`);
	}
	process.stdout.write(`  wall time ${secs(Date.now() - started)}\n`);
	process.exit(reports.length > 0 && reports.every((r) => r.failed.length === 0) ? 0 : 1);
}

main().catch((e) => {
	process.stderr.write(`${e.stack || e.message}\n`);
	process.exit(1);
});
