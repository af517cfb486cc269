#!/usr/bin/env node
'use strict';
/**
 * The journeys (examples/journeys/) in real Node-RED 4.1 on Node 20 and Node-RED 5.0 on Node 24, driven over HTTP
 * exactly as a browser drives them: GET a page, POST its form (urlencoded, hidden fields included) to where the form
 * says, read the next page. The code is read from the sandbox inbox, as the person reads their phone.
 *
 *   per journey   (a) right code → done page   (b) wrong code, then right → done
 *                 (c) sandbox clock past the code's validity → new-code page → new code → done
 *                 (d) provider down (503 on the send call) → error page
 *   restart       every journey begun, Node-RED restarted before the first page is posted and again before the code
 *                 page is, every journey finished on the new process
 *   two copies    a second Node-RED on another port: each code page, served by one, is posted to the other
 *   every page    no sandbox secret, no full Aadhaar number (the HTML: any 12 digits, together, spaced or hyphenated,
 *                 passing Aadhaar's check; the reference it carries: the Aadhaar numbers typed), no stack trace, every
 *                 input labelled; the flows use no flow or global context
 *
 *   node e2e/journeys/node-red.js                 both runtimes (after `npm run build`)
 *   node e2e/journeys/node-red.js --runtime 5     only Node-RED 5
 *   OTPFLOW_E2E_VERBOSE=1 / OTPFLOW_E2E_KEEP=1    as in e2e/node-red/run.js
 *   OTPFLOW_E2E_PAGES=<dir>                       also save every page there, numbered, to look at
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const cache = require('../node-red/cache');
const packaging = require('../../packaging');
const { CRASH_PATTERNS, HOST, NodeRed, Report, freePort, installIntoUserDir, mask, sandboxSecrets, secs, settingsJs, sleep } = require('../node-red/lib');
const { nodeTypes, sandboxCredentials } = require('../node-red/flows');

const ROOT = path.resolve(__dirname, '..', '..');
const HTTP_ROOT = '/api'; // settingsJs's httpNodeRoot: the pages must not assume '/'
/** Past every provider's code validity (the longest, Capillary's session, is 15 minutes). */
const EXPIRE_SECONDS = 3600;
/** Providers whose wrong-code answer says how many attempts are left (the page must show it). */
const REPORTS_ATTEMPTS = new Set(['bos', 'aopay', 'iserveu']);
const RUN_CAP_MS = 9 * 60 * 1000;

const dist = (...p) => require(path.join(ROOT, 'dist', ...p));

// ---------------------------------------------------------------------------------------------------
// A browser, as far as these pages need one
// ---------------------------------------------------------------------------------------------------

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(s) {
	return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e) => {
		if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
		return ENTITIES[e.toLowerCase()] ?? m;
	});
}

function attributes(source) {
	const out = {};
	for (const m of source.matchAll(/([^\s=/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g))
		out[m[1].toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
	return out;
}

/** The page's forms (their inputs and buttons), labels and visible text. */
function parsePage(url, status, headers, html) {
	const forms = [];
	const labels = new Set();
	let form;
	for (const m of html.matchAll(/<(\/?)(form|input|button|label)\b([^>]*)>/gi)) {
		const [, closing, tag, attrs] = m;
		const a = attributes(attrs);
		const name = tag.toLowerCase();
		if (name === 'form') {
			if (closing) form = undefined;
			else forms.push((form = { action: a.action, method: (a.method || 'get').toLowerCase(), inputs: [] }));
		} else if (name === 'label' && !closing && a.for) labels.add(a.for);
		else if (name === 'input' && form)
			form.inputs.push({ name: a.name, type: (a.type || 'text').toLowerCase(), value: a.value, id: a.id, required: 'required' in a });
	}
	const text = decodeEntities(html.replace(/<style[\s\S]*?<\/style>/gi, ' ').replace(/<[^>]+>/g, ' '))
		.replace(/\s+/g, ' ')
		.trim();
	const field = (name) => forms.flatMap((f) => f.inputs).find((i) => i.name === name);
	return { url, status, headers, html, text, forms, labels, field, step: field('step')?.value };
}

class Browser {
	constructor(checker) {
		this.checker = checker;
	}

	async get(url) {
		const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(30000) });
		return this.checker.page(parsePage(url, res.status, res.headers, await res.text()));
	}

	/**
	 * Submits the page's form as a browser does: its hidden and prefilled inputs, `typed` for the others, to the
	 * form's action resolved against the page's address (`origin` replaces the host: another Node-RED copy).
	 */
	async submit(page, typed = {}, origin) {
		const form = page.forms.find((f) => f.method === 'post');
		if (!form) throw new Error(`no form to post on ${page.url}: ${page.text.slice(0, 200)}`);
		const body = new URLSearchParams();
		for (const input of form.inputs) {
			if (!input.name) continue;
			const value = input.type !== 'hidden' && typed[input.name] !== undefined ? typed[input.name] : input.value;
			if (value === undefined && input.required) throw new Error(`nothing to type into "${input.name}" on ${page.url}`);
			body.append(input.name, value ?? '');
		}
		const target = new URL(form.action ?? '', page.url);
		if (origin) {
			const o = new URL(origin);
			target.host = o.host;
		}
		const res = await fetch(target, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body,
			redirect: 'manual',
			signal: AbortSignal.timeout(60000),
		});
		return this.checker.page(parsePage(target.href, res.status, res.headers, await res.text()));
	}
}

