import { SANDBOX_ACCOUNTS, startSandbox, type Sandbox } from '../../sandbox';
import { call } from './helpers';

const BRAND = SANDBOX_ACCOUNTS.capillary.brand;
const MOBILE = '919999999993';
const DEVICE = 'device-123';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox();
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

type Flavour = 'mobile' | 'web';
const path = (flavour: Flavour, op: string) => `${sb.baseUrls.capillary}/auth/v1${flavour === 'web' ? '/web' : ''}/${op}`;
const mobileId = { identifierType: 'MOBILE', identifierValue: MOBILE, brand: BRAND, deviceId: DEVICE };

async function session(id: Record<string, unknown> = mobileId, flavour: Flavour = 'mobile'): Promise<string> {
	const r = await call(path(flavour, 'token/generate'), { body: id });
	expect(r.json.status).toEqual({ success: true, code: 200, message: 'SUCCESS' });
	return r.json.user.sessionId;
}
const generate = (sessionId: string, id: Record<string, unknown> = mobileId, flavour: Flavour = 'mobile') =>
	call(path(flavour, 'otp/generate'), { body: { ...id, sessionId } });
const validate = (sessionId: string, otp: string, id: Record<string, unknown> = mobileId, flavour: Flavour = 'mobile') =>
	call(path(flavour, 'otp/validate'), { body: { ...id, sessionId, otp } });
const wrongFor = (otp: string) => (otp === '000000' ? '000001' : '000000');

describe('Capillary token/generate', () => {
	it('opens a session with an opaque token and a P-<uuid> sessionId', async () => {
		const r = await call(path('mobile', 'token/generate'), { body: mobileId });
		expect(r.status).toBe(200);
		expect(r.json).toEqual({
			status: { success: true, code: 200, message: 'SUCCESS' },
			auth: { token: expect.stringMatching(/^[A-Za-z0-9_-]{20,}$/), key: null },
			user: { sessionId: expect.stringMatching(/^P-[0-9a-f-]{36}$/), userRegisteredForPassword: false },
		});
	});

	it.each([
		[{ identifierType: 'PHONE' }, 1546, 'Invalid identifierType'],
		[{ identifierValue: '' }, 1540, 'Mobile or email is required'],
		[{ brand: 'OtherBrand' }, 1519, 'Invalid details'],
		[{ deviceId: undefined }, 1519, 'Invalid details: deviceId is required'],
	])('answers HTTP 200 with success:false for %j (code %d)', async (override, code, message) => {
		const r = await call(path('mobile', 'token/generate'), { body: { ...mobileId, ...override } });
		expect(r.status).toBe(200);
		expect(r.json).toEqual({ status: { success: false, code, message } });
	});

	it('does not need a deviceId on the web flavour', async () => {
		await session({ identifierType: 'EMAIL', identifierValue: 'demo@example.com', brand: BRAND }, 'web');
	});
});

