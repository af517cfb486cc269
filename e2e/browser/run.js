#!/usr/bin/env node
'use strict';
/**
 * One real-browser run: headless Chromium (Debian's package) driven by playwright-core goes through the Capillary
 * mobile journey as a person does, in real Node-RED 4.1 and in real n8n 2.41.1:
 *
 *   first page   type the mobile number, click "Send me a code"
 *   code page    read the code in the sandbox inbox (the phone), type a wrong one, click "Confirm"
 *   code page    "That code is not right" shown; type the right one, click "Confirm"
 *   done page    "Signed in"
 *
 * with a screenshot of each page: <out>/<runtime>-{first,code,wrong-code,done}.png. Then, in the same browser:
 *
 *   n8n        Send and Wait for Code, Page mode (templates/n8n/send-and-wait/capillary-mobile-page.json, imported
 *              and published with the journey): a plain form posts the mobile number to the Webhook, the node's own
 *              code page at the run's waiting URL, a wrong code ("That code is not right", and the attempts left
 *              when the provider says: Capillary does not), the right one, "Confirmed":
 *              n8n-wait-{code,wrong-code,done}.png; no page shows the whole mobile number.
 *   sandbox    the inbox page (the phone) while that code is valid: its Copy button puts the code on the clipboard
 *              (read back, then pasted into the code page), sandbox-inbox.png; after the right code, the row is
 *              marked used.
 *   Node-RED   the editor at /admin: the Capillary account's edit dialog, Test → "Connection successful",
 *              node-red-account-test.png; a wrong brand → Capillary's refusal; the BOS account tested with its
 *              stored access token (the dialog shows only a placeholder), then a wrong one → BOS's refusal.
 *
 *   npm run screenshots                        build, then write them into docs/screenshots/ (the README shows them)
 *   node e2e/browser/run.js                    the same run, screenshots into a temp folder, removed after (CI)
 *   node e2e/browser/run.js --out <dir>        screenshots there
 *   node e2e/browser/run.js --runtime n8n      only one runtime (node-red | n8n)
 *   OTPFLOW_E2E_KEEP=1                         keep the temp folders (screenshots, Chromium's stderr)
 *
 * Chromium and playwright-core are installed when missing (./install.js); Node-RED 4.1 and n8n come from the e2e
 * caches and are set up as the journeys' e2e runs set them up (e2e/journeys/). Everything listens on 127.0.0.1, the
 * browser may reach nothing else, every process started here is stopped by its PID, and the run has a hard limit.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureBrowser } = require('./install');
const cache = require('../node-red/cache');
const { HOST, NodeRed, freePort, installIntoUserDir, secs, settingsJs, sleep } = require('../node-red/lib');
const nodeRedJourneys = require('../journeys/node-red');
const n8nJourneys = require('../journeys/n8n.test');
const { ensureN8n, N8N_VERSION, NODE_VERSION } = require('../n8n/install');
const n8nLib = require('../n8n/lib');

const ROOT = path.resolve(__dirname, '..', '..');
const JOURNEY = 'capillary-mobile';
/** After the installs (they block and have their own limits): set-up of both runtimes, both walks, tear-down. */
const RUN_CAP_MS = 8 * 60 * 1000;
/** One page must follow a click within this (n8n resumes a waiting run). */
const STEP_TIMEOUT_MS = 60000;
/** A phone-sized width, small PNGs; a taller page is shot whole. */
const VIEWPORT = { width: 560, height: 440 };
/** The screenshots each runtime's part of the run must write. */
const SHOTS = {
	'node-red': ['node-red-first', 'node-red-code', 'node-red-wrong-code', 'node-red-done', 'node-red-account-test'],
	n8n: ['n8n-first', 'n8n-code', 'n8n-wrong-code', 'n8n-done', 'n8n-wait-code', 'n8n-wait-wrong-code', 'n8n-wait-done', 'sandbox-inbox'],
};
/** The Node-RED editor needs a desk-sized window; the sandbox's inbox table too. */
const EDITOR_VIEWPORT = { width: 1100, height: 720 };
const INBOX_VIEWPORT = { width: 900, height: 440 };
/** The Send and Wait template the browser run starts from (Page mode: the node serves its own code page). */
const WAIT_TEMPLATE = path.join(n8nLib.TEMPLATE_DIR, 'send-and-wait', `${JOURNEY}-page.json`);
/** Offline-safe flags (../shared/DESIGN.md §6): no background calls that this machine's closed network refuses. */
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

