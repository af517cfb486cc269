import http from 'node:http';
import { DEFAULT_CONFIG, Inbox, SANDBOX_ACCOUNTS, startSandbox, type Sandbox } from '../../sandbox';
import { AADHAAR, call } from './helpers';

const T0 = Date.UTC(2025, 0, 15, 9, 30, 0);
let fakeNow = T0;
let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ now: () => fakeNow });
});
afterAll(() => sb.close());
beforeEach(() => {
	sb.reset();
	fakeNow = T0;
});

const BRAND = SANDBOX_ACCOUNTS.capillary.brand;
async function capillaryOtp(identifierValue: string, identifierType = 'MOBILE') {
	const id = { identifierType, identifierValue, brand: BRAND, deviceId: 'd1' };
	const t = await call(`${sb.baseUrls.capillary}/auth/v1/token/generate`, { body: id });
	const sessionId = t.json.user.sessionId as string;
	await call(`${sb.baseUrls.capillary}/auth/v1/otp/generate`, { body: { ...id, sessionId } });
	return { id, sessionId };
}
const summitOtp = (UserName: string) =>
	call(`${sb.baseUrls.summitai}/REST/Summit_RESTWCF.svc/RESTService/CommonWS_JsonObjCall`, {
		body: {
			ServiceName: 'ADM_GenerateOTP',
			objCommonParameters: {
				_ProxyDetails: { AuthType: 'APIKEY', APIKey: SANDBOX_ACCOUNTS.summitai.apiKey },
				objUserInformation: { DomainId: 1, UserID: 967, LoginUID: 967, UserName },
			},
		},
	});

