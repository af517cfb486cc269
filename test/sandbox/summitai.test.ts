import { SANDBOX_ACCOUNTS, startSandbox, type Sandbox } from '../../sandbox';
import { call } from './helpers';

const ACCT = SANDBOX_ACCOUNTS.summitai;
const KEY_AUTH = { AuthType: 'APIKEY', APIKey: ACCT.apiKey, ReturnType: 'JSON' };
const FORM_AUTH = { AuthType: 'FORM', UserName: ACCT.userName, Password: ACCT.password, ReturnType: 'JSON' };
const USER = { ...ACCT.user };

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox();
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const endpoint = () => `${sb.baseUrls.summitai}/REST/Summit_RESTWCF.svc/RESTService/CommonWS_JsonObjCall`;
const service = (ServiceName: string, objUserInformation: Record<string, unknown>, proxy: Record<string, unknown> = KEY_AUTH) =>
	call(endpoint(), { body: { ServiceName, objCommonParameters: { _ProxyDetails: proxy, objUserInformation } } });

async function generateOtp(user: Record<string, unknown> = USER) {
	const r = await service('ADM_GenerateOTP', user);
	const transactionId = r.json.OutputObject.OTP_Communication[0].TransactionID as string;
	return { r, transactionId, otp: sb.inbox.latest('summitai', String(user.UserName))!.otp };
}
const validateOtp = (OTP_Text: string, TransactionID: string, LoginUID: unknown = USER.LoginUID) =>
	service('ADM_ValidateOTP', { OTP_Text, TransactionID, LoginUID });
const wrongFor = (otp: string) => (otp === '000000' ? '000001' : '000000');

const failure = (Errors: string) => ({
	Errors,
	Message: '',
	Output: '',
	TokenID: expect.stringMatching(/^[0-9A-F]+$/),
	OrgID: 0,
	OutputObject: null,
	OutputID: 0,
	Input: null,
});

describe('SummitAI ADM_GenerateOTP', () => {
	it('answers the seed envelope with a TransactionID and emails the user name (API key auth)', async () => {
		const { r, otp } = await generateOtp();
		expect(r.status).toBe(200);
		expect(r.json).toEqual({
			Errors: '',
			Message: '',
			Output: '',
			TokenID: expect.stringMatching(/^[0-9A-F]{64,}$/),
			OrgID: 0,
			OutputObject: {
				OTP_Communication: [{ Message: '', AuthenticationType: 'password', TransactionID: expect.stringMatching(/^[0-9a-f-]{36}$/) }],
			},
			OutputID: 0,
			Input: null,
		});
		expect(otp).toMatch(/^\d{6}$/);
		expect(sb.inbox.latest('summitai', 'abcd')).toMatchObject({ to: 'abcd', channel: 'email' });
	});

	it('accepts FORM auth with user name and password, and numeric strings as ids', async () => {
		const r = await service('ADM_GenerateOTP', { DomainId: '1', UserID: '42', LoginUID: '42', UserName: 'someone' }, FORM_AUTH);
		expect(r.json.Errors).toBe('');
		expect(r.json.OutputObject.OTP_Communication).toHaveLength(1);
	});

	it.each([
		[{ ...KEY_AUTH, APIKey: 'wrong' }, 'Invalid API Key'],
		[{ ...FORM_AUTH, Password: 'wrong' }, 'Invalid UserName or Password'],
	])('answers HTTP 200 with Errors for bad auth %j', async (proxy, errors) => {
		const r = await service('ADM_GenerateOTP', USER, proxy);
		expect(r.status).toBe(200);
		expect(r.json).toEqual(failure(errors));
		expect(sb.inbox.list()).toHaveLength(0);
	});

	it('answers "Invalid Service Name" for an unknown service', async () => {
		expect((await service('ADM_DoSomething', USER)).json).toEqual(failure('Invalid Service Name'));
	});

	it.each([[{ UserID: 'abc' }], [{ LoginUID: 0 }], [{ DomainId: 'x' }], [{ UserName: '' }]])('answers "Invalid user information" for %j', async (override) => {
		expect((await service('ADM_GenerateOTP', { ...USER, ...override })).json).toEqual(failure('Invalid user information'));
	});
});