const log = (line) => process.stdout.write(`${line}\n`);
const dist = (...p) => require(path.join(ROOT, 'dist', ...p));
/** A path as short as it reads well: relative inside the project. */
const show = (p) => (p.startsWith(`${ROOT}${path.sep}`) ? path.relative(ROOT, p) : p);

/**
 * The processes this one started, read from /proc: { pid, leader } (leader: of its own group). Ended ones not yet
 * reaped only with `zombies`.
 */
function ownChildren({ zombies = false } = {}) {
	let pids = [];
	try {
		pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
	} catch {
		return [];
	}
	const found = [];
	for (const pid of pids) {
		let stat;
		try {
			stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		} catch {
			continue; // ended meanwhile
		}
		// pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so read after the last ')'.
		const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		if (Number(ppid) === process.pid && (zombies || state !== 'Z')) found.push({ pid: Number(pid), leader: Number(pgrp) === Number(pid) });
	}
	return found;
}

/**
 * Signals, by PID, every process this one started (Chromium, Node-RED, `n8n start`, an `n8n import` the set-up waits
 * for): a child's whole group when it leads one (renderers, task runners), else the child. The normal path stops each
 * one itself first; this is the finally and the hard limit.
 */
function signalChildren(signal) {
	for (const { pid, leader } of ownChildren()) {
		try {
			process.kill(leader ? -pid : pid, signal);
		} catch {
			// already gone
		}
	}
}

/** Temp folders to remove when the run is cut short (the normal path removes its own). */
const temps = new Set();
function removeTemps() {
	if (n8nJourneys.state.work && process.env.OTPFLOW_E2E_KEEP !== '1') temps.add(n8nJourneys.state.work);
	for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** The hard limit and Ctrl-C: nothing of ours may outlive the run, nor write into a folder being removed. */
let aborting = false;
async function abort(why, code) {
	if (aborting) return;
	aborting = true;
	process.stderr.write(`[browser] ${why}: stopping everything\n`);
	// TERM first: Chromium then takes its renderers with it instead of leaving them to init.
	signalChildren('SIGTERM');
	const until = Date.now() + 3000;
	while (ownChildren().length && Date.now() < until) await sleep(100);
	signalChildren('SIGKILL');
	// Until Node has reaped them: a child left unreaped at our exit becomes a zombie of init.
	while (ownChildren({ zombies: true }).length && Date.now() < until + 2000) await sleep(100);
	try {
		removeTemps();
	} finally {
		process.exit(code);
	}
}

function args() {
	const argv = process.argv.slice(2);
	const value = (flag) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
	const runtime = value('--runtime');
	if (runtime && !['node-red', 'n8n'].includes(runtime)) throw new Error(`--runtime node-red | n8n, not ${runtime}`);
	return { out: value('--out') && path.resolve(value('--out')), runtime };
}

// ---------------------------------------------------------------------------------------------------
// Chromium: started here (its PID, its flags, a fresh profile), driven over its DevTools port
// ---------------------------------------------------------------------------------------------------

async function startChromium(bin, work) {
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-chromium-'));
	temps.add(profile);
	const stderrFile = path.join(work, 'chromium.stderr.log');
	const child = spawn(
		bin,
		[
			...CHROMIUM_FLAGS,
			`--user-data-dir=${profile}`,
			'--remote-debugging-address=127.0.0.1',
			'--remote-debugging-port=0',
			'--hide-scrollbars',
			'--lang=en-US',
			'about:blank',
		],
		{
			stdio: ['ignore', 'ignore', 'pipe'],
			// Its own process group: the renderers and the zygote go with it.
			detached: true,
		},
	);
	let stderr = '';
	child.stderr.on('data', (d) => {
		stderr += d;
		fs.appendFileSync(stderrFile, d);
	});
	const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
	const until = Date.now() + 30000;
	let ws;
	while (!(ws = /DevTools listening on (ws:\/\/127\.0\.0\.1:\d+\/\S+)/.exec(stderr)?.[1])) {
		if (child.exitCode !== null || child.signalCode !== null)
			throw new Error(`Chromium exited at start (${child.exitCode ?? child.signalCode}):\n${stderr.slice(-2000)}`);
		if (Date.now() > until) throw new Error(`Chromium did not open its DevTools port within 30 s:\n${stderr.slice(-2000)}`);
		await sleep(50);
	}
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			try {
				process.kill(-child.pid, 'SIGTERM');
			} catch {
				// gone
			}
			const timer = setTimeout(() => {
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {
					// gone meanwhile
				}
			}, 5000);
			await exited;
			clearTimeout(timer);
		}
		fs.rmSync(profile, { recursive: true, force: true });
		temps.delete(profile);
	};
	return { pid: child.pid, ws, stop };
}

