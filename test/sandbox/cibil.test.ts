import { SANDBOX_ACCOUNTS, startSandbox, type Sandbox } from '../../sandbox';
import { call } from './helpers';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox();
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const MOBILE = '9413812345';

describe.each(['bos', 'aopay'] as const)('%s CIBIL score', (brand) => {
	const acct = SANDBOX_ACCOUNTS[brand];
	const auth = { access_token: acct.accessToken, RegistrationID: acct.registrationId, CompanyCode: acct.companyCode };
	// Documented as GET with a JSON body: the tests send exactly that.
	const get = (op: string, body: Record<string, unknown>) => call(`${sb.baseUrls[brand]}${op}`, { method: 'GET', body });

	let orderSeq = 0;
	const registration = (extra: Record<string, unknown> = {}) => ({
		order_id: `ORD-${++orderSeq}`,
		first_name: 'Ravi',
		middle_name: '',
		last_name: 'Kumar',
		pancard: 'ABCDE1234F',
		date_of_birth: '1990-05-17',
		email_id: 'ravi@example.com',
		mobile_number: MOBILE,
		...auth,
		...extra,
	});
	async function registered(extra: Record<string, unknown> = {}) {
		const body = registration(extra);
		const r = await get('registeration', body);
		expect(r.json.status).toBe('SUCCESS');
		return { cibilId: r.json.result.cibil_id as string, orderId: body.order_id };
	}
	async function generated(cibilId: string) {
		const r = await get('GenerateOTP', { cibil_id: Number(cibilId), ...auth });
		const q = r.json.result.questions;
		return { reply: r, questionKey: q.Key as string, answerKey: q.AnswerChoice.AnswerChoiceId as string, otp: sb.inbox.latest(brand, MOBILE)!.otp };
	}
	const submit = (cibilId: string, otp: string, questionKey: string, answerKey: string) =>
		get('SubmitOTP', { cibil_id: Number(cibilId), otp, question_key: questionKey, answer_key: answerKey, ...auth });
	const wrongFor = (otp: string) => (otp === '000000' ? '000001' : '000000');

	it('answers HTTP 401 {responsecode, status:false, message} for a wrong access_token', async () => {
		const r = await get('GenerateOTP', { cibil_id: 102277100, ...auth, access_token: 'wrong' });
		expect(r.status).toBe(401);
		expect(r.json).toEqual({ responsecode: 401, status: false, message: 'Invalid access token or registration' });
	});

	it("rejects the other brand's RegistrationID", async () => {
		const other = brand === 'bos' ? SANDBOX_ACCOUNTS.aopay : SANDBOX_ACCOUNTS.bos;
		const r = await get('GenerateOTP', { cibil_id: 1, ...auth, RegistrationID: other.registrationId });
		expect(r.status).toBe(401);
	});

	it('registers a customer and returns a 7-9 digit cibil_id', async () => {
		const r = await get('registeration', registration());
		expect(r.status).toBe(200);
		expect(r.json).toEqual({
			status: 'SUCCESS',
			message: 'Customer registered successfully',
			error_code: 'SPC-200',
			merchant_trans_id: expect.stringMatching(/^SPCBL\d{16}[A-Za-z0-9]{9}$/),
			result: { cibil_id: expect.stringMatching(/^[1-9]\d{6,8}$/), cibil_status: 'Pending', next_api_call: 'GenerateOTP' },
		});
	});

	it.each([
		[{ pancard: 'ABCD1234F' }, 'Invalid pancard'],
		[{ date_of_birth: '17-05-1990' }, 'Invalid date_of_birth. Expected DD/MM/YYYY'],
		[{ mobile_number: '94138' }, 'Invalid mobile_number'],
		[{ email_id: 'not-an-email' }, 'Invalid email_id'],
	])('rejects registration with %j as code 207 "%s" (HTTP 200, status "False")', async (extra, description) => {
		const r = await get('registeration', registration(extra));
		expect(r.status).toBe(200);
		expect(r.json).toEqual({ code: '207', description, merchantTrxnRefId: null, token: null, status: 'False' });
	});

	it('rejects a duplicate order_id', async () => {
		const body = registration();
		await get('registeration', body);
		const r = await get('registeration', { ...body, mobile_number: '9876543210' });
		expect(r.json).toMatchObject({ code: '207', description: 'Duplicate order_id', status: 'False' });
	});

	it('GenerateOTP answers exactly the seed shape and texts the registered mobile', async () => {
		const { cibilId } = await registered();
		const { reply, otp } = await generated(cibilId);
		const text = 'The One Time Password is sent to 94138****. Please enter the One Time Password.';
		expect(reply.json).toEqual({
			result: {
				cibil_id: cibilId,
				cibil_status: 'Pending',
				questions: {
					LastChanceQuestion: 'false',
					FullQuestionText: text,
					AnswerChoice: { AnswerChoiceText: text, Key: 'USER_TO_INPUT_ANSWER', AnswerChoiceId: expect.stringMatching(/^\d{10}$/) },
					Key: expect.stringMatching(/^\d{10}$/),
					skipEligible: 'false',
					resendEligible: 'true',
				},
				next_api_call: 'cibil-verify-answers',
			},
			status: 'SUCCESS',
			message: 'success',
			error_code: 'SPC-200',
			merchant_trans_id: expect.stringMatching(/^SPCBL/),
		});
		expect(otp).toMatch(/^\d{6}$/);
		expect(sb.inbox.latest(brand, MOBILE)!.provider).toBe(brand);
	});

	it('accepts POST as well as GET, and a numeric-string cibil_id', async () => {
		const { cibilId } = await registered();
		const r = await call(`${sb.baseUrls[brand]}GenerateOTP`, { method: 'POST', body: { cibil_id: cibilId, ...auth } });
		expect(r.json.status).toBe('SUCCESS');
	});

	it('answers 207 "Invalid cibil_id" for an unknown customer', async () => {
		const r = await get('GenerateOTP', { cibil_id: 102277100, ...auth });
		expect(r.json).toMatchObject({ code: '207', description: 'Invalid cibil_id', status: 'False' });
	});

	it('allows 3 sends: resendEligible turns "false" on the 3rd and a 4th is refused', async () => {
		const { cibilId } = await registered();
		const sends = [];
		for (let i = 0; i < 3; i++) sends.push(await generated(cibilId));
		expect(sends.map((s) => s.reply.json.result.questions.resendEligible)).toEqual(['true', 'true', 'false']);
		expect(new Set(sends.map((s) => s.questionKey)).size).toBe(3);
		const fourth = await get('GenerateOTP', { cibil_id: Number(cibilId), ...auth });
		expect(fourth.json).toMatchObject({ code: '207', description: 'Resend limit reached' });
	});

	it('verifies with SubmitOTP, then serves the credit history', async () => {
		const { cibilId, orderId } = await registered();
		const early = await get('GetCreditHistory', { client_order_id: orderId, cibil_id: Number(cibilId), ...auth });
		expect(early.json).toMatchObject({ code: '207', description: 'OTP verification pending' });

		const { otp, questionKey, answerKey } = await generated(cibilId);
		const r = await submit(cibilId, otp, questionKey, answerKey);
		expect(r.json).toEqual({
			status: 'SUCCESS',
			message: 'success',
			error_code: 'SPC-200',
			merchant_trans_id: expect.stringMatching(/^SPCBL/),
			access_token: null,
			result: { cibil_id: cibilId, cibil_status: 'Success', is_returning_customer: 0, cibil_score_fetch_date: null },
		});

		// Sent without access_token, as docs/providers.md documents this call.
		const { access_token: _omit, ...noToken } = auth;
		const h = await get('GetCreditHistory', { client_order_id: orderId, cibil_id: Number(cibilId), ...noToken });
		expect(h.json).toMatchObject({ status: 'SUCCESS', message: 'success', error_code: 'SPC-200', result: { cibil_id: cibilId, cibil_status: 'Success' } });
		expect(Number(h.json.result.cibil_score)).toBeGreaterThanOrEqual(300);
		expect(Number(h.json.result.cibil_score)).toBeLessThanOrEqual(900);
		expect(h.json.result.report_date).toBe(new Date(sb.now()).toISOString().slice(0, 10));
		expect(h.json.result.accounts).toHaveLength(2);
	});

	it('refuses GetCreditHistory for another order id', async () => {
		const { cibilId } = await registered();
		const r = await get('GetCreditHistory', { client_order_id: 'ORD-other', cibil_id: Number(cibilId), ...auth });
		expect(r.json).toMatchObject({ code: '207', description: 'Invalid client_order_id' });
	});

	it('requires the latest question_key/answer_key', async () => {
		const { cibilId } = await registered();
		const first = await generated(cibilId);
		const second = await generated(cibilId);
		const r = await submit(cibilId, second.otp, first.questionKey, first.answerKey);
		expect(r.json).toMatchObject({ code: '207', description: 'Invalid question_key or answer_key', status: 'False' });
		expect((await submit(cibilId, second.otp, second.questionKey, second.answerKey)).json.status).toBe('SUCCESS');
	});

	it('answers SPC-401 with attempts_remaining, then SPC-429 on the 3rd wrong code', async () => {
		const { cibilId } = await registered();
		const { otp, questionKey, answerKey } = await generated(cibilId);
		const wrong = wrongFor(otp);
		const r1 = await submit(cibilId, wrong, questionKey, answerKey);
		expect(r1.status).toBe(200);
		expect(r1.json).toEqual({
			status: 'False',
			message: 'Invalid OTP',
			error_code: 'SPC-401',
			merchant_trans_id: expect.stringMatching(/^SPCBL/),
			result: { cibil_id: cibilId, cibil_status: 'Pending', attempts_remaining: '2' },
		});
		expect((await submit(cibilId, wrong, questionKey, answerKey)).json.result.attempts_remaining).toBe('1');
		const r3 = await submit(cibilId, wrong, questionKey, answerKey);
		expect(r3.json).toMatchObject({ status: 'False', message: 'Maximum OTP attempts exceeded', error_code: 'SPC-429' });
		expect((await submit(cibilId, otp, questionKey, answerKey)).json.error_code).toBe('SPC-429');
	});

	it('answers SPC-408 once the OTP is 10 minutes old', async () => {
		const { cibilId } = await registered();
		const { otp, questionKey, answerKey } = await generated(cibilId);
		sb.advance(600);
		const r = await submit(cibilId, otp, questionKey, answerKey);
		expect(r.json).toMatchObject({ status: 'False', message: 'OTP expired', error_code: 'SPC-408', result: { cibil_id: cibilId } });
	});

	it('exercises the pending path for first_name "Pending"', async () => {
		const { cibilId, orderId } = await registered({ first_name: 'pending' });
		const { otp, questionKey, answerKey } = await generated(cibilId);
		const s = await submit(cibilId, otp, questionKey, answerKey);
		expect(s.json).toMatchObject({
			status: 'SUCCESS',
			message: 'Report generation in progress',
			result: { cibil_id: cibilId, cibil_status: 'InProgress', next_api_call: 'GetCreditHistory' },
		});
		const h1 = await get('GetCreditHistory', { client_order_id: orderId, cibil_id: Number(cibilId), ...auth });
		expect(h1.json).toEqual({
			status: 'SUCCESS',
			message: 'Report generation in progress',
			error_code: 'SPC-202',
			merchant_trans_id: expect.stringMatching(/^SPCBL/),
			result: { cibil_id: cibilId, cibil_status: 'InProgress', next_api_call: 'GetCreditHistory' },
		});
		const h2 = await get('GetCreditHistory', { client_order_id: orderId, cibil_id: Number(cibilId), ...auth });
		expect(h2.json.result.cibil_status).toBe('Success');
	});
});

describe('BOS and AOPay are separate accounts', () => {
	it('does not know a BOS cibil_id on AOPay', async () => {
		const bos = SANDBOX_ACCOUNTS.bos;
		const r = await call(`${sb.baseUrls.bos}registeration`, {
			method: 'GET',
			body: {
				order_id: 'X-1',
				first_name: 'A',
				last_name: 'B',
				pancard: 'ABCDE1234F',
				date_of_birth: '1990-01-01',
				email_id: 'a@b.co',
				mobile_number: MOBILE,
				access_token: bos.accessToken,
				RegistrationID: bos.registrationId,
				CompanyCode: bos.companyCode,
			},
		});
		const ao = SANDBOX_ACCOUNTS.aopay;
		const g = await call(`${sb.baseUrls.aopay}GenerateOTP`, {
			method: 'GET',
			body: { cibil_id: Number(r.json.result.cibil_id), access_token: ao.accessToken, RegistrationID: ao.registrationId, CompanyCode: ao.companyCode },
		});
		expect(g.json.description).toBe('Invalid cibil_id');
	});
});
