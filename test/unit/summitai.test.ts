import { findOperation, runOperation, type OtpResult } from '../../nodes/core';
import { summitai } from '../../nodes/providers/summitai';
import { failureStatus } from '../../nodes/providers/summitai/interpret';
import { FakeTransport, json, expectRejectedLocally } from '../support/fake-transport';

const API_KEY = 'key-7f3a9c21e4';
const PASSWORD = 'Pa55word-XYZ';
const keyCredentials = { baseUrl: 'https://acme.symphonysummit.com/', authType: 'APIKEY', apiKey: API_KEY };
const formCredentials = { baseUrl: 'https://acme.symphonysummit.com', authType: 'FORM', userName: 'google@sum.com', password: PASSWORD };
const URL = 'https://acme.symphonysummit.com/REST/Summit_RESTWCF.svc/RESTService/CommonWS_JsonObjCall';
const now = () => new Date('2026-11-22T10:00:00Z');

const user = { DomainId: '1', UserID: '967', LoginUID: '967', UserName: 'abcd' };
const TX = '36d97a51-07ee-480e-a50e-e6fb53baf14f';
const validate = { OTP_Text: '123456', TransactionID: TX, LoginUID: '967' };

/** The seed's success envelope; failures are the same envelope with `Errors` set (HTTP 200). */
const envelope = (Errors: string, OutputObject: unknown) => ({
	Errors,
	Message: '',
	Output: '',
	TokenID: '4AB085C27C9D1DE05653BC81205B0F12',
	OrgID: 0,
	OutputObject,
	OutputID: 0,
	Input: null,
});
const generated = envelope('', { OTP_Communication: [{ Message: '', AuthenticationType: 'password', TransactionID: TX }] });
const validated = envelope('', { OTP_Validation: [{ Message: 'OTP validated successfully' }] });

async function run(opId: string, params: Record<string, unknown>, answer = json(200, generated), credentials: Record<string, unknown> = keyCredentials) {
	const transport = new FakeTransport(() => answer);
	const result = await runOperation(summitai, findOperation(summitai, opId), params, credentials, transport, { now, includeRaw: true });
	const text = JSON.stringify(result);
	expect(text).not.toContain(API_KEY);
	expect(text).not.toContain(PASSWORD);
	return { result, transport };
}

describe('SummitAI description', () => {
	test('provider, operations and chaining', () => {
		expect([summitai.id, summitai.slug, summitai.label, summitai.icon, summitai.credential.name]).toEqual([
			'summitai',
			'summitai',
			'SummitAI ITSM',
			'summitai',
			'summitAiApi',
		]);
		expect(summitai.operations.map((o) => o.id)).toEqual(['findUser', 'generateOtp', 'validateOtp']);
		expect(findOperation(summitai, 'findUser').next).toBe('generateOtp');
		const generateFrom = Object.fromEntries(
			findOperation(summitai, 'generateOtp')
				.fields.filter((f) => f.fromPrevious)
				.map((f) => [f.name, f.fromPrevious]),
		);
		expect(generateFrom).toEqual({ UserID: 'reference.userId', LoginUID: 'reference.loginUid', UserName: 'reference.userName' });
		// Generate OTP stands alone too: it continues nothing, so an empty field is reported as itself.
		expect(findOperation(summitai, 'generateOtp').continues).toBeUndefined();
		const from = Object.fromEntries(
			findOperation(summitai, 'validateOtp')
				.fields.filter((f) => f.fromPrevious)
				.map((f) => [f.name, f.fromPrevious]),
		);
		expect(from).toEqual({
			TransactionID: 'reference.transactionId',
			LoginUID: 'reference.loginUid',
			UserID: 'reference.userId',
			UserName: 'reference.userName',
		});
	});

	test('credential: API key by default; key and password are secret and shown for their auth type', () => {
		const fields = Object.fromEntries(summitai.credential.fields.map((f) => [f.name, f]));
		expect(fields.authType).toMatchObject({ type: 'options', default: 'APIKEY' });
		expect(fields.authType.options?.map((o) => o.value)).toEqual(['APIKEY', 'FORM']);
		expect(fields.apiKey).toMatchObject({ type: 'password', showWhen: { field: 'authType', equals: ['APIKEY'] } });
		expect(fields.userName).toMatchObject({ type: 'string', showWhen: { field: 'authType', equals: ['FORM'] } });
		expect(fields.password).toMatchObject({ type: 'password', showWhen: { field: 'authType', equals: ['FORM'] } });
	});
});