// ---------------------------------------------------------------------------------------------------
// What every page must (not) hold
// ---------------------------------------------------------------------------------------------------

/** 12 digits written together, in groups of four with spaces, or with hyphens. */
const TWELVE_DIGITS = /(?<!\d)(\d{4})([ -]?)(\d{4})\2(\d{4})(?!\d)/g;

class PageChecker {
	constructor({ secrets, aadhaars, verhoeffValid, readState }) {
		Object.assign(this, { secrets, aadhaars, verhoeffValid, readState });
		this.pages = 0;
		this.problems = [];
	}

	/**
	 * Aadhaar numbers in a text: the ones the journeys type, and (`anyValid`) any 12 digits passing Aadhaar's Verhoeff
	 * check. Not for the reference's ids: a provider's random id (a UUID's last group) passes it now and then.
	 */
	aadhaarIn(text, anyValid = true) {
		const found = [];
		for (const m of text.matchAll(TWELVE_DIGITS)) {
			const digits = `${m[1]}${m[3]}${m[4]}`;
			if (this.aadhaars.includes(digits) || (anyValid && this.verhoeffValid(digits))) found.push(`…${digits.slice(-4)}`);
		}
		return found;
	}

	/** The sealed state a page carries, opened with the deployment's key (the browser cannot read it). */
	reference(page) {
		const value = page.field('state')?.value;
		if (!value) return undefined;
		if (!/^sealed\.v1\./.test(value)) throw new Error('the state is not sealed');
		const state = this.readState(value, this.sealingKey);
		if (!state) throw new Error('the state does not open with the deployment key');
		return state.ref;
	}

