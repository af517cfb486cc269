'use strict';
/**
 * The n8n half of the volume run: the packed package as a community node in a real n8n 2.41.1 (Node 24), one
 * workflow  Start → a Code node per operation (its items, each with a unique id) → our node for that operation,
 * executed once with the CLI as e2e/n8n does, 20% of the requests faulted by the sandbox.
 * Checks: one output item per input item (pairedItem back to the Code node's item, and the identifier the result
 * carries), results per fault kind, nothing followed to the capture host, no error, RSS, and no secret or Aadhaar
 * number in the output items, n8n's stdout/stderr, or n8n's user folder (the SQLite database bytes, the execution
 * data read back from it, the event logs).
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ensureN8n, N8N_VERSION, NODE_VERSION } = require('../n8n/install');
const lib = require('../n8n/lib');
const { CRASH_PATTERNS } = require('../node-red/lib');
const V = require('./lib');

const WORKFLOW_ID = 'otpflowVolume001';
const PKG_TYPE_PREFIX = `${lib.PKG.name}.`;

function names(o) {
	return { code: `Items ${o.key}`, node: `${o.slug} ${o.op}` };
}

/** One workflow: Start → Code (the operation's items) → our node, per operation; node parameters from the shipped templates. */
function buildWorkflow(templates, messages) {
	const nodes = [
		{ parameters: {}, id: 'a0000000-0000-4000-8000-000000000000', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] },
	];
	const connections = { Start: { main: [[]] } };
	V.OPERATIONS.forEach((o, k) => {
		const file = `${o.slug}-${V.dist('node-red/names').kebab(o.op)}.json`;
		const template = templates.workflows.find((w) => w.file === file);
		if (!template) throw new Error(`no template ${file}`);
		const ours = template.workflow.nodes.find((n) => n.type.startsWith(PKG_TYPE_PREFIX));
		const items = messages.filter((m) => m.op === o.key).map(({ vid, op, input }) => ({ vid, op, input }));
		const n = names(o);
		const parameters = { ...ours.parameters, ...(o.fixed || {}), options: { timeoutSeconds: V.NODE_TIMEOUT_S } };
		delete parameters.externalRefNumber;
		delete parameters.requestedAmount;
		for (const f of o.fields) parameters[f] = `={{ $json.input.${f} }}`;
		if (o.aadhaar) parameters[o.aadhaar] = '={{ $json.input.a.join($json.input.sep) }}';
		nodes.push(
			{
				parameters: { jsCode: `return ${JSON.stringify(items)}.map((json) => ({ json }));` },
				id: `b000000${k}-0000-4000-8000-000000000000`,
				name: n.code,
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [240, k * 200],
			},
			{
				parameters,
				id: `c000000${k}-0000-4000-8000-000000000000`,
				name: n.node,
				type: ours.type,
				typeVersion: ours.typeVersion,
				position: [480, k * 200],
				credentials: ours.credentials,
			},
		);
		connections.Start.main[0].push({ node: n.code, type: 'main', index: 0 });
		connections[n.code] = { main: [[{ node: n.node, type: 'main', index: 0 }]] };
	});
	return {
		id: WORKFLOW_ID,
		name: 'OTP Flow volume (e2e)',
		nodes,
		connections,
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
		meta: {},
		tags: [],
	};
}

function pairedIndex(pi) {
	if (typeof pi === 'number') return pi;
	if (Array.isArray(pi)) return pi.length === 1 ? pairedIndex(pi[0]) : undefined;
	return pi && typeof pi.item === 'number' ? pi.item : undefined;
}

/** Every output item of our nodes, traced back through pairedItem to the Code node item it answers. */
function recordsFrom(run) {
	const runData = run.data.resultData.runData;
	const records = [];
	const problems = [];
	let carried = 0;
	for (const o of V.OPERATIONS) {
		const n = names(o);
		const code = runData[n.code] && runData[n.code][0];
		const node = runData[n.node] && runData[n.node][0];
		if (!code || !node) {
			problems.push(`${n.node}: did not run (ran: ${Object.keys(runData).join(', ')})`);
			continue;
		}
		if (node.error) problems.push(`${n.node} failed: ${JSON.stringify(node.error).slice(0, 500)}`);
		if (runData[n.node].length !== 1) problems.push(`${n.node} ran ${runData[n.node].length} times`);
		const inputs = code.data.main[0];
		const outs = (node.data && node.data.main) || [];
		outs.forEach((items, out) => {
			for (const item of items || []) {
				const idx = pairedIndex(item.pairedItem);
				const source = idx === undefined ? undefined : inputs[idx];
				if (!source) {
					problems.push(`${n.node}: an output item without a pairedItem to its input (${JSON.stringify(item.pairedItem)})`);
					continue;
				}
				const ref = (item.json && item.json.reference) || {};
				for (const f of o.fields) {
					if (ref[f] === undefined) continue;
					carried++;
					if (String(ref[f]) !== String(source.json.input[f]))
						problems.push(`${source.json.vid}: reference.${f} ${ref[f]} is another item's (${source.json.input[f]})`);
				}
				records.push({ vid: source.json.vid, out, result: item.json });
			}
		});
	}
	return { records, problems, carried };
}

