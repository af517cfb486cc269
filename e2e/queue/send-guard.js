'use strict';
/**
 * The send guard in queue mode: a Generate OTP node with the guard on behind a Webhook, its credential's counter store
 * the sandbox's stand-in of Redis over HTTP (/_store). Eight sends for one user, each placed on a chosen worker (both
 * slots held by gate runs, then only the chosen worker's freed), alternating: the first five are sent, the 6th and
 * every later one refused as rate_limited whichever worker runs it, and the provider receives five requests.
 */
const assert = require('node:assert/strict');
const crypto = require('node:crypto');

const GUARD_PATH = 'otpflow-queue-send-guard';
const CREDENTIAL = { id: 'summitai-shared-store', name: 'SummitAI sandbox (shared send guard store)' };
const SENDS = 8;

/** The credential (a copy of the SummitAI sandbox one, counting in the shared store) to import beside the templates'. */
function credential(credentials, storeUrl, storeToken) {
	const summit = credentials.find((c) => c.id === 'summitai-sandbox');
	assert.ok(summit, 'the SummitAI sandbox credential');
	return { ...summit, ...CREDENTIAL, data: { ...summit.data, sendGuardStore: 'upstashRest', sendGuardStoreUrl: storeUrl, sendGuardStoreToken: storeToken } };
}

function workflow(packageName) {
	const node = (name, type, typeVersion, parameters, x, extra = {}) => ({
		parameters,
		id: crypto.randomUUID(),
		name,
		type,
		typeVersion,
		position: [x, 300],
		...extra,
	});
	return {
		id: 'otpflowQueueGuard',
		name: 'OTP Flow queue e2e: guarded Generate OTP',
		nodes: [
			node(
				'Webhook',
				'n8n-nodes-base.webhook',
				2.1,
				{ httpMethod: 'POST', path: GUARD_PATH, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} },
				0,
				{
					webhookId: crypto.randomUUID(),
				},
			),
			node(
				'Generate OTP',
				`${packageName}.summitAi`,
				1,
				{
					operation: 'generateOtp',
					DomainId: '1',
					UserID: "={{ $json.body['UserID'] }}",
					LoginUID: "={{ $json.body['UserID'] }}",
					UserName: 'abcd',
					options: { sendGuard: true },
				},
				240,
				{ credentials: { summitAiApi: CREDENTIAL } },
			),
			// Both outputs end here, with the execution id beside the result: which worker ran it is read from the logs.
			node(
				'Answer',
				'n8n-nodes-base.set',
				3.4,
				{
					mode: 'manual',
					assignments: { assignments: [{ id: crypto.randomUUID(), name: 'executionId', value: '={{ $execution.id }}', type: 'string' }] },
					includeOtherFields: true,
					options: {},
				},
				480,
			),
		],
		connections: {
			Webhook: { main: [[{ node: 'Generate OTP', type: 'main', index: 0 }]] },
			'Generate OTP': { main: [[{ node: 'Answer', type: 'main', index: 0 }], [{ node: 'Answer', type: 'main', index: 0 }]] },
		},
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
		meta: {},
		tags: [],
	};
}

/**
 * Runs the case. ctx: { postWebhook(path, body), occupyBothWorkers(), gate, cluster, providerRequests() }.
 * Returns { sends: [{ n, worker, status, code }], sent }.
 */
async function run(ctx) {
	const before = ctx.providerRequests();
	const user = String(70000 + Math.floor(Math.random() * 20000));
	const sends = [];
	let previous;
	for (let n = 1; n <= SENDS; n++) {
		const held = await ctx.occupyBothWorkers();
		// Alternate: each send on the worker the previous one did not run on.
		const target = held.find((h) => h.worker !== previous) || held[0];
		ctx.gate.release(target.id);
		const r = await ctx.postWebhook(GUARD_PATH, { UserID: user });
		for (const h of held) if (h !== target) ctx.gate.release(h.id);
		assert.ok(r.json && r.json.executionId, `send ${n}: the answer names its execution: ${r.text.slice(0, 300)}`);
		const [job] = await ctx.cluster.waitForJobs(r.json.executionId, 1);
		sends.push({
			n,
			worker: job.worker,
			status: r.json.status,
			code: r.json.providerStatus && r.json.providerStatus.code,
			retryAfterSeconds: r.json.retryAfterSeconds,
		});
		previous = job.worker;
	}
	for (const s of sends.slice(0, 5)) assert.equal(s.status, 'otp_sent', `send ${s.n} (on ${s.worker}) is sent: ${JSON.stringify(s)}`);
	for (const s of sends.slice(5)) {
		assert.equal(s.status, 'rate_limited', `send ${s.n} (on ${s.worker}) is refused: ${JSON.stringify(s)}`);
		assert.equal(s.code, 'send_guard_identifier');
		assert.ok(s.retryAfterSeconds > 0);
	}
	const refusedOn = new Set(sends.slice(5).map((s) => s.worker));
	assert.equal(refusedOn.size, 2, `the refused sends ran on both workers: ${JSON.stringify(sends)}`);
	const sent = ctx.providerRequests() - before;
	assert.equal(sent, 5, `the provider received ${sent} Generate OTP requests`);
	return { sends, sent };
}

module.exports = { GUARD_PATH, CREDENTIAL, credential, workflow, run, SENDS };
