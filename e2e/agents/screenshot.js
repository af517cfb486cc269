#!/usr/bin/env node
/**
 * A screenshot of an AI agent run in the real n8n editor (`node e2e/agents/screenshot.js --out docs/screenshots`):
 * the agents suite's set-up (real n8n 2.41.1, the sandbox, the scripted model), one Capillary run with the right code,
 * then headless Chromium (Debian's, driven by playwright-core: e2e/browser/install.js) signs in to the editor and shoots
 * that execution: n8n-agent-run.png. Everything on 127.0.0.1; the run stops by itself within 6 minutes.
 */
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureBrowser } = require('../browser/install');
const lib = require('../n8n/lib');
const suite = require('./run.test');

const LIMIT_MS = 6 * 60 * 1000;
const log = (line) => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const out = path.resolve(process.argv[process.argv.indexOf('--out') + 1] || fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-agent-shot-')));
let chromium;

function stopChromium() {
	if (chromium && chromium.exitCode === null) {
		try {
			process.kill(-chromium.pid, 'SIGKILL');
		} catch {
			/* gone */
		}
	}
}

const limit = setTimeout(() => {
	log(`[agent-shot] over ${LIMIT_MS / 1000} s: stopping`);
	stopChromium();
	lib.killGroup(suite.state.server);
	process.exit(1);
}, LIMIT_MS);
limit.unref();

async function startChromium(bin, profile) {
	const flags = [
		'--headless',
		'--no-sandbox',
		'--disable-gpu',
		'--disable-quic',
		'--no-first-run',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync',
	];
	chromium = spawn(
		bin,
		[...flags, `--user-data-dir=${profile}`, '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0', '--hide-scrollbars', 'about:blank'],
		{
			stdio: ['ignore', 'ignore', 'pipe'],
			detached: true,
		},
	);
	let stderr = '';
	chromium.stderr.on('data', (d) => (stderr += d));
	for (const until = Date.now() + 30000; Date.now() < until; await sleep(50)) {
		const ws = /DevTools listening on (ws:\/\/127\.0\.0\.1:\d+\/\S+)/.exec(stderr);
		if (ws) return ws[1];
	}
	throw new Error(`Chromium did not start:\n${stderr.slice(-1500)}`);
}

async function main() {
	const { chromium: browserBin, playwright } = ensureBrowser();
	await suite.setUp();
	const { state } = suite;
	await lib.ownerSetupOrLogin(state.base);
	await lib.request('POST', `${state.sandbox.url}/_sandbox/reset`);
	const said = await suite.SCENARIOS.right('capillary-mobile', state.plan.capillary);
	log(`[agent-shot] run ${state.last.executionId}: ${said}`);
	await sleep(2000);

	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-agent-chromium-'));
	const { chromium: pw } = require(playwright.module);
	const browser = await pw.connectOverCDP(await startChromium(browserBin.bin, profile), { timeout: 30000 });
	try {
		const context = await browser.newContext({ viewport: { width: 1280, height: 980 }, deviceScaleFactor: 1, locale: 'en-US' });
		await context.route('**/*', (route) => (new URL(route.request().url()).hostname === lib.HOST ? route.continue() : route.abort('blockedbyclient')));
		const page = await context.newPage();
		page.setDefaultTimeout(60000);
		await page.goto(`${state.base}/signin`);
		await page.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]').first().fill(lib.DEMO_OWNER.email);
		await page.locator('input[type="password"]').first().fill(lib.DEMO_OWNER.password);
		await page.getByRole('button', { name: /sign in/i }).click();
		await page.waitForURL((u) => !/signin/.test(String(u)));
		await page.goto(`${state.base}/workflow/${state.plan.capillary.workflow.id}/executions/${state.last.executionId}`);
		await page.locator('iframe, [data-test-id="canvas"], .vue-flow').first().waitFor();
		await sleep(3000);
		// n8n's own first-run checklist covers the canvas: close it; open the logs, which list the agent's tool calls.
		const checklist = page.getByText('Production Checklist');
		if (await checklist.isVisible().catch(() => false))
			await checklist
				.locator('xpath=..')
				.locator('button')
				.first()
				.click()
				.catch(() => {});
		await page
			.getByText('Logs', { exact: true })
			.first()
			.click()
			.catch(() => {});
		await sleep(1500);
		// The verify tool's entry under the agent: its output is what the model was handed.
		await page
			.getByText('Verify customer', { exact: true })
			.last()
			.click()
			.catch(() => {});
		await sleep(2000);
		fs.mkdirSync(out, { recursive: true });
		const file = path.join(out, 'n8n-agent-run.png');
		await page.screenshot({ path: file, animations: 'disabled' });
		log(`[agent-shot] ${file}`);
	} finally {
		await browser.close().catch(() => {});
		stopChromium();
		fs.rmSync(profile, { recursive: true, force: true });
		await suite.tearDown();
	}
}

main().then(
	() => process.exit(0),
	async (e) => {
		log(`[agent-shot] ${e.stack || e.message}`);
		stopChromium();
		await suite.tearDown().catch(() => {});
		process.exit(1);
	},
);
