/** Capillary Auth Engine nodes in a real Node-RED runtime against the sandbox. */
import type { Sandbox } from '../../sandbox';
import capillaryNodes from '../../node-red/capillary';
import { providerModule } from '../../node-red/register';
import { capillary } from '../../nodes/providers/capillary';
import { fixed as fixedValues, helper, loadNode, nodeRedRuntime, only, type NodeSetup } from './harness';

const MOBILE = '919999999993';
const DEVICE = 'device-42';
let sandbox: Sandbox;
nodeRedRuntime((s) => (sandbox = s));
afterEach(() => helper.unload());

function account(props: Record<string, unknown> = {}): NodeSetup['account'] {
	return { type: 'otpflow-capillary-config', props: { baseUrl: `${sandbox.url}/capillary`, brand: 'DemoBrand', ...props } };
}

const fixed = (values: Record<string, string>) => fixedValues(values, ['flavour', 'identifierType']);

const identity = { flavour: 'mobile', identifierType: 'MOBILE', identifierValue: MOBILE, deviceId: DEVICE };

async function openSession(): Promise<Record<string, unknown>> {
	const token = await loadNode(capillaryNodes, { type: 'otpflow-capillary-generate-token', props: fixed(identity), account: account() });
	const result = only(await token.run({ payload: 'start' }), 'success').payload;
	await helper.unload();
	return result;
}

describe('Capillary generate token node', () => {
	it('opens a session and sends the result on the success output with a green status', async () => {
		const node = await loadNode(capillaryNodes, { type: 'otpflow-capillary-generate-token', props: fixed(identity), account: account() });
		const msg = only(await node.run({ payload: 'start', topic: 'login', _custom: { keep: 1 } }), 'success');
		expect(msg.payload).toMatchObject({
			ok: true,
			status: 'completed',
			provider: 'capillary',
			operation: 'generateToken',
			next: 'generateOtp',
			reference: { flavour: 'mobile', identifierType: 'MOBILE', identifierValue: MOBILE, deviceId: DEVICE },
			providerStatus: { httpStatus: 200 },
		});
		expect(typeof msg.payload.reference.sessionId).toBe('string');
		expect(msg.topic).toBe('login');
		expect(msg._custom).toEqual({ keep: 1 });
		const statuses = (helper.getNode('op') as unknown as { status: { args: unknown[][] } }).status.args.map((a) => a[0]);
		expect(statuses).toEqual(
			expect.arrayContaining([
				{ fill: 'blue', shape: 'ring', text: 'requesting…' },
				{ fill: 'green', shape: 'dot', text: 'completed' },
			]),
		);
	});

	it('reads fields from msg, flow context and JSONata', async () => {
		const node = await loadNode(capillaryNodes, {
			type: 'otpflow-capillary-generate-token',
			props: {
				flavour: 'web',
				flavourType: 'option',
				identifierType: '"EMAIL"',
				identifierTypeType: 'jsonata',
				identifierValue: 'user.email',
				identifierValueType: 'msg',
				deviceId: '',
				deviceIdType: 'str',
			},
			account: account(),
		});
		const msg = only(await node.run({ user: { email: 'asha@example.com' } }), 'success');
		expect(msg.payload.reference).toMatchObject({ flavour: 'web', identifierType: 'EMAIL', identifierValue: 'asha@example.com' });
		expect(msg.payload.reference.deviceId).toBeUndefined();
	});

	it('attaches the masked raw body only when asked', async () => {
		const node = await loadNode(capillaryNodes, {
			type: 'otpflow-capillary-generate-token',
			props: { ...fixed(identity), includeRaw: true },
			account: account(),
		});
		const msg = only(await node.run({}), 'success');
		expect(msg.payload.raw).toMatchObject({ status: { success: true } });
	});
});

