#!/usr/bin/env node
'use strict';
/**
 * npm run bench: throughput side by side, in one run, against the sandbox in its own process.
 *   real n8n 2.41.1 (Node 24, runtime cache): our Capillary node (Max Concurrent Requests 10 = default, 1 = "old", 50)
 *     and n8n's HTTP Request node (default; batching 10 items / 50 ms)
 *   real Node-RED 4.1 (Node 20): our node (account bound 10) and the core `http request` node (10 at a time; all at once)
 *   a raw keep-alive client in this process at 10 and 50 requests at a time
 * for each added latency (0, 50 ms) and N (1,000, 5,000), in interleaved rounds (A B C … A B C …); then CPU per item
 * added by our code, heap per in-flight request and cold load, measured in fresh processes or in this one.
 * Prints medians with min–max, ratios and the targets (PASS/SHORT). Numbers never fail the run: only errors do
 * (a crash, a lost item, a failed call). See docs/performance.md.
 *
 *   npm run bench                                     everything (dist/ must be built: npm run build)
 *   BENCH_ONLY=n8n|node-red|core npm run bench        one part (comma-separated for several)
 *   BENCH_ROUNDS=3 BENCH_N=1000,5000 BENCH_LATENCY=0,50 …
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const B = require('./lib');

const CONFIG = {
	rounds: B.envInt('BENCH_ROUNDS', 3),
	sizes: B.envList('BENCH_N', [1000, 5000]).filter((n) => n > 0),
	latencies: B.envList('BENCH_LATENCY', [0, 50]),
	only: (process.env.BENCH_ONLY || 'n8n,node-red,core').split(',').map((s) => s.trim()),
	/** The slow n8n paths (Max Concurrent 1, HTTP Request batching) run up to this N only: see bench/n8n.js. */
	slowMaxN: B.envInt('BENCH_SLOW_N', 1000),
	cpuN: B.envInt('BENCH_CPU_N', 5000),
	cpuRounds: B.envInt('BENCH_CPU_ROUNDS', 5),
	held: B.envInt('BENCH_HELD', 2000),
	holdMs: 4000,
	coldRuns: B.envInt('BENCH_COLD_RUNS', 7),
	/** Everything this run started is killed by then. */
	limitMs: B.envInt('BENCH_LIMIT_S', 45 * 60) * 1000,
	/** A folder: n8n's main process writes a CPU profile there when it stops (node --cpu-prof). */
	n8nProfile: process.env.BENCH_N8N_CPU_PROF,
	nodeRedProfile: process.env.BENCH_NODE_RED_CPU_PROF,
};

const RAW = [
	{ key: 'raw-10', label: 'raw keep-alive client, 10 at a time', c: 10 },
	{ key: 'raw-50', label: 'raw keep-alive client, 50 at a time', c: 50 },
];

const w = (s = '') => process.stdout.write(`${s}\n`);
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const x = (v, digits = 2) => (Number.isFinite(v) ? `${v.toFixed(digits)}×` : '—');

/** Per-round ratios of two series (the same round index was measured back to back). */
function ratios(a, b) {
	if (!a || !b) return [];
	const n = Math.min(a.rate.length, b.rate.length);
	return Array.from({ length: n }, (_, i) => a.rate[i] / b.rate[i]);
}

function fmtRatio(rs) {
	if (!rs.length) return '—';
	return `${x(B.median(rs))} (${Math.min(...rs).toFixed(2)}–${Math.max(...rs).toFixed(2)})`;
}