// ---------------------------------------------------------------------------------------------------
// The runtimes, set up as e2e/journeys sets them up
// ---------------------------------------------------------------------------------------------------

/** Real Node-RED 4.1 on this Node, the packed package installed, every journey deployed; its own sandbox. */
async function startNodeRed(work) {
	const t0 = Date.now();
	const nr4 = cache.nodeRed4();
	const { startSandbox, SANDBOX_ACCOUNTS } = dist('sandbox');
	const sandbox = await startSandbox({ port: 0, maxLifetimeMs: RUN_CAP_MS });
	const userDir = path.join(work, 'node-red-user');
	fs.mkdirSync(userDir);
	let nr;
	const stop = async () => {
		if (nr) await nr.stop();
		await sandbox.close();
	};
	try {
		const tarball = nodeRedJourneys.pack();
		let installed;
		try {
			installed = installIntoUserDir(userDir, tarball);
		} finally {
			fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
		}
		const port = await freePort();
		fs.writeFileSync(path.join(userDir, 'settings.js'), settingsJs({ port, maxLifetimeMs: RUN_CAP_MS, parentPid: process.pid }));
		nr = new NodeRed({ nodeBin: process.execPath, red: nr4.red, userDir, port, logFile: path.join(userDir, 'node-red.log') });
		await nr.start();
		const { flows } = nodeRedJourneys.journeyDeployment(installed, sandbox.url, SANDBOX_ACCOUNTS);
		await nr.deploy(flows);
		// The account (config) nodes the editor's dialogs open: one per provider, shared by its journeys.
		const account = (slug) => {
			const node = flows.find((n) => n.type === `otpflow-${slug}-config`);
			if (!node) throw new Error(`no ${slug} account among the deployed nodes`);
			return { id: node.id, type: node.type };
		};
		const accounts = { capillary: account('capillary'), bos: account('bos') };
		const firstUrl = `http://${HOST}:${port}${nodeRedJourneys.HTTP_ROOT}/otp/${JOURNEY}`;
		// Deployed is not yet serving: its HTTP routes come a moment after "Started flows".
		await n8nLib.waitForHttp(firstUrl, { want: (s) => s === 200, timeoutMs: 30000, isAlive: () => nr.alive() });
		return {
			label: `Node-RED ${nr4.version} on Node ${process.versions.node}`,
			firstUrl,
			editorUrl: `http://${HOST}:${port}/admin/`,
			accounts,
			sandboxUrl: sandbox.url,
			ms: Date.now() - t0,
			stop,
		};
	} catch (e) {
		await stop();
		throw e;
	}
}

/**
 * Real n8n 2.41.1 with the journey imported and published, as e2e/journeys/n8n.test.js does, and the journey's Send
 * and Wait template (Page mode) as it ships; its own sandbox.
 */
async function startN8n() {
	const t0 = Date.now();
	const stop = () => n8nJourneys.tearDown();
	const { state } = n8nJourneys;
	const wait = JSON.parse(fs.readFileSync(WAIT_TEMPLATE, 'utf8'));
	let waitUrl;
	try {
		await n8nJourneys.setUp({ only: JOURNEY, extraWorkflows: [wait] });
		waitUrl = `${state.base}/webhook/${wait.nodes.find((n) => n.type === 'n8n-nodes-base.webhook').parameters.path}`;
		// Registered with the form's: a GET is answered with the method it wants once n8n serves it.
		await n8nLib.waitForHttp(waitUrl, {
			want: (s, body) => /Did you mean to make a POST/i.test(body),
			timeoutMs: 60000,
			isAlive: () => state.server.exitCode === null,
		});
	} catch (e) {
		await stop();
		throw e;
	}
	return {
		label: `n8n ${N8N_VERSION} on Node ${NODE_VERSION}`,
		firstUrl: `${state.base}/form/${state.cases[0].path}`,
		waitUrl,
		sandboxUrl: state.sandbox.url,
		ms: Date.now() - t0,
		stop,
	};
}

