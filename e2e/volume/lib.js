'use strict';
/**
 * What the two volume runs (./node-red.js, ./n8n.js) share: the operations and per-message inputs (a unique id,
 * identifiers and Aadhaar numbers per message), the fault plan (20% of the requests, every sandbox fault kind,
 * spread through the run by the sandbox's seeded `probability`), reading a result back to the fault that caused
 * it, the capture host a redirect points at, the secret and Aadhaar scan, and an RSS sampler.
 */
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { readText } = require('../node-red/lib');

const ROOT = path.resolve(__dirname, '..', '..');
const OK_STATUSES = new Set(['otp_sent', 'verified', 'completed']);
/** Another loopback host: a redirect there would take the request (and its credential) off the provider's host. */
const CAPTURE_HOST = '127.0.0.2';
/** The node's "Timeout" option in both runtimes, seconds. */
const NODE_TIMEOUT_S = 2;
/** Every hold of the sandbox (timeout, drip) ends here: longer than the node's timeout, short enough for n8n's one-at-a-time items. */
const FAULT_MAX_HOLD_MS = 5000;

/** The exported names of the built package (dist/ under the project). */
function dist(sub) {
	return require(path.join(ROOT, 'dist', ...sub.split('/')));
}

function pad(n, width) {
	return String(n).padStart(width, '0');
}

/** Syntactically valid (Verhoeff) Aadhaar numbers, made up and distinct. */
function aadhaarNumbers(count) {
	const { verhoeffCheckDigit } = dist('nodes/core');
	const out = [];
	for (let k = 0; k < count; k++) {
		const first11 = String(20000000000 + ((k * 1234567891 + 987654321) % 79999999999));
		out.push(`${first11}${verhoeffCheckDigit(first11)}`);
	}
	return out;
}

/** The three ways a person writes an Aadhaar number; none may appear anywhere. */
function aadhaarForms(a) {
	return [
		['contiguous', a],
		['spaced', `${a.slice(0, 4)} ${a.slice(4, 8)} ${a.slice(8)}`],
		['hyphenated', `${a.slice(0, 4)}-${a.slice(4, 8)}-${a.slice(8)}`],
	];
}

/**
 * The operations a message may go through: none needs a prior step, and each message uses its own mobile number,
 * identifier or user, so no per-customer limit of the sandbox turns the run into rate_limited answers.
 * `fields` are the node fields read from the message's `input`; `aadhaar` the field built from its parts.
 */
const OPERATIONS = [
	{
		key: 'iserveu/getCustomer',
		slug: 'iserveu',
		op: 'getCustomer',
		success: 'completed',
		fields: ['mobileNumber', 'username'],
		input: (i) => ({ mobileNumber: `9${pad(i, 9)}`, username: 'sandbox_agent' }),
	},
	{
		key: 'iserveu/sendOtp',
		slug: 'iserveu',
		op: 'sendOtp',
		success: 'otp_sent',
		fields: ['customerMobileNumber', 'username'],
		aadhaar: 'ovdData',
		fixed: { otpType: '1', ovdType: 'Aadhaar Card' },
		input: (i) => ({ customerMobileNumber: `8${pad(i, 9)}`, username: 'sandbox_agent' }),
	},
	{
		key: 'capillary/generateToken',
		slug: 'capillary',
		op: 'generateToken',
		success: 'completed',
		fields: ['identifierValue', 'deviceId'],
		input: (i) => ({ identifierValue: `917${pad(i, 9)}`, deviceId: `vol-device-${i}` }),
	},
	{
		key: 'summitai/generateOtp',
		slug: 'summitai',
		op: 'generateOtp',
		success: 'otp_sent',
		fields: ['DomainId', 'UserID', 'LoginUID', 'UserName'],
		input: (i) => ({ DomainId: '1', UserID: String(i + 1), LoginUID: String(i + 1), UserName: `vol${i}` }),
	},
	{
		key: 'bos/registerCustomer',
		slug: 'bos',
		op: 'registerCustomer',
		success: 'completed',
		fields: ['order_id', 'first_name', 'last_name', 'pancard', 'date_of_birth', 'email_id', 'mobile_number'],
		input: (i) => ({
			order_id: `VOL-${pad(i, 6)}`,
			first_name: 'Asha',
			last_name: 'Verma',
			pancard: 'ABCDE1234F',
			date_of_birth: '1990-04-23',
			email_id: `asha${i}@example.com`,
			mobile_number: `7${pad(i, 9)}`,
		}),
	},
];

