/**
 * The send guard as an option of the nodes that send a code (Generate OTP, Send OTP): with an OTP Flow public pages
 * node chosen, the 6th send to one user in 10 minutes goes to Failure as rate_limited and reaches no provider; without
 * one, nothing is limited. Real Node-RED against the sandbox.
 */
import { SANDBOX_ACCOUNTS, type Sandbox } from '../../sandbox';
import { PUBLIC_PAGES_DEFAULTS, PUBLIC_PAGES_TYPE } from '../../node-red/journey';
import journeysNodes from '../../node-red/journeys';
import summitaiNodes from '../../node-red/summitai';
import { fixed, helper, loadNode, nodeRedRuntime, type NodeSetup } from './harness';

const USER = SANDBOX_ACCOUNTS.summitai.user;
let sandbox: Sandbox;
nodeRedRuntime((s) => (sandbox = s));
afterEach(() => helper.unload());

const setup = (props: Record<string, unknown>, pages: Record<string, unknown> = {}): NodeSetup => ({
	type: 'otpflow-summitai-generate-otp',
	props: { ...fixed({ DomainId: String(USER.DomainId), UserID: String(USER.UserID), LoginUID: String(USER.LoginUID), UserName: USER.UserName }), ...props },
	account: {
		type: 'otpflow-summitai-config',
		props: { baseUrl: sandbox.baseUrls.summitai, authType: 'APIKEY' },
		credentials: { apiKey: SANDBOX_ACCOUNTS.summitai.apiKey },
	},
	extra: { modules: [journeysNodes], nodes: [{ id: 'guard', type: PUBLIC_PAGES_TYPE, name: '', ...PUBLIC_PAGES_DEFAULTS, ...pages }] },
});

const providerCalls = () => Object.values(sandbox.stats.snapshot().byRoute).reduce((n, v) => n + v, 0);

describe('the send guard of a node that sends a code', () => {
	it('sends 5 codes to one user, then refuses the 6th as rate_limited without asking the provider', async () => {
		const node = await loadNode(summitaiNodes, setup({ sendGuard: 'guard' }));
		const statuses = [];
		for (let i = 0; i < 6; i++) statuses.push((await node.run({ payload: i })).success.length === 1 ? 'sent' : 'refused');
		expect(statuses).toEqual(['sent', 'sent', 'sent', 'sent', 'sent', 'refused']);
		const before = providerCalls();
		const refused = (await node.run({ payload: 'again' })).failure[0].payload;
		expect(refused).toMatchObject({ ok: false, status: 'rate_limited', operation: 'generateOtp', providerStatus: { code: 'send_guard_identifier' } });
		expect(refused.retryAfterSeconds).toBeGreaterThan(590);
		expect(providerCalls()).toBe(before);
	});

	it('counts per client from msg.req, and the per-account hour the user sets', async () => {
		const node = await loadNode(summitaiNodes, setup({ sendGuard: 'guard' }, { perIdentifierMax: 0, perClientMax: 2, perAccountPerHour: 4 }));
		const from = (ip: string) => ({ payload: 1, req: { socket: { remoteAddress: ip }, headers: { 'x-forwarded-for': '203.0.113.1' } } });
		const one = [await node.run(from('198.51.100.1')), await node.run(from('198.51.100.1')), await node.run(from('198.51.100.1'))];
		expect(one.map((o) => (o.success.length ? 'sent' : o.failure[0].payload.providerStatus.code))).toEqual(['sent', 'sent', 'send_guard_client']);
		// X-Forwarded-For is not trusted without a proxy count: another connecting address is another client. Refused sends
		// count too, so the account's 5th ask of the hour is refused.
		expect((await node.run(from('198.51.100.2'))).success).toHaveLength(1);
		expect((await node.run(from('198.51.100.3'))).failure[0].payload.providerStatus.code).toBe('send_guard_account');
	});

	it('limits nothing without a send guard chosen', async () => {
		const node = await loadNode(summitaiNodes, setup({}));
		for (let i = 0; i < 7; i++) expect((await node.run({ payload: i })).success).toHaveLength(1);
	});
});