describe('SummitAI input rules (nothing is sent when one fails)', () => {
	test.each([
		['generateOtp', 'DomainId', { ...user, DomainId: 'Info' }, 'whole number'],
		['generateOtp', 'DomainId', { ...user, DomainId: '' }, 'is required'],
		['generateOtp', 'UserID', { ...user, UserID: '0' }, 'positive whole number'],
		['generateOtp', 'UserID', { ...user, UserID: '9x' }, 'positive whole number'],
		['generateOtp', 'LoginUID', { ...user, LoginUID: '-967' }, 'positive whole number'],
		['generateOtp', 'LoginUID', { ...user, LoginUID: '' }, 'is required'],
		['generateOtp', 'UserName', { ...user, UserName: ' ' }, 'is required'],
		['validateOtp', 'OTP_Text', { ...validate, OTP_Text: '' }, 'is required'],
		['validateOtp', 'OTP_Text', { ...validate, OTP_Text: '12' }, '4 to 10 letters or digits'],
		['validateOtp', 'OTP_Text', { ...validate, OTP_Text: '12 34' }, '4 to 10 letters or digits'],
		['validateOtp', 'reference', { ...validate, TransactionID: '' }, 'No code was sent for this reference yet: send one first with Generate OTP'],
		['validateOtp', 'TransactionID', { ...validate, TransactionID: 'not a transaction' }, 'TransactionID Generate OTP returned'],
		['validateOtp', 'LoginUID', { ...validate, LoginUID: 'abc' }, 'positive whole number'],
	])('%s: bad %s → invalid_request naming it', async (op, field, params, rule) => {
		expectRejectedLocally(await run(op, params), field, rule);
	});

	test('an instance URL that is not http(s) sends nothing', async () => {
		const { result, transport } = await run('generateOtp', user, undefined, { ...keyCredentials, baseUrl: 'acme.symphonysummit.com' });
		expect(transport.sent).toHaveLength(0);
		expect(result.status).toBe('invalid_request');
	});
});

