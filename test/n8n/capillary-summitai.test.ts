/** Capillary Auth Engine and SummitAI ITSM nodes run by the real n8n engine against the sandbox. */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { SANDBOX_ACCOUNTS } from '../../sandbox';
import { otp, out, paired, readInbox, sandboxCredentials, sandboxSuite } from './otpflow';

const SUMMIT = SANDBOX_ACCOUNTS.summitai;
const WRONG_KEY = 'wrong-api-key-must-not-leak';

const CUSTOMER = SANDBOX_ACCOUNTS.capillary.passwordCustomer;
const NEW_PASSWORD = 'Brand-New-Pass-7';
// A customer's password is sent to Capillary and nowhere else; the stored passwords Find User's answer lists reach no output.
const STORED_PASSWORDS = SUMMIT.directory.map((u) => u.Frm_PWD);
const suite = sandboxSuite([SUMMIT.apiKey, SUMMIT.password, WRONG_KEY, CUSTOMER.password, NEW_PASSWORD, ...STORED_PASSWORDS]);
const { run } = suite;

describe('Capillary node in the n8n engine', () => {
	const FLAVOURS = [
		{ flavour: 'mobile', identifierType: 'MOBILE', identifierValue: '919999999993', deviceId: '123456785' },
		{ flavour: 'web', identifierType: 'EMAIL', identifierValue: 'asha@example.com' },
	];

	it.each(FLAVOURS)("$flavour app: after Validate OTP, Regenerate Token renews the customer's token with nothing set", async (identity) => {
		const r = await run([
			otp('Generate Token', 'capillary', 'generateToken', identity),
			otp('Generate OTP', 'capillary', 'generateOtp'),
			readInbox('capillary', '={{ $json.reference.identifierValue }}'),
			otp('Validate OTP', 'capillary', 'validateOtp', { otp: '={{ $json.code }}', reference: "={{ $('Generate OTP').item.json.reference }}" }),
			otp('Regenerate Token', 'capillary', 'regenerateToken'),
		]);
		const [validated] = out(r, 'Validate OTP', 0);
		const [renewed] = out(r, 'Regenerate Token', 0);
		expect(renewed).toMatchObject({ ok: true, status: 'completed', reference: { token: expect.any(String) } });
		const before = validated.reference as Record<string, string>;
		const after = renewed.reference as Record<string, string>;
		expect(after.token).not.toBe(before.token);
		if (identity.flavour === 'mobile') expect(after.key).toBe(before.key);
	});

	it('a returning customer: Generate Token → Validate Password hands on the token and key like Validate OTP; Expire Token logs out', async () => {
		const identity = { flavour: 'mobile', identifierType: 'MOBILE', identifierValue: CUSTOMER.identifierValue, deviceId: '123456785' };
		const r = await run([
			otp('Generate Token', 'capillary', 'generateToken', identity),
			otp('Validate Password', 'capillary', 'validatePassword', { password: CUSTOMER.password }),
			otp('Expire Token', 'capillary', 'expireToken'),
			otp('Regenerate Token', 'capillary', 'regenerateToken', { reference: "={{ $('Validate Password').item.json.reference }}" }),
		]);
		const [validated] = out(r, 'Validate Password', 0);
		expect(validated).toMatchObject({
			ok: true,
			status: 'verified',
			reference: { ...identity, sessionId: expect.any(String), token: expect.any(String), key: expect.any(String), userId: expect.any(String) },
		});
		expect(out(r, 'Expire Token', 0)).toEqual([expect.objectContaining({ ok: true, status: 'completed', operation: 'expireToken' })]);
		// Logged out: the device key no longer renews the token.
		expect(out(r, 'Regenerate Token', 1)).toEqual([expect.objectContaining({ status: 'expired', providerStatus: expect.objectContaining({ code: '1525' }) })]);
		expect(JSON.stringify(out(r, 'Expire Token', 0))).not.toContain(String((validated.reference as Record<string, string>).token));
	});

	it('Second Factor (MFA): after a password login, Generate Token (Second Factor) → Generate OTP → Validate OTP with only the code typed in; the first token is sent and shown nowhere', async () => {
		const identity = { flavour: 'mobile', identifierType: 'MOBILE', identifierValue: CUSTOMER.identifierValue, deviceId: '123456785' };
		const r = await run([
			otp('Generate Token', 'capillary', 'generateToken', identity),
			otp('Validate Password', 'capillary', 'validatePassword', { password: CUSTOMER.password }),
			// Authorized Token left empty: the Reference (Validate Password's) fills it.
			otp('MFA Token', 'capillary', 'generateToken', { ...identity, factor: 'mfa' }),
			otp('MFA OTP', 'capillary', 'generateOtp'),
			readInbox('capillary', '={{ $json.reference.identifierValue }}'),
			otp('MFA Validate', 'capillary', 'validateOtp', { otp: '={{ $json.code }}', reference: "={{ $('MFA OTP').item.json.reference }}" }),
			otp('MFA Regenerate', 'capillary', 'regenerateToken'),
		]);
		expect(r.error).toBeUndefined();
		const [first] = out(r, 'Validate Password', 0);
		const firstToken = (first.reference as Record<string, string>).token;
		const [session] = out(r, 'MFA Token', 0);
		expect(session).toMatchObject({ ok: true, status: 'completed', reference: { ...identity, factor: 'mfa', sessionId: expect.any(String) } });
		expect(JSON.stringify(session)).not.toContain(firstToken);
		expect(out(r, 'MFA OTP', 0)).toEqual([expect.objectContaining({ status: 'otp_sent', reference: expect.objectContaining({ factor: 'mfa' }) })]);
		const [mfa] = out(r, 'MFA Validate', 0);
		expect(mfa).toMatchObject({
			status: 'verified',
			message: 'Second factor (MFA) OTP verified',
			reference: { factor: 'mfa', token: expect.any(String), key: expect.any(String) },
		});
		expect((mfa.reference as Record<string, string>).token).not.toBe(firstToken);
		expect(out(r, 'MFA Regenerate', 0)).toEqual([expect.objectContaining({ status: 'completed', reference: expect.objectContaining({ factor: 'mfa' }) })]);
	});

	it('Second Factor (MFA) with a web app, or with no token to authorize it, sends nothing and names the field', async () => {
		const web = { flavour: 'web', identifierType: 'EMAIL', identifierValue: 'asha@example.com', factor: 'mfa', authorizedToken: 'some-first-factor-token' };
		const r = await run([otp('MFA Token', 'capillary', 'generateToken', web)]);
		expect(out(r, 'MFA Token', 1)).toEqual([expect.objectContaining({ status: 'invalid_request', errors: [expect.objectContaining({ field: 'factor' })] })]);
		const none = await run([
			otp('MFA Token', 'capillary', 'generateToken', {
				flavour: 'mobile',
				identifierType: 'EXTERNALID',
				identifierValue: 'CUST-42',
				deviceId: '1',
				factor: 'mfa',
			}),
		]);
		expect(out(none, 'MFA Token', 1)).toEqual([
			expect.objectContaining({ status: 'invalid_request', errors: [expect.objectContaining({ field: 'authorizedToken' })] }),
		]);
	});

	it('a first-time customer cannot log in by password; after Forgot Password and an OTP login the new password works', async () => {
		const identity = { flavour: 'web', identifierType: 'EMAIL', identifierValue: 'asha@example.com' };
		const first = await run([
			otp('Generate Token', 'capillary', 'generateToken', identity),
			otp('Validate Password', 'capillary', 'validatePassword', { password: NEW_PASSWORD }),
		]);
		expect(out(first, 'Validate Password', 1)).toEqual([
			expect.objectContaining({ status: 'invalid_request', retryable: false, message: expect.stringContaining('log in by OTP first') }),
		]);
		const reset = await run([
			otp('Generate Token', 'capillary', 'generateToken', identity),
			otp('Forgot Password', 'capillary', 'forgotPassword', { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }),
			otp('Generate OTP', 'capillary', 'generateOtp'),
			readInbox('capillary', '={{ $json.reference.identifierValue }}'),
			otp('Validate OTP', 'capillary', 'validateOtp', { otp: '={{ $json.code }}', reference: "={{ $('Generate OTP').item.json.reference }}" }),
			otp('Generate Token again', 'capillary', 'generateToken', identity),
			otp('Validate Password', 'capillary', 'validatePassword', { password: NEW_PASSWORD }),
		]);
		expect(out(reset, 'Forgot Password', 0)).toEqual([expect.objectContaining({ status: 'completed', next: 'generateToken' })]);
		expect(out(reset, 'Validate Password', 0)).toEqual([
			expect.objectContaining({ status: 'verified', reference: expect.objectContaining({ token: expect.any(String) }) }),
		]);
	});

	it.each(FLAVOURS)('$flavour app: Generate Token → Generate OTP → inbox → Validate OTP with only the code typed in', async (identity) => {
		const r = await run([
			otp('Generate Token', 'capillary', 'generateToken', identity),
			// Flavour, identifier, device and session all left at their defaults: `={{ $json.reference.… }}`.
			otp('Generate OTP', 'capillary', 'generateOtp'),
			readInbox('capillary', '={{ $json.reference.identifierValue }}'),
			otp('Validate OTP', 'capillary', 'validateOtp', { otp: '={{ $json.code }}' }),
		]);
		expect(r.error).toBeUndefined();
		const [token] = out(r, 'Generate Token', 0);
		expect(token).toMatchObject({
			ok: true,
			status: 'completed',
			provider: 'capillary',
			next: 'generateOtp',
			reference: { ...identity, sessionId: expect.any(String) },
		});
		const sessionId = (token.reference as Record<string, string>).sessionId;
		expect(out(r, 'Generate OTP', 0)).toEqual([
			expect.objectContaining({
				ok: true,
				status: 'otp_sent',
				next: 'validateOtp',
				expiresAt: expect.any(String),
				reference: { ...identity, factor: 'first', sessionId },
			}),
		]);
		expect(out(r, 'Validate OTP', 0)).toEqual([
			expect.objectContaining({
				ok: true,
				status: 'verified',
				operation: 'validateOtp',
				reference: expect.objectContaining({ sessionId, userId: expect.any(String) }),
			}),
		]);
		for (const step of ['Generate Token', 'Generate OTP', 'Validate OTP']) {
			expect(out(r, step, 1)).toEqual([]);
			expect(paired(r, step, 0)).toEqual([{ item: 0 }]);
		}
	});

	it('n8n applies the credential: the brand reaches the body, and a brand the provider does not know fails the item', async () => {
		const identity = { flavour: 'web', identifierType: 'EMAIL', identifierValue: 'asha@example.com' };
		const good = await run([otp('Generate Token', 'capillary', 'generateToken', identity)]);
		expect(out(good, 'Generate Token', 0)[0]).toMatchObject({ ok: true, providerStatus: { httpStatus: 200, code: '200' } });

		const credentials = sandboxCredentials(suite.sandbox);
		credentials.capillaryAuthEngineApi = { ...credentials.capillaryAuthEngineApi, brand: 'NoSuchBrand' };
		const bad = await run([otp('Generate Token', 'capillary', 'generateToken', identity)], undefined, credentials);
		// Capillary has no secret: an unknown brand is its "invalid details" code 1519.
		expect(out(bad, 'Generate Token', 1)).toEqual([
			expect.objectContaining({ ok: false, status: 'invalid_request', providerStatus: expect.objectContaining({ code: '1519' }) }),
		]);
	});
});

