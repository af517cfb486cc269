/** SummitAI ITSM nodes in a real Node-RED runtime against the sandbox, with API key and with username + password. */
import { SANDBOX_ACCOUNTS, type Sandbox } from '../../sandbox';
import summitaiNodes from '../../node-red/summitai';
import { faultTable, fixed, helper, leakCheckedLoader, nodeRedRuntime, only, recordingProxy, type Loaded, type Msg, type NodeSetup } from './harness';

const ACCOUNT = SANDBOX_ACCOUNTS.summitai;
const USER = ACCOUNT.user;
const WRONG_KEY = 'wrong-summit-key-do-not-leak';
const WRONG_PASSWORD = 'wrong-summit-pass-do-not-leak';
// With the stored passwords (Frm_PWD) Find User's answer lists: never in an output, status or log line.
const SECRETS = [ACCOUNT.apiKey, ACCOUNT.password, WRONG_KEY, WRONG_PASSWORD, ...ACCOUNT.directory.map((u) => u.Frm_PWD)];
const ENDPOINT = '/summitai/REST/Summit_RESTWCF.svc/RESTService/CommonWS_JsonObjCall';

let sandbox: Sandbox;
nodeRedRuntime((s) => (sandbox = s));
// Every test: neither the API key, the password nor a stored password is in any output, error, status or log line.
const loadChecked = leakCheckedLoader(summitaiNodes, SECRETS);

const apiKeyAccount = (apiKey: string = ACCOUNT.apiKey, baseUrl?: string): NodeSetup['account'] => ({
	type: 'otpflow-summitai-config',
	props: { baseUrl: baseUrl ?? sandbox.baseUrls.summitai, authType: 'APIKEY' },
	credentials: { apiKey },
});

const formAccount = (password: string = ACCOUNT.password, baseUrl?: string): NodeSetup['account'] => ({
	type: 'otpflow-summitai-config',
	props: { baseUrl: baseUrl ?? sandbox.baseUrls.summitai, authType: 'FORM', userName: ACCOUNT.userName },
	credentials: { password },
});

const user = fixed({ DomainId: String(USER.DomainId), UserID: String(USER.UserID), LoginUID: String(USER.LoginUID), UserName: USER.UserName });

function load(type: string, props: Record<string, unknown> = {}, acct = apiKeyAccount()): Promise<Loaded> {
	return loadChecked({ type, props, account: acct });
}

/** A fault queued for every SummitAI request: still queued afterwards means no request was made. */
function tripwire() {
	sandbox.faults.add({ provider: 'summitai', kind: 'status', status: 500, times: 1 });
	return () => sandbox.faults.list().filter((f) => f.provider === 'summitai').length === 1;
}

function lastStatus(): unknown {
	const args = (helper.getNode('op') as unknown as { status: { args: unknown[][] } }).status.args;
	return args[args.length - 1]?.[0];
}

/** Generate OTP for the seed's user; returns the result message and the code from the user's inbox. */
async function generated(acct = apiKeyAccount()): Promise<{ sent: Msg; code: string }> {
	const generate = await load('otpflow-summitai-generate-otp', user, acct);
	const sent = only(await generate.run({ topic: 'summit', _custom: { keep: 1 } }), 'success');
	const code = sandbox.inbox.latest('summitai', USER.UserName)?.otp ?? '';
	expect(code).toMatch(/^\d{6}$/);
	return { sent, code };
}

const wrongCode = (right: string) => (right === '111111' ? '222222' : '111111');
/** Validate OTP with the code typed in from msg.code; TransactionID and LoginUID at their defaults. */
const validateProps = { OTP_Text: 'code', OTP_TextType: 'msg' };