// ---------------------------------------------------------------------------------------------------
// The person at the browser
// ---------------------------------------------------------------------------------------------------

async function latestCode(sandboxUrl, provider, to) {
	const res = await fetch(`${sandboxUrl}/_sandbox/inbox/latest?${new URLSearchParams({ provider, to })}`, { signal: AbortSignal.timeout(10000) });
	const msg = await res.json();
	if (res.status !== 200 || !/^\d{4,10}$/.test(msg.otp))
		throw new Error(`no code in the sandbox inbox for ${to}: ${res.status} ${JSON.stringify(msg).slice(0, 200)}`);
	return msg.otp;
}

function pngSize(file) {
	const b = fs.readFileSync(file);
	if (b.length < 24 || b.toString('latin1', 1, 4) !== 'PNG') throw new Error(`${file} is not a PNG`);
	return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), bytes: b.length };
}

/** A fresh browser context that may reach 127.0.0.1 only; `seen` collects what was blocked and any page error. */
async function newContext(browser, viewport = VIEWPORT) {
	const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'Asia/Kolkata' });
	const seen = { blocked: [], problems: [] };
	// 127.0.0.1 only: n8n's form asks Google for a font and n8n.io for an icon; offline, let them fail at once.
	await context.route('**/*', (route) => {
		const url = new URL(route.request().url());
		if (url.hostname === HOST || url.protocol === 'data:') return route.continue();
		seen.blocked.push(url.host);
		return route.abort('blockedbyclient');
	});
	// Send and Wait's pages allow their one script and style by hash: anything their policy blocks is a bug. The page
	// reports each violation (a DOM event, caught by a script the browser adds before the page's own, outside its policy).
	await context.exposeBinding('__otpflowCspViolation', ({ page }, what) => {
		if (/\/webhook-waiting\//.test(page.url())) seen.problems.push(`blocked by the page's policy: ${what}`);
	});
	await context.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (e) => window.__otpflowCspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sample || ''}`));
	});
	const newPage = async () => {
		const page = await context.newPage();
		page.setDefaultTimeout(STEP_TIMEOUT_MS);
		page.on('pageerror', (e) => seen.problems.push(`page error: ${e.message}`));
		return page;
	};
	return { context, seen, newPage };
}

/** One part of the run: its steps timed, its screenshots recorded; the context closed whatever happens. */
async function part(browser, viewport, fn) {
	const { context, seen, newPage } = await newContext(browser, viewport);
	const steps = [];
	const shots = [];
	const step = async (name, f) => {
		const t = Date.now();
		await f();
		steps.push({ name, ms: Date.now() - t });
	};
	/**
	 * A screenshot of the whole page, of one element (`locator`) or of a part (`clip`), checked to be a PNG of the
	 * width expected. Taken again (a retried step), it replaces the first.
	 */
	const shot = async (page, file, { locator, clip } = {}) => {
		let width = clip ? clip.width : page.viewportSize().width;
		if (locator) {
			await locator.screenshot({ path: file, animations: 'disabled' });
			width = Math.round((await locator.boundingBox()).width);
		} else await page.screenshot({ path: file, fullPage: !clip, clip, animations: 'disabled' });
		const size = pngSize(file);
		if (Math.abs(size.width - width) > 1) throw new Error(`${file}: ${size.width} px wide, not ${width}`);
		const entry = { step: path.basename(file, '.png'), file, ...size };
		const i = shots.findIndex((s) => s.file === file);
		if (i >= 0) shots[i] = entry;
		else shots.push(entry);
	};
	try {
		await fn({ context, newPage, step, steps, shot });
	} finally {
		await context.close().catch(() => {});
	}
	if (seen.problems.length) throw new Error(seen.problems.join('; '));
	return { steps, shots, blocked: seen.blocked };
}

/** Providers whose answer to a wrong code does not say how many tries are left (as in e2e/journeys/n8n.test.js). */
const NO_ATTEMPT_COUNT = new Set(['capillary', 'summitai']);
const wrongCode = (code) => code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
const bodyText = (page) => page.locator('body').innerText();
const waitText = (page, s) => page.getByText(s, { exact: false }).first().waitFor({ state: 'visible' });

/** Goes through the journey in a fresh browser context; returns what it saw, per step. */
function walk(browser, runtime, rt, { journey, words, out }) {
	return part(browser, VIEWPORT, async ({ newPage, step, shot }) => {
		const page = await newPage();
		const shoot = (name) => shot(page, path.join(out, `${runtime}-${name}.png`));
		const mobile = journey.ask[0];
		let code;
		await step('first page', async () => {
			await page.goto(rt.firstUrl);
			await page.getByRole('heading', { name: journey.title }).waitFor();
			await page.getByLabel(mobile.label).fill(mobile.sample);
			await shoot('first');
			await page.getByRole('button', { name: 'Send me a code' }).click();
		});
		await step('code page', async () => {
			await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
			await waitText(page, 'We sent');
			// Masked: the page never repeats the whole number.
			if ((await bodyText(page)).includes(mobile.sample)) throw new Error('the code page shows the whole mobile number');
			code = await latestCode(rt.sandboxUrl, journey.provider.id, mobile.sample);
			await page.getByLabel(/code/i).fill(wrongCode(code));
			await shoot('code');
			await page.getByRole('button', { name: 'Confirm' }).click();
		});
		await step('wrong code', async () => {
			await waitText(page, words.invalid_otp);
			await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
			await page.getByLabel(/code/i).fill(code);
			await shoot('wrong-code');
			await page.getByRole('button', { name: 'Confirm' }).click();
		});
		await step('done page', async () => {
			await page.getByRole('heading', { name: journey.done.title }).waitFor();
			await waitText(page, journey.done.text);
			if ((await bodyText(page)).includes(words.invalid_otp)) throw new Error('the done page still says the code was wrong');
			await shoot('done');
		});
	});
}

/**
 * The sandbox's inbox page as the phone: the newest code's row (still valid), its Copy button clicked until it says
 * "Copied" and the clipboard holds the code, then the screenshot. The page reloads itself every 3 seconds: a reload
 * in between (its marker gone) starts over, at most 3 times. Returns the code.
 */
async function copyFromInbox(inbox, sandboxUrl, { provider, to }, shot) {
	for (let attempt = 1; ; attempt++) {
		await inbox.goto(`${sandboxUrl}/_sandbox/`);
		await inbox.evaluate(() => (window.otpflowSameLoad = true));
		const row = inbox.locator('tr', { has: inbox.locator('button.copy') }).first();
		const otp = (await row.locator('.otp').innerText()).trim();
		const cells = await row.innerText();
		if (!/^\d{4,10}$/.test(otp) || !cells.includes(to) || !/\bvalid\b/.test(cells) || !cells.includes(provider))
			throw new Error(`the inbox's newest row is not a valid ${provider} code for ${to}: ${cells.replace(/\s+/g, ' ')}`);
		const button = row.locator('button.copy');
		await button.click();
		await button.filter({ hasText: 'Copied' }).waitFor({ timeout: 2500 });
		const clipboard = await inbox.evaluate(() => navigator.clipboard.readText());
		if (clipboard !== otp) throw new Error(`Copy said "Copied", the clipboard holds ${JSON.stringify(clipboard)}, not the code`);
		await shot();
		if (await inbox.evaluate(() => window.otpflowSameLoad === true).catch(() => false)) return otp;
		if (attempt === 3) throw new Error('the inbox page reloaded itself during each of 3 tries');
	}
}