describe('SummitAI ADM_ValidateOTP', () => {
	it('validates the code once', async () => {
		const { transactionId, otp } = await generateOtp();
		const r = await validateOtp(otp, transactionId);
		expect(r.json).toMatchObject({ Errors: '', OutputObject: { OTP_Validation: [{ Message: 'OTP validated successfully' }] } });
		expect((await validateOtp(otp, transactionId)).json).toEqual(failure('Invalid TransactionID'));
	});

	it('answers "Invalid TransactionID" for an unknown id or another LoginUID', async () => {
		const { transactionId, otp } = await generateOtp();
		expect((await validateOtp(otp, '36d97a51-07ee-480e-a50e-e6fb53baf14f')).json.Errors).toBe('Invalid TransactionID');
		expect((await validateOtp(otp, transactionId, 968)).json.Errors).toBe('Invalid TransactionID');
		expect((await validateOtp(otp, transactionId, '967')).json.Errors).toBe('');
	});

	it('answers "Invalid OTP" twice, then "Maximum OTP validation attempts exceeded" on the 3rd', async () => {
		const { transactionId, otp } = await generateOtp();
		const errors = [];
		for (let i = 0; i < 3; i++) errors.push((await validateOtp(wrongFor(otp), transactionId)).json.Errors);
		expect(errors).toEqual(['Invalid OTP', 'Invalid OTP', 'Maximum OTP validation attempts exceeded']);
		expect((await validateOtp(otp, transactionId)).json).toEqual(failure('Maximum OTP validation attempts exceeded'));
	});

	it('answers "OTP has expired" after 5 minutes', async () => {
		const { transactionId, otp } = await generateOtp();
		sb.advance(299);
		sb.advance(1);
		expect((await validateOtp(otp, transactionId)).json).toEqual(failure('OTP has expired'));
	});

	it('checks auth before anything else', async () => {
		const { transactionId, otp } = await generateOtp();
		const r = await service('ADM_ValidateOTP', { OTP_Text: otp, TransactionID: transactionId, LoginUID: 967 }, { AuthType: 'APIKEY', APIKey: 'x' });
		expect(r.json.Errors).toBe('Invalid API Key');
		expect((await validateOtp(otp, transactionId)).json.Errors).toBe('');
	});
});

describe('SummitAI ADM_SearchAllUser (addressed by URL)', () => {
	const searchUrl = () => `${sb.baseUrls.summitai}/REST/Summit_RESTWCF.svc/RESTService/ADM_SearchAllUser`;
	const EMPTY = { _emailID: '', _useID: 0, _userName: null, _customer: null, _location: null, _empID: null, _ntID: null };
	const search = (filters: Record<string, unknown>, proxy: Record<string, unknown> = KEY_AUTH) =>
		call(searchUrl(), { body: { _ProxyDetails: { ProxyID: 0, ReturnType: 'JSON', OrgID: 1, ...proxy }, objFilters: { ...EMPTY, ...filters } } });
	/** The documented answer: JSON text in a JSON string; Output JSON text again. */
	const decode = (r: { json: unknown }) => {
		expect(typeof r.json).toBe('string');
		const envelope = JSON.parse(r.json as string);
		const output = envelope.Output ? JSON.parse(envelope.Output) : undefined;
		return { envelope, rows: output?.AllUserDetails?.['UserDetails '] as Array<Record<string, unknown>> | undefined };
	};

	it.each([
		['e-mail (any case)', { _emailID: 'ABCD@summit.local' }, [967]],
		['user id', { _useID: 17 }, [17]],
		['user id as text', { _useID: '1799' }, [1799]],
		['employee id', { _empID: 'S101' }, [1800]],
		['part of a user name', { _userName: 'john' }, [1799, 1800, 1801]],
		['user name and employee id together', { _userName: 'john', _empID: 'S102' }, [1801]],
		['an unknown e-mail', { _emailID: 'nobody@summit.local' }, []],
	])('by %s', async (_what, filters, ids) => {
		const r = await search(filters);
		expect(r.status).toBe(200);
		const { envelope, rows } = decode(r);
		expect(envelope).toMatchObject({ Errors: '', Message: null, OrgID: 0 });
		expect(rows?.map((u) => u.UserID)).toEqual(ids);
		for (const u of rows ?? []) expect(Object.keys(u)).toEqual(['UserID', 'UserName', 'EmpID', 'Role', 'RoleName', 'EmailID', 'NT_UID', 'Frm_UID', 'Frm_PWD']);
	});

	it('refuses a search without any filter, and a wrong key or password, in Errors', async () => {
		expect(decode(await search({})).envelope).toMatchObject({ Errors: 'Enter at least one search parameter', Output: '' });
		expect(decode(await search({ _emailID: 'abcd@summit.local' }, { ...KEY_AUTH, APIKey: 'nope' })).envelope.Errors).toBe('Invalid API Key');
		expect(decode(await search({ _emailID: 'abcd@summit.local' }, FORM_AUTH)).rows).toHaveLength(1);
		expect(decode(await search({ _emailID: 'abcd@summit.local' }, { ...FORM_AUTH, Password: 'x' })).envelope.Errors).toBe('Invalid UserName or Password');
	});

	it('answers only POST', async () => {
		expect((await call(searchUrl(), { method: 'GET' })).status).toBe(405);
	});
});