describe('Capillary generate OTP → validate OTP chain', () => {
	it('sends an OTP and validates the code read from the inbox with the chained fields left at their defaults', async () => {
		const session = await openSession();

		// Generate OTP: every field at its editor default (read from msg.payload.reference).
		const generate = await loadNode(capillaryNodes, { type: 'otpflow-capillary-generate-otp', props: {}, account: account() });
		const sent = only(await generate.run({ payload: session, topic: 'chain' }), 'success');
		expect(sent.payload).toMatchObject({ ok: true, status: 'otp_sent', next: 'validateOtp' });
		expect(sent.payload.reference.sessionId).toBe((session.reference as Record<string, unknown>).sessionId);
		expect(typeof sent.payload.expiresAt).toBe('string');
		await helper.unload();

		const code = sandbox.inbox.latest('capillary', MOBILE)?.otp;
		expect(code).toMatch(/^\d{6}$/);

		const validate = await loadNode(capillaryNodes, { type: 'otpflow-capillary-validate-otp', props: { otp: 'code', otpType: 'msg' }, account: account() });
		const verified = only(await validate.run({ ...sent, code }), 'success');
		expect(verified.payload).toMatchObject({ ok: true, status: 'verified', operation: 'validateOtp' });
		expect(verified.topic).toBe('chain');
	});

	it('sends a wrong code to the failure output as invalid_otp with a red status', async () => {
		const session = await openSession();
		const generate = await loadNode(capillaryNodes, { type: 'otpflow-capillary-generate-otp', account: account() });
		const sent = only(await generate.run({ payload: session }), 'success');
		await helper.unload();
		const right = sandbox.inbox.latest('capillary', MOBILE)?.otp ?? '';
		const wrong = right === '111111' ? '222222' : '111111';

		const validate = await loadNode(capillaryNodes, { type: 'otpflow-capillary-validate-otp', props: fixed({ otp: wrong }), account: account() });
		const failed = only(await validate.run(sent), 'failure');
		expect(failed.payload).toMatchObject({ ok: false, status: 'invalid_otp', retryable: true, providerStatus: { code: '1506' } });
		const statuses = (helper.getNode('op') as unknown as { status: { args: unknown[][] } }).status.args.map((a) => a[0]);
		expect(statuses[statuses.length - 1]).toEqual({ fill: 'red', shape: 'ring', text: 'invalid_otp' });
	});
});

describe('Capillary input validation', () => {
	/** A fault queued for every Capillary request: still queued afterwards means no request was made. */
	function tripwire() {
		sandbox.faults.add({ provider: 'capillary', kind: 'status', status: 500, times: 1 });
		return () => sandbox.faults.list().filter((f) => f.provider === 'capillary').length === 1;
	}

	it('rejects an email given as a MOBILE identifier without sending anything', async () => {
		const untouched = tripwire();
		const node = await loadNode(capillaryNodes, {
			type: 'otpflow-capillary-generate-token',
			props: fixed({ ...identity, identifierValue: 'asha@example.com' }),
			account: account(),
		});
		const msg = only(await node.run({ topic: 'bad' }), 'failure');
		expect(msg.payload).toMatchObject({ ok: false, status: 'invalid_request', retryable: false, providerStatus: {} });
		expect(msg.payload.errors).toEqual([
			{ field: 'identifierValue', message: expect.stringContaining('Identifier Value (identifierValue) must match its identifier type') },
		]);
		expect(msg.payload.message).toMatch(/^Nothing was sent\./);
		expect(msg.topic).toBe('bad');
		expect(untouched()).toBe(true);
		expect(sandbox.inbox.size).toBe(0);
	});

	it('requires the device ID in the mobile flavour and sends nothing', async () => {
		const untouched = tripwire();
		const node = await loadNode(capillaryNodes, { type: 'otpflow-capillary-generate-token', props: fixed({ ...identity, deviceId: '' }), account: account() });
		const msg = only(await node.run({}), 'failure');
		expect(msg.payload.status).toBe('invalid_request');
		expect(msg.payload.errors).toEqual([{ field: 'deviceId', message: 'Device ID (deviceId) is required' }]);
		expect(untouched()).toBe(true);
	});

	it('reports a missing session ID (nothing chained in) as invalid_request', async () => {
		const untouched = tripwire();
		const node = await loadNode(capillaryNodes, { type: 'otpflow-capillary-generate-otp', account: account() });
		const msg = only(await node.run({ payload: { reference: { ...identity } } }), 'failure');
		expect(msg.payload.errors).toEqual([{ field: 'sessionId', message: 'Session ID (sessionId) is required' }]);
		expect(untouched()).toBe(true);
	});

	it('finishes each of several messages with exactly one output', async () => {
		const node = await loadNode(capillaryNodes, { type: 'otpflow-capillary-generate-token', props: fixed(identity), account: account() });
		const good = await node.run({ _msgid: 'a' });
		const bad = await node.run({ _msgid: 'b' }); // same identity again: still a valid new session
		expect([good.success.length, good.failure.length, bad.success.length, bad.failure.length]).toEqual([1, 0, 1, 0]);
	});
});

