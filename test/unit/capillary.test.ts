import { findOperation, runOperation } from '../../nodes/core';
import { capillary } from '../../nodes/providers/capillary';
import { CAPILLARY_CODES } from '../../nodes/providers/capillary/codes';
import { FakeTransport, json } from '../support/fake-transport';

const credentials = { baseUrl: 'https://eu.api.capillarytech.com/', brand: 'DocDemo' };
const now = () => new Date('2026-11-22T10:00:00Z');
const mobile = { flavour: 'mobile', identifierType: 'MOBILE', identifierValue: '919999999993', deviceId: '123456785' };
const ok = (extra: object = {}) => json(200, { status: { success: true, code: 200, message: 'SUCCESS' }, ...extra });

async function run(opId: string, params: Record<string, unknown>, answer = ok()) {
	const transport = new FakeTransport(() => answer);
	const result = await runOperation(capillary, findOperation(capillary, opId), params, credentials, transport, { now, includeRaw: true });
	return { result, transport };
}

describe('Capillary input rules (nothing is sent when one fails)', () => {
	test.each([
		['identifierType', { ...mobile, identifierType: 'PHONE' }, 'must be one of MOBILE, EMAIL, USERNAME'],
		['identifierValue', { ...mobile, identifierValue: 'someone@example.com' }, 'must match its identifier type'],
		['identifierValue', { ...mobile, identifierType: 'EMAIL', identifierValue: '919999999993' }, 'must match its identifier type'],
		['identifierValue', { ...mobile, identifierType: 'USERNAME', identifierValue: 'a b' }, 'must match its identifier type'],
		['deviceId', { ...mobile, deviceId: '' }, 'is required'],
		['flavour', { ...mobile, flavour: 'desktop' }, 'must be one of mobile, web'],
	])('generate token: bad %s → invalid_request', async (field, params, rule) => {
		const { result, transport } = await run('generateToken', params);
		expect(transport.sent).toHaveLength(0);
		expect(result.status).toBe('invalid_request');
		expect(result.errors?.[0]).toMatchObject({ field });
		expect(result.message).toContain(rule);
	});

	test('session ID and OTP are required where the call needs them', async () => {
		const generate = await run('generateOtp', { ...mobile });
		expect(generate.result.errors).toEqual([
			{
				field: 'reference',
				message: "Nothing to continue from: run Generate Token first, and hand its result's reference to this step's Reference (reference)",
			},
		]);
		const validate = await run('validateOtp', { ...mobile, sessionId: 'P-1234' });
		expect(validate.result.errors?.map((e) => e.field)).toEqual(['otp']);
		expect(generate.transport.sent.length + validate.transport.sent.length).toBe(0);
	});

	test('the web flavour needs no device ID', async () => {
		const { result, transport } = await run(
			'generateToken',
			{ flavour: 'web', identifierType: 'EMAIL', identifierValue: 'a@example.com' },
			ok({ user: { sessionId: 'P-1234' } }),
		);
		expect(result.status).toBe('completed');
		expect(transport.sent[0].url).toBe('https://eu.api.capillarytech.com/auth/v1/web/token/generate');
		expect(transport.sent[0].body).toEqual({ identifierType: 'EMAIL', identifierValue: 'a@example.com' });
	});
});