	page(p) {
		this.pages++;
		if (process.env.OTPFLOW_E2E_PAGES) {
			fs.mkdirSync(process.env.OTPFLOW_E2E_PAGES, { recursive: true });
			const name = `${String(this.pages).padStart(3, '0')}-${new URL(p.url).pathname.split('/').pop()}-${p.step || 'end'}.html`;
			fs.writeFileSync(path.join(process.env.OTPFLOW_E2E_PAGES, name), p.html);
		}
		const where = `${p.url} (${p.step ? `form ${p.step}` : 'no form'})`;
		const bad = (what) => this.problems.push(`${where}: ${what}`);
		if (p.status !== 200) bad(`HTTP ${p.status}`);
		if (!/^text\/html/.test(p.headers.get('content-type') || '')) bad(`content-type ${p.headers.get('content-type')}`);
		const inHtml = this.secrets.filter((s) => p.html.includes(s));
		if (inHtml.length) bad(`sandbox secret in the page: ${inHtml.map(mask).join(', ')}`);
		const aadhaar = this.aadhaarIn(p.html);
		if (aadhaar.length) bad(`Aadhaar number in the page: ${aadhaar.join(', ')}`);
		if (/\bat [^\s(]+ \(|\b(TypeError|ReferenceError|SyntaxError)\b|node_modules/.test(p.html)) bad('a stack trace or error class in the page');
		let reference;
		try {
			reference = this.reference(p);
		} catch (e) {
			bad(`hidden state: ${e.message}`);
		}
		for (const input of p.forms.flatMap((f) => f.inputs)) {
			if (input.type === 'hidden' && !['step', 'state', 'issued'].includes(input.name)) bad(`unsealed hidden field "${input.name}"`);
		}
		if (reference !== undefined) {
			const text = JSON.stringify(reference);
			if (!reference || typeof reference !== 'object' || Array.isArray(reference)) bad('hidden reference is not an object');
			if (this.secrets.some((s) => text.includes(s))) bad('sandbox secret in the hidden reference');
			const a = this.aadhaarIn(text, false);
			if (a.length) bad(`Aadhaar number in the hidden reference: ${a.join(', ')}`);
			if ('ovdDataSealed' in reference && !/^sealed\.v1\./.test(String(reference.ovdDataSealed))) bad('ovdDataSealed is not sealed');
		}
		for (const input of p.forms.flatMap((f) => f.inputs)) {
			if (input.type === 'hidden') continue;
			if (!input.id || !p.labels.has(input.id)) bad(`input "${input.name}" has no label`);
		}
		p.reference = reference;
		return p;
	}
}

// ---------------------------------------------------------------------------------------------------
// Deployment
// ---------------------------------------------------------------------------------------------------

/**
 * The public pages' settings of a happy-path run: a sealing key of its own, and no send budgets nor fill time (these
 * runs send many codes to the same sample numbers within seconds; e2e/journeys/node-red-abuse.js tests the defaults).
 */
const RELAXED_PAGES = { perIdentifierMax: 0, perClientMax: 0, minFillSeconds: 0 };

/**
 * Every journey file as installed, account nodes moved to the running sandbox with its secrets, the public pages'
 * config node given `pages` (its settings) and a sealing key (`pages.sealingKey`, else a random one).
 */
function journeyDeployment(installed, sandboxUrl, accounts, pages = RELAXED_PAGES) {
	const dir = path.join(installed, 'examples', 'journeys');
	const sealingKeyOf = require('node:crypto').randomBytes(24).toString('base64url');
	const providers = nodeTypes().providers;
	const flows = [];
	const seen = new Set();
	const files = fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort();
	for (const file of files) {
		for (const original of JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))) {
			if (seen.has(original.id)) continue; // one account node per provider, shared by its journeys
			seen.add(original.id);
			const node = JSON.parse(JSON.stringify(original));
			const provider = providers.find((p) => p.configType === node.type);
			if (provider) {
				node.baseUrl = String(node.baseUrl).replace(/^http:\/\/127\.0\.0\.1:\d+/, sandboxUrl);
				node.credentials = sandboxCredentials(provider, accounts);
			}
			if (node.type === 'otpflow-public-pages') {
				const { sealingKey, captchaSecret, ...settings } = pages;
				Object.assign(node, settings);
				node.credentials = { sealingKey: sealingKey || sealingKeyOf, ...(captchaSecret ? { captchaSecret } : {}) };
			}
			flows.push(node);
		}
	}
	return { files, flows, sealingKey: pages.sealingKey || sealingKeyOf };
}

