/**
 * Many items through one node: requests overlap up to Max Concurrent Requests (never more), batches pause,
 * the outputs keep the input order and pairing whatever order the answers come back in, one item's failure
 * leaves the others alone, and the credential is decrypted once per execution, not once or twice per item.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject } from 'n8n-workflow';
import { SANDBOX_ACCOUNTS } from '../../sandbox';
import { HarnessCredentialsHelper } from './harness';
import { otp, out, paired, sandboxCredentials, sandboxSuite } from './otpflow';

const suite = sandboxSuite([SANDBOX_ACCOUNTS.iserveu.clientSecret]);
const USERNAME = SANDBOX_ACCOUNTS.iserveu.username;

/**
 * A stand-in iServeU that answers get-customer after `delayMs(mobile)` and counts the requests in flight. Its
 * answer names the mobile number, so each output can be matched to its input.
 */
function slowProvider(delayMs: (mobile: string) => number) {
	const stats = { inFlight: 0, peak: 0, started: [] as number[] };
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			stats.inFlight++;
			stats.peak = Math.max(stats.peak, stats.inFlight);
			stats.started.push(Date.now());
			const mobile = String(JSON.parse(body || '{}').mobileNumber ?? '');
			setTimeout(() => {
				stats.inFlight--;
				res.writeHead(200, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify({ status: 'SUCCESS', statusCode: mobile.endsWith('3') ? '4' : '0', statusDesc: `customer ${mobile}` }));
			}, delayMs(mobile));
		});
	});
	const api = { stats, url: '', close: () => new Promise((r) => server.close(r)) };
	beforeAll(async () => {
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	beforeEach(() => {
		Object.assign(stats, { inFlight: 0, peak: 0, started: [] });
	});
	afterAll(() => api.close());
	return api;
}

const mobiles = (n: number) => Array.from({ length: n }, (_, i) => ({ mobile: `98765${String(43000 + i).padStart(5, '0')}` }));
const lookup = (options: Record<string, number> = {}) =>
	otp('Get Customer', 'iServeU', 'getCustomer', { mobileNumber: '={{ $json.mobile }}', username: USERNAME, options });

describe('many items in one execution', () => {
	// Later items answer first: the answers come back in reverse order.
	const provider = slowProvider((mobile) => 200 - (Number(mobile.slice(-2)) % 20) * 8);
	const run = (items: IDataObject[], options?: Record<string, number>) => {
		const credentials = sandboxCredentials(suite.sandbox);
		credentials.iServeUDmtApi = { ...credentials.iServeUDmtApi, baseUrl: provider.url };
		return suite.run([lookup(options)], items, credentials);
	};

	it('overlaps requests up to 10 by default, keeping the input order and pairing on both outputs', async () => {
		const items = mobiles(30);
		const r = await run(items);
		expect(provider.stats.peak).toBe(10);
		const ok = out(r, 'Get Customer', 0);
		const failed = out(r, 'Get Customer', 1);
		expect(ok.length + failed.length).toBe(30);
		// Mobile numbers ending in 3 answer statusCode 4 (provider_error): Failure, in input order too.
		const expectedFailed = items.map((it, i) => [it.mobile, i] as const).filter(([m]) => m.endsWith('3'));
		expect(failed.map((j) => (j.reference as IDataObject).customerMobileNumber)).toEqual(expectedFailed.map(([m]) => m));
		expect(paired(r, 'Get Customer', 1)).toEqual(expectedFailed.map(([, i]) => ({ item: i })));
		const expectedOk = items.map((it, i) => [it.mobile, i] as const).filter(([m]) => !m.endsWith('3'));
		expect(ok.map((j) => (j.reference as IDataObject).customerMobileNumber)).toEqual(expectedOk.map(([m]) => m));
		expect(paired(r, 'Get Customer', 0)).toEqual(expectedOk.map(([, i]) => ({ item: i })));
		expect(ok.map((j) => j.message)).toEqual(expectedOk.map(([m]) => `customer ${m}`));
	});

	it.each([1, 4, 25])('never has more than Max Concurrent Requests (%i) in flight', async (maxConcurrent) => {
		const r = await run(mobiles(25), { maxConcurrent });
		expect(provider.stats.peak).toBe(maxConcurrent);
		expect(out(r, 'Get Customer', 0).length + out(r, 'Get Customer', 1).length).toBe(25);
	});

	it('pauses Batch Interval between batches of Items per Batch', async () => {
		const r = await run(mobiles(9), { batchSize: 3, batchIntervalMs: 300 });
		expect(out(r, 'Get Customer', 0).length + out(r, 'Get Customer', 1).length).toBe(9);
		const starts = provider.stats.started;
		// Each batch starts together; the next one only after the previous finished plus the pause.
		expect(starts[3] - starts[2]).toBeGreaterThanOrEqual(300);
		expect(starts[6] - starts[5]).toBeGreaterThanOrEqual(300);
		expect(provider.stats.peak).toBe(3);
	});

	it('reads and decrypts the credential once per execution', async () => {
		HarnessCredentialsHelper.decrypts.iServeUDmtApi = 0;
		await run(mobiles(20));
		expect(HarnessCredentialsHelper.decrypts.iServeUDmtApi).toBe(1);
	});
});
