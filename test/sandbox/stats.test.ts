/** GET/DELETE /_sandbox/stats: provider requests in flight and their peak, as the throughput benchmark reads them. */
import http from 'node:http';
import { SANDBOX_ACCOUNTS, startSandbox, type Sandbox } from '../../sandbox';
import { call } from './helpers';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ config: { faultMaxHoldMs: 2000 } });
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const token = (i: number, agent?: http.Agent) =>
	call(`${sb.baseUrls.capillary}/auth/v1/token/generate`, {
		body: { identifierType: 'MOBILE', identifierValue: `9199${String(i).padStart(8, '0')}`, deviceId: 'd1', brand: SANDBOX_ACCOUNTS.capillary.brand },
		agent,
	});
const stats = async () => (await call(`${sb.url}/_sandbox/stats`, { method: 'GET' })).json;

async function until(check: () => Promise<boolean>, ms = 2000): Promise<void> {
	const end = Date.now() + ms;
	while (!(await check())) {
		if (Date.now() > end) throw new Error('condition not met in time');
		await new Promise((r) => setTimeout(r, 10));
	}
}

describe('request stats', () => {
	it('counts provider requests, not control calls, and nothing is in flight once answered', async () => {
		expect(await stats()).toMatchObject({ inFlight: 0, peakInFlight: 0, requests: 0 });
		await token(1);
		await token(2);
		await call(`${sb.url}/_sandbox/health`, { method: 'GET' });
		expect(await stats()).toMatchObject({ inFlight: 0, peakInFlight: 1, requests: 2 });
		expect(sb.stats.snapshot()).toMatchObject({ inFlight: 0, peakInFlight: 1, requests: 2 });
		// By route, so a test can prove a refused request reached no provider endpoint; control calls are not counted.
		expect((await stats()).byRoute).toEqual({ 'POST /capillary/auth/v1/token/generate': 2 });
	});

	it('a latency fault with many times holds every request: the peak is the number held at once', async () => {
		sb.faults.add({ provider: 'capillary', kind: 'latency', ms: 300, times: 1_000_000 });
		const agent = new http.Agent({ keepAlive: true });
		try {
			const started = Date.now();
			const answers = Promise.all([1, 2, 3, 4, 5].map((i) => token(i, agent)));
			await until(async () => (await stats()).inFlight === 5);
			expect(await stats()).toMatchObject({ inFlight: 5, peakInFlight: 5, requests: 5 });
			const replies = await answers;
			expect(replies.every((r) => r.json.status.success === true)).toBe(true);
			expect(Date.now() - started).toBeGreaterThanOrEqual(290);
			// Every later request is delayed too: the fault stays for the run.
			const again = Date.now();
			await token(6, agent);
			expect(Date.now() - again).toBeGreaterThanOrEqual(290);
			expect(await stats()).toMatchObject({ inFlight: 0, peakInFlight: 5, requests: 6 });
		} finally {
			agent.destroy();
		}
	});

	it('DELETE resets the count and starts the peak again from what is still in flight', async () => {
		sb.faults.add({ provider: 'capillary', kind: 'latency', ms: 300, times: 3 });
		const held = Promise.all([1, 2, 3].map((i) => token(i)));
		await until(async () => (await stats()).inFlight === 3);
		const r = await call(`${sb.url}/_sandbox/stats`, { method: 'DELETE' });
		expect(r.status).toBe(200);
		expect(r.json).toMatchObject({ inFlight: 3, peakInFlight: 3, requests: 0 });
		await held;
		await token(4);
		expect(await stats()).toMatchObject({ inFlight: 0, peakInFlight: 3, requests: 1 });
		await call(`${sb.url}/_sandbox/stats`, { method: 'DELETE' });
		expect(await stats()).toEqual({ inFlight: 0, peakInFlight: 0, requests: 0, byRoute: {} });
	});

	it('a request that ends without an answer (reset fault, unknown path) is no longer in flight', async () => {
		sb.faults.add({ provider: 'capillary', kind: 'reset' });
		await expect(token(1)).rejects.toMatchObject({ code: 'ECONNRESET' });
		await call(`${sb.baseUrls.capillary}/auth/v1/nothing-here`, { body: {} });
		await until(async () => (await stats()).inFlight === 0);
		expect(await stats()).toMatchObject({ inFlight: 0, peakInFlight: 1, requests: 2 });
	});

	it('POST /_sandbox/reset clears the stats; other methods are refused', async () => {
		await token(1);
		await call(`${sb.url}/_sandbox/reset`, { method: 'POST' });
		expect(await stats()).toMatchObject({ inFlight: 0, peakInFlight: 0, requests: 0 });
		const r = await call(`${sb.url}/_sandbox/stats`, { method: 'POST', body: {} });
		expect(r.status).toBe(405);
		expect(r.headers.allow).toBe('GET, DELETE');
	});
});