async function main() {
	const started = Date.now();
	const children = new B.Children();
	const hard = setTimeout(() => {
		w(`\n[bench] hard limit of ${B.secs(CONFIG.limitMs)} reached: stopping what this run started`);
		children.killAll();
		process.exit(3);
	}, CONFIG.limitMs);
	hard.unref();

	const want = (part) => CONFIG.only.includes(part);
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-bench-'));
	const errors = [];
	const results = {}; // results[lat][n][key] = Series
	const labels = {};
	const bounds = {};
	let sandbox;
	let n8n;
	let nodeRed;
	let core;
	let cold;
	let cpu;
	let heap;
	try {
		w('OTP Flow throughput benchmark');
		w(
			`  ${os.cpus().length} CPUs (${os.cpus()[0].model.trim()}), load average ${os
				.loadavg()
				.map((l) => l.toFixed(1))
				.join(' ')} at the start`,
		);
		w(`  one call on every path: Capillary Generate Token, POST /capillary${B.CALL.path} (JSON body, no secret header)`);
		w(
			`  rounds ${CONFIG.rounds}, N ${CONFIG.sizes.join(', ')}, added latency ${CONFIG.latencies.map((l) => `${l} ms`).join(', ')}, parts: ${CONFIG.only.join(', ')}`,
		);
		let t = Date.now();
		const pkg = B.preparePackage(work);
		w(`  packed and installed the package (${B.secs(Date.now() - t)})`);
		sandbox = await new B.SandboxProcess({ pkgDir: pkg.sandboxDir, lifetimeS: Math.ceil(CONFIG.limitMs / 1000), children }).start();
		w(`  sandbox: ${sandbox.url} (pid ${sandbox.pid}, its own process)`);
		await sandbox.setLatency(0);

		const { CoreBench } = require('./core');
		core = new CoreBench({ pkgDir: pkg.pkgDir, userDir: pkg.userDir, sandbox });
		await core.record();

		if (want('core')) {
			const { coldLoad } = require('./cold');
			const { ensureN8n } = require('../e2e/n8n/install');
			t = Date.now();
			cold = coldLoad({ pkgDir: pkg.pkgDir, n8nDir: pkg.n8nDir, work, runs: CONFIG.coldRuns, n8nInst: ensureN8n({ log: () => {} }) });
			w(`  cold load measured, ${CONFIG.coldRuns} fresh processes each (${B.secs(Date.now() - t)})`);
		}

		if (want('n8n')) {
			const { N8nBench } = require('./n8n');
			n8n = new N8nBench({
				tarball: pkg.tarball,
				sandbox,
				children,
				work,
				log: w,
				limitMs: CONFIG.limitMs,
				slowMaxN: CONFIG.slowMaxN,
				nodeArgs: CONFIG.n8nProfile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(CONFIG.n8nProfile)}`] : [],
			});
			await n8n.start();
		}
		if (want('node-red')) {
			const { NodeRedBench } = require('./node-red');
			nodeRed = new NodeRedBench({
				userDir: pkg.userDir,
				sandbox,
				children,
				log: w,
				limitMs: CONFIG.limitMs,
				nodeArgs: CONFIG.nodeRedProfile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(CONFIG.nodeRedProfile)}`] : [],
			});
			await nodeRed.start();
		}

		// The paths, in the order each round runs them.
		const paths = [
			...(n8n ? n8n.variants.map((v) => ({ key: `n8n:${v.key}`, label: `n8n      ${v.label}`, maxN: v.maxN, run: (n) => n8n.run(v, n) })) : []),
			...(nodeRed ? nodeRed.variants.map((v) => ({ key: `nr:${v.key}`, label: `Node-RED ${v.label}`, bound: v.bound, run: (n) => nodeRed.run(v, n) })) : []),
			...(n8n || nodeRed ? RAW.map((v) => ({ key: v.key, label: `raw      ${v.label}`, run: (n) => rawRun(core, sandbox, n, v.c) })) : []),
		];
		for (const p of paths) {
			labels[p.key] = p.label;
			if (p.bound) bounds[p.key] = p.bound;
		}

		for (const lat of paths.length ? CONFIG.latencies : []) {
			results[lat] = {};
			for (const n of CONFIG.sizes) {
				const cell = (results[lat][n] = {});
				const here = paths.filter((p) => !p.maxN || n <= p.maxN);
				for (let r = 1; r <= CONFIG.rounds; r++) {
					// A fresh sandbox state each round (thousands of sessions pile up otherwise), same latency.
					await sandbox.setLatency(lat);
					t = Date.now();
					const line = [];
					for (const p of here) {
						const res = await p.run(n);
						if (res.errors && res.errors.length) {
							errors.push(`${lat} ms, N=${n}, round ${r}, ${p.label.replace(/\s+/g, ' ')}: ${res.errors.join('; ')}`);
							if (res.rate === undefined) continue;
						}
						(cell[p.key] ||= new B.Series()).add(res);
						line.push(`${p.key} ${res.rate.toFixed(0)}`);
					}
					w(`  · ${lat} ms, N=${n}, round ${r}/${CONFIG.rounds} (${B.secs(Date.now() - t)}): ${line.join(', ')} items/s`);
				}
			}
		}

		if (want('core')) {
			await sandbox.setLatency(0);
			t = Date.now();
			cpu = { raw: [], axios: [], ours: [], core: [] };
			for (let r = 0; r < CONFIG.cpuRounds; r++) {
				for (const kind of Object.keys(cpu)) cpu[kind].push((await core.measure(kind, CONFIG.cpuN, 10)).cpuUsPerItem);
			}
			heap = { raw: [], ours: [] };
			for (let r = 0; r < CONFIG.rounds; r++) {
				for (const kind of Object.keys(heap)) heap[kind].push(await core.heapPerInFlight(kind, CONFIG.held, CONFIG.holdMs));
			}
			w(`  · CPU per item and heap per in-flight request measured in this process (${B.secs(Date.now() - t)})`);
		}
	} catch (e) {
		errors.push(`the benchmark stopped: ${e.stack || e.message}`);
	} finally {
		for (const stop of [() => n8n && n8n.stop(), () => nodeRed && nodeRed.stop(), () => sandbox && sandbox.stop()]) {
			try {
				await stop();
			} catch (e) {
				errors.push(`stopping: ${e.message}`);
			}
		}
		children.killAll();
		if (process.env.BENCH_KEEP) w(`  kept: ${work}`);
		else fs.rmSync(work, { recursive: true, force: true });
	}

	report({ results, labels, bounds, cold, cpu, heap, n8n, nodeRed });
	w(
		`\n  load average ${os
			.loadavg()
			.map((l) => l.toFixed(1))
			.join(' ')} at the end; wall time ${B.secs(Date.now() - started)}`,
	);
	if (errors.length) {
		w(`\n✘ ${errors.length} error(s):`);
		for (const e of errors) w(`  - ${e}`);
		process.exit(1);
	}
}