describe('startSandbox', () => {
	it('listens on 127.0.0.1 and exposes one base URL per provider', () => {
		expect(sb.url).toBe(`http://127.0.0.1:${sb.port}`);
		expect(sb.baseUrls).toEqual({
			iserveu: `${sb.url}/iserveu`,
			capillary: `${sb.url}/capillary`,
			bos: `${sb.url}/bos/api/BOS/CibilScore/`,
			aopay: `${sb.url}/aopay/api/AOP/CibilScore/`,
			summitai: `${sb.url}/summitai`,
		});
	});

	it('refuses any host but 127.0.0.1 and unknown config keys', async () => {
		await expect(startSandbox({ host: '0.0.0.0' as '127.0.0.1' })).rejects.toThrow(/127\.0\.0\.1/);
		await expect(startSandbox({ config: { nope: 1 } as never })).rejects.toThrow(/Unknown sandbox config key/);
	});

	it('documents its defaults in DEFAULT_CONFIG', () => {
		expect(DEFAULT_CONFIG).toMatchObject({
			inboxLimit: 200,
			iserveuOtpValiditySeconds: 600,
			iserveuResendCooldownSeconds: 30,
			iserveuMaxAttempts: 5,
			capillarySessionTtlSeconds: 900,
			capillaryOtpMaxCount: 5,
			capillaryOtpTimeOutMinutes: 10,
			capillaryMaxOtpAttempts: 3,
			cibilOtpValiditySeconds: 600,
			cibilMaxSends: 3,
			cibilMaxAttempts: 3,
			summitOtpValiditySeconds: 300,
			summitMaxAttempts: 3,
		});
	});

	it('stops by itself after maxLifetimeMs', async () => {
		const short = await startSandbox({ maxLifetimeMs: 50 });
		await short.closed;
		await expect(call(`${short.url}/_sandbox/health`, { method: 'GET' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
	});

	it('uses config.fixedOtp when set', async () => {
		const fixed = await startSandbox({ config: { fixedOtp: '123456' } });
		try {
			await call(`${fixed.baseUrls.summitai}/REST/Summit_RESTWCF.svc/RESTService/CommonWS_JsonObjCall`, {
				body: {
					ServiceName: 'ADM_GenerateOTP',
					objCommonParameters: {
						_ProxyDetails: { AuthType: 'APIKEY', APIKey: SANDBOX_ACCOUNTS.summitai.apiKey },
						objUserInformation: SANDBOX_ACCOUNTS.summitai.user,
					},
				},
			});
			expect(fixed.inbox.latest('summitai', 'abcd')!.otp).toBe('123456');
		} finally {
			await fixed.close();
		}
	});

	it('close() resolves promptly with an idle keep-alive connection open', async () => {
		const own = await startSandbox();
		const agent = new http.Agent({ keepAlive: true });
		try {
			await call(`${own.url}/_sandbox/health`, { method: 'GET', agent });
			const started = Date.now();
			await own.close();
			expect(Date.now() - started).toBeLessThan(500);
		} finally {
			agent.destroy();
		}
	});
});

describe('inbox', () => {
	it('lists messages newest first with id, provider, channel, to, otp, text and a virtual-clock timestamp', async () => {
		await capillaryOtp('919999999991');
		fakeNow += 1000;
		await summitOtp('abcd');
		const r = await call(`${sb.url}/_sandbox/inbox`, { method: 'GET' });
		expect(r.status).toBe(200);
		expect(r.json.messages).toEqual([
			{
				id: expect.any(String),
				provider: 'summitai',
				channel: 'email',
				to: 'abcd',
				otp: expect.stringMatching(/^\d{6}$/),
				text: expect.any(String),
				at: '2025-01-15T09:30:01.000Z',
				expiresAt: '2025-01-15T09:35:01.000Z',
				used: false,
				expired: false,
			},
			{
				id: expect.any(String),
				provider: 'capillary',
				channel: 'sms',
				to: '919999999991',
				otp: expect.stringMatching(/^\d{6}$/),
				text: expect.any(String),
				at: '2025-01-15T09:30:00.000Z',
				expiresAt: '2025-01-15T09:45:00.000Z',
				used: false,
				expired: false,
			},
		]);
		expect(r.json.messages[0].text).toContain(r.json.messages[0].otp);
	});

	it('filters by provider and by to', async () => {
		await capillaryOtp('919999999991');
		await capillaryOtp('919999999992');
		await summitOtp('abcd');
		const byProvider = await call(`${sb.url}/_sandbox/inbox?provider=capillary`, { method: 'GET' });
		expect(byProvider.json.messages.map((m: { to: string }) => m.to)).toEqual(['919999999992', '919999999991']);
		const byTo = await call(`${sb.url}/_sandbox/inbox?provider=capillary&to=919999999991`, { method: 'GET' });
		expect(byTo.json.messages).toHaveLength(1);
		expect(sb.inbox.list({ to: 'abcd' })).toHaveLength(1);
	});

	it('serves the latest message for provider+to, or 404', async () => {
		await capillaryOtp('919999999991');
		await capillaryOtp('919999999991');
		const all = sb.inbox.list({ provider: 'capillary', to: '919999999991' });
		const r = await call(`${sb.url}/_sandbox/inbox/latest?provider=capillary&to=919999999991`, { method: 'GET' });
		expect(r.status).toBe(200);
		expect(r.json).toEqual(all[0]);
		expect(sb.inbox.latest('capillary', '919999999991')).toEqual(all[0]);
		const none = await call(`${sb.url}/_sandbox/inbox/latest?provider=bos&to=1`, { method: 'GET' });
		expect(none.status).toBe(404);
		expect(none.json.error).toBe('not_found');
	});

	it('keeps at most 200 messages, dropping the oldest', () => {
		const inbox = new Inbox(
			() => T0,
			() => 200,
		);
		for (let i = 0; i < 205; i++) inbox.deliver({ provider: 'bos', channel: 'sms', to: 'x', otp: String(i), text: '' });
		expect(inbox.size).toBe(200);
		expect(inbox.latest('bos', 'x')!.otp).toBe('204');
		expect(inbox.list().at(-1)!.otp).toBe('5');
	});
});

describe('reset and clock', () => {
	it('POST /_sandbox/reset clears sessions, inbox and faults', async () => {
		const { id, sessionId } = await capillaryOtp('919999999991');
		sb.faults.add({ kind: 'html', provider: 'bos' });
		const r = await call(`${sb.url}/_sandbox/reset`, { method: 'POST' });
		expect(r.json).toEqual({ ok: true });
		expect(sb.inbox.list()).toEqual([]);
		expect(sb.faults.list()).toEqual([]);
		const v = await call(`${sb.baseUrls.capillary}/auth/v1/otp/validate`, { body: { ...id, sessionId, otp: '123456' } });
		expect(v.json.status.code).toBe(1505);
	});

	it('POST /_sandbox/clock moves the virtual clock and expires OTPs', async () => {
		const { id, sessionId } = await capillaryOtp('919999999991');
		const otp = sb.inbox.latest('capillary', '919999999991')!.otp;
		const r = await call(`${sb.url}/_sandbox/clock`, { body: { advanceSeconds: 900 } });
		expect(r.json).toEqual({ now: '2025-01-15T09:45:00.000Z' });
		const v = await call(`${sb.baseUrls.capillary}/auth/v1/otp/validate`, { body: { ...id, sessionId, otp } });
		expect(v.json.status).toEqual({ success: false, code: 1529, message: 'Token expired' });
		expect((await call(`${sb.url}/_sandbox/clock`, { body: { advanceSeconds: -5 } })).status).toBe(400);
	});

	it('follows the injected clock as well as advance()', async () => {
		fakeNow += 60_000;
		sb.advance(30);
		expect(sb.now()).toBe(T0 + 90_000);
		expect((await call(`${sb.url}/_sandbox/clock`, { method: 'GET' })).json.now).toBe('2025-01-15T09:31:30.000Z');
	});
});

describe('human page', () => {
	it('shows the inbox, each base URL with its sandbox credentials, and active faults', async () => {
		await summitOtp('abcd');
		sb.faults.add({ kind: 'rate_limit', provider: 'capillary', retryAfter: 12 });
		const r = await call(`${sb.url}/_sandbox/`, { method: 'GET' });
		expect(r.status).toBe(200);
		expect(r.headers['content-type']).toMatch(/^text\/html/);
		expect(r.text).toContain('<meta http-equiv="refresh"');
		expect(r.text).toContain(`<span class="otp">${sb.inbox.latest('summitai', 'abcd')!.otp}</span>`);
		for (const base of Object.values(sb.baseUrls)) expect(r.text).toContain(base);
		expect(r.text).toContain(SANDBOX_ACCOUNTS.iserveu.clientSecret);
		expect(r.text).toContain(SANDBOX_ACCOUNTS.bos.accessToken);
		expect(r.text).toContain('<b>rate_limit</b> provider=capillary, retryAfter=12s, 1 left');
	});

	it('escapes everything it shows', async () => {
		await capillaryOtp('<img src=x onerror=alert(1)>', 'USERNAME');
		const r = await call(`${sb.url}/_sandbox`, { method: 'GET' });
		expect(r.text).not.toContain('<img src=x');
		expect(r.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
	});

	it('redirects / to the page', async () => {
		const r = await call(`${sb.url}/`, { method: 'GET' });
		expect(r.status).toBe(302);
		expect(r.headers.location).toBe('/_sandbox/');
	});
});

describe('HTTP edges', () => {
	const auth = { client_id: SANDBOX_ACCOUNTS.iserveu.clientId, client_secret: SANDBOX_ACCOUNTS.iserveu.clientSecret };

	it('answers 400 JSON for a malformed or non-object body', async () => {
		const bad = await call(`${sb.baseUrls.iserveu}/common/dmt-lite/unified/otp/send`, { headers: auth, body: '{"username": "a",' });
		expect(bad.status).toBe(400);
		expect(bad.json).toEqual({ error: 'invalid_json', message: 'Request body is not valid JSON' });
		const arr = await call(`${sb.baseUrls.capillary}/auth/v1/token/generate`, { body: '[1,2]' });
		expect(arr.status).toBe(400);
		expect(arr.json.message).toBe('Request body must be a JSON object');
	});

	it('answers 404 for unknown paths and 405 for the wrong method', async () => {
		expect((await call(`${sb.url}/nowhere`, { method: 'GET' })).status).toBe(404);
		expect((await call(`${sb.baseUrls.iserveu}/common/dmt-lite/unified/otp/resend`, { headers: auth, body: {} })).status).toBe(404);
		const get = await call(`${sb.baseUrls.iserveu}/common/dmt-lite/unified/otp/send`, { method: 'GET', headers: auth });
		expect(get.status).toBe(405);
		expect(get.headers.allow).toBe('POST');
		expect((await call(`${sb.baseUrls.bos}GenerateOTP`, { method: 'DELETE' })).status).toBe(405);
	});

	it('tolerates a doubled slash between base URL and path', async () => {
		const b = SANDBOX_ACCOUNTS.bos;
		const r = await call(`${sb.baseUrls.bos}/GenerateOTP`, {
			method: 'GET',
			body: { cibil_id: 1, access_token: b.accessToken, RegistrationID: b.registrationId, CompanyCode: b.companyCode },
		});
		expect(r.json.description).toBe('Invalid cibil_id');
	});

	it('answers 413 for oversized bodies', async () => {
		const small = await startSandbox({ config: { maxBodyBytes: 64 } });
		try {
			const r = await call(`${small.baseUrls.iserveu}/common/dmt-lite/unified/otp/send`, {
				headers: auth,
				body: { username: 'agent', ovdData: AADHAAR, padding: 'x'.repeat(200) },
			});
			expect(r.status).toBe(413);
		} finally {
			await small.close();
		}
	});
});