/**
 * The executions n8n saved, read from its SQLite database with Node 24's node:sqlite and n8n's own flatted:
 * per execution its status and, per node, the items on each output; the raw data column for the scan.
 */
function readExecutions(inst, dbFile, outFile) {
	const script = `
const fs = require('node:fs');
const { DatabaseSync } = require('node:sqlite');
const { parse } = require(process.argv[2]);
const db = new DatabaseSync(process.argv[1], { readOnly: true });
const rows = db.prepare('SELECT e.id AS id, e.status AS status, e.mode AS mode, d.data AS data FROM execution_entity e LEFT JOIN execution_data d ON d.executionId = e.id').all();
const out = rows.map((r) => {
	const data = r.data ? parse(r.data) : undefined;
	const runData = (data && data.resultData && data.resultData.runData) || {};
	const outputs = {};
	for (const [name, runs] of Object.entries(runData)) outputs[name] = runs.map((x) => ((x.data && x.data.main) || []).map((items) => (items || []).length));
	return { id: r.id, status: r.status, mode: r.mode, bytes: r.data ? r.data.length : 0, outputs, data: r.data, json: data ? JSON.stringify(data) : '' };
});
fs.writeFileSync(process.argv[3], JSON.stringify(out));
`;
	const r = spawnSync(inst.nodeBin, ['-e', script, dbFile, path.join(inst.n8nModules, 'flatted'), outFile], { encoding: 'utf8', timeout: 120000 });
	if (r.status !== 0) throw new Error(`reading ${dbFile} failed: ${r.stderr.slice(-2000)}`);
	return JSON.parse(fs.readFileSync(outFile, 'utf8'));
}