describe('Capillary configuration errors', () => {
	it('raises a catchable error naming the fix when no account is selected', async () => {
		const node = await loadNode(capillaryNodes, { type: 'otpflow-capillary-generate-token', props: fixed(identity) });
		const out = await node.run({ topic: 'x' });
		expect(out.success.length + out.failure.length).toBe(0);
		expect(out.caught).toHaveLength(1);
		expect(out.caught[0].error.message).toBe('Error: No Capillary Auth Engine account selected: open the node and choose or add one under "Account".');
		expect(out.caught[0].topic).toBe('x');
	});

	it('raises a catchable error when the selected account no longer exists', async () => {
		const node = await loadNode(capillaryNodes, { type: 'otpflow-capillary-generate-token', props: fixed(identity), config: 'deleted-account' });
		const out = await node.run({});
		expect(out.caught[0].error.message).toMatch(/account this node uses is missing or disabled/);
	});

	it('raises a catchable error when the account lacks its brand', async () => {
		const node = await loadNode(capillaryNodes, { type: 'otpflow-capillary-generate-token', props: fixed(identity), account: account({ brand: '' }) });
		const out = await node.run({});
		expect(out.caught[0].error.message).toBe('Error: The Capillary Auth Engine account "test account" is missing Brand: open the account and fill it in.');
		expect(sandbox.inbox.size).toBe(0);
	});

	it('raises a catchable error for an expression that cannot be evaluated', async () => {
		const node = await loadNode(capillaryNodes, {
			type: 'otpflow-capillary-generate-token',
			props: { ...fixed(identity), identifierValue: '$$$(', identifierValueType: 'jsonata' },
			account: account(),
		});
		const out = await node.run({});
		expect(out.caught[0].error.message).toMatch(/^Error: Identifier Value \(identifierValue\) could not be read from jsonata/);
	});
});

describe('unexpected exceptions', () => {
	it('turns a throwing credential into a catchable error and keeps the runtime alive', async () => {
		const broken = providerModule({
			...capillary,
			slug: 'broken',
			credential: {
				...capillary.credential,
				authenticate: () => {
					throw new Error('authenticate blew up');
				},
			},
		});
		const node = await loadNode(broken, {
			type: 'otpflow-broken-generate-token',
			props: fixed(identity),
			account: { type: 'otpflow-broken-config', props: { baseUrl: `${sandbox.url}/capillary`, brand: 'DemoBrand' } },
		});
		for (const _ of [1, 2]) {
			const out = await node.run({});
			expect(out.caught.map((m) => m.error.message)).toEqual(['Error: Unexpected error: authenticate blew up']);
			expect(out.success.length + out.failure.length).toBe(0);
		}
	});
});

describe('Capillary provider faults', () => {
	const cases: Array<[string, Parameters<Sandbox['faults']['add']>[0], Record<string, unknown>]> = [
		['a timeout', { kind: 'timeout' }, { status: 'network_error', retryable: true, providerStatus: { text: 'timeout' } }],
		['a connection reset', { kind: 'reset' }, { status: 'network_error', providerStatus: { text: 'connection_reset' } }],
		['HTTP 503', { kind: 'status', status: 503 }, { status: 'provider_error', retryable: true, providerStatus: { httpStatus: 503 } }],
		['an HTML error page', { kind: 'html' }, { status: 'provider_error', providerStatus: { httpStatus: 502 } }],
		['malformed JSON', { kind: 'malformed' }, { status: 'provider_error', providerStatus: { httpStatus: 200 } }],
		['HTTP 401', { kind: 'status', status: 401 }, { status: 'auth_failed', providerStatus: { httpStatus: 401 } }],
		['HTTP 429 with Retry-After', { kind: 'rate_limit', retryAfter: 7 }, { status: 'rate_limited', retryAfterSeconds: 7, retryable: true }],
	];

	it.each(cases)('maps %s to the failure output and keeps working', async (_name, fault, expected) => {
		const node = await loadNode(capillaryNodes, {
			type: 'otpflow-capillary-generate-token',
			props: { ...fixed(identity), timeout: 0.3 },
			account: account(),
		});
		sandbox.faults.add({ provider: 'capillary', ...fault });
		const failed = only(await node.run({ topic: 'fault' }), 'failure');
		expect(failed.payload).toMatchObject({ ok: false, ...expected });
		expect(failed.topic).toBe('fault');
		const after = only(await node.run({}), 'success');
		expect(after.payload.status).toBe('completed');
	});
});