/**
 * `count` messages, operations in turn, each with a unique `vid`. The Aadhaar number travels as three 4-digit parts
 * and a separator and is joined only inside the node (JSONata in Node-RED, an expression in n8n), so no message or
 * item ever holds it whole. One send in five joins it with a space or a hyphen: the node must refuse it (nothing sent).
 * `offset` shifts the identifiers (mobile numbers, order ids…) so another batch does not reuse them.
 */
function buildMessages(count, prefix, aadhaars, offset = 0) {
	const messages = [];
	for (let i = 0; i < count; i++) {
		const op = OPERATIONS[i % OPERATIONS.length];
		const input = op.input(i + offset);
		let refused = false;
		if (op.aadhaar) {
			const n = Math.floor(i / OPERATIONS.length);
			const a = aadhaars[n % aadhaars.length];
			input.a = [a.slice(0, 4), a.slice(4, 8), a.slice(8)];
			input.sep = n % 10 === 3 ? ' ' : n % 10 === 7 ? '-' : '';
			refused = input.sep !== '';
		}
		messages.push({ vid: `${prefix}-${pad(i, 5)}`, op: op.key, input, refused });
	}
	return messages;
}

/**
 * The faults, in the order the sandbox tries them: each `share` of all requests; the sandbox's probability is the
 * share of the requests that reach it (the earlier faults have passed them over), so the kinds add up to 20%.
 * `observed`: how the result shows it (see observe()).
 */
function faultPlan(captureUrl) {
	const entries = [
		{ name: 'latency 300 ms', kind: 'latency', share: 0.025, spec: { ms: 300 }, observed: 'none' },
		{ name: 'timeout (held 4 s)', kind: 'timeout', share: 0.01, spec: { ms: 4000 }, observed: 'timeout' },
		{ name: 'drip (1 byte / 400 ms)', kind: 'drip', share: 0.01, spec: { intervalMs: 400 }, observed: 'timeout' },
		{ name: 'reset', kind: 'reset', share: 0.025, spec: {}, observed: 'reset' },
		{ name: 'status 503', kind: 'status', share: 0.0125, spec: { status: 503 }, observed: 'status' },
		{ name: 'status 500', kind: 'status', share: 0.0125, spec: { status: 500 }, observed: 'status' },
		{ name: 'html (502 page)', kind: 'html', share: 0.025, spec: {}, observed: 'html' },
		{ name: 'malformed JSON', kind: 'malformed', share: 0.025, spec: {}, observed: 'malformed' },
		{ name: 'rate_limit (429)', kind: 'rate_limit', share: 0.0275, spec: { retryAfter: 7 }, observed: 'rate_limit' },
		{ name: `redirect → ${CAPTURE_HOST}`, kind: 'redirect', share: 0.0275, spec: { location: `${captureUrl}/` }, observed: 'redirect' },
	];
	let left = 1;
	return entries.map((e, idx) => {
		const probability = e.share / left;
		left -= e.share;
		return { ...e, fault: { kind: e.kind, ...e.spec, probability, seed: 20261201 + idx, times: 1e9 } };
	});
}

/** The status each observed class must carry (the brief's table). */
const OBSERVED_STATUS = {
	timeout: 'network_error',
	reset: 'network_error',
	status: 'provider_error',
	html: 'provider_error',
	malformed: 'provider_error',
	redirect: 'provider_error',
	rate_limit: 'rate_limited',
};

