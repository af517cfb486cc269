/**
 * The inbox says which codes were used and which expired (from each provider emulation's own record of the code), can
 * be emptied, and its page offers a copy button per code, a reset button and local times, with no external asset.
 */
import { createHash } from 'node:crypto';
import { SANDBOX_ACCOUNTS, startSandbox, type Sandbox } from '../../sandbox';
import { call } from './helpers';

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

const USER = SANDBOX_ACCOUNTS.summitai.user;
const summit = (ServiceName: string, objUserInformation: Record<string, unknown>) =>
	call(`${sb.baseUrls.summitai}/REST/Summit_RESTWCF.svc/RESTService/CommonWS_JsonObjCall`, {
		body: {
			ServiceName,
			objCommonParameters: { _ProxyDetails: { AuthType: 'APIKEY', APIKey: SANDBOX_ACCOUNTS.summitai.apiKey }, objUserInformation },
		},
	});

async function sendSummit() {
	const r = await summit('ADM_GenerateOTP', USER);
	const transactionId = r.json.OutputObject.OTP_Communication[0].TransactionID as string;
	return { transactionId, otp: sb.inbox.latest('summitai', USER.UserName)!.otp };
}
const validate = (OTP_Text: string, TransactionID: string) => summit('ADM_ValidateOTP', { OTP_Text, TransactionID, LoginUID: USER.LoginUID });

const inbox = async () => (await call(`${sb.url}/_sandbox/inbox`, { method: 'GET' })).json.messages;

const BRAND = SANDBOX_ACCOUNTS.capillary.brand;
async function capillaryCode(identifierValue: string) {
	const id = { identifierType: 'MOBILE', identifierValue, brand: BRAND, deviceId: 'd1' };
	const t = await call(`${sb.baseUrls.capillary}/auth/v1/token/generate`, { body: id });
	const sessionId = t.json.user.sessionId as string;
	await call(`${sb.baseUrls.capillary}/auth/v1/otp/generate`, { body: { ...id, sessionId } });
	return { id, sessionId, otp: sb.inbox.latest('capillary', identifierValue)!.otp };
}

describe('inbox JSON: used and expired', () => {
	it('a fresh code is neither, and says until when it works', async () => {
		await sendSummit();
		expect(await inbox()).toEqual([expect.objectContaining({ used: false, expired: false, expiresAt: '2025-01-15T09:35:00.000Z' })]);
	});

	it('a code the verify step accepted is used (and stays used, never expired)', async () => {
		const { transactionId, otp } = await sendSummit();
		expect((await validate(otp, transactionId)).json.Errors).toBe('');
		expect(await inbox()).toEqual([expect.objectContaining({ used: true, expired: false })]);
		fakeNow += 10 * 60 * 1000;
		expect(await inbox()).toEqual([expect.objectContaining({ used: true, expired: false })]);
	});

	it('a wrong code does not use it up', async () => {
		const { transactionId, otp } = await sendSummit();
		await validate(otp === '000000' ? '000001' : '000000', transactionId);
		expect(await inbox()).toEqual([expect.objectContaining({ used: false, expired: false })]);
	});

	it('an unused code past its validity is expired, from the moment it expires', async () => {
		await sendSummit();
		fakeNow += 5 * 60 * 1000 - 1;
		expect((await inbox())[0].expired).toBe(false);
		fakeNow += 1;
		expect(await inbox()).toEqual([expect.objectContaining({ used: false, expired: true })]);
	});

	it('for every provider that verifies a code: Capillary too', async () => {
		const { id, sessionId, otp } = await capillaryCode('919999999992');
		const r = await call(`${sb.baseUrls.capillary}/auth/v1/otp/validate`, { body: { ...id, sessionId, otp } });
		expect(r.status).toBe(200);
		expect((await call(`${sb.url}/_sandbox/inbox/latest?provider=capillary`, { method: 'GET' })).json).toMatchObject({ used: true, expired: false });
	});

	it('a newer code leaves the older message as it was (each message has its own record)', async () => {
		const first = await sendSummit();
		fakeNow += 1000;
		const second = await sendSummit();
		await validate(second.otp, second.transactionId);
		const [newest, oldest] = await inbox();
		expect(newest).toMatchObject({ otp: second.otp, used: true });
		expect(oldest).toMatchObject({ otp: first.otp, used: false, expired: false });
	});
});

