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
 * with a screenshot of each page: <out>/<runtime>-{first,code,wrong-code,done}.png.
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
const STEPS = ['first', 'code', 'wrong-code', 'done'];
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
		await nr.deploy(nodeRedJourneys.journeyDeployment(installed, sandbox.url, SANDBOX_ACCOUNTS).flows);
		const firstUrl = `http://${HOST}:${port}${nodeRedJourneys.HTTP_ROOT}/otp/${JOURNEY}`;
		// Deployed is not yet serving: its HTTP routes come a moment after "Started flows".
		await n8nLib.waitForHttp(firstUrl, { want: (s) => s === 200, timeoutMs: 30000, isAlive: () => nr.alive() });
		return { label: `Node-RED ${nr4.version} on Node ${process.versions.node}`, firstUrl, sandboxUrl: sandbox.url, ms: Date.now() - t0, stop };
	} catch (e) {
		await stop();
		throw e;
	}
}

/** Real n8n 2.41.1 with the journey imported and published, as e2e/journeys/n8n.test.js does; its own sandbox. */
async function startN8n() {
	const t0 = Date.now();
	const stop = () => n8nJourneys.tearDown();
	try {
		await n8nJourneys.setUp({ only: JOURNEY });
	} catch (e) {
		await stop();
		throw e;
	}
	const { state } = n8nJourneys;
	return {
		label: `n8n ${N8N_VERSION} on Node ${NODE_VERSION}`,
		firstUrl: `${state.base}/form/${state.cases[0].path}`,
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

/** Goes through the journey in a fresh browser context; returns what it saw, per step. */
async function walk(browser, runtime, rt, { journey, words, out }) {
	const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'Asia/Kolkata' });
	const blocked = [];
	const problems = [];
	// 127.0.0.1 only: n8n's form asks Google for a font and n8n.io for an icon; offline, let them fail at once.
	await context.route('**/*', (route) => {
		const url = new URL(route.request().url());
		if (url.hostname === HOST || url.protocol === 'data:') return route.continue();
		blocked.push(url.host);
		return route.abort('blockedbyclient');
	});
	const page = await context.newPage();
	page.setDefaultTimeout(STEP_TIMEOUT_MS);
	page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
	const shots = [];
	const shot = async (step) => {
		const file = path.join(out, `${runtime}-${step}.png`);
		await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
		const size = pngSize(file);
		if (size.width !== VIEWPORT.width) throw new Error(`${file}: ${size.width} px wide, not ${VIEWPORT.width}`);
		shots.push({ step, file, ...size });
	};
	const text = () => page.locator('body').innerText();
	const waitText = (s) => page.getByText(s, { exact: false }).first().waitFor({ state: 'visible' });
	const steps = [];
	const step = async (name, fn) => {
		const t = Date.now();
		await fn();
		steps.push({ name, ms: Date.now() - t });
	};
	try {
		const mobile = journey.ask[0];
		let code;
		await step('first page', async () => {
			await page.goto(rt.firstUrl);
			await page.getByRole('heading', { name: journey.title }).waitFor();
			await page.getByLabel(mobile.label).fill(mobile.sample);
			await shot('first');
			await page.getByRole('button', { name: 'Send me a code' }).click();
		});
		await step('code page', async () => {
			await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
			await waitText('We sent');
			// Masked: the page never repeats the whole number.
			if ((await text()).includes(mobile.sample)) throw new Error('the code page shows the whole mobile number');
			code = await latestCode(rt.sandboxUrl, journey.provider.id, mobile.sample);
			const wrong = code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
			await page.getByLabel(/code/i).fill(wrong);
			await shot('code');
			await page.getByRole('button', { name: 'Confirm' }).click();
		});
		await step('wrong code', async () => {
			await waitText(words.invalid_otp);
			await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
			await page.getByLabel(/code/i).fill(code);
			await shot('wrong-code');
			await page.getByRole('button', { name: 'Confirm' }).click();
		});
		await step('done page', async () => {
			await page.getByRole('heading', { name: journey.done.title }).waitFor();
			await waitText(journey.done.text);
			if ((await text()).includes(words.invalid_otp)) throw new Error('the done page still says the code was wrong');
			await shot('done');
		});
	} finally {
		await context.close().catch(() => {});
	}
	if (problems.length) throw new Error(problems.join('; '));
	return { steps, shots, blocked: [...new Set(blocked)] };
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
				const t0 = Date.now();
				Object.assign(r, await walk(browser, runtime, rt, { journey, words: CUSTOMER_WORDS, out: shots }));
				r.walkMs = Date.now() - t0;
				r.ok = true;
				for (const s of r.steps) log(`  ✔ ${s.name} (${secs(s.ms)})`);
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
	log(`[browser] ---- Capillary mobile journey in headless Chromium ${chromium.version} ----`);
	log(
		`[browser] installs ${secs(installMs)} (Chromium ${chromium.installed ? `installed, ${secs(chromium.ms)}` : 'there'}, playwright-core ${playwright.installed ? `installed, ${secs(playwright.ms)}` : 'cached'})`,
	);
	for (const r of results) {
		log(
			`[browser] ${r.ok ? '✔' : '✘'} ${r.label || r.runtime}: set-up ${secs(r.setupMs || 0)}, walk ${secs(r.walkMs || 0)}${r.blocked?.length ? `, blocked off-machine requests to ${r.blocked.join(', ')}` : ''}`,
		);
		for (const s of r.shots || []) log(`[browser]     ${show(s.file)}: ${s.width}×${s.height}, ${(s.bytes / 1024).toFixed(0)} KB`);
	}
	const ok = results.length === runtimes.length && results.every((r) => r.ok && r.shots.length === STEPS.length);
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