/** Runs the n8n volume; returns the figures for the summary. `ctx`: { tarball, secrets, aadhaars, report, track }. */
async function runN8nVolume({ count, ctx }) {
	const { report } = ctx;
	const figures = { runtime: 'n8n', tried: count, durations: {}, label: `n8n ${N8N_VERSION} on Node ${NODE_VERSION}` };
	process.stdout.write(`\n■ ${figures.label}: ${count} items in one execution\n`);
	let t = Date.now();
	const inst = ensureN8n({ log: (l) => process.stdout.write(`  ${l}\n`) });
	report.time(`n8n ${inst.reused ? 'from the cache' : 'installed'}`, Date.now() - t);
	figures.durations.total = await V.withFixtures(
		{ report, label: figures.label, prefix: 'otpflow-volume-n8n-' },
		async ({ stats, sandbox, capture, dir: work, onClose }) => {
			const userFolder = path.join(work, 'user');
			const logs = [];
			let rss;
			onClose(() => rss && rss.stop());
			t = Date.now();
			lib.installIntoUserFolder(ctx.tarball, userFolder);
			report.time('npm install <tarball> into $N8N_USER_FOLDER/.n8n/nodes', Date.now() - t);
			const env = lib.n8nEnv(inst, { userFolder, brokerPort: await lib.freePort(), port: await lib.freePort() });
			const cli = async (args, options) => {
				const r = await lib.runN8n(inst, env, args, options);
				logs.push({ args: args.join(' '), stdout: r.stdout, stderr: r.stderr });
				fs.writeFileSync(path.join(work, `n8n-${logs.length}-${args[0].replace(/\W/g, '_')}.log`), `${r.stdout}\n--- stderr ---\n${r.stderr}`);
				if (r.status !== 0) throw new Error(`n8n ${args.join(' ')} exited ${r.status} ${r.signal || ''}:\n${r.stderr.slice(-3000)}\n${r.stdout.slice(-2000)}`);
				return r;
			};
			// The credentials file holds the secrets in plain text for the import; it lives outside the user folder and goes at once.
			const templates = lib.loadTemplates();
			const credFile = path.join(work, 'credentials.json');
			fs.writeFileSync(credFile, JSON.stringify(lib.rewriteUrls(templates.credentials, sandbox.url)));
			t = Date.now();
			await cli(['import:credentials', `--input=${credFile}`]);
			fs.rmSync(credFile);
			const messages = V.buildMessages(count, 'n8n', ctx.aadhaars);
			const wfFile = path.join(work, 'workflow.json');
			fs.writeFileSync(wfFile, JSON.stringify(buildWorkflow(templates, messages)));
			await cli(['import:workflow', `--input=${wfFile}`]);
			report.time('import:credentials + import:workflow', Date.now() - t);

			const plan = V.addFaults(sandbox, V.faultPlan(capture.url));
			stats.reset();
			t = Date.now();
			const r = await cli(['execute', `--id=${WORKFLOW_ID}`, '--rawOutput'], {
				timeoutMs: 9 * 60 * 1000,
				onSpawn: (child) => {
					ctx.track(child.pid, true);
					rss = new V.RssSampler(child.pid);
				},
			});
			rss.stop();
			figures.durations.run = Date.now() - t;
			report.time(
				`n8n execute: ${count} items, 10 in flight per node (${(count / (figures.durations.run / 1000)).toFixed(0)} items/s including n8n's start)`,
				figures.durations.run,
			);
			const dotN8n = path.join(userFolder, '.n8n');
			let run;
			try {
				run = lib.parseRawOutput(r.stdout);
			} catch (e) {
				// n8n exits right after writing its output; on a busy machine a pipe can lose the tail of several MB of
				// JSON. The same run data is in n8n's database: read it from there instead.
				const saved = readExecutions(inst, path.join(dotN8n, 'database.sqlite'), path.join(work, 'executions-fallback.json')).find((x) => x.json);
				if (!saved) throw e;
				process.stdout.write(`  (n8n's printed output was cut short: ${r.stdout.length} bytes; run data read from its database)\n`);
				run = { data: JSON.parse(saved.json) };
			}
			report.check('the execution finished without a workflow error', !run.data.resultData.error || JSON.stringify(run.data.resultData.error).slice(0, 800));
			const ourTime = V.OPERATIONS.map((o) => ((run.data.resultData.runData[names(o).node] || [])[0] || {}).executionTime || 0).reduce((a, b) => a + b, 0);
			figures.durations.nodes = ourTime;
			const { records, problems, carried } = recordsFrom(run);
			report.check(
				`every output item traces back to its input item (pairedItem; ${carried} carried identifiers agree)`,
				problems.length === 0 || problems.slice(0, 8).join('; '),
			);
			Object.assign(figures, V.analyse({ report, records, messages, plan, stats }));
			figures.capture = capture.requests.length;
			const leakedToCapture = capture.requests.filter((q) => ctx.secrets.some((s) => JSON.stringify(q).includes(s))).length;
			report.check(
				`the capture host ${V.CAPTURE_HOST} received nothing (redirects refused: ${figures.observedCounts.redirect || 0})`,
				capture.requests.length === 0 ||
					`${capture.requests.length} requests followed a redirect there, ${leakedToCapture} of them carrying an account secret; e.g. ${capture.requests
						.slice(0, 3)
						.map((q) => `${q.method} ${q.url}`)
						.join(', ')}`,
			);

			// Memory of the n8n process while the items went through (it keeps every item's run data until the end).
			const times = stats.times;
			if (rss && times.length) {
				const f = rss.figures(times[0], times[times.length - 1]);
				figures.rss = f;
				report.check(
					`n8n RSS: ${f.samples} samples, start ${V.mb(f.start)}, first quarter after warm-up ${V.mb(f.first)}, last quarter ${V.mb(f.last)}, peak ${V.mb(f.peak)}`,
					f.last <= f.first * 1.5 + 100 || `grew from ${V.mb(f.first)} to ${V.mb(f.last)}`,
				);
			}

			// The database: every execution saved, its data holding every result; bytes and data scanned.
			const executions = readExecutions(inst, path.join(dotN8n, 'database.sqlite'), path.join(work, 'executions.json'));
			const saved = executions.find((e) => e.outputs && V.OPERATIONS.every((o) => e.outputs[names(o).node]));
			const savedItems = saved ? V.OPERATIONS.reduce((n, o) => n + saved.outputs[names(o).node][0].reduce((a, b) => a + b, 0), 0) : 0;
			report.check(
				`n8n's database holds the execution (${executions.length} saved; status ${saved && saved.status}, ${saved ? (saved.bytes / 1024 / 1024).toFixed(1) : 0} MB of data) with all ${count} results`,
				(saved && saved.status === 'success' && savedItems === count) || `items in the saved data: ${savedItems}`,
			);
			const list = V.needles(ctx.secrets, ctx.aadhaars);
			const files = V.filesUnder(dotN8n, ['nodes']);
			const hits = [
				...V.scan('output items', JSON.stringify(records.map((x) => x.result)), list),
				...logs.flatMap((l) => [...V.scan(`n8n ${l.args} stdout`, l.stdout, list), ...V.scan(`n8n ${l.args} stderr`, l.stderr, list)]),
				...files.flatMap((f) => V.scan(path.relative(userFolder, f), fs.readFileSync(f), list)),
				...executions.flatMap((e) => [
					...V.scan(`execution ${e.id} data`, e.data || '', list),
					...V.scan(`execution ${e.id} data (parsed)`, e.json || '', list),
				]),
			];
			figures.leaked = hits.length;
			report.check(
				`no secret or Aadhaar number in the output items, n8n's output and logs, or ${files.length} files of its user folder (${files
					.map((f) => path.basename(f))
					.filter((f) => /sqlite|log/.test(f))
					.join(', ')})`,
				hits.length === 0 ||
					hits
						.slice(0, 10)
						.map((h) => `${h.what} ${h.masked} in ${h.where}`)
						.join('; '),
			);
			const crashLines = logs.flatMap((l) => `${l.stdout}\n${l.stderr}`.split('\n')).filter((line) => CRASH_PATTERNS.some((re) => re.test(line)));
			figures.crashed = crashLines.length + (run.data.resultData.error ? 1 : 0);
			report.check("no uncaught exception or unhandled rejection in n8n's output", crashLines.length === 0 || crashLines.slice(0, 3).join(' | '));
		},
	);
	return figures;
}

module.exports = { runN8nVolume };