describe('Capillary requests and results', () => {
	test('generate token (mobile) → completed, sessionId and identity in reference, session expiry', async () => {
		const { result, transport } = await run('generateToken', mobile, ok({ auth: { token: 'tok-123456', key: null }, user: { sessionId: 'P-7df5' } }));
		expect(transport.sent[0].url).toBe('https://eu.api.capillarytech.com/auth/v1/token/generate');
		expect(transport.sent[0].body).toEqual({ identifierType: 'MOBILE', identifierValue: '919999999993', deviceId: '123456785' });
		expect(result).toMatchObject({
			ok: true,
			status: 'completed',
			next: 'generateOtp',
			expiresAt: '2026-11-22T10:15:00.000Z',
			reference: { ...mobile, sessionId: 'P-7df5' },
		});
		expect(JSON.stringify(result)).not.toContain('tok-123456');
	});

	test('generate OTP → otp_sent pointing to validate', async () => {
		const { result, transport } = await run('generateOtp', { ...mobile, sessionId: 'P-7df5' });
		expect(transport.sent[0].url).toMatch(/\/auth\/v1\/otp\/generate$/);
		expect(transport.sent[0].body).toMatchObject({ sessionId: 'P-7df5', deviceId: '123456785' });
		expect(result).toMatchObject({ status: 'otp_sent', next: 'validateOtp', reference: { sessionId: 'P-7df5' } });
	});

	test("validate OTP → verified; the customer's token and device key are handed on in reference, and only there", async () => {
		const answer = ok({
			auth: { token: 'user-jwt-abc', key: 'device-key-xyz' },
			user: { userId: 42, note: 'token user-jwt-abc issued' },
			status: { success: true, code: 200, message: 'token user-jwt-abc' },
		});
		const transport = new FakeTransport(() => answer);
		const result = await runOperation(
			capillary,
			findOperation(capillary, 'validateOtp'),
			{ ...mobile, sessionId: 'P-7df5', otp: '123456' },
			credentials,
			transport,
			{ now, includeRaw: true },
		);
		expect(result).toMatchObject({ ok: true, status: 'verified', reference: { userId: '42', token: 'user-jwt-abc', key: 'device-key-xyz' } });
		const { reference, ...rest } = result;
		const elsewhere = JSON.stringify(rest);
		expect(elsewhere).not.toContain('user-jwt-abc');
		expect(elsewhere).not.toContain('device-key-xyz');
		expect(reference.token).toBe('user-jwt-abc');
	});

	test('a success without sessionId is a provider error, not a silent success', async () => {
		const { result } = await run('generateToken', mobile, ok({ user: {} }));
		expect(result.status).toBe('provider_error');
	});
});

describe('Capillary codes → normalised status', () => {
	const expected: Record<number, string> = {
		1502: 'provider_error',
		1503: 'provider_error',
		1504: 'provider_error',
		1505: 'expired',
		1506: 'invalid_otp',
		1507: 'invalid_request',
		1508: 'invalid_request',
		1509: 'invalid_request',
		1515: 'invalid_request',
		1518: 'max_attempts',
		1519: 'invalid_request',
		1520: 'invalid_request',
		1521: 'invalid_request',
		1523: 'provider_error',
		1524: 'invalid_request',
		1525: 'expired',
		1526: 'invalid_request',
		1527: 'invalid_request',
		1528: 'invalid_otp',
		1529: 'expired',
		1530: 'max_attempts',
		1531: 'provider_error',
		1532: 'provider_error',
		1534: 'rate_limited',
		1535: 'provider_error',
		1537: 'invalid_request',
		1540: 'invalid_request',
		1541: 'invalid_request',
		1542: 'invalid_request',
		1543: 'invalid_request',
		1546: 'invalid_request',
		5004: 'invalid_request',
		429: 'rate_limited',
	};

	test('every documented code is mapped', () => {
		expect(Object.keys(CAPILLARY_CODES).map(Number).sort()).toEqual(Object.keys(expected).map(Number).sort());
	});

	test.each(Object.entries(expected))('code %s → %s', async (code, status) => {
		const { result } = await run(
			'validateOtp',
			{ ...mobile, sessionId: 'P-1234', otp: '111111' },
			json(200, { status: { success: false, code: Number(code), message: 'words' } }),
		);
		expect(result.status).toBe(status);
		expect(result.providerStatus).toMatchObject({ code, text: 'words' });
		expect(result.reference.sessionId).toBe('P-1234');
	});

	test('1534 (too many OTPs for the customer) says when to try again: the OTP limit window, 10 minutes unless set', async () => {
		const answer = json(200, { status: { success: false, code: 1534, message: 'Max OTP limit reached' } });
		const byDefault = await run('generateOtp', { ...mobile, sessionId: 'P-1234' }, answer);
		expect(byDefault.result).toMatchObject({ status: 'rate_limited', retryable: true, retryAfterSeconds: 600 });
		const set = await run('generateOtp', { ...mobile, sessionId: 'P-1234', otpLimitWindowMinutes: 30 }, answer);
		expect(set.result.retryAfterSeconds).toBe(1800);
	});

	test.each([
		['1528 (wrong password): the customer may try again', 1528, { status: 'invalid_otp', retryable: true }],
		['1530 (too many wrong passwords): reset it', 1530, { status: 'max_attempts', retryable: false }],
		['1535 (the brand allows 0 OTPs): not worth retrying', 1535, { status: 'provider_error', retryable: false }],
		['1522 (not on the list): a provider error with the code', 1522, { status: 'provider_error', providerStatus: { code: '1522' } }],
	])('%s', async (_name, code, expected) => {
		const { result } = await run(
			'validatePassword',
			{ ...mobile, sessionId: 'P-1234', password: 'Secret-Pass-1' },
			json(200, { status: { success: false, code, message: 'words' } }),
		);
		expect(result).toMatchObject(expected);
	});

	test('an unknown code is a provider error carrying the code', async () => {
		const { result } = await run(
			'generateOtp',
			{ ...mobile, sessionId: 'P-1234' },
			json(200, { status: { success: false, code: 1999, message: 'new thing' } }),
		);
		expect(result).toMatchObject({ status: 'provider_error', providerStatus: { code: '1999' } });
		expect(result.message).toContain('1999');
	});
});

