#!/usr/bin/env node
'use strict';
/**
 * The end-to-end volume run: the packed package in real Node-RED (10,000 messages) and real n8n (2,000 items), the
 * sandbox failing 20% of the requests with every fault kind (latency, timeout, reset, 5xx, HTML, malformed JSON,
 * 429, a slow drip, a redirect to another loopback host), spread through the run. Exactly one output per input,
 * results per fault kind as the contract says, no error, memory flat, no secret or Aadhaar number anywhere.
 *
 *   node e2e/volume/run.js                       both runtimes (dist/ must be built: npm run build)
 *   node e2e/volume/run.js --only node-red       or --only n8n
 *   OTPFLOW_VOLUME_NODE_RED=2000 OTPFLOW_VOLUME_N8N=500 …   smaller runs
 *   OTPFLOW_E2E_KEEP=1 …                         keep the temporary folders
 *
 * Runtimes come from ${OTPFLOW_CACHE:-~/.cache/otpflow} (e2e/node-red/cache.js, e2e/n8n/install.js).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const n8nLib = require('../n8n/lib');
const packaging = require('../../packaging');
const { Report, sandboxSecrets, secs } = require('../node-red/lib');
const V = require('./lib');
const { runNodeRedVolume } = require('./node-red');
const { runN8nVolume } = require('./n8n');

/** Everything this run started is stopped by then (about 3 minutes is normal on a 2-core machine). */
const HARD_LIMIT_MS = 12 * 60 * 1000;

function count(name, fallback) {
	const v = Number(process.env[name]);
	return Number.isInteger(v) && v > 0 ? v : fallback;
}

function printSummary(all, wallMs) {
	const w = (s) => process.stdout.write(`${s}\n`);
	w('\nSummary (volume)');
	for (const { figures: f, report } of all) {
		w(`  ${report.failed.length ? '✘' : '✔'} ${f.label}: ${report.checks.length - report.failed.length}/${report.checks.length} checks passed`);
		w(`      cases tried ${f.tried}; out ${f.out ?? '?'}, lost ${f.lost ?? '?'}, duplicated ${f.duplicates ?? '?'}, unknown ${f.unknown ?? '?'}`);
		if (f.statusCounts) w(`      statuses: ${V.fmtCounts(f.statusCounts)}`);
		if (f.firedByName) {
			w(
				`      faults injected (${f.faultedTotal} of ${f.requests} requests, ${(f.share * 100).toFixed(1)}%; by quarter ${f.quarters.map((q) => `${(q * 100).toFixed(1)}%`).join(' / ')}):`,
			);
			w(
				`        ${Object.entries(f.firedByName)
					.map(([k, v]) => `${k} ${v}`)
					.join(', ')}`,
			);
			w(
				`      results per fault kind (results / faults): ${f.kindRows.map((r) => `${r.cls} ${r.got}/${r.want}${r.got === r.want ? '' : ' ✘'}`).join(', ')}; normal ${f.observedCounts.none || 0}`,
			);
		}
		w(
			`      refused (invalid Aadhaar form, nothing sent) ${f.observedCounts ? f.observedCounts.refused || 0 : '?'} of ${f.refusedExpected ?? '?'}; sent to the sandbox ${f.requests ?? '?'}; redirects refused ${f.observedCounts ? f.observedCounts.redirect || 0 : '?'}, requests at the capture host ${f.capture ?? '?'}; crashed ${f.crashed ?? '?'}; leaked ${f.leaked ?? '?'}`,
		);
		if (f.heap)
			w(`      heap after a full GC: ${V.mb(f.heap.quarter && f.heap.quarter.heapUsed)} at a quarter of the run, ${V.mb(f.heap.end.heapUsed)} at the end`);
		if (f.rss)
			w(
				`      RSS after warm-up: start ${V.mb(f.rss.start)}, median of the first quarter ${V.mb(f.rss.first)}, last quarter ${V.mb(f.rss.last)}, peak ${V.mb(f.rss.peak)}, end ${V.mb(f.rss.end)} (${f.rss.samples} samples)`,
			);
		w(
			`      durations: ${Object.entries(f.durations)
				.map(([k, v]) => `${k} ${secs(v)}`)
				.join(', ')}`,
		);
		for (const c of report.failed) w(`      ✘ ${c.name}: ${String(c.detail).split('\n')[0].slice(0, 400)}`);
	}
	w(`  wall time ${secs(wallMs)}`);
}

async function main() {
	const started = Date.now();
	const argv = process.argv.slice(2);
	const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
	if (!fs.existsSync(path.join(V.ROOT, 'dist', 'node-red')) || !fs.existsSync(path.join(V.ROOT, 'dist', 'sandbox'))) {
		process.stderr.write('No dist/: run `npm run build` first.\n');
		process.exit(2);
	}
	// Only what this run started, by PID (a group for n8n's CLI and its task runner), if the hard limit strikes.
	const children = [];
	const track = (pid, group) => children.push({ pid, group });
	const hard = setTimeout(() => {
		process.stdout.write(`\n[volume] hard limit of ${secs(HARD_LIMIT_MS)} reached: stopping what this run started\n`);
		for (const { pid, group } of children) {
			try {
				process.kill(group ? -pid : pid, 'SIGKILL');
			} catch {
				// already gone
			}
		}
		process.exit(3);
	}, HARD_LIMIT_MS);
	hard.unref();

	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-volume-'));
	const t = Date.now();
	const tarball = n8nLib.pack(work);
	const nodeRedTarball = n8nLib.pack(work, packaging.folderOf('node-red'));
	process.stdout.write(`Packed ${path.basename(tarball)} and ${path.basename(nodeRedTarball)} in ${secs(Date.now() - t)}\n`);
	const aadhaars = V.aadhaarNumbers(50);
	const base = { tarball, nodeRedTarball, secrets: sandboxSecrets(V.ROOT), aadhaars, track };
	const all = [];
	try {
		if (!only || only === 'node-red') {
			const report = new Report('Node-RED volume');
			all.push({ report, figures: await runNodeRedVolume({ count: count('OTPFLOW_VOLUME_NODE_RED', 10000), ctx: { ...base, report } }) });
		}
		if (!only || only === 'n8n') {
			const report = new Report('n8n volume');
			all.push({ report, figures: await runN8nVolume({ count: count('OTPFLOW_VOLUME_N8N', 2000), ctx: { ...base, report } }) });
		}
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
	printSummary(all, Date.now() - started);
	process.exit(all.length > 0 && all.every((a) => a.report.failed.length === 0) ? 0 : 1);
}

main().catch((e) => {
	process.stderr.write(`${e.stack || e.message}\n`);
	process.exit(1);
});