/**
 * Send and Wait for Code in Page mode, in n8n: the person's own page posts the mobile number to the template's Webhook,
 * the node's code page follows at the run's waiting URL; the code is read (and copied) from the sandbox inbox page; a
 * wrong code, then the right one (pasted), then "Confirmed". The inbox then marks the code used.
 */
function walkWait(browser, rt, { journey, words, out }) {
	return part(browser, VIEWPORT, async ({ context, newPage, step, steps, shot }) => {
		const page = await newPage();
		const shoot = (name) => shot(page, path.join(out, `n8n-${name}.png`));
		const mobile = journey.ask[0];
		const masked = async (where) => {
			if ((await bodyText(page)).includes(mobile.sample)) throw new Error(`${where} shows the whole mobile number`);
		};
		let code;
		let inbox;
		let attempts;
		await step('wait: code page', async () => {
			// The app's own page: the plain HTML form the template's note describes, posting to the Webhook.
			await page.setContent(
				`<!doctype html><html lang="en"><body><form method="post" action="${rt.waitUrl}"><label for="m">${mobile.label}</label> ` +
					`<input id="m" name="${mobile.name}"> <button type="submit">Send me a code</button></form></body></html>`,
			);
			await page.getByLabel(mobile.label).fill(mobile.sample);
			await page.getByRole('button', { name: 'Send me a code' }).click();
			// The Webhook's answer sends the browser on to the node's own page at the run's waiting URL.
			await page.waitForURL((u) => u.pathname.startsWith('/webhook-waiting/'));
			await page.getByRole('heading', { name: journey.title }).waitFor();
			await waitText(page, 'We sent a code to');
			await masked('the code page');
		});
		await step('sandbox inbox: Copy', async () => {
			const origin = new URL(rt.sandboxUrl).origin;
			await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
			inbox = await newPage();
			await inbox.setViewportSize(INBOX_VIEWPORT);
			// The inbox table and what is above it: the providers' table below is the same on every run.
			const shotInbox = async () => {
				const box = await inbox.locator('table').first().boundingBox();
				const clip = { x: 0, y: 0, width: INBOX_VIEWPORT.width, height: Math.ceil(box.y + box.height + 16) };
				await shot(inbox, path.join(out, 'sandbox-inbox.png'), { clip });
			};
			code = await copyFromInbox(inbox, rt.sandboxUrl, { provider: 'Capillary', to: mobile.sample }, shotInbox);
		});
		await step('wait: wrong code', async () => {
			await page.bringToFront();
			await page.getByLabel('Code').fill(wrongCode(code));
			await shoot('wait-code');
			await page.getByRole('button', { name: 'Confirm' }).click();
			await waitText(page, words.invalid_otp);
			await page.getByRole('heading', { name: journey.title }).waitFor();
			await masked('the code page after a wrong code');
			// The attempts left, when the provider says (Capillary's answer to a wrong code does not: then none shown).
			const left = /Attempts left: (\d+)/.exec(await bodyText(page));
			if (!left && !NO_ATTEMPT_COUNT.has(journey.provider.id)) throw new Error('the code page after a wrong code shows no attempts left');
			if (left && !(Number(left[1]) >= 1)) throw new Error(`the code page after a wrong code shows ${left[0]}`);
			attempts = left ? `attempts left ${left[1]}` : `no attempt count from ${journey.provider.label}`;
		});
		steps[steps.length - 1].name += ` (${attempts})`;
		await step('wait: right code', async () => {
			// Pasted: what the inbox's Copy put on the clipboard.
			const field = page.getByLabel('Code');
			await field.fill('');
			await field.focus();
			await page.keyboard.press('Control+V');
			const pasted = await field.inputValue();
			if (pasted !== code) throw new Error(`pasting into the code field gave ${JSON.stringify(pasted)}, not the copied code`);
			await shoot('wait-wrong-code');
			await page.getByRole('button', { name: 'Confirm' }).click();
			await page.getByRole('heading', { name: 'Confirmed' }).waitFor();
			await waitText(page, 'Your code is confirmed');
			if ((await bodyText(page)).includes(words.invalid_otp)) throw new Error('the done page still says the code was wrong');
			await masked('the done page');
			await shoot('wait-done');
		});
		await step('sandbox inbox: used', async () => {
			await inbox.bringToFront();
			await inbox.goto(`${rt.sandboxUrl}/_sandbox/`);
			const row = inbox.locator('tr', { has: inbox.locator(`button.copy[data-otp="${code}"]`) }).first();
			await row.locator('.tag.used').waitFor({ state: 'visible', timeout: 10000 });
		});
	});
}

