#!/usr/bin/env node
'use strict';
/**
 * The real browser for e2e/browser/run.js, installed when missing (never by `npm install`):
 *
 *   Chromium         Debian's `chromium` package: `apt-get update && apt-get install -y chromium`, as root, when
 *                    /usr/bin/chromium is missing (Playwright's own browser download cannot work offline).
 *   playwright-core  pinned, into ${OTPFLOW_CACHE:-~/.cache/otpflow}/playwright-core-<version>/ (marked when done,
 *                    reused after), not into the project's dependencies.
 *   axe-core         pinned, the same way (axe-core-<version>/): the accessibility rules the pages are checked by.
 *   a Devanagari     font (Debian's fonts-lohit-deva, as root, when fontconfig knows none): Hindi pages drawn in
 *                    boxes cannot be looked at, nor their contrast checked.
 *
 *   node e2e/browser/install.js       install what is missing, print what and how long
 *   OTPFLOW_CHROMIUM=<path>           use another Chromium binary (then apt is not asked)
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const cache = require('../node-red/cache');

/** Drives Debian's Chromium 156 here (1.64 speaks its DevTools protocol; Playwright pins no system browser). */
const PLAYWRIGHT_VERSION = '1.64.1';
const AXE_VERSION = '4.14.1';
const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const MARKER = '.otpflow-installed.json';

const log = (line) => process.stdout.write(`[browser-install] ${line}\n`);
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

function chromiumVersion(bin) {
	// Debian's wrapper script prints a harmless shell warning on stderr; the version is on stdout.
	const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 30000 });
	const m = /Chromium (\d+[.\d]*)/.exec(r.stdout || '');
	if (r.status !== 0 || !m) throw new Error(`${bin} --version failed (exit ${r.status}): ${r.stdout}${r.stderr}`);
	return m[1];
}

function apt(args) {
	const t0 = Date.now();
	log(`$ apt-get ${args.join(' ')}`);
	const r = spawnSync('apt-get', args, {
		stdio: ['ignore', 'pipe', 'pipe'],
		encoding: 'utf8',
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		timeout: 10 * 60 * 1000,
		maxBuffer: 64 * 1024 * 1024,
	});
	if (r.status !== 0)
		throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status}${r.signal ? `, ${r.signal}` : ''}):\n${`${r.stdout}\n${r.stderr}`.slice(-3000)}`);
	log(`  done in ${secs(Date.now() - t0)}`);
}

/** Debian's Chromium: { bin, version, installed, ms }. */
function ensureChromium() {
	const t0 = Date.now();
	const wanted = process.env.OTPFLOW_CHROMIUM;
	if (wanted) return { bin: wanted, version: chromiumVersion(wanted), installed: false, ms: Date.now() - t0 };
	const missing = !fs.existsSync(DEBIAN_CHROMIUM);
	if (missing) {
		if (typeof process.getuid === 'function' && process.getuid() !== 0) {
			throw new Error(`${DEBIAN_CHROMIUM} is missing and installing it needs root: run \`sudo apt-get install -y chromium\` (or set OTPFLOW_CHROMIUM)`);
		}
		log(`${DEBIAN_CHROMIUM} is missing: installing Debian's chromium package`);
		apt(['update']);
		// With its recommended fonts: without them every page is drawn in boxes.
		apt(['install', '-y', 'chromium']);
	}
	return { bin: DEBIAN_CHROMIUM, version: chromiumVersion(DEBIAN_CHROMIUM), installed: missing, ms: Date.now() - t0 };
}

function readMarker(dir) {
	try {
		return JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
	} catch {
		return undefined;
	}
}

/** A pinned npm package in the cache: { dir, module, version, installed, ms }. Installed beside, then renamed into place. */
function ensureCached(name, wanted) {
	const t0 = Date.now();
	const dir = path.join(cache.CACHE, `${name}-${wanted}`);
	const moduleDir = (d) => path.join(d, 'node_modules', name);
	const done = (installed) => ({ dir, module: moduleDir(dir), version: wanted, installed, ms: Date.now() - t0 });
	if (readMarker(dir)?.version === wanted && fs.existsSync(path.join(moduleDir(dir), 'package.json'))) return done(false);
	log(`installing ${name}@${wanted} into ${dir}`);
	const tmp = `${dir}.tmp-${process.pid}`;
	fs.rmSync(tmp, { recursive: true, force: true });
	fs.mkdirSync(tmp, { recursive: true });
	fs.writeFileSync(
		path.join(tmp, 'package.json'),
		`${JSON.stringify({ name: `otpflow-cache-${name}`, private: true, version: '0.0.0', dependencies: { [name]: wanted } }, null, 2)}\n`,
	);
	try {
		// Neither has an install script nor downloads anything: the browser is Debian's.
		cache.runNpm(['install', '--no-audit', '--no-fund', '--loglevel=error'], tmp);
		const version = JSON.parse(fs.readFileSync(path.join(moduleDir(tmp), 'package.json'), 'utf8')).version;
		if (version !== wanted) throw new Error(`npm installed ${name} ${version}`);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.renameSync(tmp, dir);
		fs.writeFileSync(path.join(dir, MARKER), `${JSON.stringify({ version, installedAt: new Date().toISOString() }, null, 2)}\n`);
	} catch (e) {
		fs.rmSync(tmp, { recursive: true, force: true });
		throw e;
	}
	log(`  done in ${secs(Date.now() - t0)}`);
	return done(true);
}

const ensurePlaywright = () => ensureCached('playwright-core', PLAYWRIGHT_VERSION);
const ensureAxe = () => ensureCached('axe-core', AXE_VERSION);

/** A font fontconfig has for Hindi: { installed }; Debian's Lohit Devanagari when there is none (as root). */
function ensureDevanagariFont() {
	const known = () => /:lang=[^\n]*\bhi\b/.test(spawnSync('fc-list', [':lang=hi', 'family', 'lang'], { encoding: 'utf8' }).stdout || '');
	if (known()) return { installed: false };
	if (typeof process.getuid === 'function' && process.getuid() !== 0)
		throw new Error('no Devanagari font: run `sudo apt-get install -y fonts-lohit-deva` (Hindi pages would be drawn in boxes)');
	apt(['install', '-y', 'fonts-lohit-deva']);
	if (!known()) throw new Error('fonts-lohit-deva installed, yet fontconfig knows no font for Hindi');
	return { installed: true };
}

/** Both, with a line each on what was done. */
function ensureBrowser() {
	const chromium = ensureChromium();
	log(`Chromium ${chromium.version} at ${chromium.bin} (${chromium.installed ? `installed in ${secs(chromium.ms)}` : 'already there'})`);
	const playwright = ensurePlaywright();
	log(`playwright-core ${playwright.version} in ${playwright.dir} (${playwright.installed ? `installed in ${secs(playwright.ms)}` : 'cached'})`);
	const axe = ensureAxe();
	log(`axe-core ${axe.version} in ${axe.dir} (${axe.installed ? `installed in ${secs(axe.ms)}` : 'cached'})`);
	const font = ensureDevanagariFont();
	log(`Devanagari font ${font.installed ? 'installed (fonts-lohit-deva)' : 'there'}`);
	return { chromium, playwright, axe };
}

module.exports = { ensureAxe, ensureBrowser, ensureChromium, ensurePlaywright, AXE_VERSION, PLAYWRIGHT_VERSION };

if (require.main === module) {
	try {
		ensureBrowser();
	} catch (e) {
		process.stderr.write(`[browser-install] ${e.message}\n`);
		process.exit(1);
	}
}