describe('SummitAI requests', () => {
	const PROXY = { SAASOrgID: '0', ProxyID: 0, OrgID: '1', ReturnType: 'JSON', TokenID: '' };

	test('generate OTP posts ADM_GenerateOTP with numeric ids to the instance endpoint; no secret from the core', async () => {
		const { transport } = await run('generateOtp', user);
		const req = transport.sent[0];
		expect(req.method).toBe('POST');
		expect(req.url).toBe(URL);
		expect(req.body).toEqual({
			ServiceName: 'ADM_GenerateOTP',
			objCommonParameters: { _ProxyDetails: PROXY, objUserInformation: { DomainId: 1, UserID: 967, LoginUID: 967, UserName: 'abcd' } },
		});
		expect(JSON.stringify(req)).not.toContain(API_KEY);
	});

	test('validate OTP posts ADM_ValidateOTP with OTP_Text, TransactionID and LoginUID', async () => {
		const { transport } = await run('validateOtp', validate, json(200, validated));
		expect(transport.sent[0].url).toBe(URL);
		expect(transport.sent[0].body).toEqual({
			ServiceName: 'ADM_ValidateOTP',
			objCommonParameters: { _ProxyDetails: PROXY, objUserInformation: { OTP_Text: '123456', TransactionID: TX, LoginUID: 967 } },
		});
	});

	test('authenticate (API key) adds AuthType and APIKey to _ProxyDetails, nothing else', async () => {
		const { transport } = await run('generateOtp', user);
		const authed = summitai.credential.authenticate({ ...keyCredentials, userName: 'left-over', password: PASSWORD }, transport.sent[0]);
		const common = (authed.body as any).objCommonParameters;
		expect(common._ProxyDetails).toEqual({ ...PROXY, AuthType: 'APIKEY', APIKey: API_KEY });
		expect(common.objUserInformation).toEqual({ DomainId: 1, UserID: 967, LoginUID: 967, UserName: 'abcd' });
		expect(JSON.stringify(authed)).not.toContain(PASSWORD);
		expect((transport.sent[0].body as any).objCommonParameters._ProxyDetails).toEqual(PROXY); // not mutated
	});

	test('authenticate (FORM) adds AuthType, UserName and Password', async () => {
		const { transport } = await run('generateOtp', user, undefined, formCredentials);
		const authed = summitai.credential.authenticate({ ...formCredentials, apiKey: API_KEY }, transport.sent[0]);
		expect((authed.body as any).objCommonParameters._ProxyDetails).toEqual({ ...PROXY, AuthType: 'FORM', UserName: 'google@sum.com', Password: PASSWORD });
		expect(JSON.stringify(authed)).not.toContain(API_KEY);
	});

	test('the credential test validates a made-up transaction and fails on the auth wording', () => {
		const test = summitai.credential.test;
		const req = test.request({});
		expect(req).toMatchObject({ method: 'POST', url: '/REST/Summit_RESTWCF.svc/RESTService/CommonWS_JsonObjCall' });
		expect(req.body).toMatchObject({ ServiceName: 'ADM_ValidateOTP', objCommonParameters: { _ProxyDetails: PROXY } });
		expect(test.failWhen?.map((r) => [r.key, r.value])).toEqual([
			['Errors', 'Invalid API Key'],
			['Errors', 'Invalid UserName or Password'],
		]);
		const authed = summitai.credential.authenticate(keyCredentials, { ...req, headers: {} });
		expect((authed.body as any).objCommonParameters._ProxyDetails).toMatchObject({ AuthType: 'APIKEY', APIKey: API_KEY });
	});
});