/** Counts every request that reaches the sandbox's providers, and which fault (if any) it drew. */
function instrument(sandbox) {
	const stats = { requests: 0, byFault: new Map(), faultedAt: [], times: [] };
	const take = sandbox.faults.take.bind(sandbox.faults);
	sandbox.faults.take = (provider, p) => {
		const index = stats.requests++;
		stats.times.push(Date.now());
		const fault = take(provider, p);
		if (fault) {
			stats.byFault.set(fault.id, (stats.byFault.get(fault.id) || 0) + 1);
			stats.faultedAt.push(index);
		}
		return fault;
	};
	stats.reset = () => {
		stats.requests = 0;
		stats.byFault.clear();
		stats.faultedAt = [];
		stats.times = [];
	};
	return stats;
}

/** Queues the plan's faults on the sandbox; returns the plan with each entry's fault id. */
function addFaults(sandbox, plan) {
	return plan.map((e) => ({ ...e, id: sandbox.faults.add(e.fault).id }));
}

/**
 * Which fault a result shows: 'none' (the normal answer), 'refused' (invalid input, nothing sent), 'timeout',
 * 'reset', 'status', 'html', 'malformed', 'rate_limit', 'redirect', or 'unexpected …'.
 */
function observe(result) {
	const { failureKindFromCode } = dist('nodes/core');
	const ps = (result && result.providerStatus) || {};
	const http = ps.httpStatus;
	switch (result && result.status) {
		case 'otp_sent':
		case 'verified':
		case 'completed':
			return 'none';
		case 'invalid_request':
			return http === undefined && /^Nothing was sent/.test(result.message || '') ? 'refused' : `unexpected invalid_request (HTTP ${http})`;
		case 'network_error': {
			const text = String(ps.text || '');
			const kind = ['timeout', 'connection_reset', 'connection_refused', 'dns', 'tls', 'other'].includes(text) ? text : failureKindFromCode(text);
			if (kind === 'timeout') return 'timeout';
			if (kind === 'connection_reset') return 'reset';
			return `unexpected network_error ${kind} (${text})`;
		}
		case 'provider_error':
			if (http >= 300 && http < 400) return 'redirect';
			if (http === 502) return 'html';
			if (http >= 500) return 'status';
			if (http === 200) return 'malformed';
			return `unexpected provider_error (HTTP ${http})`;
		case 'rate_limited':
			return http === 429 ? 'rate_limit' : `unexpected rate_limited (HTTP ${http})`;
		default:
			return `unexpected ${result && result.status} (HTTP ${http})`;
	}
}

function countBy(values) {
	const out = {};
	for (const v of values) out[v] = (out[v] || 0) + 1;
	return out;
}

function fmtCounts(counts) {
	return Object.entries(counts)
		.sort((a, b) => b[1] - a[1])
		.map(([k, v]) => `${k} ${v}`)
		.join(', ');
}

/**
 * Checks one runtime's outputs against its inputs and the sandbox's record, into `report`.
 *   records: [{ vid, out: 0 | 1, result, ms? }] every output seen (duplicates included)
 *   messages: buildMessages(); plan: addFaults(); stats: instrument()
 * Returns the figures for the summary.
 */