describe('Capillary password and logout nodes', () => {
	const customer = { ...identity, password: 'Sandbox-Pass-1' };

	it('Validate Password reads the password from msg.password and hands on the token; Expire Token then logs out', async () => {
		const reference = (await openSession()).reference;
		const validate = await loadNode(capillaryNodes, {
			type: 'otpflow-capillary-validate-password',
			props: { password: 'password', passwordType: 'msg' },
			account: account(),
		});
		const verified = only(await validate.run({ payload: { reference }, password: customer.password }), 'success');
		expect(verified.payload).toMatchObject({ status: 'verified', reference: { token: expect.any(String), key: expect.any(String) } });
		expect(JSON.stringify(verified.payload)).not.toContain(customer.password);
		await helper.unload();
		const expire = await loadNode(capillaryNodes, { type: 'otpflow-capillary-expire-token', account: account() });
		const out = only(await expire.run({ payload: verified.payload }), 'success');
		expect(out.payload).toMatchObject({ status: 'completed', operation: 'expireToken' });
		expect(JSON.stringify(out.payload)).not.toContain(verified.payload.reference.token);
	});

	it('Second Factor (MFA) chains in Node-RED with no configuration: after a password login, Generate Token (Second Factor) → Generate OTP → Validate OTP; the first token is sent and shown nowhere', async () => {
		const reference = (await openSession()).reference;
		const password = await loadNode(capillaryNodes, {
			type: 'otpflow-capillary-validate-password',
			props: { password: 'password', passwordType: 'msg' },
			account: account(),
		});
		const first = only(await password.run({ payload: { reference }, password: customer.password }), 'success').payload;
		const firstToken = first.reference.token as string;
		await helper.unload();

		// Only the factor is set: the identity and the Authorized Token come from the password login's reference.
		const token = await loadNode(capillaryNodes, {
			type: 'otpflow-capillary-generate-token',
			props: fixedValues({ ...identity, factor: 'mfa' }, ['flavour', 'identifierType', 'factor']),
			account: account(),
		});
		const session = only(await token.run({ payload: first }), 'success').payload;
		expect(session).toMatchObject({ status: 'completed', reference: { factor: 'mfa', sessionId: expect.any(String) } });
		expect(JSON.stringify(session)).not.toContain(firstToken);
		await helper.unload();

		const generate = await loadNode(capillaryNodes, { type: 'otpflow-capillary-generate-otp', account: account() });
		const sent = only(await generate.run({ payload: session }), 'success');
		expect(sent.payload).toMatchObject({ status: 'otp_sent', reference: { factor: 'mfa' } });
		await helper.unload();
		const code = sandbox.inbox.latest('capillary', MOBILE)?.otp;

		const validate = await loadNode(capillaryNodes, { type: 'otpflow-capillary-validate-otp', props: { otp: 'code', otpType: 'msg' }, account: account() });
		const verified = only(await validate.run({ ...sent, code }), 'success').payload;
		expect(verified).toMatchObject({ status: 'verified', reference: { factor: 'mfa', token: expect.any(String) } });
		expect(verified.reference.token).not.toBe(firstToken);
	});

	const faults: Array<[string, Parameters<Sandbox['faults']['add']>[0], string]> = [
		['HTTP 503', { kind: 'status', status: 503 }, 'provider_error'],
		['malformed JSON', { kind: 'malformed' }, 'provider_error'],
		['a connection reset', { kind: 'reset' }, 'network_error'],
	];
	const ops: Array<[string, Record<string, unknown>]> = [
		['otpflow-capillary-validate-password', { sessionId: 'P-12345678', password: customer.password }],
		['otpflow-capillary-forgot-password', { sessionId: 'P-12345678', password: customer.password, confirmPassword: customer.password }],
		['otpflow-capillary-expire-token', { token: 'user-token-12345678' }],
	];
	it.each(ops.flatMap(([type, fields]) => faults.map(([name, fault, status]) => [type, name, fields, fault, status] as const)))(
		'%s maps %s to the failure output without quoting the secret',
		async (type, _name, fields, fault, status) => {
			const props = Object.fromEntries(
				Object.entries({ ...identity, ...fields }).flatMap(([k, v]) => [
					[k, v],
					[`${k}Type`, ['flavour', 'identifierType'].includes(k) ? 'option' : 'str'],
				]),
			);
			const node = await loadNode(capillaryNodes, { type, props: { ...props, timeout: 0.3 }, account: account() });
			sandbox.faults.add({ provider: 'capillary', ...fault });
			const failed = only(await node.run({}), 'failure');
			expect(failed.payload).toMatchObject({ ok: false, status });
			for (const secret of [customer.password, 'user-token-12345678']) expect(JSON.stringify(failed.payload)).not.toContain(secret);
		},
	);
});