describe('Capillary chaining through one reference', () => {
	const token = { flavour: 'web', identifierType: 'EMAIL', identifierValue: 'asha@example.com', sessionId: 'P-77' };

	test('Validate OTP needs only the code and the reference: every other field is filled from it', async () => {
		const transport = new FakeTransport(() => ok({ auth: { token: 'jwt' }, user: { userId: 5 } }));
		const result = await runOperation(capillary, findOperation(capillary, 'validateOtp'), { otp: '123456' }, credentials, transport, { now, reference: token });
		expect(result).toMatchObject({ status: 'verified', reference: { ...token, userId: '5' } });
		expect(transport.sent[0].url).toBe('https://eu.api.capillarytech.com/auth/v1/web/otp/validate');
		expect(transport.sent[0].body).toEqual({ identifierType: 'EMAIL', identifierValue: 'asha@example.com', sessionId: 'P-77', otp: '123456' });
	});

	test('a field mapped on its own wins over the reference; the reference may arrive as JSON text', async () => {
		const transport = new FakeTransport(() => ok());
		await runOperation(capillary, findOperation(capillary, 'validateOtp'), { otp: '123456', sessionId: 'P-99' }, credentials, transport, {
			now,
			reference: JSON.stringify(token),
		});
		expect(transport.sent[0].body).toMatchObject({ sessionId: 'P-99', identifierValue: 'asha@example.com' });
	});

	test('without a reference, Validate OTP says to send a code first and sends nothing', async () => {
		for (const reference of [undefined, {}, '', 'not json', []]) {
			const transport = new FakeTransport(() => ok());
			const result = await runOperation(capillary, findOperation(capillary, 'validateOtp'), { otp: '123456' }, credentials, transport, { now, reference });
			expect(result).toMatchObject({ status: 'invalid_request', retryable: false });
			expect(result.message).toBe(
				"Nothing was sent. No code was sent for this reference yet: send one first with Generate OTP, and hand its result's reference to this step's Reference (reference).",
			);
			expect(transport.sent).toHaveLength(0);
		}
	});

	test('a reference that lacks a value still names the missing field', async () => {
		const transport = new FakeTransport(() => ok());
		const result = await runOperation(capillary, findOperation(capillary, 'validateOtp'), { otp: '123456' }, credentials, transport, {
			now,
			reference: { ...token, sessionId: undefined },
		});
		expect(result.errors?.map((e) => e.field)).toEqual(['sessionId']);
	});
});