describe.each([
	['APIKEY', () => apiKeyAccount()],
	['FORM', () => formAccount()],
])('SummitAI generate → validate chain with AuthType %s', (_authType, acct) => {
	it('sends an OTP to the user and validates the code from the inbox with the chained fields at their defaults', async () => {
		const { sent, code } = await generated(acct());
		expect(sent.payload).toEqual({
			ok: true,
			status: 'otp_sent',
			provider: 'summitai',
			operation: 'generateOtp',
			message: 'OTP sent',
			reference: {
				loginUid: String(USER.LoginUID),
				userId: String(USER.UserID),
				userName: USER.UserName,
				transactionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
			},
			retryable: false,
			next: 'validateOtp',
			providerStatus: { httpStatus: 200 },
		});
		expect(sent.topic).toBe('summit');
		expect(sandbox.inbox.latest('summitai', USER.UserName)).toMatchObject({ channel: 'email', to: 'abcd' });
		expect(lastStatus()).toEqual({ fill: 'green', shape: 'dot', text: 'otp_sent' });

		const validate = await load('otpflow-summitai-validate-otp', validateProps, acct());
		const verified = only(await validate.run({ ...sent, code }), 'success');
		expect(verified.payload).toEqual({
			ok: true,
			status: 'verified',
			provider: 'summitai',
			operation: 'validateOtp',
			message: 'OTP validated successfully',
			reference: { ...sent.payload.reference },
			retryable: false,
			providerStatus: { httpStatus: 200 },
		});
		expect(verified.topic).toBe('summit');
		expect(verified._custom).toEqual({ keep: 1 });
		expect(lastStatus()).toEqual({ fill: 'green', shape: 'dot', text: 'verified' });
	});
});

describe('SummitAI OTP failures', () => {
	it('sends a wrong code to the failure output as invalid_otp, and the right code still works', async () => {
		const { sent, code } = await generated();
		const validate = await load('otpflow-summitai-validate-otp', validateProps);
		const failed = only(await validate.run({ ...sent, code: wrongCode(code) }), 'failure');
		expect(failed.payload).toMatchObject({
			ok: false,
			status: 'invalid_otp',
			message: 'SummitAI: Invalid OTP',
			retryable: true,
			providerStatus: { httpStatus: 200, text: 'Invalid OTP' },
		});
		expect(failed.topic).toBe('summit');
		expect(lastStatus()).toEqual({ fill: 'red', shape: 'ring', text: 'invalid_otp' });
		expect(only(await validate.run({ ...sent, code }), 'success').payload.status).toBe('verified');
	});

	it('reports a code used after its validity as expired', async () => {
		const { sent, code } = await generated();
		sandbox.advance(sandbox.config.summitOtpValiditySeconds + 1);
		const validate = await load('otpflow-summitai-validate-otp', validateProps);
		const msg = only(await validate.run({ ...sent, code }), 'failure');
		expect(msg.payload).toMatchObject({ status: 'expired', message: 'SummitAI: OTP has expired (generate a new OTP)', retryable: false });
	});

	it('reports max_attempts after too many wrong codes, and refuses even the right code afterwards', async () => {
		const { sent, code } = await generated();
		const validate = await load('otpflow-summitai-validate-otp', validateProps);
		const statuses = [];
		for (const _ of [1, 2, 3]) statuses.push(only(await validate.run({ ...sent, code: wrongCode(code) }), 'failure').payload.status);
		expect(statuses).toEqual(['invalid_otp', 'invalid_otp', 'max_attempts']);
		const locked = only(await validate.run({ ...sent, code }), 'failure');
		expect(locked.payload).toMatchObject({ status: 'max_attempts', message: 'SummitAI: Maximum OTP validation attempts exceeded (generate a new OTP)' });
	});

	it('refuses a second validation of a used code (single use)', async () => {
		const { sent, code } = await generated();
		const validate = await load('otpflow-summitai-validate-otp', validateProps);
		only(await validate.run({ ...sent, code }), 'success');
		const again = only(await validate.run({ ...sent, code }), 'failure');
		expect(again.payload).toMatchObject({ status: 'invalid_request', providerStatus: { httpStatus: 200, text: 'Invalid TransactionID' } });
	});
});