describe('reset', () => {
	it('DELETE /_sandbox/inbox empties the inbox and leaves the codes working', async () => {
		const { transactionId, otp } = await sendSummit();
		const r = await call(`${sb.url}/_sandbox/inbox`, { method: 'DELETE' });
		expect(r.status).toBe(200);
		expect(r.json).toEqual({ messages: [] });
		expect(await inbox()).toEqual([]);
		expect((await validate(otp, transactionId)).json.Errors).toBe('');
	});

	it('other methods are refused with Allow', async () => {
		const r = await call(`${sb.url}/_sandbox/inbox`, { method: 'PUT' });
		expect(r.status).toBe(405);
		expect(r.headers.allow).toBe('GET, DELETE');
	});
});

describe('inbox page', () => {
	const page = async () => (await call(`${sb.url}/_sandbox/`, { method: 'GET' })).text;

	it('is never framed or cached, and its policy runs only its own style and script', async () => {
		const r = await call(`${sb.url}/_sandbox/`, { method: 'GET' });
		expect(r.headers).toMatchObject({ 'x-frame-options': 'DENY', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
		const csp = String(r.headers['content-security-policy']);
		expect(csp).toContain("frame-ancestors 'none'");
		const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
		const style = /<style>([\s\S]*?)<\/style>/.exec(r.text)![1];
		const script = /<script>([\s\S]*?)<\/script>/.exec(r.text)![1];
		expect(csp).toContain(`style-src ${hash(style)}`);
		expect(csp).toContain(`script-src ${hash(script)}`);
		expect(csp).toContain("connect-src 'self'");
	});

	it('has a copy button per code, a reset button, and times the script shows in local time', async () => {
		const { otp } = await sendSummit();
		const html = await page();
		expect(html).toContain(`<button type="button" class="copy" data-otp="${otp}" aria-label="Copy code ${otp}">Copy</button>`);
		expect(html.match(/class="copy"/g)).toHaveLength(1);
		expect(html).toContain('<button type="button" id="reset-inbox">Reset inbox</button>');
		expect(html).toContain(`<time datetime="2025-01-15T09:30:00.000Z">`);
		expect(html).toContain('navigator.clipboard');
		expect(html).toContain("execCommand('copy')");
		expect(html).toContain('toLocaleTimeString');
		expect(html).toContain("fetch('/_sandbox/inbox', { method: 'DELETE' })");
	});

	it('marks used and expired codes', async () => {
		const a = await sendSummit();
		await validate(a.otp, a.transactionId);
		fakeNow += 1000;
		await sendSummit();
		fakeNow += 10 * 60 * 1000;
		await sendSummit();
		const html = await page();
		expect(html.match(/<span class="tag used">used<\/span>/g)).toHaveLength(1);
		expect(html.match(/<span class="tag expired">expired<\/span>/g)).toHaveLength(1);
		expect(html.match(/<span class="tag valid">valid<\/span>/g)).toHaveLength(1);
	});

	it('loads nothing from elsewhere and escapes what it shows, in attributes too', async () => {
		const id = { identifierType: 'USERNAME', identifierValue: '"><script>alert(1)</script>', brand: BRAND, deviceId: 'd1' };
		const t = await call(`${sb.baseUrls.capillary}/auth/v1/token/generate`, { body: id });
		await call(`${sb.baseUrls.capillary}/auth/v1/otp/generate`, { body: { ...id, sessionId: t.json.user.sessionId } });
		const html = await page();
		expect(html).not.toContain('<script>alert(1)');
		expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(html).not.toMatch(/<(script|link|img|iframe)[^>]*\s(src|href)=/i);
		expect(html.match(/<script>/g)).toHaveLength(1);
	});
});