describe('Capillary Regenerate Token', () => {
	const loggedIn = { ...mobile, sessionId: 'P-1', token: 'old-user-token-123', key: 'device-key-abcdefgh' };

	test("mobile: sends the device key from Validate OTP's reference; the new token is handed on, the key kept", async () => {
		const transport = new FakeTransport(() => ok({ auth: { token: 'new-user-token-456', key: null }, user: { userId: 9 } }));
		const result = await runOperation(capillary, findOperation(capillary, 'regenerateToken'), {}, credentials, transport, { now, reference: loggedIn });
		expect(transport.sent[0].url).toBe('https://eu.api.capillarytech.com/auth/v1/token/regenerate');
		expect(transport.sent[0].body).toEqual({ identifierType: 'MOBILE', identifierValue: '919999999993', deviceId: '123456785', key: 'device-key-abcdefgh' });
		expect(result).toMatchObject({ ok: true, status: 'completed', reference: { token: 'new-user-token-456', key: 'device-key-abcdefgh', userId: '9' } });
		const { reference: _reference, ...rest } = result;
		expect(JSON.stringify(rest)).not.toMatch(/new-user-token-456|device-key-abcdefgh/);
	});

	test('web: sends the expired token instead; without one it says to run Validate OTP first', async () => {
		const web = { flavour: 'web', identifierType: 'EMAIL', identifierValue: 'asha@example.com', token: 'old-user-token-123' };
		const transport = new FakeTransport(() => ok({ auth: { token: 'new-user-token-456' } }));
		await runOperation(capillary, findOperation(capillary, 'regenerateToken'), {}, credentials, transport, { now, reference: web });
		expect(transport.sent[0].url).toBe('https://eu.api.capillarytech.com/auth/v1/web/token/regenerate');
		expect(transport.sent[0].body).toEqual({ identifierType: 'EMAIL', identifierValue: 'asha@example.com', expiredToken: 'old-user-token-123' });
		const none = await runOperation(capillary, findOperation(capillary, 'regenerateToken'), {}, credentials, new FakeTransport(), { now });
		expect(none.message).toContain('Nothing to continue from: run Validate OTP first');
	});

	test('1525 (cannot regenerate) → expired: log the customer in again; an error never quotes the key', async () => {
		const transport = new FakeTransport(() =>
			json(200, { status: { success: false, code: 1525, message: 'Unable to regenerate token for key device-key-abcdefgh' } }),
		);
		const result = await runOperation(capillary, findOperation(capillary, 'regenerateToken'), {}, credentials, transport, { now, reference: loggedIn });
		expect(result).toMatchObject({ status: 'expired', ok: false });
		expect(result.message).toContain('log the customer in again');
		expect(JSON.stringify(result)).not.toContain('device-key-abcdefgh');
	});
});

