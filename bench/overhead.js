#!/usr/bin/env node
/**
 * What the nodes add on top of the HTTP call itself: validation, request building, interpretation,
 * redaction. Baseline and candidate run in the same process against the same local sandbox, interleaved
 * in rounds, and only their ratio is reported (machines are shared and noisy: never a fixed time).
 *
 *   npm run bench            (after npm run build)
 */
const axios = require('axios');
const http = require('node:http');
const { startSandbox, SANDBOX_ACCOUNTS } = require('../dist/sandbox');
const { runOperation, findOperation } = require('../dist/nodes/core');
const { iserveu, capillary } = require('../dist/nodes/providers');
const { AxiosTransport } = require('../dist/node-red/transport');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const CALLS = Number(process.env.BENCH_CALLS ?? 300);

async function timed(fn) {
	const start = process.hrtime.bigint();
	for (let i = 0; i < CALLS; i++) await fn(i);
	return Number(process.hrtime.bigint() - start) / 1e6 / CALLS;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function compare(name, baseline, candidate) {
	await timed(baseline); // warm both paths (JIT, keep-alive sockets)
	await timed(candidate);
	const ratios = [];
	const base = [];
	for (let r = 0; r < ROUNDS; r++) {
		const b = await timed(baseline);
		const c = await timed(candidate);
		base.push(b);
		ratios.push(c / b);
	}
	console.log(`${name.padEnd(44)} baseline ${median(base).toFixed(3)} ms/call   node/baseline ${median(ratios).toFixed(2)}x (min ${Math.min(...ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)})`);
	return median(ratios);
}

async function main() {
	const sandbox = await startSandbox({ port: 0, config: { capillaryOtpMaxCount: null } });
	const agent = new http.Agent({ keepAlive: true });
	const client = axios.create({ httpAgent: agent, validateStatus: () => true, responseType: 'text', transformResponse: [(d) => d] });
	try {
		const account = SANDBOX_ACCOUNTS.iserveu;
		const iserveuCreds = { baseUrl: sandbox.baseUrls.iserveu, clientId: account.clientId, clientSecret: account.clientSecret };
		const iserveuTransport = new AxiosTransport((req) => iserveu.credential.authenticate(iserveuCreds, req));
		const getCustomer = findOperation(iserveu, 'getCustomer');
		const body = { mobileNumber: '9876543210', username: 'benchuser' };
		await compare(
			'iServeU Get Customer (one call)',
			() => client.post(`${sandbox.baseUrls.iserveu}/common/dmt-lite/unified/customer/get-customer`, body, {
				headers: { 'Content-Type': 'application/json', client_id: account.clientId, client_secret: account.clientSecret },
			}),
			() => runOperation(iserveu, getCustomer, body, iserveuCreds, iserveuTransport),
		);

		const capCreds = { baseUrl: sandbox.baseUrls.capillary, brand: SANDBOX_ACCOUNTS.capillary.brand };
		const capTransport = new AxiosTransport((req) => capillary.credential.authenticate(capCreds, req));
		const token = findOperation(capillary, 'generateToken');
		const identity = (i) => ({ identifierType: 'MOBILE', identifierValue: `9199${String(i).padStart(8, '0')}`, deviceId: 'bench-device' });
		await compare(
			'Capillary Generate Token (one call)',
			(i) => client.post(`${sandbox.baseUrls.capillary}/auth/v1/token/generate`, { ...identity(i), brand: capCreds.brand }),
			(i) => runOperation(capillary, token, { flavour: 'mobile', ...identity(i) }, capCreds, capTransport),
		);
		iserveuTransport.destroy();
		capTransport.destroy();
	} finally {
		agent.destroy();
		await sandbox.close();
	}
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