describe('Capillary otp/generate and otp/validate', () => {
	it('delivers an SMS for MOBILE and validates it into a user token with a key (mobile app)', async () => {
		const sid = await session();
		expect((await generate(sid)).json).toEqual({ status: { success: true, code: 200, message: 'SUCCESS' } });
		const msg = sb.inbox.latest('capillary', MOBILE)!;
		expect(msg).toMatchObject({ provider: 'capillary', channel: 'sms', to: MOBILE });
		expect(msg.otp).toMatch(/^\d{6}$/);
		const r = await validate(sid, msg.otp);
		expect(r.json).toEqual({
			status: { success: true, code: 200, message: 'SUCCESS' },
			auth: { token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/), key: expect.any(String) },
			user: { sessionId: sid, userId: expect.any(Number), firstName: 'Demo', lastName: 'User', mobile: MOBILE },
		});
	});

	it('delivers an email on the web flavour and answers key:null', async () => {
		const id = { identifierType: 'EMAIL', identifierValue: 'demo@example.com', brand: BRAND };
		const sid = await session(id, 'web');
		await generate(sid, id, 'web');
		const msg = sb.inbox.latest('capillary', 'demo@example.com')!;
		expect(msg.channel).toBe('email');
		const r = await validate(sid, msg.otp, id, 'web');
		expect(r.json.auth.key).toBeNull();
		expect(r.json.user.email).toBe('demo@example.com');
	});

	it('rejects a session from the other flavour as 1505 Invalid session', async () => {
		const sid = await session();
		const r = await generate(sid, { ...mobileId, deviceId: undefined }, 'web');
		expect(r.json.status).toEqual({ success: false, code: 1505, message: 'Invalid session' });
	});

	it.each([
		[{ sessionId: 'P-unknown' }, 1505, 'Invalid session'],
		[{ identifierValue: '919999999994' }, 1507, 'Mobile number does not match session'],
		[{ identifierType: 'EMAIL' }, 1541, 'Identifier does not match session'],
		[{ deviceId: 'another-device' }, 1508, 'Device does not match session'],
		[{ brand: 'DemoBrand2' }, 1509, 'Brand does not match session'],
	])('refuses otp/generate with %j as code %d', async (override, code, message) => {
		const sid = await session();
		const r = await call(path('mobile', 'otp/generate'), { body: { ...mobileId, sessionId: sid, ...override } });
		expect(r.json).toEqual({ status: { success: false, code, message } });
		expect(sb.inbox.list()).toHaveLength(0);
	});

	it('answers 1537 when validating before any OTP was generated', async () => {
		const sid = await session();
		expect((await validate(sid, '123456')).json.status).toEqual({ success: false, code: 1537, message: 'OTP not generated' });
	});

	it('answers 1506 for a wrong code and 1518 on the 3rd wrong code, after which the OTP is dead', async () => {
		const sid = await session();
		await generate(sid);
		const otp = sb.inbox.latest('capillary', MOBILE)!.otp;
		const codes = [];
		for (let i = 0; i < 3; i++) codes.push((await validate(sid, wrongFor(otp))).json.status);
		expect(codes).toEqual([
			{ success: false, code: 1506, message: 'Invalid OTP' },
			{ success: false, code: 1506, message: 'Invalid OTP' },
			{ success: false, code: 1518, message: 'Maximum OTP attempts reached. Please restart the flow' },
		]);
		expect((await validate(sid, otp)).json.status.code).toBe(1518);
	});

	it('replaces the previous OTP on a new generate', async () => {
		const sid = await session();
		await generate(sid);
		const first = sb.inbox.latest('capillary', MOBILE)!.otp;
		await generate(sid);
		const second = sb.inbox.latest('capillary', MOBILE)!.otp;
		if (first !== second) expect((await validate(sid, first)).json.status.code).toBe(1506);
		expect((await validate(sid, second)).json.status.code).toBe(200);
	});

	it('consumes the OTP on success', async () => {
		const sid = await session();
		await generate(sid);
		const otp = sb.inbox.latest('capillary', MOBILE)!.otp;
		expect((await validate(sid, otp)).json.status.success).toBe(true);
		expect((await validate(sid, otp)).json.status.code).toBe(1537);
	});

	it('expires the session (and its OTP) after 15 minutes with 1529 Token expired', async () => {
		const sid = await session();
		await generate(sid);
		const otp = sb.inbox.latest('capillary', MOBILE)!.otp;
		sb.advance(15 * 60);
		expect((await validate(sid, otp)).json.status).toEqual({ success: false, code: 1529, message: 'Token expired' });
	});

	it('limits OTPs per identifier to otpMaxCount within otpTimeOut (1534)', async () => {
		const results = [];
		for (let i = 0; i < 6; i++) {
			const sid = await session(); // new sessions do not reset the per-customer count
			results.push((await generate(sid)).json.status.code);
		}
		expect(results).toEqual([200, 200, 200, 200, 200, 1534]);
		expect((await generate(await session())).json.status.message).toBe('Maximum OTPs generated for this customer');
		sb.advance(10 * 60);
		expect((await generate(await session())).json.status.code).toBe(200);
	});

	it('delivers USERNAME identifiers to the username', async () => {
		const id = { identifierType: 'USERNAME', identifierValue: 'demo.user', brand: BRAND, deviceId: DEVICE };
		await generate(await session(id), id);
		expect(sb.inbox.latest('capillary', 'demo.user')).toMatchObject({ to: 'demo.user', channel: 'sms' });
	});
});