/** Context use anywhere in the flows: a typed input or change rule on flow/global, or a JSONata/template lookup. */
function contextUse(flows) {
	const found = [];
	for (const n of flows) {
		for (const [k, v] of Object.entries(n)) {
			if (typeof v === 'string' && /Type$|^(pt|tot|propertyType|fieldType)$/.test(k) && /^(flow|global)$/.test(v)) found.push(`${n.type} ${n.id}: ${k}=${v}`);
		}
		for (const r of n.rules || [])
			if (/^(flow|global)$/.test(`${r.pt}`) || /^(flow|global)$/.test(`${r.tot}`) || /^(flow|global)$/.test(`${r.vt}`))
				found.push(`${n.type} ${n.id}: rule on ${r.pt}/${r.tot}/${r.vt}`);
		if (n.type === 'comment' || n.type === 'tab') continue;
		const text = JSON.stringify(n);
		if (/\bflow\.|\bglobal\.|\$flowContext|\$globalContext|\{\{\s*(flow|global)\b/.test(text)) found.push(`${n.type} ${n.id}: names flow./global. context`);
	}
	return found;
}

// ---------------------------------------------------------------------------------------------------
// The journeys
// ---------------------------------------------------------------------------------------------------

function sandboxApi(url) {
	const call = async (method, p, body) => {
		const res = await fetch(`${url}${p}`, {
			method,
			headers: body ? { 'content-type': 'application/json' } : {},
			body: body ? JSON.stringify(body) : undefined,
			signal: AbortSignal.timeout(10000),
		});
		const text = await res.text();
		return { status: res.status, json: text ? JSON.parse(text) : undefined };
	};
	return {
		reset: () => call('POST', '/_sandbox/reset'),
		advance: (advanceSeconds) => call('POST', '/_sandbox/clock', { advanceSeconds }),
		fault: (spec) => call('POST', '/_sandbox/faults', spec),
		clearFaults: () => call('DELETE', '/_sandbox/faults'),
		latest: async (provider, to) => {
			const res = await call('GET', `/_sandbox/inbox/latest?${new URLSearchParams({ provider, to })}`);
			return res.status === 200 ? res.json : undefined;
		},
	};
}

/** What the tests know about each journey, from its description (dist/journeys). */
function plan(journey, model) {
	const { stepsOf, sampleParams } = model.params;
	const samples = Object.fromEntries([...journey.ask, ...(journey.codeAsk || [])].map((a) => [a.name, a.sample]));
	const steps = stepsOf(journey).filter((s) => s.role === 'before' || s.role === 'send');
	const send = steps[steps.length - 1];
	// The send call's path, as the node builds it (the steps before it hand on values such as the app type through the
	// reference): the 503 must hit the send step, not a step before it.
	const account = {
		...Object.fromEntries(Object.entries(model.accounts[journey.provider.id] || {}).filter(([, v]) => typeof v === 'string')),
		baseUrl: model.baseUrls[journey.provider.id],
	};
	const params = Object.assign({}, ...steps.map((s) => sampleParams(journey, s.role, s.step, s.op, '')));
	const request = send.op.request({ params, account, now: new Date() });
	const sendPath = new URL(request.url).pathname.slice(new URL(account.baseUrl).pathname.replace(/\/$/, '').length);
	return { journey, samples, sendPath, sensitive: journey.ask.filter((a) => a.sensitive).map((a) => a.name) };
}

async function runtimeRun(rt, ctx) {
	const report = new Report(rt.label);
	process.stdout.write(`\n■ ${rt.label}\n`);
	const t0 = Date.now();
	const { startSandbox, SANDBOX_ACCOUNTS } = dist('sandbox');
	const sandbox = await startSandbox({ port: 0, maxLifetimeMs: RUN_CAP_MS });
	const api = sandboxApi(sandbox.url);
	const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-journeys-'));
	const userDirB = `${userDir}-b`;
	const started = [];
	const checker = new PageChecker(ctx);
	const browser = new Browser(checker);
	const scenarios = [];
	try {
		let t = Date.now();
		const installed = installIntoUserDir(userDir, ctx.tarball);
		report.time('npm install <tarball> into the user dir', Date.now() - t);

		const port = await freePort();
		fs.writeFileSync(path.join(userDir, 'settings.js'), settingsJs({ port, maxLifetimeMs: RUN_CAP_MS, parentPid: process.pid }));
		const startNodeRed = async (dir, p, log) => {
			const nr = new NodeRed({ nodeBin: rt.nodeBin, red: rt.nodeRed.red, userDir: dir, port: p, logFile: path.join(dir, log) });
			started.push(nr);
			const ts = Date.now();
			await nr.start();
			report.time(`Node-RED start (pid ${nr.pid}, port ${p})`, Date.now() - ts);
			return nr;
		};
		let nr = await startNodeRed(userDir, port, 'node-red.log');
		const pagesAt = (p) => `http://${HOST}:${p}${HTTP_ROOT}/otp`;
		/** Node-RED answers its admin API before its flows (and their HTTP routes) have started: wait for a page. */
		const flowsServing = async (p) => {
			const url = `${pagesAt(p)}/${ctx.plans[0].journey.id}`;
			const until = Date.now() + 30000;
			for (;;) {
				const status = await fetch(url, { signal: AbortSignal.timeout(5000) }).then(
					async (res) => (await res.text(), res.status),
					() => 0,
				);
				if (status === 200) return;
				if (Date.now() > until) throw new Error(`${url} not served within 30 s of the start`);
				await sleep(100);
			}
		};

		// Deploy every journey tab at once, as shipped in the tarball.
		const { files, flows, sealingKey } = journeyDeployment(installed, sandbox.url, SANDBOX_ACCOUNTS);
		checker.sealingKey = sealingKey;
		t = Date.now();
		await nr.deploy(flows);
		report.time(`deploy ${files.length} journey files (${flows.length} nodes) in one POST /flows`, Date.now() - t);
		report.check(
			`one journey file per journey (${files.length})`,
			(files.length === ctx.plans.length && ctx.plans.every((p) => files.includes(`${p.journey.id}.json`))) || `files: ${files.join(', ')}`,
		);
		// Import → Examples: Node-RED lists the package's examples/ folders; journeys/ must hold every journey.
		const pkgName = packaging.manifest(packaging.folderOf('node-red')).name;
		const listed = await nr.get(`/library/examples/flows/${pkgName}/journeys`);
		const entries = (Array.isArray(listed.json) ? listed.json : []).map((e) => (typeof e === 'string' ? e : e.fn)).filter(Boolean);
		report.check(
			`Import → Examples → journeys lists every journey (${entries.length})`,
			ctx.plans.every((p) => entries.includes(p.journey.id)) || `HTTP ${listed.status}: ${listed.text.slice(0, 300)}`,
		);
		const deployed = (await nr.get('/flows')).json || [];
		const used = contextUse(deployed);
		report.check('the deployed flows use no flow or global context (GET /flows)', used.length === 0 || used.slice(0, 5).join('; '));
		const types = new Set(deployed.map((n) => n.type));
		report.check('no function node in the journeys', !types.has('function') || 'a function node is deployed');

		/** Runs `fn` as one named scenario; a thrown error or a failed expectation fails it. */
		const scenario = async (name, fn) => {
			const ts = Date.now();
			const before = checker.pages;
			const problems = [];
			const expect = (cond, what) => {
				if (!cond) problems.push(what);
			};
			try {
				await fn(expect);
			} catch (e) {
				problems.push(e.message);
			}
			const ms = Date.now() - ts;
			scenarios.push({ name, ms, pages: checker.pages - before, ok: problems.length === 0 });
			if (problems.length) report.fail(name, problems.join('; '));
			else report.ok(name, `${checker.pages - before} pages, ${secs(ms)}`);
		};

		const firstPage = async (pl, base = pagesAt(port), expect) => {
			const page = await browser.get(`${base}/${pl.journey.id}`);
			expect(page.step === 'start', `first page: no start form (${page.text.slice(0, 160)})`);
			for (const ask of pl.journey.ask) expect(!!page.field(ask.name), `first page: no input for ${ask.name}`);
			expect(page.text.includes(pl.journey.title), 'first page: no title');
			return page;
		};
		const codeSent = (pl, page, expect) => {
			expect(page.step === 'verify', `expected the code page, got: ${page.text.slice(0, 240)}`);
			expect(page.text.includes(ctx.words.otp_sent), 'code page: does not say the code was sent');
			const sentTo = pl.journey.sentTo;
			const shown =
				'ask' in sentTo ? ctx.maskContact(pl.samples[sentTo.ask]) : 'text' in sentTo ? sentTo.text : page.reference && page.reference[sentTo.reference];
			expect(!!shown && page.text.includes(`It went to ${shown}`), `code page: does not say where the code went (${shown})`);
			if (/<time datetime="[^"]+">/.test(page.html)) expect(/valid until \d\d:\d\d IST/.test(page.text), 'code page: no "valid until"');
			expect(!!page.reference, 'code page: carries no sealed state');
			for (const name of pl.sensitive) expect(!page.field(name), `code page: carries the sensitive ${name}`);
		};
		const readCode = async (pl, afterId) => {
			// The destination is one of the first page's answers (mobile number, email, user name).
			for (const to of Object.values(pl.samples)) {
				const m = await api.latest(pl.journey.provider.id, to);
				if (m && m.id !== afterId) return m;
			}
			throw new Error(`no new code in the sandbox inbox for ${pl.journey.provider.id}`);
		};
		const codeTyped = (pl, code) => ({ ...Object.fromEntries((pl.journey.codeAsk || []).map((a) => [a.name, a.sample])), otp: code });
		const isDone = (pl, page, expect) => {
			expect(page.text.includes(pl.journey.done.title), `expected the done page "${pl.journey.done.title}", got: ${page.text.slice(0, 240)}`);
			const text = pl.journey.done.text.replace(/\{\w+\}/g, '\u0000');
			const re = new RegExp(
				text
					.split('\u0000')
					.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
					.join('(\\S+)'),
			);
			const m = re.exec(page.text);
			expect(!!m, `done page: "${pl.journey.done.text}" not shown`);
			if (m && /\{cibilScore\}/.test(pl.journey.done.text)) expect(/^\d{3}$/.test(m[1]), `done page: CIBIL score "${m[1]}"`);
			return m;
		};
		const begin = async (pl, expect, base) => {
			const page = await browser.submit(await firstPage(pl, base, expect), pl.samples);
			codeSent(pl, page, expect);
			return { page, message: await readCode(pl) };
		};

		// (a)–(d) for every journey, on a freshly reset sandbox each.
		t = Date.now();
		for (const pl of ctx.plans) {
			const id = pl.journey.id;
			await api.reset();
			await scenario(`${id} (a) right code → done`, async (expect) => {
				const { page, message } = await begin(pl, expect);
				isDone(pl, await browser.submit(page, codeTyped(pl, message.otp)), expect);
			});
			await api.reset();
			await scenario(`${id} (b) wrong code → code page again → right code → done`, async (expect) => {
				const { page, message } = await begin(pl, expect);
				const wrong = message.otp.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
				const again = await browser.submit(page, codeTyped(pl, wrong));
				expect(
					again.step === 'verify' && again.text.includes(ctx.words.invalid_otp),
					`expected the code page with "${ctx.words.invalid_otp}", got: ${again.text.slice(0, 240)}`,
				);
				if (REPORTS_ATTEMPTS.has(pl.journey.provider.id)) expect(/Attempts left: \d+/.test(again.text), 'no "Attempts left" on the code page');
				for (const ask of pl.journey.codeAsk || []) if (!ask.sensitive) expect(again.field(ask.name)?.value === ask.sample, `code page: ${ask.name} not kept`);
				isDone(pl, await browser.submit(again, codeTyped(pl, message.otp)), expect);
			});
			await api.reset();
			await scenario(`${id} (c) code expired → new-code page → new code → done`, async (expect) => {
				const { page, message } = await begin(pl, expect);
				await api.advance(EXPIRE_SECONDS);
				const expired = await browser.submit(page, codeTyped(pl, message.otp));
				expect(expired.step === 'resend' && expired.text.includes(ctx.words.expired), `expected the new-code page, got: ${expired.text.slice(0, 240)}`);
				for (const name of pl.sensitive) {
					const input = expired.field(name);
					if (input) expect(input.type !== 'hidden' && !input.value, `new-code page: ${name} shown or hidden, not asked again`);
				}
				const fresh = await browser.submit(expired, Object.fromEntries(pl.sensitive.map((n) => [n, pl.samples[n]])));
				codeSent(pl, fresh, expect);
				const second = await readCode(pl, message.id);
				isDone(pl, await browser.submit(fresh, codeTyped(pl, second.otp)), expect);
			});
			await api.reset();
			await scenario(`${id} (d) provider down (503 on ${pl.sendPath}) → error page`, async (expect) => {
				const added = await api.fault({ provider: pl.journey.provider.id, path: pl.sendPath, kind: 'status', status: 503, times: 1 });
				expect(added.status === 201, `fault not added: ${JSON.stringify(added.json)}`);
				const page = await browser.submit(await firstPage(pl, undefined, expect), pl.samples);
				expect(
					page.text.includes('Something went wrong') && page.text.includes(ctx.words.provider_error),
					`expected the error page, got: ${page.text.slice(0, 240)}`,
				);
				expect(!page.forms.some((f) => f.method === 'post'), 'error page: offers a form');
				await api.clearFaults();
			});
		}
		report.time('scenarios (a)–(d) for every journey', Date.now() - t);

		// A report still being prepared: the sandbox's CIBIL customer named "Pending" answers InProgress once.
		for (const pl of ctx.plans.filter((p) => p.journey.after && p.journey.after.poll && 'first_name' in p.samples)) {
			await api.reset();
			await scenario(`${pl.journey.id} (e) report still being prepared → waits ${pl.journey.after.poll.waitSeconds} s, asks again → done`, async (expect) => {
				const slow = { ...pl, samples: { ...pl.samples, first_name: 'Pending' } };
				const { page, message } = await begin(slow, expect);
				const ts = Date.now();
				isDone(slow, await browser.submit(page, codeTyped(slow, message.otp)), expect);
				expect(Date.now() - ts >= pl.journey.after.poll.waitSeconds * 1000, 'answered without waiting');
			});
		}

		// Page data a visitor changed: never evaluated, never a hang, never a crash; a form without a step is the first page.
		// (e2e/journeys/node-red-abuse.js tries every journey and counts what reaches the provider.)
		const target = ctx.plans.find((p) => p.journey.id === 'summitai') || ctx.plans[0];
		const forged = (text) => Buffer.from(encodeURIComponent(text), 'latin1').toString('base64');
		await api.reset();
		await scenario(`${target.journey.id}: changed page data → error page (JSONata in it not run), no step → first page`, async (expect) => {
			const { page } = await begin(target, expect);
			const cases = [
				['JSONata instead of a sealed state', forged('{"transactionId": $env("HOME")}')],
				['not base64', '!!!%%%'],
				['an unsealed state the provider never issued', forged(JSON.stringify({ ...page.reference, transactionId: 'forged-0000' }))],
				['no state', ''],
			];
			for (const [what, value] of cases) {
				const changed = { ...page, forms: page.forms.map((f) => ({ ...f, inputs: f.inputs.map((i) => (i.name === 'state' ? { ...i, value } : i)) })) };
				const res = await browser.submit(changed, codeTyped(target, '123456'));
				expect(res.text.includes('Something went wrong'), `${what}: expected the error page, got: ${res.text.slice(0, 200)}`);
				expect(!res.html.includes(os.homedir()), `${what}: the page shows $env("HOME")`);
			}
			const noStep = { ...page, forms: page.forms.map((f) => ({ ...f, inputs: f.inputs.filter((i) => i.name !== 'step') })) };
			const res = await browser.submit(noStep, codeTyped(target, '123456'));
			expect(res.step === 'start', `no step: expected the first page, got: ${res.text.slice(0, 200)}`);
		});

		// Restart-safety: every journey begun, Node-RED restarted twice, every journey finished on the new process.
		t = Date.now();
		await api.reset();
		const restart = async () => {
			const ts = Date.now();
			await nr.stop();
			nr = await startNodeRed(userDir, port, 'node-red.log');
			await flowsServing(port);
			report.time('Node-RED restarted, its flows serving again', Date.now() - ts);
		};
		await scenario('restart: first pages on one process, posted after a restart, codes posted after another → done', async (expect) => {
			const firsts = [];
			for (const pl of ctx.plans) firsts.push(await firstPage(pl, undefined, expect));
			await restart();
			const codes = [];
			for (const [i, pl] of ctx.plans.entries()) {
				const page = await browser.submit(firsts[i], pl.samples);
				codeSent(pl, page, expect);
				// Read now: two journeys of one provider may send to the same number.
				codes.push({ page, message: await readCode(pl) });
			}
			await restart();
			for (const [i, pl] of ctx.plans.entries()) isDone(pl, await browser.submit(codes[i].page, codeTyped(pl, codes[i].message.otp)), expect);
		});
		report.time('restart-safety', Date.now() - t);

		// Two copies (as behind a load balancer without shared state): a code page served by one is posted to the other.
		t = Date.now();
		fs.cpSync(userDir, userDirB, { recursive: true, filter: (src) => !src.endsWith('.log') });
		const portB = await freePort();
		fs.writeFileSync(path.join(userDirB, 'settings.js'), settingsJs({ port: portB, maxLifetimeMs: RUN_CAP_MS, parentPid: process.pid }));
		const nrB = await startNodeRed(userDirB, portB, 'node-red.log');
		await flowsServing(portB);
		await api.reset();
		await scenario(`two copies: pages from port ${port} posted to port ${portB} and back → done`, async (expect) => {
			for (const [i, pl] of ctx.plans.entries()) {
				const [one, other] = i % 2 === 0 ? [port, portB] : [portB, port];
				const { page, message } = await begin(pl, expect, pagesAt(one));
				isDone(pl, await browser.submit(page, codeTyped(pl, message.otp), `http://${HOST}:${other}`), expect);
			}
		});
		await nrB.stop();
		report.time('two copies', Date.now() - t);

		// Pages, logs.
		report.check(
			`every page: no sandbox secret, no Aadhaar number (also in the reference it carries), no stack trace, inputs labelled (${checker.pages} pages)`,
			checker.problems.length === 0 || checker.problems.slice(0, 8).join(' | '),
		);
		const exits = [];
		for (const n of started) exits.push(await n.stop());
		const log = started.map((n) => n.log).join('\n');
		report.check('every Node-RED process stopped cleanly', exits.every((e) => e && (e.code === 0 || e.signal === 'SIGTERM')) || JSON.stringify(exits));
		const crash = CRASH_PATTERNS.filter((re) => re.test(log));
		report.check('no uncaught exception / unhandled rejection in the logs', crash.length === 0 || `log matches ${crash.join(', ')}`);
		const expected = /Projects disabled|Using unencrypted credentials/;
		const warnings = log.split('\n').filter((l) => /\[(warn|error)\]/.test(l) && !expected.test(l));
		report.check(
			'no warnings or errors in the logs (besides projects off, plain credentials)',
			warnings.length === 0 || warnings.slice(0, 5).join(' | ').slice(0, 800),
		);
		const leaked = ctx.secrets.filter((s) => log.includes(s));
		report.check('no sandbox secret in the logs', leaked.length === 0 || leaked.map(mask).join(', '));
		const aadhaarInLog = checker.aadhaarIn(log);
		report.check('no Aadhaar number in the logs', aadhaarInLog.length === 0 || aadhaarInLog.join(', '));
	} catch (e) {
		report.fail('run', e.stack || e.message);
	} finally {
		for (const n of started) await n.stop();
		await sandbox.close();
		for (const dir of [userDir, userDirB]) {
			if (!fs.existsSync(dir)) continue;
			if (process.env.OTPFLOW_E2E_KEEP) process.stdout.write(`  user dir kept: ${dir}\n`);
			else fs.rmSync(dir, { recursive: true, force: true });
		}
	}
	report.time(`total for ${rt.label}`, Date.now() - t0);
	report.scenarios = scenarios;
	report.pages = checker.pages;
	return report;
}

/** The Node-RED package (packages/node-red-otpflow), packed from its built copy in dist/packages/. */
function pack() {
	return packaging.pack(packaging.folderOf('node-red'), fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-pack-')));
}

async function main() {
	const argv = process.argv.slice(2);
	const only = argv.includes('--runtime') ? argv[argv.indexOf('--runtime') + 1] : undefined;
	const started = Date.now();
	// The whole run stops by itself; every process it starts stops with it (PIDs, settings' parent watch).
	const cap = setTimeout(() => {
		process.stderr.write(`journeys e2e: over ${RUN_CAP_MS / 60000} minutes, giving up\n`);
		process.exit(1);
	}, RUN_CAP_MS);
	cap.unref();
	if (!fs.existsSync(path.join(ROOT, 'dist', 'journeys', 'index.js'))) {
		process.stderr.write('No dist/journeys: run `npm run build` first.\n');
		process.exit(2);
	}
	const journeys = dist('journeys');
	const core = dist('nodes', 'core');
	const { SANDBOX_ACCOUNTS, providerBaseUrls } = dist('sandbox');
	const model = { params: dist('journeys', 'params'), accounts: SANDBOX_ACCOUNTS, baseUrls: providerBaseUrls('http://127.0.0.1:4010') };
	const plans = journeys.JOURNEYS.map((j) => plan(j, model));
	const aadhaars = [...new Set(plans.flatMap((p) => p.sensitive.map((n) => p.samples[n])))];
	let t = Date.now();
	const runtimes = cache.runtimes().filter((rt) => !only || rt.nodeRed.version.startsWith(`${only}.`));
	process.stdout.write(`Runtimes ready in ${secs(Date.now() - t)}: ${runtimes.map((r) => r.label).join('; ')}\n`);
	t = Date.now();
	const tarball = pack();
	process.stdout.write(`Packed ${path.basename(tarball)} in ${secs(Date.now() - t)}\n`);
	const ctx = {
		tarball,
		plans,
		secrets: sandboxSecrets(ROOT),
		aadhaars,
		verhoeffValid: core.verhoeffValid,
		readState: dist('node-red', 'journey-state').readState,
		words: journeys.CUSTOMER_WORDS,
		maskContact: journeys.maskContact,
	};
	const reports = [];
	try {
		for (const rt of runtimes) reports.push(await runtimeRun(rt, ctx));
	} finally {
		fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	}
	process.stdout.write('\nSummary\n');
	for (const r of reports) {
		const total = r.timings.find((x) => x.name.startsWith('total'));
		const s = r.scenarios || [];
		process.stdout.write(
			`  ${r.failed.length ? '✘' : '✔'} ${r.label}: ${s.filter((x) => x.ok).length}/${s.length} scenarios (${plans.length} journeys × (a)–(d), slow reports, changed page data, restart, two copies), ${r.pages} pages checked, ${r.checks.length - r.failed.length}/${r.checks.length} checks, ${total ? total.seconds.toFixed(1) : '?'} s\n`,
		);
		for (const f of r.failed) process.stdout.write(`      ✘ ${f.name}: ${f.detail}\n`);
	}
	process.stdout.write(`  wall time ${secs(Date.now() - started)}\n`);
	process.exit(reports.length > 0 && reports.every((r) => r.failed.length === 0) ? 0 : 1);
}

// The set-up pieces, for the real-browser run (e2e/browser/run.js); run only when started as a script.
module.exports = { HTTP_ROOT, journeyDeployment, pack, parsePage, plan, sandboxApi };

if (require.main === module) {
	main().catch((e) => {
		process.stderr.write(`${e.stack || e.message}\n`);
		process.exit(1);
	});
}