describe('SummitAI answers → normalised result', () => {
	test("the seed's answer → otp_sent with TransactionID and LoginUID in reference", async () => {
		const { result } = await run('generateOtp', user, json(200, generated));
		expect(result).toMatchObject({
			ok: true,
			status: 'otp_sent',
			provider: 'summitai',
			operation: 'generateOtp',
			next: 'validateOtp',
			message: 'OTP sent',
			reference: { transactionId: TX, loginUid: '967' },
			providerStatus: { httpStatus: 200 },
		});
		expect(result.raw).toMatchObject({ TokenID: '****' });
	});

	test('the same answers encoded twice (JSON text in a JSON string, as SummitAI documents some) are read alike', async () => {
		expect((await run('generateOtp', user, json(200, JSON.stringify(generated)))).result).toMatchObject({
			status: 'otp_sent',
			reference: { transactionId: TX },
		});
		expect((await run('validateOtp', validate, json(200, JSON.stringify(envelope('Invalid OTP', null))))).result.status).toBe('invalid_otp');
	});

	test('validate → verified in SummitAI words', async () => {
		const { result } = await run('validateOtp', validate, json(200, validated));
		expect(result).toMatchObject({ ok: true, status: 'verified', message: 'OTP validated successfully', reference: { transactionId: TX, loginUid: '967' } });
		expect(result.next).toBeUndefined();
	});

	test.each([
		['generateOtp', 'Invalid API Key', 'auth_failed'],
		['generateOtp', 'Invalid UserName or Password', 'auth_failed'],
		['generateOtp', 'API Key has expired', 'auth_failed'],
		['generateOtp', 'Invalid user information', 'invalid_request'],
		['generateOtp', 'Invalid Service Name', 'invalid_request'],
		['generateOtp', 'Unable to send OTP: SMTP down', 'provider_error'],
		['validateOtp', 'Invalid OTP', 'invalid_otp'],
		['validateOtp', 'OTP has expired', 'expired'],
		['validateOtp', 'Maximum OTP validation attempts exceeded', 'max_attempts'],
		['validateOtp', 'Invalid TransactionID', 'invalid_request'],
		['validateOtp', 'Object reference not set to an instance of an object.', 'provider_error'],
	])('%s: HTTP 200 with Errors "%s" → %s, in SummitAI words', async (op, words, status) => {
		const { result } = await run(op, op === 'generateOtp' ? user : validate, json(200, envelope(words, null)));
		expect(result).toMatchObject({ ok: false, status, providerStatus: { httpStatus: 200, text: words } });
		expect(result.message).toContain(words);
	});

	test('a wrong code keeps TransactionID and LoginUID in reference for the next try', async () => {
		const { result } = await run('validateOtp', validate, json(200, envelope('Invalid OTP', null)));
		expect(result).toMatchObject({ status: 'invalid_otp', retryable: true, reference: { transactionId: TX, loginUid: '967' } });
	});

	test('a refusal inside OTP_Validation is not a success', async () => {
		const { result } = await run('validateOtp', validate, json(200, envelope('', { OTP_Validation: [{ Message: 'Invalid OTP' }] })));
		expect(result.status).toBe('invalid_otp');
	});

	test.each([
		['generateOtp', envelope('', { OTP_Communication: [] }), 'provider_error'],
		['generateOtp', { ...envelope('', null), Message: 'OTP configuration is not enabled' }, 'provider_error'],
		['generateOtp', { ...envelope('', null), Message: 'Invalid user information' }, 'invalid_request'],
		['validateOtp', envelope('', null), 'provider_error'],
		['validateOtp', envelope('', {}), 'provider_error'],
	])('%s: no usable OutputObject → %s, never a silent success', async (op, body, status) => {
		const { result } = await run(op, op === 'generateOtp' ? user : validate, json(200, body));
		expect(result.status).toBe(status);
	});

	test.each([
		['HTTP 401', 'auth_failed', json(401, { Message: 'Unauthorized' })],
		['HTTP 500', 'provider_error', json(500, envelope('Server error', null))],
		['an HTML page', 'provider_error', { status: 200, headers: {}, text: '<html>IIS</html>' }],
		['an unknown JSON shape', 'provider_error', json(200, { d: 1 })],
	])('%s → %s', async (_name, status, answer) => {
		const { result } = await run('generateOtp', user, answer);
		expect(result.status).toBe(status);
	});

	test('the API key and password are masked wherever SummitAI echoes them', async () => {
		const echoed = await run('generateOtp', user, json(200, envelope(`Invalid API Key ${API_KEY}`, null)));
		expect(echoed.result).toMatchObject({ status: 'auth_failed' });
		expect(echoed.result.message).toContain('****');
		const form = await run('generateOtp', user, json(200, { ...generated, Input: { Password: PASSWORD, APIKey: API_KEY } }), formCredentials);
		expect(form.result.status).toBe('otp_sent');
	});

	test('success words are not mistaken for failures', () => {
		expect(failureStatus('OTP validated successfully')).toBeUndefined();
		expect(failureStatus('OTP validated for transaction id 36d9')).toBeUndefined();
	});

	test('Generate → Validate chains through reference alone', async () => {
		const first = await run('generateOtp', user, json(200, generated));
		const params: Record<string, unknown> = { OTP_Text: '123456' };
		for (const f of findOperation(summitai, 'validateOtp').fields) {
			if (f.fromPrevious) params[f.name] = f.fromPrevious.split('.').reduce<any>((v, k) => v?.[k], first.result as OtpResult);
		}
		const second = await run('validateOtp', params, json(200, validated));
		expect((second.transport.sent[0].body as any).objCommonParameters.objUserInformation).toEqual({ OTP_Text: '123456', TransactionID: TX, LoginUID: 967 });
		expect(second.result.status).toBe('verified');
	});
});