/** The raw client as a path of the grid: rate and peak like the others. */
async function rawRun(core, sandbox, n, c) {
	await sandbox.resetStats();
	try {
		const m = await core.measure('raw', n, c);
		const stats = await sandbox.stats();
		// measure() opens its sockets with 2c calls first: they count at the sandbox too.
		const expected = n + Math.min(n, 2 * c);
		return { ...m, peak: stats.peakInFlight, errors: stats.requests === expected ? [] : [`the sandbox received ${stats.requests} requests for ${expected}`] };
	} catch (e) {
		return { errors: [e.message] };
	}
}

function report({ results, labels, bounds, cold, cpu, heap, n8n, nodeRed }) {
	const targets = [];
	const target = (name, value, ok, detail = '') => targets.push({ name, value, ok, detail });
	const runtimes = [n8n && n8n.label, nodeRed && nodeRed.label, `raw client on Node ${process.versions.node}`].filter(Boolean);
	if (Object.keys(results).length) w(`\nThroughput (${runtimes.join('; ')})`);
	for (const [lat, byN] of Object.entries(results)) {
		for (const [n, cell] of Object.entries(byN)) {
			const rounds = Math.max(0, ...Object.values(cell).map((s) => s.rate.length));
			w(`\n■ ${lat} ms added latency · N = ${n} · ${rounds} rounds`);
			w(`  ${pad('path', 62)}${lpad('items/s median (min–max)', 26)}${lpad('peak in flight', 16)}${lpad('CPU µs/item', 13)}`);
			for (const [key, s] of Object.entries(cell)) {
				const peak = s.peak.length ? (Math.min(...s.peak) === Math.max(...s.peak) ? String(s.peak[0]) : `${Math.min(...s.peak)}–${Math.max(...s.peak)}`) : '—';
				w(`  ${pad(labels[key], 62)}${lpad(B.fmtSpread(s.rate), 26)}${lpad(peak, 16)}${lpad(s.cpu.length ? B.median(s.cpu).toFixed(0) : '—', 13)}`);
			}
			const pairs = [
				['n8n:ours', 'n8n:http', 'n8n default / HTTP Request default'],
				['n8n:ours-50', 'n8n:http', 'n8n Max Concurrent 50 / HTTP Request default'],
				['n8n:ours', 'n8n:ours-1', 'n8n default / Max Concurrent 1 ("old")'],
				['n8n:ours', 'n8n:http-batch', 'n8n default / HTTP Request batching'],
				['n8n:ours', 'raw-10', 'n8n default / raw at 10'],
				['n8n:ours-50', 'raw-50', 'n8n Max Concurrent 50 / raw at 50'],
				['nr:ours', 'nr:core-10', 'Node-RED ours / core http request at 10'],
				['nr:ours', 'nr:core', 'Node-RED ours / core http request all at once'],
				['nr:ours', 'raw-10', 'Node-RED ours / raw at 10'],
			].filter(([a, b]) => cell[a] && cell[b]);
			if (pairs.length) {
				w('  ratios, per round (median, min–max):');
				for (const [a, b, name] of pairs) w(`    ${pad(name, 52)}${fmtRatio(ratios(cell[a], cell[b]))}`);
			}

			// Targets that belong to this cell.
			const r = (a, b) => B.median(ratios(cell[a], cell[b]));
			if (Number(lat) === 50 && Number(n) === 1000) {
				if (cell['n8n:ours'] && cell['n8n:ours-1'])
					target('n8n, 50 ms, 1,000 items: default ≥ 8× Max Concurrent 1 ("old")', x(r('n8n:ours', 'n8n:ours-1'), 3), r('n8n:ours', 'n8n:ours-1') >= 8);
				if (cell['n8n:ours-50'] && cell['n8n:http'])
					target(
						'n8n, 50 ms, 1,000 items: Max Concurrent 50 ≥ 0.9× HTTP Request default',
						x(r('n8n:ours-50', 'n8n:http'), 3),
						r('n8n:ours-50', 'n8n:http') >= 0.9,
					);
			}
			if (Number(lat) === 0 && cell['n8n:ours'] && cell['n8n:http'])
				target(
					`n8n, 0 ms, ${Number(n).toLocaleString('en')} items: default ≥ 1.0× HTTP Request default`,
					x(r('n8n:ours', 'n8n:http'), 3),
					r('n8n:ours', 'n8n:http') >= 1,
				);
			if (cell['nr:ours'] && cell['nr:core-10']) {
				const peak = Math.max(...cell['nr:ours'].peak);
				const bound = bounds['nr:ours'];
				target(
					`Node-RED, ${lat} ms, ${Number(n).toLocaleString('en')} messages: ≥ 1.0× core http request at ${bound}, never over the bound`,
					`${x(r('nr:ours', 'nr:core-10'), 3)}, peak ${peak} (bound ${bound})`,
					r('nr:ours', 'nr:core-10') >= 1 && peak <= bound,
				);
			}
		}
	}

	if (cpu) {
		const m = (k) => B.median(cpu[k]);
		const added = cpu.ours.map((v, i) => v - cpu.raw[i]);
		w(
			`\nCPU per item in this process (Node ${process.versions.node}), 0 ms, 10 at a time, ${CONFIG.cpuN} calls × ${cpu.raw.length} rounds (median, min–max µs)`,
		);
		w(`  ${pad('raw node:http keep-alive call', 58)}${lpad(B.fmtSpread(cpu.raw, 1), 22)}`);
		w(`  ${pad('the same call through axios (as our transport sets it up)', 58)}${lpad(B.fmtSpread(cpu.axios, 1), 22)}`);
		w(`  ${pad('ours: runOperation over AxiosTransport', 58)}${lpad(B.fmtSpread(cpu.ours, 1), 22)}`);
		w(`  ${pad('core alone: runOperation over an in-memory answer', 58)}${lpad(B.fmtSpread(cpu.core, 1), 22)}`);
		w(`  added by our code (ours − raw, per round)               ${lpad(B.fmtSpread(added, 1), 22)}`);
		w(`    of which the core (validate, build, interpret, redact) ${lpad(m('core').toFixed(1), 22)}`);
		w(
			`    and axios + our transport (ours − raw − core)          ${lpad((m('ours') - m('raw') - m('core')).toFixed(1), 22)}   (axios − raw ${(m('axios') - m('raw')).toFixed(1)})`,
		);
		target(
			'CPU added by our code ≤ 10 µs per item (ours − raw)',
			`${B.median(added).toFixed(1)} µs (core alone ${m('core').toFixed(1)} µs)`,
			B.median(added) <= 10,
		);
	}
	if (heap) {
		const kb = (v) => `${(v / 1024).toFixed(1)} KB`;
		w(
			`\nHeap per in-flight request (${CONFIG.held} held open by the sandbox, heap used after a full GC minus idle, ÷ ${CONFIG.held}; ${heap.raw.length} rounds)`,
		);
		w(`  ${pad('raw node:http call', 58)}${lpad(kb(B.median(heap.raw)), 12)}  (${heap.raw.map(kb).join(', ')})`);
		w(`  ${pad('ours: runOperation over AxiosTransport', 58)}${lpad(kb(B.median(heap.ours)), 12)}  (${heap.ours.map(kb).join(', ')})`);
		w(`  ${pad('added by our code (ours − raw, per round)', 58)}${lpad(kb(B.median(heap.ours.map((v, i) => v - heap.raw[i]))), 12)}`);
	}
	if (cold) {
		w(`\nCold load (fresh node process each, median of ${cold.nodeRed.load.length}, min–max ms)`);
		w(
			`  ${pad(`Node-RED files: require() of ${cold.nodeRed.files} dist/node-red/*.js (Node ${cold.nodeRed.node})`, 78)}${lpad(B.fmtSpread(cold.nodeRed.load, 1), 20)}   + registering the 5 providers ${B.median(cold.nodeRed.extra).toFixed(1)} ms`,
		);
		if (cold.n8n)
			w(
				`  ${pad(`n8n files: require() of ${cold.n8n.files} *.node.js + credentials (Node ${cold.n8n.node}, n8n-workflow preloaded)`, 78)}${lpad(B.fmtSpread(cold.n8n.load, 1), 20)}   + one instance of each class ${B.median(cold.n8n.extra).toFixed(1)} ms`,
			);
		target('Node-RED files load in ≤ 50 ms cold', `${B.median(cold.nodeRed.load).toFixed(1)} ms`, B.median(cold.nodeRed.load) <= 50);
	}

	if (targets.length) {
		w('\nTargets (ratios from this run)');
		for (const t of targets) w(`  ${t.ok ? 'PASS ' : 'SHORT'}  ${pad(t.name, 84)} ${t.value}`);
	}
}

main().catch((e) => {
	process.stderr.write(`${e.stack || e.message}\n`);
	process.exit(1);
});