describe('Capillary with a shortened config', () => {
	it('honours capillaryOtpMaxCount and capillaryMaxOtpAttempts', async () => {
		const small = await startSandbox({ config: { capillaryOtpMaxCount: 1, capillaryMaxOtpAttempts: 1 } });
		try {
			const tok = await call(`${small.baseUrls.capillary}/auth/v1/token/generate`, { body: mobileId });
			const sid = tok.json.user.sessionId;
			const gen = (b: object) => call(`${small.baseUrls.capillary}/auth/v1/otp/generate`, { body: { ...mobileId, sessionId: sid, ...b } });
			expect((await gen({})).json.status.code).toBe(200);
			expect((await gen({})).json.status.code).toBe(1534);
			const otp = small.inbox.latest('capillary', MOBILE)!.otp;
			const v = await call(`${small.baseUrls.capillary}/auth/v1/otp/validate`, { body: { ...mobileId, sessionId: sid, otp: wrongFor(otp) } });
			expect(v.json.status.code).toBe(1518);
		} finally {
			await small.close();
		}
	});
});

describe('capillary token/regenerate', () => {
	it('gives a logged-in mobile customer a new token for the device key, and refuses a wrong key with 1525', async () => {
		const identity = { identifierType: 'MOBILE', identifierValue: '919999999993', deviceId: 'dev-1', brand: SANDBOX_ACCOUNTS.capillary.brand };
		const base = `${sb.baseUrls.capillary}/auth/v1`;
		const session = (await call(`${base}/token/generate`, { body: identity })).json.user.sessionId;
		await call(`${base}/otp/generate`, { body: { ...identity, sessionId: session } });
		const otp = sb.inbox.latest('capillary')!.otp;
		const login = (await call(`${base}/otp/validate`, { body: { ...identity, sessionId: session, otp } })).json;
		const renewed = await call(`${base}/token/regenerate`, { body: { ...identity, key: login.auth.key } });
		expect(renewed.json).toMatchObject({ status: { success: true }, auth: { token: expect.any(String), key: login.auth.key } });
		expect(renewed.json.auth.token).not.toBe(login.auth.token);
		const wrong = await call(`${base}/token/regenerate`, { body: { ...identity, key: 'not-the-key' } });
		expect(wrong.json.status).toMatchObject({ success: false, code: 1525 });
	});
});