function analyse({ report, records, messages, plan, stats, maxMs }) {
	const byVid = new Map(messages.map((m) => [m.vid, m]));
	const seen = new Map();
	const unknown = [];
	for (const r of records) {
		if (!byVid.has(r.vid)) unknown.push(r.vid);
		else seen.set(r.vid, [...(seen.get(r.vid) || []), r]);
	}
	const lost = messages.filter((m) => !seen.has(m.vid));
	const duplicates = [...seen.values()].filter((rs) => rs.length > 1);
	report.check(
		`exactly one output per input (${messages.length} in, ${records.length} out)`,
		lost.length + duplicates.length + unknown.length === 0 ||
			`lost ${lost.length} (${lost
				.slice(0, 5)
				.map((m) => m.vid)
				.join(', ')}), duplicated ${duplicates.length} (${duplicates
				.slice(0, 5)
				.map((rs) => rs[0].vid)
				.join(', ')}), unknown ids ${unknown.length}`,
	);

	const firsts = [...seen.values()].map((rs) => rs[0]);
	const wrong = [];
	const observed = [];
	for (const r of firsts) {
		const m = byVid.get(r.vid);
		const op = OPERATIONS.find((o) => o.key === m.op);
		const res = r.result || {};
		const cls = observe(res);
		observed.push(cls);
		const problems = [];
		if (res.provider !== op.slug || res.operation !== op.op) problems.push(`result of ${res.provider}/${res.operation}`);
		if (res.ok !== OK_STATUSES.has(res.status)) problems.push(`ok ${res.ok} with status ${res.status}`);
		if (r.out !== (res.ok ? 0 : 1)) problems.push(`on output ${r.out} with ok ${res.ok}`);
		if (m.refused && cls !== 'refused') problems.push(`a spaced/hyphenated Aadhaar was not refused (${cls})`);
		if (!m.refused && cls === 'refused') problems.push(`refused: ${res.message}`);
		if (cls === 'none' && res.status !== op.success) problems.push(`status ${res.status}, expected ${op.success}`);
		if (OBSERVED_STATUS[cls] && res.status !== OBSERVED_STATUS[cls]) problems.push(`${cls} as ${res.status}`);
		if (cls.startsWith('unexpected')) problems.push(`${cls}: ${String(res.message).slice(0, 160)}`);
		if (cls === 'rate_limit' && res.retryAfterSeconds !== 7) problems.push(`retryAfterSeconds ${res.retryAfterSeconds}`);
		if (problems.length) wrong.push(`${r.vid} ${m.op}: ${problems.join('; ')}`);
	}
	report.check(
		'every output is the right operation, on the output its status says, with the status its fault calls for',
		wrong.length === 0 || `${wrong.length} wrong, e.g.\n        ${wrong.slice(0, 8).join('\n        ')}`,
	);

	const statusCounts = countBy(firsts.map((r) => (r.result || {}).status));
	const observedCounts = countBy(observed);
	const fired = {};
	const firedByName = {};
	for (const e of plan) {
		const n = stats.byFault.get(e.id) || 0;
		firedByName[e.name] = n;
		fired[e.observed] = (fired[e.observed] || 0) + n;
	}
	const faultedTotal = stats.faultedAt.length;
	const refusedExpected = messages.filter((m) => m.refused).length;
	report.check(
		`one request per message that was not refused (${stats.requests} requests, ${messages.length - refusedExpected} expected)`,
		stats.requests === messages.length - refusedExpected,
	);
	const expectNone = stats.requests - (faultedTotal - (fired.none || 0));
	const kindRows = [];
	const mismatched = [];
	for (const cls of ['timeout', 'reset', 'status', 'html', 'malformed', 'rate_limit', 'redirect']) {
		const want = fired[cls] || 0;
		const got = observedCounts[cls] || 0;
		kindRows.push({ cls: cls === 'timeout' ? 'timeout+drip' : cls, want, got });
		if (want !== got) mismatched.push(`${cls}: ${got} results for ${want} faults`);
	}
	if ((observedCounts.none || 0) !== expectNone)
		mismatched.push(`normal answers: ${observedCounts.none || 0} for ${expectNone} requests without a failing fault`);
	if ((observedCounts.refused || 0) !== refusedExpected) mismatched.push(`refused: ${observedCounts.refused || 0} for ${refusedExpected}`);
	report.check('the results per fault kind add up to the faults the sandbox injected', mismatched.length === 0 || mismatched.join('; '));
	const everyKind = plan.filter((e) => !firedByName[e.name]).map((e) => e.name);
	report.check('every fault kind was injected', everyKind.length === 0 || `never drawn: ${everyKind.join(', ')}`);

	// 20% of the requests, spread through the run: every quarter of the requests has its share.
	const share = stats.requests ? faultedTotal / stats.requests : 0;
	const quarters = [0, 1, 2, 3].map((q) => {
		const lo = Math.floor((q * stats.requests) / 4);
		const hi = Math.floor(((q + 1) * stats.requests) / 4);
		return hi > lo ? stats.faultedAt.filter((x) => x >= lo && x < hi).length / (hi - lo) : 0;
	});
	// Bounds: four standard deviations of a 20% draw over that many requests (at least 3 and 8 points).
	const tolAll = Math.max(0.03, 4 * Math.sqrt(0.16 / Math.max(1, stats.requests)));
	const tolQuarter = Math.max(0.08, 4 * Math.sqrt(0.16 / Math.max(1, stats.requests / 4)));
	report.check(
		`faults: ${(share * 100).toFixed(1)}% of the requests, by quarter of the run ${quarters.map((q) => `${(q * 100).toFixed(1)}%`).join(' / ')} (20% ± ${(tolAll * 100).toFixed(1)}, each quarter ± ${(tolQuarter * 100).toFixed(1)})`,
		(Math.abs(share - 0.2) <= tolAll && quarters.every((q) => Math.abs(q - 0.2) <= tolQuarter)) || 'not about 20% throughout',
	);

	let slowest;
	if (maxMs !== undefined) {
		const timed = firsts.filter((r) => typeof r.ms === 'number').sort((a, b) => b.ms - a.ms);
		slowest = timed[0];
		const over = timed.filter((r) => r.ms > maxMs);
		const p99 = timed[Math.floor(timed.length / 100)];
		report.check(
			`every message answered within the node's timeout (+ slack): max ${slowest ? slowest.ms : '?'} ms, p99 ${p99 ? p99.ms : '?'} ms, bound ${maxMs} ms`,
			over.length === 0 ||
				`${over.length} slower, e.g. ${over
					.slice(0, 5)
					.map((r) => `${r.vid} ${r.ms} ms ${observe(r.result)}`)
					.join(', ')}`,
		);
	}
	return {
		out: records.length,
		statusCounts,
		observedCounts,
		fired,
		firedByName,
		kindRows,
		share,
		quarters,
		refusedExpected,
		faultedTotal,
		requests: stats.requests,
		lost: lost.length,
		duplicates: duplicates.length,
		unknown: unknown.length,
		wrong: wrong.length,
	};
}

