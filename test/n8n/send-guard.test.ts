/**
 * The send guard as an option of a code-sending node, run by the real n8n engine against the sandbox: per number, per
 * client (the Client Address parameter, an expression), per account (the credential's ceiling); the counter store of
 * the credential, this process's or Redis over HTTP (the sandbox's /_store, through n8n's request helper, which takes
 * only the store's token). A refused send is rate_limited on Failure with retryAfterSeconds, and reaches no provider.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { SANDBOX_ACCOUNTS, SANDBOX_STORE_TOKEN } from '../../sandbox';
import { otp, out, sandboxCredentials, sandboxSuite } from './otpflow';

const SUMMIT = SANDBOX_ACCOUNTS.summitai;
const suite = sandboxSuite([SUMMIT.apiKey, SUMMIT.password, SANDBOX_STORE_TOKEN]);
const { run } = suite;

/** Provider requests that reached the sandbox's SummitAI routes. */
const sentToSummit = () =>
	Object.entries(suite.sandbox.stats.snapshot().byRoute).reduce((n, [route, count]) => (route.includes('/summitai') ? n + count : n), 0);

let next = 1000;
/** A SummitAI user no other test has used (the process store outlives a test). */
const user = () => String(++next);

const generate = (options: IDataObject, parameters: IDataObject = {}) =>
	otp('Generate OTP', 'summitAi', 'generateOtp', {
		DomainId: '1',
		UserID: '={{ $json.user }}',
		LoginUID: '={{ $json.user }}',
		UserName: 'abcd',
		options: { sendGuard: true, ...options },
		...parameters,
	});

function credentials(extra: ICredentialDataDecryptedObject = {}): Record<string, ICredentialDataDecryptedObject> {
	const all = sandboxCredentials(suite.sandbox);
	return { ...all, summitAiApi: { ...all.summitAiApi, ...extra } };
}
const shared = (extra: ICredentialDataDecryptedObject = {}) =>
	credentials({ sendGuardStore: 'upstashRest', sendGuardStoreUrl: suite.sandbox.storeUrl, sendGuardStoreToken: SANDBOX_STORE_TOKEN, ...extra });

describe('the send guard on Generate OTP (n8n engine)', () => {
	it('lets 5 codes go to one user in 10 minutes and refuses the rest as rate_limited, nothing sent', async () => {
		const u = user();
		const r = await run(
			[generate({})],
			Array.from({ length: 8 }, () => ({ user: u })),
		);
		const refused = out(r, 'Generate OTP', 1);
		expect(out(r, 'Generate OTP', 0)).toHaveLength(5);
		expect(refused).toHaveLength(3);
		for (const item of refused) {
			expect(item).toMatchObject({ ok: false, status: 'rate_limited', retryable: true, providerStatus: { code: 'send_guard_identifier' } });
			expect(item.retryAfterSeconds).toBeGreaterThan(590);
		}
		expect(sentToSummit()).toBe(5);
	});

	it('without the option nothing is counted (a bulk run from a sheet)', async () => {
		const u = user();
		const r = await run(
			[generate({ sendGuard: false })],
			Array.from({ length: 7 }, () => ({ user: u })),
		);
		expect(out(r, 'Generate OTP', 0)).toHaveLength(7);
	});

	it('refuses the 11th code one client asks for in a minute, whatever the user (Client Address from the trigger)', async () => {
		const items = Array.from({ length: 13 }, () => ({ user: user(), ip: '203.0.113.77' }));
		const r = await run([generate({ sendGuardClient: '={{ $json.ip }}' })], items);
		expect(sentToSummit()).toBe(10);
		expect(out(r, 'Generate OTP', 1)).toEqual(
			Array(3).fill(expect.objectContaining({ status: 'rate_limited', providerStatus: { code: 'send_guard_client' } })),
		);
	});

	it('counts in the shared store of the credential: a second run (another worker) sees the first run’s sends', async () => {
		const u = user();
		const first = await run(
			[generate({})],
			Array.from({ length: 3 }, () => ({ user: u })),
			shared(),
		);
		const second = await run(
			[generate({})],
			Array.from({ length: 3 }, () => ({ user: u })),
			shared(),
		);
		expect(out(first, 'Generate OTP', 0)).toHaveLength(3);
		expect(out(second, 'Generate OTP', 0)).toHaveLength(2);
		expect(out(second, 'Generate OTP', 1)).toEqual([expect.objectContaining({ status: 'rate_limited' })]);
		expect(suite.sandbox.store.commands).toBeGreaterThan(0);
		expect(sentToSummit()).toBe(5);
	});

	it("the account's ceiling per hour, from the credential", async () => {
		const r = await run(
			[generate({})],
			Array.from({ length: 4 }, () => ({ user: user() })),
			shared({ sendGuardAccountPerHour: 2 }),
		);
		expect(out(r, 'Generate OTP', 0)).toHaveLength(2);
		expect(out(r, 'Generate OTP', 1)).toEqual(Array(2).fill(expect.objectContaining({ providerStatus: { code: 'send_guard_account' } })));
	});

	it('a store that cannot be asked refuses every send (fail closed), naming the store', async () => {
		for (const extra of <ICredentialDataDecryptedObject[]>[
			{ sendGuardStoreToken: 'wrong-token' },
			{ sendGuardStoreUrl: 'http://127.0.0.1:9/_store' },
			{ sendGuardStoreUrl: '' },
		]) {
			const r = await run([generate({})], [{ user: user() }], shared(extra));
			expect(out(r, 'Generate OTP', 1)).toEqual([
				expect.objectContaining({ status: 'network_error', message: expect.stringMatching(/counter store/), providerStatus: { code: 'send_guard_store' } }),
			]);
		}
		expect(sentToSummit()).toBe(0);
	});
});

describe('the store request carries only the store token; the provider never gets it', () => {
	const seen: Array<{ url: string; headers: http.IncomingHttpHeaders; body: string }> = [];
	let store: http.Server;
	let url = '';
	beforeAll(async () => {
		// A store that records what it is sent and answers as Redis' REST front would (one hit: SET, INCR = 1, PTTL).
		store = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				seen.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
				res.writeHead(200, { 'Content-Type': 'application/json' });
				res.end(req.url === '/multi-exec' ? JSON.stringify([{ result: 'OK' }, { result: 1 }, { result: 600000 }]) : '{}');
			});
		});
		await new Promise<void>((resolve) => store.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(store.address() as AddressInfo).port}`;
	});
	afterAll(() => new Promise((resolve) => store.close(resolve)));

	it('sends the store its token and the hashed keys, nothing of the account or the user', async () => {
		const token = 'store-token-never-to-the-provider';
		const u = user();
		const r = await run(
			[generate({ sendGuardClient: '198.51.100.9' })],
			[{ user: u }],
			credentials({ sendGuardStore: 'upstashRest', sendGuardStoreUrl: url, sendGuardStoreToken: token }),
		);
		expect(out(r, 'Generate OTP', 0)).toHaveLength(1);
		expect(seen.length).toBeGreaterThan(0);
		for (const request of seen) {
			expect(request.url).toBe('/multi-exec');
			expect(request.headers.authorization).toBe(`Bearer ${token}`);
			const text = JSON.stringify(request);
			for (const secret of [SUMMIT.apiKey, SUMMIT.password, SUMMIT.userName, '198.51.100.9']) expect(text).not.toContain(secret);
			expect(request.body).not.toMatch(new RegExp(`"[^"]*\\b${u}\\b`));
		}
	});
});