describe('capillary passwords and logout', () => {
	const customer = SANDBOX_ACCOUNTS.capillary.passwordCustomer;
	const brand = SANDBOX_ACCOUNTS.capillary.brand;
	const base = () => `${sb.baseUrls.capillary}/auth/v1`;
	const startSession = async (identity: Record<string, string>, web = false) =>
		(await call(`${base()}${web ? '/web' : ''}/token/generate`, { body: identity })).json.user.sessionId as string;

	it('logs the returning customer in by password (token and key), refuses a wrong one with 1528, then 1530 after too many', async () => {
		const identity = { identifierType: 'MOBILE', identifierValue: customer.identifierValue, deviceId: 'dev-1', brand };
		const sessionId = await startSession(identity);
		const ok = await call(`${base()}/password/validate`, { body: { ...identity, sessionId, password: customer.password } });
		expect(ok.json).toMatchObject({ status: { success: true }, auth: { token: expect.any(String), key: expect.any(String) } });
		const codes: number[] = [];
		for (let i = 0; i < 3; i++)
			codes.push((await call(`${base()}/password/validate`, { body: { ...identity, sessionId, password: 'wrong-1' } })).json.status.code);
		expect(codes).toEqual([1528, 1528, 1530]);
		const locked = await call(`${base()}/password/validate`, { body: { ...identity, sessionId, password: customer.password } });
		expect(locked.json.status.code).toBe(1530);
	});

	it('a first-time customer gets 1526; Forgot Password (1521, 1542 checked) then an OTP login gives them the password', async () => {
		const identity = { identifierType: 'EMAIL', identifierValue: 'new@example.com', brand };
		const sessionId = await startSession(identity, true);
		const web = `${base()}/web`;
		expect((await call(`${web}/password/validate`, { body: { ...identity, sessionId, password: 'Fresh-Pass-9' } })).json.status.code).toBe(1526);
		expect(
			(await call(`${web}/password/forget`, { body: { ...identity, sessionId, password: 'Fresh-Pass-9', confirmPassword: 'Other-9x' } })).json.status.code,
		).toBe(1521);
		expect((await call(`${web}/password/forget`, { body: { ...identity, sessionId, password: 'short', confirmPassword: 'short' } })).json.status.code).toBe(
			1542,
		);
		const set = await call(`${web}/password/forget`, { body: { ...identity, sessionId, password: 'Fresh-Pass-9', confirmPassword: 'Fresh-Pass-9' } });
		expect(set.json.status).toMatchObject({ success: true });
		// Not yet: the new password takes effect at the next OTP login.
		expect((await call(`${web}/password/validate`, { body: { ...identity, sessionId, password: 'Fresh-Pass-9' } })).json.status.code).toBe(1526);
		await call(`${web}/otp/generate`, { body: { ...identity, sessionId } });
		const otp = sb.inbox.latest('capillary')!.otp;
		await call(`${web}/otp/validate`, { body: { ...identity, sessionId, otp } });
		const login = await call(`${web}/password/validate`, { body: { ...identity, sessionId, password: 'Fresh-Pass-9' } });
		expect(login.json).toMatchObject({ status: { success: true }, auth: { token: expect.any(String), key: null } });
	});

	it('expires a token by DELETE or POST (logout): its device key no longer regenerates; an unknown token is 1531; EXTERNALID is accepted', async () => {
		const identity = { identifierType: 'MOBILE', identifierValue: customer.identifierValue, deviceId: 'dev-1', brand };
		const login = async () =>
			(await call(`${base()}/password/validate`, { body: { ...identity, sessionId: await startSession(identity), password: customer.password } })).json.auth;
		const first = await login();
		const out = await call(`${base()}/mfa/token/expire`, { method: 'DELETE', body: { ...identity, token: first.token } });
		expect(out.json.status).toMatchObject({ success: true });
		expect((await call(`${base()}/token/regenerate`, { body: { ...identity, key: first.key } })).json.status.code).toBe(1525);
		expect((await call(`${base()}/mfa/token/expire`, { method: 'DELETE', body: { ...identity, token: first.token } })).json.status.code).toBe(1531);
		const second = await login();
		const byPost = await call(`${base()}/mfa/token/expire`, {
			body: { identifierType: 'EXTERNALID', identifierValue: 'CUST-42', deviceId: 'dev-1', brand, token: second.token },
		});
		expect(byPost.json.status).toMatchObject({ success: true });
		expect((await call(`${base()}/token/generate`, { body: { ...identity, identifierType: 'EXTERNALID' } })).json.status.code).toBe(1546);
	});
});