describe('SummitAI HTTP 200 answers with Errors', () => {
	it("reports a TransactionID the instance does not know as invalid_request in the provider's words", async () => {
		const validate = await load(
			'otpflow-summitai-validate-otp',
			fixed({ OTP_Text: '123456', TransactionID: '00000000-0000-0000-0000-000000000000', LoginUID: '967' }),
		);
		const msg = only(await validate.run({ topic: 'unknown' }), 'failure');
		expect(msg.payload).toMatchObject({
			ok: false,
			status: 'invalid_request',
			message: expect.stringMatching(/^SummitAI: Invalid TransactionID \(/),
			providerStatus: { httpStatus: 200, text: 'Invalid TransactionID' },
		});
		expect(msg.topic).toBe('unknown');
	});

	it("reports a LoginUID other than the one the OTP was generated for in the provider's words", async () => {
		const { sent, code } = await generated();
		const validate = await load('otpflow-summitai-validate-otp', { ...validateProps, ...fixed({ LoginUID: '968' }) });
		const msg = only(await validate.run({ ...sent, code }), 'failure');
		expect(msg.payload).toMatchObject({ status: 'invalid_request', providerStatus: { text: 'Invalid TransactionID' } });
		expect(msg.payload.message).toContain('Invalid TransactionID');
	});
});

describe('SummitAI credentials', () => {
	it('reports a wrong API key as auth_failed without revealing it', async () => {
		const generate = await load('otpflow-summitai-generate-otp', { ...user, includeRaw: true }, apiKeyAccount(WRONG_KEY));
		const msg = only(await generate.run({}), 'failure');
		expect(msg.payload).toMatchObject({
			ok: false,
			status: 'auth_failed',
			message: 'SummitAI: Invalid API Key (check the credential)',
			retryable: false,
			providerStatus: { httpStatus: 200, text: 'Invalid API Key' },
		});
		// The envelope's TokenID is masked in the raw body too.
		expect(msg.payload.raw).toMatchObject({ Errors: 'Invalid API Key', TokenID: '****', OutputObject: null });
		expect(sandbox.inbox.size).toBe(0);
	});

	it('reports a wrong password as auth_failed without revealing it', async () => {
		const generate = await load('otpflow-summitai-generate-otp', user, formAccount(WRONG_PASSWORD));
		const msg = only(await generate.run({}), 'failure');
		expect(msg.payload).toMatchObject({
			status: 'auth_failed',
			message: 'SummitAI: Invalid UserName or Password (check the credential)',
			providerStatus: { httpStatus: 200, text: 'Invalid UserName or Password' },
		});
		expect(sandbox.inbox.size).toBe(0);
	});

	it.each([
		['APIKEY', (baseUrl: string) => apiKeyAccount(ACCOUNT.apiKey, baseUrl), { AuthType: 'APIKEY', APIKey: ACCOUNT.apiKey }],
		['FORM', (baseUrl: string) => formAccount(ACCOUNT.password, baseUrl), { AuthType: 'FORM', UserName: ACCOUNT.userName, Password: ACCOUNT.password }],
	])('sends AuthType %s in _ProxyDetails of a POST to CommonWS_JsonObjCall, ids as JSON numbers', async (_type, makeAccount, auth) => {
		const proxy = await recordingProxy(sandbox.url);
		try {
			const generate = await load('otpflow-summitai-generate-otp', user, makeAccount(sandbox.baseUrls.summitai.replace(sandbox.url, proxy.url)));
			only(await generate.run({}), 'success');
			expect(proxy.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${ENDPOINT}`]);
			const body = JSON.parse(proxy.requests[0].body);
			expect(body).toEqual({
				ServiceName: 'ADM_GenerateOTP',
				objCommonParameters: {
					_ProxyDetails: { SAASOrgID: '0', ProxyID: 0, OrgID: '1', ReturnType: 'JSON', TokenID: '', ...auth },
					objUserInformation: { DomainId: 1, UserID: 967, LoginUID: 967, UserName: 'abcd' },
				},
			});
		} finally {
			await proxy.close();
		}
	});
});

describe('SummitAI input validation: invalid_request naming the field, nothing sent', () => {
	const generateCases: Array<[string, Record<string, string>, string, string]> = [
		['a UserID with letters', { UserID: 'abc' }, 'UserID', 'User ID (UserID) must be a positive whole number'],
		['a LoginUID that is not a number', { LoginUID: '96x' }, 'LoginUID', 'Login UID (LoginUID) must be a positive whole number'],
		['a LoginUID of zero', { LoginUID: '0' }, 'LoginUID', 'Login UID (LoginUID) must be a positive whole number'],
		['a DomainId that is not a number', { DomainId: 'one' }, 'DomainId', 'Domain ID (DomainId) must be a whole number (the numeric domain ID)'],
		['an empty UserName', { UserName: '' }, 'UserName', 'User Name (UserName) is required'],
	];

	it.each(generateCases)('Generate OTP rejects %s', async (_what, override, field, message) => {
		const untouched = tripwire();
		const generate = await load('otpflow-summitai-generate-otp', { ...user, ...fixed(override) });
		const msg = only(await generate.run({ topic: 'bad' }), 'failure');
		expect(msg.payload).toMatchObject({ ok: false, status: 'invalid_request', retryable: false, providerStatus: {}, message: `Nothing was sent. ${message}.` });
		expect(msg.payload.errors).toEqual([{ field, message }]);
		expect(msg.topic).toBe('bad');
		expect(untouched()).toBe(true);
		expect(sandbox.inbox.size).toBe(0);
	});

	const validateCases: Array<[string, Record<string, unknown>, Msg, string, string]> = [
		[
			'a missing TransactionID',
			validateProps,
			{ code: '123456', payload: { reference: { loginUid: '967' } } },
			'TransactionID',
			'Transaction ID (TransactionID) is required',
		],
		['a missing OTP', validateProps, { payload: { reference: { transactionId: 'abc-123', loginUid: '967' } } }, 'OTP_Text', 'OTP (OTP_Text) is required'],
		[
			'an OTP with symbols',
			validateProps,
			{ code: '12 34!', payload: { reference: { transactionId: 'abc-123', loginUid: '967' } } },
			'OTP_Text',
			'OTP (OTP_Text) must be 4 to 10 letters or digits',
		],
		[
			'a chained LoginUID that is not a number',
			validateProps,
			{ code: '123456', payload: { reference: { transactionId: 'abc-123', loginUid: 'me' } } },
			'LoginUID',
			'Login UID (LoginUID) must be a positive whole number',
		],
	];

	it.each(validateCases)('Validate OTP rejects %s', async (_what, props, input, field, message) => {
		const untouched = tripwire();
		const validate = await load('otpflow-summitai-validate-otp', props);
		const msg = only(await validate.run({ ...input, topic: 'bad' }), 'failure');
		expect(msg.payload).toMatchObject({ status: 'invalid_request', retryable: false, providerStatus: {} });
		expect(msg.payload.errors).toEqual([{ field, message }]);
		expect(msg.topic).toBe('bad');
		expect(untouched()).toBe(true);
	});
});

/**
 * BUG (node-red/evaluate.ts, see also cibil.test.ts): TransactionID and LoginUID default to
 * msg.payload.reference.*, and Node-RED throws reading a path whose parent is missing, so a message without
 * payload.reference ends in done(err) instead of invalid_request naming the fields. `it.failing` until fixed.
 */
describe('SummitAI Validate OTP with nothing chained in', () => {
	it('says to send a code first and sends nothing', async () => {
		const untouched = tripwire();
		const validate = await load('otpflow-summitai-validate-otp', fixed({ OTP_Text: '123456' }));
		const msg = only(await validate.run({ payload: 'typed by hand' }), 'failure');
		expect(msg.payload.status).toBe('invalid_request');
		expect(msg.payload.errors.map((e: { field: string }) => e.field)).toEqual(['reference']);
		expect(msg.payload.message).toContain('No code was sent for this reference yet: send one first with Generate OTP');
		expect(untouched()).toBe(true);
	});
});

describe('SummitAI messages and faults', () => {
	it('answers several messages arriving together with exactly one output each, keeping each message', async () => {
		const generate = await load('otpflow-summitai-generate-otp', { ...user, UserID: 'uid', UserIDType: 'msg' });
		const out = await generate.runAll([
			{ _msgid: 'm1', uid: '967', topic: 'one' },
			{ _msgid: 'm2', uid: 'x', topic: 'two' },
			{ _msgid: 'm3', uid: '968', topic: 'three' },
		]);
		expect(out.caught).toHaveLength(0);
		const fate = [
			...out.success.map((m) => [m._msgid, 'success', m.payload.status, m.topic]),
			...out.failure.map((m) => [m._msgid, 'failure', m.payload.status, m.topic]),
		];
		expect(fate.sort()).toEqual([
			['m1', 'success', 'otp_sent', 'one'],
			['m2', 'failure', 'invalid_request', 'two'],
			['m3', 'success', 'otp_sent', 'three'],
		]);
		expect(sandbox.inbox.list({ provider: 'summitai' })).toHaveLength(2);
	});

	const faults = faultTable(11);

	it.each(faults)('maps %s to the failure output and keeps working', async (_name, fault, expected) => {
		const generate = await load('otpflow-summitai-generate-otp', { ...user, timeout: 0.3 });
		sandbox.faults.add({ provider: 'summitai', ...fault });
		const failed = only(await generate.run({ topic: 'fault' }), 'failure');
		expect(failed.payload).toMatchObject({ ok: false, operation: 'generateOtp', ...expected });
		expect(failed.topic).toBe('fault');
		expect(lastStatus()).toEqual({ fill: 'red', shape: 'ring', text: expected.status });
		expect(only(await generate.run({}), 'success').payload.status).toBe('otp_sent');
	});

	it('maps a fault on Validate OTP to the failure output, and the same code validates afterwards', async () => {
		const { sent, code } = await generated();
		const validate = await load('otpflow-summitai-validate-otp', { ...validateProps, timeout: 0.3 });
		sandbox.faults.add({ provider: 'summitai', kind: 'reset' });
		const failed = only(await validate.run({ ...sent, code }), 'failure');
		expect(failed.payload).toMatchObject({ status: 'network_error', operation: 'validateOtp', retryable: true });
		expect(only(await validate.run({ ...sent, code }), 'success').payload.status).toBe('verified');
	});
});

describe('SummitAI Find User', () => {
	const byEmail = fixed({ findBy: 'email', email: 'abcd@summit.local' }, ['findBy']);

	it.each([
		['APIKEY', () => apiKeyAccount()],
		['FORM', () => formAccount()],
	])('finds the user by e-mail (%s) and Generate OTP chains from its reference with only the domain set', async (_authType, acct) => {
		const find = await load('otpflow-summitai-find-user', { ...byEmail, includeRaw: true }, acct());
		const found = only(await find.run({ topic: 'find' }), 'success');
		expect(found.payload).toMatchObject({
			ok: true,
			status: 'completed',
			operation: 'findUser',
			next: 'generateOtp',
			reference: { userId: '967', loginUid: '967', userName: 'abcd' },
			raw: { Errors: '', UserRows: 1 },
		});
		expect(JSON.stringify(found.payload)).not.toMatch(/summit\.local|Frm_PWD|E967/);
		const generate = await load('otpflow-summitai-generate-otp', fixed({ DomainId: '1' }), acct());
		const sent = only(await generate.run(found), 'success');
		expect(sent.payload).toMatchObject({ status: 'otp_sent', reference: { loginUid: '967' } });
		expect(sandbox.inbox.latest('summitai', 'abcd')).toMatchObject({ to: 'abcd' });
	});

	it.each([
		[{ findBy: 'email', email: 'nobody@summit.local' }, 'SummitAI found no user with this e-mail address (email)'],
		[{ findBy: 'employeeId', employeeId: 'X1' }, 'SummitAI found no user with this employee ID (employeeId)'],
		[{ findBy: 'userName', userName: 'john' }, 'SummitAI found 3 users with this user name (userName)'],
	])('%j → failure output as invalid_request, saying which filter and how many', async (props, words) => {
		const find = await load('otpflow-summitai-find-user', fixed(props, ['findBy']));
		const failed = only(await find.run({}), 'failure');
		expect(failed.payload).toMatchObject({ ok: false, status: 'invalid_request', reference: {} });
		expect(failed.payload.message).toContain(words);
		expect(JSON.stringify(failed.payload)).not.toMatch(/1799|1800|S10\d|summit\.local/);
	});

	it.each([
		['a malformed e-mail address', { findBy: 'email', email: 'abcd@' }, 'email'],
		['an empty e-mail address', { findBy: 'email', email: '' }, 'email'],
		['a user ID that is not a number', { findBy: 'userId', userId: 'abc' }, 'userId'],
		['an employee ID with a space', { findBy: 'employeeId', employeeId: 'S 100' }, 'employeeId'],
	])('rejects %s locally, naming the field', async (_what, props, field) => {
		const untouched = tripwire();
		const find = await load('otpflow-summitai-find-user', fixed(props, ['findBy']));
		const failed = only(await find.run({}), 'failure');
		expect(failed.payload).toMatchObject({ status: 'invalid_request', errors: [expect.objectContaining({ field })] });
		expect(untouched()).toBe(true);
	});

	it('maps a fault to the failure output and keeps working', async () => {
		const find = await load('otpflow-summitai-find-user', { ...byEmail, timeout: 0.3 });
		sandbox.faults.add({ provider: 'summitai', kind: 'reset' });
		expect(only(await find.run({}), 'failure').payload).toMatchObject({ status: 'network_error', operation: 'findUser' });
		expect(only(await find.run({}), 'success').payload.status).toBe('completed');
	});
});