describe('Capillary passwords, logout, EXTERNALID and hash', () => {
	const PASSWORD = 'Secret-Pass-1';
	const session = { ...mobile, sessionId: 'P-1234' };

	test('Validate Password (mobile) sends the password once, to Capillary; the token and key are handed on as Validate OTP hands them on', async () => {
		const answer = ok({
			auth: { token: 'user-jwt-abc', key: 'device-key-xyz' },
			user: { userId: 42, echo: `password ${PASSWORD}` },
			status: { success: true, code: 200, message: `ok ${PASSWORD} user-jwt-abc` },
		});
		const { result, transport } = await run('validatePassword', { ...session, password: PASSWORD }, answer);
		expect(transport.sent[0].url).toBe('https://eu.api.capillarytech.com/auth/v1/password/validate');
		expect(transport.sent[0].body).toEqual({
			identifierType: 'MOBILE',
			identifierValue: '919999999993',
			deviceId: '123456785',
			sessionId: 'P-1234',
			password: PASSWORD,
		});
		expect(result).toMatchObject({ ok: true, status: 'verified', reference: { ...session, userId: '42', token: 'user-jwt-abc', key: 'device-key-xyz' } });
		expect(JSON.stringify(result)).not.toContain(PASSWORD);
		const { reference: _reference, ...rest } = result;
		expect(JSON.stringify(rest)).not.toMatch(/user-jwt-abc|device-key-xyz/);
	});

	test('Validate Password (web) uses the web path and no device ID; without a session it says to run Generate Token first', async () => {
		const web = { flavour: 'web', identifierType: 'EMAIL', identifierValue: 'asha@example.com', sessionId: 'P-2345' };
		const { result, transport } = await run('validatePassword', { ...web, password: PASSWORD }, ok({ auth: { token: 'user-jwt-abc', key: null } }));
		expect(transport.sent[0].url).toBe('https://eu.api.capillarytech.com/auth/v1/web/password/validate');
		expect(transport.sent[0].body).toEqual({ identifierType: 'EMAIL', identifierValue: 'asha@example.com', sessionId: 'P-2345', password: PASSWORD });
		expect(result.reference).toEqual({ ...web, factor: 'first', token: 'user-jwt-abc' });
		const none = await runOperation(capillary, findOperation(capillary, 'validatePassword'), { password: PASSWORD }, credentials, new FakeTransport(), { now });
		expect(none.message).toContain('run Generate Token first');
	});

	test('a first-time customer (1526) is told to log in by OTP first; the refusal never quotes the password', async () => {
		const { result } = await run(
			'validatePassword',
			{ ...session, password: PASSWORD },
			json(200, { status: { success: false, code: 1526, message: `Unable to validate password ${PASSWORD}` } }),
		);
		expect(result).toMatchObject({ ok: false, status: 'invalid_request', retryable: false });
		expect(result.message).toContain('log in by OTP first');
		expect(JSON.stringify(result)).not.toContain(PASSWORD);
	});

	test('Forgot Password sends the new password twice and points to a new login', async () => {
		const { result, transport } = await run('forgotPassword', { ...session, password: PASSWORD, confirmPassword: PASSWORD });
		expect(transport.sent[0].url).toBe('https://eu.api.capillarytech.com/auth/v1/password/forget');
		expect(transport.sent[0].body).toEqual({
			identifierType: 'MOBILE',
			identifierValue: '919999999993',
			deviceId: '123456785',
			sessionId: 'P-1234',
			password: PASSWORD,
			confirmPassword: PASSWORD,
		});
		expect(result).toMatchObject({ ok: true, status: 'completed', next: 'generateToken', reference: session });
		expect(JSON.stringify(result)).not.toContain(PASSWORD);
	});

	test.each([
		['validatePassword', 'password', { ...session, password: '' }, 'is required'],
		['validatePassword', 'password', { ...session, password: ` ${PASSWORD}` }, 'must not begin or end with a space'],
		['validatePassword', 'password', { ...session, password: 'x'.repeat(129) }, 'at most 128 characters'],
		['validatePassword', 'password', { ...session, password: 'pass\nword' }, 'control characters'],
		['forgotPassword', 'confirmPassword', { ...session, password: PASSWORD, confirmPassword: 'Other-Pass-2' }, 'must be the same as password'],
		['forgotPassword', 'confirmPassword', { ...session, password: PASSWORD }, 'is required'],
		['expireToken', 'token', { ...mobile, token: 'short' }, 'must be the token Validate OTP returned'],
		['expireToken', 'method', { ...mobile, token: 'user-jwt-abcdef', method: 'PUT' }, 'must be one of DELETE, POST'],
		['expireToken', 'identifierValue', { ...mobile, identifierType: 'EXTERNALID', identifierValue: 'ext id', token: 'user-jwt-abcdef' }, 'must match'],
		['generateToken', 'identifierType', { ...mobile, identifierType: 'EXTERNALID' }, 'can be EXTERNALID only on Second Factor (MFA) calls'],
		['generateOtp', 'hash', { ...session, hash: 'a b' }, 'must be 1–512 letters'],
	])('%s: bad %s → invalid_request naming it, nothing sent, no secret echoed', async (opId, field, params, rule) => {
		const { result, transport } = await run(opId, params);
		expect(transport.sent).toHaveLength(0);
		expect(result.status).toBe('invalid_request');
		expect(result.errors?.map((e) => e.field)).toContain(field);
		expect(result.message).toContain(rule);
		for (const secret of [PASSWORD, 'Other-Pass-2', 'user-jwt-abcdef']) expect(JSON.stringify(result)).not.toContain(secret);
	});

	test("Expire Token: DELETE by default (Capillary's sample), POST as an option; the token is sent and nowhere else", async () => {
		const loggedIn = { ...mobile, sessionId: 'P-1234', token: 'user-jwt-abcdef', key: 'device-key-xyz' };
		const transport = new FakeTransport(() => ok({ status: { success: true, code: 200, message: 'expired user-jwt-abcdef' } }));
		const result = await runOperation(capillary, findOperation(capillary, 'expireToken'), {}, credentials, transport, {
			now,
			reference: loggedIn,
			includeRaw: true,
		});
		expect(transport.sent[0]).toMatchObject({ method: 'DELETE', url: 'https://eu.api.capillarytech.com/auth/v1/mfa/token/expire' });
		expect(transport.sent[0].body).toEqual({ identifierType: 'MOBILE', identifierValue: '919999999993', deviceId: '123456785', token: 'user-jwt-abcdef' });
		expect(result).toMatchObject({ ok: true, status: 'completed', reference: { ...mobile, sessionId: 'P-1234' } });
		expect(JSON.stringify(result)).not.toContain('user-jwt-abcdef');
		const post = await run('expireToken', { ...mobile, token: 'user-jwt-abcdef', method: 'POST' });
		expect(post.transport.sent[0].method).toBe('POST');
		const none = await runOperation(capillary, findOperation(capillary, 'expireToken'), {}, credentials, new FakeTransport(), { now });
		expect(none.message).toContain('run Validate OTP first');
	});

	test('Expire Token takes EXTERNALID (an MFA call); 1531 (unable to expire) is a provider error', async () => {
		const external = { ...mobile, identifierType: 'EXTERNALID', identifierValue: 'CUST-0042', token: 'user-jwt-abcdef' };
		const { result, transport } = await run('expireToken', external, json(200, { status: { success: false, code: 1531, message: 'Unable to expire token' } }));
		expect(transport.sent[0].body).toMatchObject({ identifierType: 'EXTERNALID', identifierValue: 'CUST-0042' });
		expect(result).toMatchObject({ status: 'provider_error', providerStatus: { code: '1531' } });
	});

	test('Generate OTP sends the optional hash only when set', async () => {
		const without = await run('generateOtp', session);
		expect(without.transport.sent[0].body).not.toHaveProperty('hash');
		const withHash = await run('generateOtp', { ...session, hash: 'FA+9qCX9VSu' });
		expect(withHash.transport.sent[0].body).toMatchObject({ hash: 'FA+9qCX9VSu', sessionId: 'P-1234' });
	});
});