describe('capillary second factor (MFA)', () => {
	const customer = SANDBOX_ACCOUNTS.capillary.passwordCustomer;
	const identity = { identifierType: 'MOBILE', identifierValue: customer.identifierValue, deviceId: 'dev-1', brand: BRAND };
	const base = () => `${sb.baseUrls.capillary}/auth/v1`;
	const mfa = (op: string, body: Record<string, unknown>, method = 'POST') => call(`${base()}/mfa/${op}`, { method, body });
	/** A first-factor login by password: its token authorizes the MFA session. */
	const firstFactor = async () => {
		const sessionId = (await call(`${base()}/token/generate`, { body: identity })).json.user.sessionId;
		return (await call(`${base()}/password/validate`, { body: { ...identity, sessionId, password: customer.password } })).json.auth.token as string;
	};
	const mfaSession = async (authorizedToken: string, id: Record<string, unknown> = identity) => {
		const r = await mfa('token/generate', { ...id, authorizedToken });
		expect(r.json.status).toMatchObject({ success: true });
		return r.json.user.sessionId as string;
	};

	it('token/generate wants the token of a current login on the same device (1529 otherwise) and accepts EXTERNALID', async () => {
		const token = await firstFactor();
		expect((await mfa('token/generate', { ...identity })).json.status.code).toBe(1529);
		expect((await mfa('token/generate', { ...identity, authorizedToken: 'not-a-login-token' })).json.status.code).toBe(1529);
		expect((await mfa('token/generate', { ...identity, deviceId: 'other-device', authorizedToken: token })).json.status.code).toBe(1529);
		expect((await mfa('token/generate', { ...identity, deviceId: undefined, authorizedToken: token })).json.status.code).toBe(1519);
		await mfaSession(token, { ...identity, identifierType: 'EXTERNALID', identifierValue: 'CUST-42' });
	});

	it('MFA OTP: sent to the inbox, validated into an MFA token and key; a first-factor session does not work on the MFA path (1505)', async () => {
		const token = await firstFactor();
		const sessionId = await mfaSession(token);
		const firstSession = (await call(`${base()}/token/generate`, { body: identity })).json.user.sessionId;
		expect((await mfa('otp/generate', { ...identity, sessionId: firstSession })).json.status.code).toBe(1505);
		expect((await mfa('otp/generate', { ...identity, sessionId })).json.status).toMatchObject({ success: true });
		const otp = sb.inbox.latest('capillary')!.otp;
		const validated = await mfa('otp/validate', { ...identity, sessionId, otp });
		expect(validated.json).toMatchObject({ status: { success: true }, auth: { token: expect.any(String), key: expect.any(String) } });
		// The MFA key regenerates on the MFA path only.
		const renewed = await mfa('token/regenerate', { ...identity, key: validated.json.auth.key });
		expect(renewed.json).toMatchObject({ status: { success: true }, auth: { token: expect.any(String), key: validated.json.auth.key } });
		expect((await call(`${base()}/token/regenerate`, { body: { ...identity, key: validated.json.auth.key } })).json.status.code).toBe(1525);
	});

	it('MFA password: only after the MFA OTP, in a new MFA session opened with that token (1526 before, 1505 on the spent session)', async () => {
		const first = await firstFactor();
		const sessionId = await mfaSession(first);
		expect((await mfa('password/validate', { ...identity, sessionId, password: customer.password })).json.status.code).toBe(1526);
		await mfa('otp/generate', { ...identity, sessionId });
		const otp = sb.inbox.latest('capillary')!.otp;
		const mfaToken = (await mfa('otp/validate', { ...identity, sessionId, otp })).json.auth.token;
		expect((await mfa('password/validate', { ...identity, sessionId, password: customer.password })).json.status.code).toBe(1505);
		const second = await mfaSession(mfaToken);
		expect((await mfa('password/validate', { ...identity, sessionId: second, password: 'wrong-1' })).json.status.code).toBe(1528);
		const ok = await mfa('password/validate', { ...identity, sessionId: second, password: customer.password });
		expect(ok.json).toMatchObject({ status: { success: true }, auth: { token: expect.any(String), key: expect.any(String) } });
	});

	it('MFA forget password by POST or GET (the page names both); other methods are refused', async () => {
		const sessionId = await mfaSession(await firstFactor());
		const body = { ...identity, sessionId, password: 'Fresh-Pass-9', confirmPassword: 'Fresh-Pass-9' };
		expect((await mfa('password/forget', body)).json.status).toMatchObject({ success: true });
		expect((await mfa('password/forget', body, 'GET')).json.status).toMatchObject({ success: true });
		expect((await mfa('password/forget', body, 'PUT')).status).toBe(405);
		expect((await mfa('otp/generate', { ...identity, sessionId }, 'GET')).status).toBe(405);
	});
});