/**
 * The Node-RED editor's account dialog: the Capillary account opened (RED.editor.editConfig, as a double-click in the
 * Configuration nodes sidebar does), Test → "✔ Connection successful" beside the button, the dialog shot; a wrong
 * brand (Capillary's account has no secret: the brand is its check) → Capillary's refusal. Then the BOS account,
 * whose access token the dialog holds only as Node-RED's placeholder: Test → success with the stored token; a wrong
 * one typed → BOS's refusal. Each dialog is cancelled: nothing is changed or deployed.
 */
function accountTest(browser, rt, { out }) {
	return part(browser, EDITOR_VIEWPORT, async ({ newPage, step, shot }) => {
		const page = await newPage();
		const result = page.locator('#node-config-otpflow-test-result');
		const open = async (account) => {
			await page.evaluate(({ type, id }) => window.RED.editor.editConfig('', type, id), account);
			await page.locator('#node-config-otpflow-test').waitFor({ state: 'visible' });
		};
		/** Clicks Test; returns the answer shown beside it (✔ or ✘ and the words). */
		const test = async () => {
			await page.locator('#node-config-otpflow-test').click();
			await page.waitForFunction(() => /^[\u2714\u2718] /.test(document.getElementById('node-config-otpflow-test-result')?.textContent || ''));
			return (await result.innerText()).trim();
		};
		const expect = (said, want, what) => {
			if (!want.test(said)) throw new Error(`${what}: beside Test "${said}"`);
		};
		const cancel = async () => {
			await page.locator('#node-config-dialog-cancel').click();
			await page.locator('#node-config-otpflow-test').waitFor({ state: 'detached' });
		};
		await step('editor loaded', async () => {
			await page.goto(rt.editorUrl);
			// The editor has loaded the deployed flows once it knows the account nodes.
			await page.waitForFunction((id) => Boolean(window.RED?.nodes?.node?.(id) && window.RED.editor?.editConfig), rt.accounts.capillary.id, {
				timeout: STEP_TIMEOUT_MS,
			});
		});
		await step('Capillary account: Test', async () => {
			await open(rt.accounts.capillary);
			// The example's account carries its limits: Node-RED gives an imported config node no defaults.
			const limit = await page.locator('#node-config-input-maxConcurrent').inputValue();
			if (limit !== '10') throw new Error(`Max concurrent shows ${JSON.stringify(limit)}, not the example account's 10`);
			expect(await test(), /^\u2714 Connection successful$/, 'the Capillary account as deployed');
			await shot(page, path.join(out, 'node-red-account-test.png'), { locator: page.locator('.red-ui-tray').last() });
			await page.locator('#node-config-input-brand').fill('NoSuchBrand');
			expect(await test(), /^\u2718 Capillary rejected the brand or host/, 'a wrong brand');
			await cancel();
		});
		await step('BOS account: Test', async () => {
			await open(rt.accounts.bos);
			const token = page.locator('#node-config-input-accessToken');
			if ((await token.getAttribute('type')) !== 'password') throw new Error('the BOS access token field is not a password field');
			expect(await test(), /^\u2714 Connection successful$/, 'the BOS account with its stored access token');
			await token.fill('not-the-token');
			expect(await test(), /^\u2718 BOS rejected the access token/, 'a wrong access token');
			await cancel();
		});
	});
}