describe('SummitAI AuthType spelling', () => {
	test('APIKEY by default, as the documented samples write it; APIKey when the credential says so', () => {
		const request = { method: 'POST' as const, url: 'https://x/', headers: {}, body: { ServiceName: 'ADM_GenerateOTP' } };
		const proxyOf = (credentials: Record<string, unknown>) =>
			((summitai.credential.authenticate(credentials, request).body as any).objCommonParameters._ProxyDetails as Record<string, unknown>).AuthType;
		expect(proxyOf({ authType: 'APIKEY', apiKey: 'k' })).toBe('APIKEY');
		expect(proxyOf({ authType: 'APIKEY', apiKey: 'k', apiKeyAuthType: 'APIKey' })).toBe('APIKey');
		expect(proxyOf({ authType: 'FORM', userName: 'u', password: 'p', apiKeyAuthType: 'APIKey' })).toBe('FORM');
	});
});

describe('SummitAI Find User (ADM_SearchAllUser)', () => {
	const SEARCH_URL = 'https://acme.symphonysummit.com/REST/Summit_RESTWCF.svc/RESTService/ADM_SearchAllUser';
	const SEARCH_PROXY = { ProxyID: 0, ReturnType: 'JSON', OrgID: 1 };
	const EMPTY = { _emailID: '', _useID: 0, _userName: null, _customer: null, _location: null, _empID: null, _ntID: null };
	const STORED_PASSWORD = 'ofKG8cRo9a91NIp1tzohaziaR4UhN6NXzOTmXUd9Or8=';
	const row = (UserID: number, UserName: string, EmailID: string, EmpID = '12345', extra: Record<string, unknown> = {}) => ({
		UserID,
		UserName,
		EmpID,
		Role: 'Report',
		RoleName: 'Report',
		EmailID,
		NT_UID: null,
		Frm_UID: EmailID,
		Frm_PWD: STORED_PASSWORD,
		...extra,
	});
	/** As documented: JSON text in a JSON string, with Output JSON text again and the key "UserDetails " ending in a space. */
	const documented = (rows: unknown[], errors = '') =>
		json(
			200,
			JSON.stringify({
				Errors: errors,
				Message: null,
				OrgID: 0,
				Output: rows.length || !errors ? JSON.stringify({ AllUserDetails: { 'UserDetails ': rows } }) : '',
			}),
		);
	/** As the newer ADM_SearchUsers documents it: OutputObject.AllUserDetails, an object. */
	const asObject = (rows: unknown[]) =>
		json(200, { Errors: '', Message: null, Output: '', OrgID: 0, OutputObject: { AllUserDetails: { 'UserDetails ': rows } } });
	const jyothi = row(17, 'Jyothi', 'John@xyz.com');
	const byEmail = { findBy: 'email', email: 'John@xyz.com' };

	test.each([
		['email', { findBy: 'email', email: 'not-an-address' }, 'an email address like'],
		['email', { findBy: 'email', email: '' }, 'is required'],
		['email', { findBy: 'email', email: 'a b@example.com' }, 'an email address like'],
		['userId', { findBy: 'userId', userId: '0' }, 'positive whole number'],
		['userId', { findBy: 'userId', userId: '12345678901' }, '1 to 10 characters'],
		['userName', { findBy: 'userName', userName: ' ' }, 'is required'],
		['employeeId', { findBy: 'employeeId', employeeId: 'S 100' }, 'letters, digits'],
		['employeeId', { findBy: 'employeeId' }, 'is required'],
		['findBy', { findBy: 'phone', email: 'a@example.com' }, 'must be one of email, userId, userName, employeeId'],
	])('bad %s → invalid_request naming it, nothing sent', async (field, params, rule) => {
		expectRejectedLocally(await run('findUser', params, documented([jyothi])), field, rule);
	});

	test.each([
		[byEmail, { _emailID: 'John@xyz.com' }],
		[{ findBy: 'userId', userId: '17' }, { _useID: 17 }],
		[{ findBy: 'userName', userName: 'Jyothi' }, { _userName: 'Jyothi' }],
		[{ findBy: 'employeeId', employeeId: '12345' }, { _empID: '12345' }],
		// Fields of the filters not chosen are not sent, whatever they hold.
		[{ findBy: 'employeeId', employeeId: 'S100', email: 'x@example.com', userId: '5' }, { _empID: 'S100' }],
	])('posts %j to ADM_SearchAllUser by URL as objFilters %j', async (params, filter) => {
		const { transport } = await run('findUser', params, documented([jyothi]));
		const req = transport.sent[0];
		expect(req).toMatchObject({ method: 'POST', url: SEARCH_URL });
		expect(req.body).toEqual({ _ProxyDetails: SEARCH_PROXY, objFilters: { ...EMPTY, ...filter } });
	});

	test('authenticate puts AuthType and the key (or user and password) in the top-level _ProxyDetails', async () => {
		const { transport } = await run('findUser', byEmail, documented([jyothi]));
		const authed = summitai.credential.authenticate(keyCredentials, transport.sent[0]);
		expect(authed.body).toEqual({
			_ProxyDetails: { ...SEARCH_PROXY, AuthType: 'APIKEY', APIKey: API_KEY },
			objFilters: { ...EMPTY, _emailID: 'John@xyz.com' },
		});
		const form = summitai.credential.authenticate({ ...formCredentials, apiKeyAuthType: 'APIKey' }, transport.sent[0]);
		expect((form.body as any)._ProxyDetails).toEqual({ ...SEARCH_PROXY, AuthType: 'FORM', UserName: 'google@sum.com', Password: PASSWORD });
		expect((summitai.credential.authenticate({ ...keyCredentials, apiKeyAuthType: 'APIKey' }, transport.sent[0]).body as any)._ProxyDetails.AuthType).toBe(
			'APIKey',
		);
	});

	test.each([
		['the documented doubly encoded answer', documented([jyothi])],
		['an OutputObject answer', asObject([jyothi])],
	])('one user in %s → completed, its UserID as LoginUID too, handed on with the name and nothing else', async (_name, answer) => {
		const { result } = await run('findUser', byEmail, answer);
		expect(result).toMatchObject({
			ok: true,
			status: 'completed',
			operation: 'findUser',
			next: 'generateOtp',
			reference: { userId: '17', loginUid: '17', userName: 'Jyothi' },
		});
		expect(Object.keys(result.reference).sort()).toEqual(['loginUid', 'userId', 'userName']);
		const text = JSON.stringify(result);
		expect(text).not.toContain(STORED_PASSWORD);
		expect(text).not.toContain('xyz.com');
		expect(text).not.toContain('12345');
		// Include Raw Response shows the envelope without the rows, and how many there were.
		expect(result.raw).toMatchObject({ Errors: '', UserRows: 1 });
		expect(result.raw).not.toHaveProperty('Output');
	});

	test('a LoginUID in the answer is taken over the UserID', async () => {
		const { result } = await run('findUser', byEmail, documented([row(17, 'Jyothi', 'John@xyz.com', '12345', { LoginUID: 4711 })]));
		expect(result.reference).toEqual({ userId: '17', loginUid: '4711', userName: 'Jyothi' });
	});

	test('nobody → invalid_request naming the filter that found nobody', async () => {
		const { result } = await run('findUser', byEmail, documented([]));
		expect(result).toMatchObject({ ok: false, status: 'invalid_request', retryable: false, reference: {} });
		expect(result.message).toBe('SummitAI found no user with this e-mail address (email): check it, or find the user by another detail');
		const byEmp = await run('findUser', { findBy: 'employeeId', employeeId: 'S9' }, asObject([]));
		expect(byEmp.result.message).toContain('no user with this employee ID (employeeId)');
		const worded = await run('findUser', byEmail, json(200, { Errors: '', Message: 'No records found', Output: '' }));
		expect(worded.result).toMatchObject({ status: 'invalid_request', providerStatus: { text: 'No records found' } });
	});

	test('several → invalid_request asking for a narrower filter, saying how many and nothing about them', async () => {
		const rows = [row(1799, 'john', 'john1@xyz.com', 'S100'), row(1800, 'john', 'john2@xyz.com', 'S101'), row(1801, 'johnny', 'johnny@xyz.com', 'S102')];
		const { result } = await run('findUser', { findBy: 'userName', userName: 'john' }, documented(rows));
		expect(result).toMatchObject({ ok: false, status: 'invalid_request', retryable: false, reference: {} });
		expect(result.message).toBe(
			'SummitAI found 3 users with this user name (userName): find the user by a detail only one user has, such as the e-mail address or employee ID',
		);
		for (const detail of ['1799', '1800', 'xyz.com', 'S10', STORED_PASSWORD]) expect(JSON.stringify(result)).not.toContain(detail);
		const paged = await run('findUser', { findBy: 'userName', userName: 'john' }, asObject([{ ...rows[0], TotalRows: 40 }, rows[1]]));
		expect(paged.result.message).toContain('found 40 users');
	});

	test('several, of which one has exactly the value asked for → that one', async () => {
		const rows = [row(1799, 'john', 'john1@xyz.com', 'S100'), row(1801, 'johnny', 'johnny@xyz.com', 'S102')];
		const { result } = await run('findUser', { findBy: 'userName', userName: 'John' }, documented(rows));
		expect(result).toMatchObject({ status: 'completed', reference: { userId: '1799', loginUid: '1799', userName: 'john' } });
	});

	test.each([
		['Errors "Invalid API Key"', documented([], 'Invalid API Key'), 'auth_failed'],
		['Errors about the filters', documented([], 'Enter at least one search parameter'), 'provider_error'],
		['no user list', json(200, { Errors: '', Message: '', Output: '', OutputObject: null }), 'provider_error'],
		['a user without a UserID', documented([{ UserName: 'x' }]), 'provider_error'],
		['Output that is not JSON text', json(200, { Errors: '', Message: null, Output: '{not json' }), 'provider_error'],
		['a JSON string that is not an envelope', json(200, 'hello'), 'provider_error'],
		['HTTP 401', json(401, { Message: 'Unauthorized' }), 'auth_failed'],
	])('%s → %s', async (_name, answer, status) => {
		const { result } = await run('findUser', byEmail, answer);
		expect(result.status).toBe(status);
		expect(result.ok).toBe(false);
	});

	test('Find User → Generate OTP chains through reference alone (only the domain typed)', async () => {
		const found = await run('findUser', byEmail, documented([jyothi]));
		const transport = new FakeTransport(() => json(200, generated));
		const sent = await runOperation(summitai, findOperation(summitai, 'generateOtp'), { DomainId: '1' }, keyCredentials, transport, {
			now,
			reference: found.result.reference,
		});
		expect((transport.sent[0].body as any).objCommonParameters.objUserInformation).toEqual({ DomainId: 1, UserID: 17, LoginUID: 17, UserName: 'Jyothi' });
		expect(sent).toMatchObject({ status: 'otp_sent', reference: { transactionId: TX, loginUid: '17' } });
	});

	test('Validate OTP passes the user on (not sent), so a failed validation goes back to Generate OTP with nothing set', async () => {
		const { result, transport } = await run('validateOtp', { ...validate, UserID: '967', UserName: 'abcd' }, json(200, envelope('OTP has expired', null)));
		expect((transport.sent[0].body as any).objCommonParameters.objUserInformation).toEqual({ OTP_Text: '123456', TransactionID: TX, LoginUID: 967 });
		expect(result).toMatchObject({ status: 'expired', reference: { transactionId: TX, loginUid: '967', userId: '967', userName: 'abcd' } });
		const again = new FakeTransport(() => json(200, generated));
		const resent = await runOperation(summitai, findOperation(summitai, 'generateOtp'), { DomainId: '1' }, keyCredentials, again, {
			now,
			reference: result.reference,
		});
		expect(resent.status).toBe('otp_sent');
		expect((again.sent[0].body as any).objCommonParameters.objUserInformation).toEqual({ DomainId: 1, UserID: 967, LoginUID: 967, UserName: 'abcd' });
	});

	test('Generate OTP alone still names each empty field', async () => {
		expectRejectedLocally(await run('generateOtp', { DomainId: '1', UserID: '967', UserName: 'abcd' }), 'LoginUID', 'is required');
	});
});