/**
 * An HTTP server on 127.0.0.2 that records every request it gets (a redirect followed would land here with the
 * credential). Stops by itself after `lifetimeMs`.
 */
async function startCapture(lifetimeMs) {
	const requests = [];
	const server = http.createServer(async (req, res) => {
		const body = await readText(req);
		requests.push({ method: req.method, url: req.url, headers: req.headers, body });
		res.writeHead(200, { 'content-type': 'application/json' }).end('{"captured":true}');
	});
	server.keepAliveTimeout = 500;
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, CAPTURE_HOST, resolve);
	});
	const timer = setTimeout(() => server.close(), lifetimeMs);
	timer.unref();
	return {
		url: `http://${CAPTURE_HOST}:${server.address().port}`,
		requests,
		close: () =>
			new Promise((resolve) => {
				clearTimeout(timer);
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/** What must never appear: the sandbox accounts' secrets and every Aadhaar number used, in all three forms. */
function needles(secrets, aadhaars) {
	return [
		...secrets.map((value) => ({ what: 'secret', value })),
		...aadhaars.flatMap((a) => aadhaarForms(a).map(([form, value]) => ({ what: `Aadhaar (${form})`, value }))),
	];
}

/** Hits of any needle in a string or Buffer: [{ where, what, masked }]. */
function scan(where, content, list) {
	const hits = [];
	for (const n of list) {
		if (content.includes(Buffer.isBuffer(content) ? Buffer.from(n.value) : n.value))
			hits.push({ where, what: n.what, masked: `${n.value.slice(0, 3)}…(${n.value.length} chars)` });
	}
	return hits;
}

/** Every file under `dir`, except the folders named in `skip` (relative paths). */
function filesUnder(dir, skip = []) {
	const out = [];
	const walk = (d) => {
		for (const f of fs.readdirSync(d, { withFileTypes: true })) {
			const full = path.join(d, f.name);
			if (skip.includes(path.relative(dir, full))) continue;
			if (f.isDirectory()) walk(full);
			else if (f.isFile()) out.push(full);
		}
	};
	if (fs.existsSync(dir)) walk(dir);
	return out;
}

/** Samples a process's resident set size from /proc every `everyMs`. */
class RssSampler {
	constructor(pid, everyMs = 250) {
		this.pid = pid;
		this.samples = [];
		this.timer = setInterval(() => this.sample(), everyMs);
		this.timer.unref();
		this.sample();
	}

	sample() {
		try {
			const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${this.pid}/status`, 'utf8'));
			if (m) this.samples.push({ t: Date.now(), mb: Number(m[1]) / 1024 });
		} catch {
			this.stop(); // the process is gone
		}
	}

	stop() {
		clearInterval(this.timer);
	}

	/**
	 * The samples between `from` and `to` (ms), the first `warmup` fraction dropped; medians of the first and last
	 * quarter of the rest.
	 */
	figures(from, to, warmup = 0.2) {
		const all = this.samples.filter((s) => s.t >= from && s.t <= to).map((s) => s.mb);
		const rest = all.slice(Math.floor(all.length * warmup));
		const q = Math.max(1, Math.floor(rest.length / 4));
		const median = (xs) => {
			const s = [...xs].sort((a, b) => a - b);
			return s.length ? s[Math.floor(s.length / 2)] : NaN;
		};
		return {
			samples: rest.length,
			start: rest[0],
			first: median(rest.slice(0, q)),
			last: median(rest.slice(-q)),
			peak: Math.max(...rest),
			end: rest[rest.length - 1],
		};
	}
}

/**
 * What every volume run needs around it: the sandbox (holds capped at FAULT_MAX_HOLD_MS, its requests counted), the
 * capture host and a temporary folder. `body({ sandbox, stats, capture, dir, onClose })` runs with them; afterwards
 * everything is stopped (what `onClose` registered first, in reverse) and the folder removed, whatever happened.
 */
async function withFixtures({ report, label, prefix }, body) {
	const t0 = Date.now();
	const { startSandbox } = dist('sandbox');
	const sandbox = await startSandbox({ port: 0, maxLifetimeMs: 15 * 60 * 1000, config: { faultMaxHoldMs: FAULT_MAX_HOLD_MS } });
	const stats = instrument(sandbox);
	const capture = await startCapture(15 * 60 * 1000);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	const closers = [];
	try {
		await body({ sandbox, stats, capture, dir, onClose: (fn) => closers.push(fn) });
	} catch (e) {
		report.fail(`${label}: volume run`, e.stack || e.message);
	} finally {
		for (const fn of closers.reverse()) await fn();
		await capture.close();
		await sandbox.close();
		if (process.env.OTPFLOW_E2E_KEEP) process.stdout.write(`  kept: ${dir}\n`);
		else fs.rmSync(dir, { recursive: true, force: true });
	}
	const total = Date.now() - t0;
	report.time(`total for ${label}`, total);
	return total;
}

function mb(x) {
	return `${Number(x).toFixed(0)} MB`;
}

module.exports = {
	ROOT,
	OK_STATUSES,
	CAPTURE_HOST,
	NODE_TIMEOUT_S,
	FAULT_MAX_HOLD_MS,
	OPERATIONS,
	dist,
	aadhaarNumbers,
	aadhaarForms,
	buildMessages,
	faultPlan,
	instrument,
	addFaults,
	observe,
	analyse,
	countBy,
	fmtCounts,
	startCapture,
	needles,
	scan,
	filesUnder,
	RssSampler,
	withFixtures,
	mb,
};