describe('Capillary Second Factor (MFA)', () => {
	const FIRST_TOKEN = 'first-factor-jwt-0123456789';
	// What the first factor's Validate OTP hands on.
	const loggedIn = { ...mobile, factor: 'first', sessionId: 'P-1111', token: FIRST_TOKEN, key: 'first-device-key', userId: '42' };
	const mfaSession = { ...mobile, factor: 'mfa', sessionId: 'P-2222' };

	async function chained(opId: string, reference: object, given: Record<string, unknown> = {}, answer = ok()) {
		const transport = new FakeTransport(() => answer);
		const result = await runOperation(capillary, findOperation(capillary, opId), given, credentials, transport, { now, reference, includeRaw: true });
		return { result, transport };
	}

	test("Generate Token (Second Factor) after Validate OTP: the first factor's token goes as authorizedToken to /mfa/token/generate and nowhere else", async () => {
		const answer = ok({ user: { sessionId: 'P-2222' }, status: { success: true, code: 200, message: `session for ${FIRST_TOKEN}` } });
		const { result, transport } = await chained('generateToken', loggedIn, { ...mobile, factor: 'mfa' }, answer);
		expect(transport.sent[0]).toMatchObject({ method: 'POST', url: 'https://eu.api.capillarytech.com/auth/v1/mfa/token/generate' });
		expect(transport.sent[0].body).toEqual({ identifierType: 'MOBILE', identifierValue: '919999999993', deviceId: '123456785', authorizedToken: FIRST_TOKEN });
		expect(result).toMatchObject({ ok: true, status: 'completed', next: 'generateOtp', reference: { ...mfaSession } });
		expect(result.message).toContain('Second factor');
		// The first factor's token is not carried on, not echoed in the message, status text or raw.
		expect(JSON.stringify(result)).not.toContain(FIRST_TOKEN);
		expect(result.reference).not.toHaveProperty('token');
	});

	test('Generate OTP → Validate OTP continue the MFA session with nothing set: the MFA paths, the MFA token and key handed on', async () => {
		const otp = await chained('generateOtp', mfaSession);
		expect(otp.transport.sent[0].url).toBe('https://eu.api.capillarytech.com/auth/v1/mfa/otp/generate');
		expect(otp.transport.sent[0].body).toEqual({ identifierType: 'MOBILE', identifierValue: '919999999993', deviceId: '123456785', sessionId: 'P-2222' });
		expect(otp.result).toMatchObject({ status: 'otp_sent', reference: mfaSession });
		const answer = ok({ auth: { token: 'mfa-user-jwt-abcdef', key: 'mfa-device-key' }, user: { userId: 42, sessionId: 'P-2222' } });
		const validated = await chained('validateOtp', otp.result.reference, { otp: '123456' }, answer);
		expect(validated.transport.sent[0].url).toBe('https://eu.api.capillarytech.com/auth/v1/mfa/otp/validate');
		expect(validated.transport.sent[0].body).toMatchObject({ sessionId: 'P-2222', otp: '123456', deviceId: '123456785' });
		expect(validated.result).toMatchObject({
			status: 'verified',
			message: 'Second factor (MFA) OTP verified',
			reference: { ...mfaSession, token: 'mfa-user-jwt-abcdef', key: 'mfa-device-key', userId: '42' },
		});
		const { reference: _reference, ...rest } = validated.result;
		expect(JSON.stringify(rest)).not.toMatch(/mfa-user-jwt-abcdef|mfa-device-key/);
	});

	test('Validate Password, Regenerate Token and Forgot Password take the MFA paths when the reference says Second Factor', async () => {
		const password = await chained(
			'validatePassword',
			mfaSession,
			{ password: 'Secret-Pass-1' },
			ok({ auth: { token: 'mfa-user-jwt-abcdef', key: 'k-12345678' } }),
		);
		expect(password.transport.sent[0].url).toBe('https://eu.api.capillarytech.com/auth/v1/mfa/password/validate');
		expect(password.result).toMatchObject({ status: 'verified', reference: { factor: 'mfa', token: 'mfa-user-jwt-abcdef' } });
		const renewed = await chained(
			'regenerateToken',
			{ ...mfaSession, token: 'mfa-user-jwt-abcdef', key: 'mfa-device-key' },
			{},
			ok({ auth: { token: 'new-jwt-12345678' } }),
		);
		expect(renewed.transport.sent[0].url).toBe('https://eu.api.capillarytech.com/auth/v1/mfa/token/regenerate');
		expect(renewed.transport.sent[0].body).toEqual({ identifierType: 'MOBILE', identifierValue: '919999999993', deviceId: '123456785', key: 'mfa-device-key' });
		expect(renewed.result).toMatchObject({ status: 'completed', reference: { factor: 'mfa', token: 'new-jwt-12345678', key: 'mfa-device-key' } });
		const forgot = await chained('forgotPassword', mfaSession, { password: 'Secret-Pass-1', confirmPassword: 'Secret-Pass-1' });
		expect(forgot.transport.sent[0]).toMatchObject({ method: 'POST', url: 'https://eu.api.capillarytech.com/auth/v1/mfa/password/forget' });
		expect(forgot.result).toMatchObject({ status: 'completed', next: 'generateToken', reference: mfaSession });
	});

	test('EXTERNALID is accepted on a Second Factor call and checked for its form', async () => {
		const external = { ...mobile, factor: 'mfa', identifierType: 'EXTERNALID', identifierValue: 'CUST-0042', authorizedToken: FIRST_TOKEN };
		const { result, transport } = await run('generateToken', external, ok({ user: { sessionId: 'P-3333' } }));
		expect(transport.sent[0].body).toMatchObject({ identifierType: 'EXTERNALID', identifierValue: 'CUST-0042' });
		expect(result).toMatchObject({ status: 'completed', reference: { identifierType: 'EXTERNALID', identifierValue: 'CUST-0042', factor: 'mfa' } });
	});

	test('a first-factor Generate Token handed a reference with a token sends no authorizedToken and keeps the usual path', async () => {
		const { transport } = await chained('generateToken', loggedIn, { ...mobile }, ok({ user: { sessionId: 'P-4444' } }));
		expect(transport.sent[0].url).toBe('https://eu.api.capillarytech.com/auth/v1/token/generate');
		expect(transport.sent[0].body).toEqual({ identifierType: 'MOBILE', identifierValue: '919999999993', deviceId: '123456785' });
	});

	test.each([
		['generateToken', 'factor', { ...mobile, factor: 'second' }, 'must be one of first, mfa'],
		[
			'generateToken',
			'factor',
			{ flavour: 'web', identifierType: 'EMAIL', identifierValue: 'a@example.com', factor: 'mfa', authorizedToken: FIRST_TOKEN },
			'only with App Type Mobile App',
		],
		['generateToken', 'authorizedToken', { ...mobile, factor: 'mfa' }, 'is required when factor is mfa'],
		[
			'generateToken',
			'authorizedToken',
			{ ...mobile, factor: 'mfa', authorizedToken: 'short' },
			'must be the token Validate OTP or Validate Password returned',
		],
		['generateToken', 'authorizedToken', { ...mobile, factor: 'mfa', authorizedToken: `${FIRST_TOKEN} x` }, 'must be the token'],
		['generateToken', 'authorizedToken', { ...mobile, factor: 'mfa', authorizedToken: 'x'.repeat(4097) }, 'at most 4096 characters'],
		[
			'generateToken',
			'identifierValue',
			{ ...mobile, factor: 'mfa', authorizedToken: FIRST_TOKEN, identifierType: 'EXTERNALID', identifierValue: 'ext id' },
			'must match',
		],
		[
			'generateOtp',
			'identifierType',
			{ ...mobile, sessionId: 'P-1234', identifierType: 'EXTERNALID', identifierValue: 'CUST-1' },
			'only on Second Factor (MFA) calls',
		],
		['validateOtp', 'factor', { ...mobile, sessionId: 'P-1234', otp: '123456', factor: 'MFA' }, 'must be one of first, mfa'],
	])('%s: bad %s → invalid_request naming it, nothing sent, no token echoed', async (opId, field, params, rule) => {
		const { result, transport } = await run(opId, params);
		expect(transport.sent).toHaveLength(0);
		expect(result.status).toBe('invalid_request');
		expect(result.errors?.map((e) => e.field)).toContain(field);
		expect(result.message).toContain(rule);
		expect(JSON.stringify(result)).not.toContain(FIRST_TOKEN);
	});
});
