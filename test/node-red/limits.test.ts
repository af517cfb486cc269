/**
 * An account's bound on the provider, in a real Node-RED runtime: a burst of messages never puts more than
 * "Max concurrent" requests in flight, they start in arrival order, none is dropped, the node shows how many
 * wait, and a stopped node ends its waiting messages with an error that Catch receives.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SANDBOX_ACCOUNTS } from '../../sandbox';
import iserveuNodes from '../../node-red/iserveu';
import { Limiter, LimiterClosed } from '../../node-red/limiter';
import { helper, loadNode, type Msg } from './harness';

describe('Limiter', () => {
	it('grants at most maxConcurrent at once, in arrival order, and the next as soon as one is released', async () => {
		const limiter = new Limiter(2);
		const order: number[] = [];
		const releases: Array<() => void> = [];
		const all = [0, 1, 2, 3, 4].map((i) =>
			limiter.acquire({}).then((release) => {
				order.push(i);
				releases.push(release);
			}),
		);
		await new Promise((r) => setImmediate(r));
		expect({ order, waiting: limiter.waiting, inFlight: limiter.inFlight }).toEqual({ order: [0, 1], waiting: 3, inFlight: 2 });
		releases[0]();
		releases[0](); // a second release of the same slot changes nothing
		await new Promise((r) => setImmediate(r));
		expect(order).toEqual([0, 1, 2]);
		releases.slice(1).forEach((r) => r());
		await new Promise((r) => setImmediate(r));
		releases.slice(3).forEach((r) => r());
		await Promise.all(all);
		expect(order).toEqual([0, 1, 2, 3, 4]);
	});

	it('starts at most perSecond in any second', async () => {
		let now = 0;
		const limiter = new Limiter(100, 3, () => now);
		const granted: number[] = [];
		for (let i = 0; i < 5; i++) void limiter.acquire({}).then((release) => (granted.push(i), release()));
		await new Promise((r) => setImmediate(r));
		expect(granted).toEqual([0, 1, 2]);
		now = 1000;
		await new Promise((r) => setTimeout(r, 1100)); // the limiter's own wake-up
		expect(granted).toEqual([0, 1, 2, 3, 4]);
	});

	it('cancel refuses one owner’s waiting messages; close refuses all, now and later', async () => {
		const limiter = new Limiter(1);
		const a = {};
		const b = {};
		await limiter.acquire(a);
		const waitingA = limiter.acquire(a);
		const waitingB = limiter.acquire(b);
		limiter.cancel(a, new LimiterClosed('a stopped'));
		await expect(waitingA).rejects.toThrow('a stopped');
		limiter.close(new LimiterClosed('closed'));
		await expect(waitingB).rejects.toThrow('closed');
		await expect(limiter.acquire(b)).rejects.toThrow('closed');
	});
});

describe('a burst through one account in Node-RED', () => {
	const stats = { inFlight: 0, peak: 0, order: [] as string[] };
	let provider: http.Server;
	let url = '';
	beforeAll(async () => {
		provider = http.createServer((req, res) => {
			let body = '';
			req.on('data', (c) => (body += c));
			req.on('end', () => {
				stats.inFlight++;
				stats.peak = Math.max(stats.peak, stats.inFlight);
				stats.order.push(String(JSON.parse(body).mobileNumber));
				setTimeout(() => {
					stats.inFlight--;
					res.writeHead(200, { 'Content-Type': 'application/json' });
					res.end('{"status":"SUCCESS","statusCode":"0","statusDesc":"not onboarded"}');
				}, 40);
			});
		});
		await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
		url = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
		await helper.startServer();
	});
	afterAll(async () => {
		await helper.stopServer();
		provider.closeAllConnections();
		await new Promise((r) => provider.close(r));
	});
	afterEach(async () => {
		await helper.unload();
		Object.assign(stats, { inFlight: 0, peak: 0, order: [] });
	});

	const load = (maxConcurrent: number | undefined) =>
		loadNode(iserveuNodes, {
			type: 'otpflow-iserveu-get-customer',
			props: { mobileNumber: 'mobile', mobileNumberType: 'msg', username: SANDBOX_ACCOUNTS.iserveu.username, usernameType: 'str' },
			account: {
				type: 'otpflow-iserveu-config',
				props: { baseUrl: url, clientId: 'cid', ...(maxConcurrent === undefined ? {} : { maxConcurrent }) },
				credentials: { clientSecret: 'secret-value' },
			},
		});
	const burst = (n: number): Msg[] => Array.from({ length: n }, (_, i) => ({ _msgid: `m${i}`, mobile: `98765${String(43000 + i).padStart(5, '0')}` }));

	it.each([
		[3, 3],
		[undefined, 10],
	])('Max concurrent %s: %i in flight at most, requests in arrival order, every message out once', async (setting, bound) => {
		const node = await load(setting);
		const msgs = burst(40);
		const out = await node.runAll(msgs);
		expect(stats.peak).toBe(bound);
		expect(stats.order).toEqual(msgs.map((m) => m.mobile));
		expect(out.success.map((m) => m._msgid).sort()).toEqual(msgs.map((m) => m._msgid).sort());
		expect(out.caught).toHaveLength(0);
	});

	it('shows how many messages wait', async () => {
		const node = await load(2);
		await node.runAll(burst(6));
		const statuses = (helper.getNode('op') as unknown as { status: { args: Array<[{ text: string }]> } }).status.args.map(([s]) => s.text);
		expect(statuses).toEqual(expect.arrayContaining(['waiting: 1 queued', 'waiting: 4 queued']));
	});

	it('a node stopped while messages wait ends each of them with an error Catch receives; none is sent', async () => {
		await load(1);
		const op = helper.getNode('op');
		const caught: Msg[] = [];
		helper.getNode('caught').on('input', (m: Msg) => caught.push(m));
		for (const m of burst(5)) op.receive(m);
		await new Promise((r) => setTimeout(r, 10));
		await (op as unknown as { close(removed: boolean): Promise<void> }).close(false);
		await new Promise((r) => setTimeout(r, 200));
		expect(caught.map((m) => m.error.message)).toEqual(Array(4).fill(expect.stringContaining('was redeployed or stopped before this message was sent')));
		expect(stats.order).toHaveLength(1);
	});
});