// ---------------------------------------------------------------------------------------------------

async function main() {
	const started = Date.now();
	const opts = args();
	const runtimes = ['node-red', 'n8n'].filter((r) => !opts.runtime || r === opts.runtime);
	const keep = process.env.OTPFLOW_E2E_KEEP === '1';

	// Installs first: they block, each has its own limit, and a cold one takes minutes.
	let t = Date.now();
	const { chromium, playwright } = ensureBrowser();
	if (runtimes.includes('node-red')) cache.nodeRed4();
	if (runtimes.includes('n8n')) ensureN8n({ log });
	n8nLib.build({ log });
	const installMs = Date.now() - t;
	log(`[browser] installs ready in ${secs(installMs)}`);

	const { JOURNEYS, CUSTOMER_WORDS } = dist('journeys');
	const journey = JOURNEYS.find((j) => j.id === JOURNEY);
	const { chromium: pw } = require(playwright.module);

	const cap = setTimeout(() => abort(`over ${RUN_CAP_MS / 60000} minutes`, 1), RUN_CAP_MS);
	cap.unref();
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-browser-'));
	if (!keep) temps.add(work);
	// Shot here first: --out gets the whole set only when every page was right, never half of one.
	const shots = path.join(work, 'screenshots');
	fs.mkdirSync(shots);
	const results = [];
	let browserProc;
	let browser;
	try {
		t = Date.now();
		browserProc = await startChromium(chromium.bin, work);
		browser = await pw.connectOverCDP(browserProc.ws, { timeout: 30000 });
		log(`[browser] Chromium ${browser.version()} (pid ${browserProc.pid}) driven by playwright-core ${playwright.version}, ready in ${secs(Date.now() - t)}`);
		for (const runtime of runtimes) {
			if (aborting) break;
			const r = { runtime, ok: false };
			results.push(r);
			let rt;
			try {
				rt = runtime === 'node-red' ? await startNodeRed(work) : await startN8n();
				r.label = rt.label;
				r.setupMs = rt.ms;
				log(`[browser] ${rt.label} serving ${rt.firstUrl} (${secs(rt.ms)})`);
				const ctx = { journey, words: CUSTOMER_WORDS, out: shots };
				const t0 = Date.now();
				Object.assign(r, await walk(browser, runtime, rt, ctx));
				r.walkMs = Date.now() - t0;
				for (const s of r.steps) log(`  ✔ ${s.name} (${secs(s.ms)})`);
				// Then the same runtime's other pages: n8n's Send and Wait and the sandbox inbox; Node-RED's account dialog.
				const t1 = Date.now();
				const more = runtime === 'n8n' ? await walkWait(browser, rt, ctx) : await accountTest(browser, rt, ctx);
				r.moreMs = Date.now() - t1;
				for (const s of more.steps) log(`  ✔ ${s.name} (${secs(s.ms)})`);
				r.steps.push(...more.steps);
				r.shots.push(...more.shots);
				r.blocked.push(...more.blocked);
				r.blocked = [...new Set(r.blocked)];
				r.ok = true;
			} catch (e) {
				r.error = e.stack || e.message;
				log(`  ✘ ${runtime}: ${r.error}`);
			} finally {
				if (rt) await rt.stop();
			}
		}
		if (opts.out && results.every((r) => r.ok)) {
			fs.mkdirSync(opts.out, { recursive: true });
			for (const r of results) {
				for (const s of r.shots) {
					const to = path.join(opts.out, path.basename(s.file));
					fs.copyFileSync(s.file, to);
					s.file = to;
				}
			}
		}
	} finally {
		if (browser) await browser.close().catch(() => {});
		if (browserProc) await browserProc.stop();
		// Cut short: abort() is stopping them in order, and exits.
		if (!aborting) signalChildren('SIGKILL');
		clearTimeout(cap);
		if (keep) log(`[browser] kept ${work}`);
		else fs.rmSync(work, { recursive: true, force: true });
		temps.delete(work);
	}

	log('');
	log(`[browser] ---- Capillary mobile journey, Send and Wait, sandbox inbox, account dialog in headless Chromium ${chromium.version} ----`);
	log(
		`[browser] installs ${secs(installMs)} (Chromium ${chromium.installed ? `installed, ${secs(chromium.ms)}` : 'there'}, playwright-core ${playwright.installed ? `installed, ${secs(playwright.ms)}` : 'cached'})`,
	);
	for (const r of results) {
		log(
			`[browser] ${r.ok ? '✔' : '✘'} ${r.label || r.runtime}: set-up ${secs(r.setupMs || 0)}, journey ${secs(r.walkMs || 0)}, ${r.runtime === 'n8n' ? 'Send and Wait + sandbox inbox' : 'account dialog'} ${secs(r.moreMs || 0)}${r.blocked?.length ? `, blocked off-machine requests to ${r.blocked.join(', ')}` : ''}`,
		);
		for (const s of r.shots || []) log(`[browser]     ${show(s.file)}: ${s.width}×${s.height}, ${(s.bytes / 1024).toFixed(0)} KB`);
	}
	const ok = results.length === runtimes.length && results.every((r) => r.ok && SHOTS[r.runtime].every((name) => r.shots.some((s) => s.step === name)));
	const where =
		!ok && opts.out
			? `${show(opts.out)} left as it was`
			: opts.out
				? `in ${show(opts.out)}`
				: keep
					? `kept in ${shots}`
					: 'checked and removed (npm run screenshots writes docs/screenshots/)';
	log(`[browser] ${ok ? 'passed' : 'FAILED'}; screenshots ${where}; total ${secs(Date.now() - started)}`);
	return ok;
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => abort(signal, 130));

main().then(
	(ok) => aborting || process.exit(ok ? 0 : 1),
	(e) => {
		process.stderr.write(`${e.stack || e.message}\n`);
		abort('failed', 1);
	},
);