describe('SummitAI node in the n8n engine', () => {
	const user = { DomainId: '1', UserID: '967', LoginUID: '967', UserName: 'abcd' };
	const AUTH: Array<{ authType: string; credential: ICredentialDataDecryptedObject }> = [
		{ authType: 'APIKEY', credential: { authType: 'APIKEY', apiKey: SUMMIT.apiKey } },
		{ authType: 'FORM', credential: { authType: 'FORM', userName: SUMMIT.userName, password: SUMMIT.password } },
	];

	it.each(AUTH)('$authType auth: Generate OTP → inbox → Validate OTP with only the code typed in', async ({ credential }) => {
		const credentials = sandboxCredentials(suite.sandbox);
		credentials.summitAiApi = { baseUrl: suite.sandbox.baseUrls.summitai, ...credential };
		const r = await run(
			[
				otp('Generate OTP', 'summitAi', 'generateOtp', user),
				readInbox('summitai', 'abcd'),
				// TransactionID and LoginUID left at their defaults.
				otp('Validate OTP', 'summitAi', 'validateOtp', { OTP_Text: '={{ $json.code }}' }),
			],
			undefined,
			credentials,
		);
		expect(r.error).toBeUndefined();
		const [sent] = out(r, 'Generate OTP', 0);
		expect(sent).toMatchObject({
			ok: true,
			status: 'otp_sent',
			provider: 'summitai',
			next: 'validateOtp',
			reference: { loginUid: '967', userId: '967', userName: 'abcd', transactionId: expect.any(String) },
		});
		expect(out(r, 'Validate OTP', 0)).toEqual([
			expect.objectContaining({
				ok: true,
				status: 'verified',
				// The user travels on too, for a new Generate OTP after a failed validation.
				reference: sent.reference,
			}),
		]);
		for (const step of ['Generate OTP', 'Validate OTP']) {
			expect(out(r, step, 1)).toEqual([]);
			expect(paired(r, step, 0)).toEqual([{ item: 0 }]);
		}
	});

	it.each(AUTH)(
		'$authType auth: Find User by e-mail → Generate OTP → Validate OTP, with only the address, domain and code typed in',
		async ({ credential }) => {
			const credentials = sandboxCredentials(suite.sandbox);
			credentials.summitAiApi = { baseUrl: suite.sandbox.baseUrls.summitai, ...credential };
			const r = await run(
				[
					otp('Find User', 'summitAi', 'findUser', { findBy: 'email', email: 'abcd@summit.local', options: { includeRaw: true } }),
					// UserID, LoginUID and UserName left empty: the Reference parameter's default fills them.
					otp('Generate OTP', 'summitAi', 'generateOtp', { DomainId: '1' }),
					readInbox('summitai', 'abcd'),
					otp('Validate OTP', 'summitAi', 'validateOtp', { OTP_Text: '={{ $json.code }}', reference: "={{ $('Generate OTP').item.json.reference }}" }),
				],
				undefined,
				credentials,
			);
			expect(r.error).toBeUndefined();
			const [found] = out(r, 'Find User', 0);
			expect(found).toMatchObject({ ok: true, status: 'completed', next: 'generateOtp', reference: { userId: '967', loginUid: '967', userName: 'abcd' } });
			expect(JSON.stringify(found)).not.toContain('summit.local');
			expect(JSON.stringify(found)).not.toContain('Frm_PWD');
			expect(out(r, 'Generate OTP', 0)).toEqual([expect.objectContaining({ status: 'otp_sent', reference: expect.objectContaining({ loginUid: '967' }) })]);
			expect(out(r, 'Validate OTP', 0)).toEqual([expect.objectContaining({ ok: true, status: 'verified' })]);
		},
	);

	it.each([
		[{ findBy: 'email', email: 'nobody@summit.local' }, 'SummitAI found no user with this e-mail address (email)'],
		[{ findBy: 'userName', userName: 'john' }, 'SummitAI found 3 users with this user name (userName)'],
	])('Find User %j → Failure as invalid_request, nothing handed on', async (params, words) => {
		const r = await run([otp('Find User', 'summitAi', 'findUser', params)]);
		const [failed] = out(r, 'Find User', 1);
		expect(failed).toMatchObject({ ok: false, status: 'invalid_request', reference: {} });
		expect(failed.message).toContain(words);
		expect(out(r, 'Find User', 0)).toEqual([]);
	});

	it.each<{ authType: string; wrong: ICredentialDataDecryptedObject }>([
		{ authType: 'APIKEY', wrong: { authType: 'APIKEY', apiKey: WRONG_KEY } },
		{ authType: 'FORM', wrong: { authType: 'FORM', userName: SUMMIT.userName, password: WRONG_KEY } },
	])('$authType auth: a wrong secret (HTTP 200 with Errors) puts the item on Failure as auth_failed', async ({ wrong }) => {
		const credentials = sandboxCredentials(suite.sandbox);
		credentials.summitAiApi = { baseUrl: suite.sandbox.baseUrls.summitai, ...wrong };
		const r = await run([otp('Generate OTP', 'summitAi', 'generateOtp', { ...user, options: { includeRaw: true } })], undefined, credentials);
		expect(out(r, 'Generate OTP', 1)).toEqual([
			expect.objectContaining({ ok: false, status: 'auth_failed', retryable: false, providerStatus: expect.objectContaining({ httpStatus: 200 }) }),
		]);
		expect(suite.sandbox.inbox.size).toBe(0);
	});
});
