/** The shared counter store over HTTP (Redis' REST protocol), against the sandbox's stand-in at /_store. */
import { checkSend, DEFAULT_SEND_LIMITS, HttpCounterStore, refusedSendResult, type PostJson, type WindowCount } from '../../nodes/core';
import { SANDBOX_STORE_TOKEN, startSandbox, type Sandbox } from '../../sandbox';
import { call } from './helpers';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox();
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const post: PostJson = async (url, headers, body, timeoutMs) => {
	const reply = await call(url, { headers, body, timeoutMs });
	return { status: reply.status, text: reply.text };
};

describe('HTTP counter store', () => {
	it('counts one window per key across store clients, as a main and its workers would', async () => {
		const main = new HttpCounterStore(post, sb.storeUrl, SANDBOX_STORE_TOKEN);
		const worker = new HttpCounterStore(post, `${sb.storeUrl}/`, SANDBOX_STORE_TOKEN);
		const now = Date.now();
		const first = (await main.hit('k', 60000, now)) as WindowCount;
		const second = (await worker.hit('k', 60000, now)) as WindowCount;
		expect(first.count).toBe(1);
		expect(second.count).toBe(2);
		expect(second.resetAt - now).toBeGreaterThan(59000);
		expect(second.resetAt - now).toBeLessThanOrEqual(60000);
		expect(await main.peek('k')).toBe(2);
		expect(await worker.peek('unknown')).toBe(0);
	});

	it('starts the key afresh when its window has passed', async () => {
		const store = new HttpCounterStore(post, sb.storeUrl, SANDBOX_STORE_TOKEN);
		await store.hit('short', 30, Date.now());
		await new Promise((r) => setTimeout(r, 60));
		expect(await store.hit('short', 30, Date.now())).toMatchObject({ count: 1 });
	});

	it('refuses the 6th send for one number whichever process asks', async () => {
		const processes = [0, 1, 2].map(() => new HttpCounterStore(post, sb.storeUrl, SANDBOX_STORE_TOKEN));
		const allowed = [];
		for (let i = 0; i < 6; i++)
			allowed.push((await checkSend(processes[i % 3], DEFAULT_SEND_LIMITS, { provider: 'capillary', identifier: '919999999993' })).allowed);
		expect(allowed).toEqual([true, true, true, true, true, false]);
	});

	it('fails closed with a plain reason: wrong token, no answer, not the protocol', async () => {
		expect(await new HttpCounterStore(post, sb.storeUrl, 'wrong').hit('k', 1000, Date.now())).toEqual({
			storeFailure: 'The counter store refused the token (HTTP 401)',
		});
		expect(await new HttpCounterStore(post, 'http://127.0.0.1:9', SANDBOX_STORE_TOKEN, 500).peek('k')).toEqual({
			storeFailure: 'The counter store did not answer',
		});
		expect(await new HttpCounterStore(post, `${sb.url}/_sandbox/stats`, SANDBOX_STORE_TOKEN).hit('k', 1000, Date.now())).toEqual({
			storeFailure: 'The counter store answered HTTP 404',
		});
		const decision = await checkSend(new HttpCounterStore(post, sb.storeUrl, 'wrong'), DEFAULT_SEND_LIMITS, { provider: 'bos', identifier: '9876543210' });
		expect(decision).toEqual({ allowed: false, storeFailure: 'The counter store refused the token (HTTP 401)' });
		expect(refusedSendResult('bos', 'generateOtp', decision)).toMatchObject({
			ok: false,
			status: 'network_error',
			providerStatus: { code: 'send_guard_store' },
		});
	});

	it('is no provider route: the stats count none of its calls', async () => {
		await new HttpCounterStore(post, sb.storeUrl, SANDBOX_STORE_TOKEN).hit('k', 1000, Date.now());
		expect(sb.stats.snapshot()).toMatchObject({ requests: 0, byRoute: {} });
		expect(sb.store.commands).toBe(3);
	});

	it('answers only POST with the token, an array of commands, and the commands it knows', async () => {
		expect((await call(`${sb.storeUrl}/pipeline`, { method: 'GET' })).status).toBe(405);
		expect((await call(`${sb.storeUrl}/other`, { body: [] })).status).toBe(404);
		const auth = { authorization: `Bearer ${SANDBOX_STORE_TOKEN}` };
		expect((await call(`${sb.storeUrl}/pipeline`, { headers: auth, body: { not: 'an array' } })).status).toBe(400);
		const r = await call(`${sb.storeUrl}/pipeline`, { headers: auth, body: [['FLUSHALL'], [], ['SET', 'a', '1', 'PX', '-5']] });
		expect(r.json).toEqual([
			{ error: "ERR unknown command 'FLUSHALL'" },
			{ error: 'ERR a command is a non-empty array of strings' },
			{ error: 'ERR invalid expire time in set' },
		]);
	});
});
