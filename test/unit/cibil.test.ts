import { findOperation, runOperation, type HttpRequest, type OtpResult, type ProviderSpec } from '../../nodes/core';
import { aopay, bos } from '../../nodes/providers/cibil';
import { maskedDestination, nextOperation } from '../../nodes/providers/cibil/read';
import { FakeTransport, json, expectRejectedLocally } from '../support/fake-transport';

const TOKEN = 'tok-123456542124';
const now = () => new Date('2026-11-22T10:00:00Z');
const MERCHANT = 'SPCBL2308181502437743aQaHNGxZM';

const BRANDS: ReadonlyArray<[ProviderSpec, string, string]> = [
	[bos, 'https://api.bos.center/api/BOS/CibilScore/', 'BOS-554'],
	[aopay, 'https://api.aopay.co.in/api/AOP/CibilScore/', 'AOP-554'],
];

const register = {
	order_id: 'ORD-1001',
	first_name: 'Asha',
	middle_name: 'K',
	last_name: 'Rao',
	pancard: 'ABCDE1234F',
	date_of_birth: '1990-04-23',
	email_id: 'asha@example.com',
	mobile_number: '9413812345',
};
const generate = { cibil_id: '9362678', orderId: 'ORD-1001' };
const submit = { cibil_id: '9362678', otp: '123456', question_key: '1423489238', answer_key: '4220112750', orderId: 'ORD-1001' };
const history = { cibil_id: '9362678', client_order_id: 'ORD-1001' };

/** The seed's GenerateOTP answer, verbatim. */
const QUESTION = 'The One Time Password is sent to 94138****. Please enter the One Time Password.';
const seedGenerate = {
	result: {
		cibil_id: '9362678',
		cibil_status: 'Pending',
		questions: {
			LastChanceQuestion: 'false',
			FullQuestionText: QUESTION,
			AnswerChoice: { AnswerChoiceText: QUESTION, Key: 'USER_TO_INPUT_ANSWER', AnswerChoiceId: '4220112750' },
			Key: '1423489238',
			skipEligible: 'false',
			resendEligible: 'true',
		},
		next_api_call: 'cibil-verify-answers',
	},
	status: 'SUCCESS',
	message: 'success',
	error_code: 'SPC-200',
	merchant_trans_id: MERCHANT,
};
const seedSubmit = {
	status: 'SUCCESS',
	message: 'success',
	error_code: 'SPC-200',
	merchant_trans_id: MERCHANT,
	access_token: null,
	result: { cibil_id: '9362678', cibil_status: 'Success', is_returning_customer: 0, cibil_score_fetch_date: null },
};
const seed207 = { code: '207', description: 'Amount is Requaired', merchantTrxnRefId: null, token: null, status: 'False' };
const otpFailure = (message: string, error_code: string, attempts: string) => ({
	status: 'False',
	message,
	error_code,
	merchant_trans_id: MERCHANT,
	result: { cibil_id: '9362678', cibil_status: 'Pending', attempts_remaining: attempts },
});

describe.each(BRANDS)('%s', (provider, baseUrl, registrationId) => {
	const credentials = { baseUrl, accessToken: TOKEN, registrationId, companyCode: 'CMP1045' };

	async function run(opId: string, params: Record<string, unknown>, answer = json(200, seedGenerate), creds: Record<string, unknown> = credentials) {
		const transport = new FakeTransport(() => answer);
		const result = await runOperation(provider, findOperation(provider, opId), params, creds, transport, { now, includeRaw: true });
		expect(JSON.stringify(result)).not.toContain(TOKEN);
		return { result, transport };
	}

	describe('description', () => {
		test('operations in flow order, each chained step reading the previous reference', () => {
			expect(provider.operations.map((o) => o.id)).toEqual(['registerCustomer', 'generateOtp', 'submitOtp', 'getCreditHistory']);
			const from = (op: string) =>
				Object.fromEntries(
					findOperation(provider, op)
						.fields.filter((f) => f.fromPrevious)
						.map((f) => [f.name, f.fromPrevious]),
				);
			expect(from('generateOtp')).toEqual({ cibil_id: 'reference.cibilId', orderId: 'reference.orderId' });
			expect(from('submitOtp')).toEqual({
				cibil_id: 'reference.cibilId',
				question_key: 'reference.questionKey',
				answer_key: 'reference.answerKey',
				orderId: 'reference.orderId',
			});
			expect(from('getCreditHistory')).toEqual({ cibil_id: 'reference.cibilId', client_order_id: 'reference.orderId' });
		});

		test('the credential: documented base URL by default, the token a password field', () => {
			const fields = Object.fromEntries(provider.credential.fields.map((f) => [f.name, f]));
			expect(fields.baseUrl.default).toBe(baseUrl);
			expect(fields.accessToken.type).toBe('password');
			expect(fields.registrationId.placeholder).toBe(registrationId);
			expect(
				Object.values(fields)
					.filter((f) => f.type === 'password')
					.map((f) => f.name),
			).toEqual(['accessToken']);
		});
	});

	describe('input rules (nothing is sent when one fails)', () => {
		test.each([
			['generateOtp', 'reference', { ...generate, cibil_id: '' }, 'Nothing to continue from: run Register Customer first'],
			['generateOtp', 'cibil_id', { ...generate, cibil_id: '0' }, 'positive whole number'],
			['generateOtp', 'cibil_id', { ...generate, cibil_id: '-5' }, 'positive whole number'],
			['generateOtp', 'cibil_id', { ...generate, cibil_id: '12.5' }, 'positive whole number'],
			['generateOtp', 'cibil_id', { ...generate, cibil_id: 'abc' }, 'positive whole number'],
			['generateOtp', 'cibil_id', { ...generate, cibil_id: '1234567890123456' }, '1 to 15 characters'],
			['submitOtp', 'otp', { ...submit, otp: '12ab' }, 'must be 4 to 8 digits'],
			['submitOtp', 'otp', { ...submit, otp: '123' }, 'must be 4 to 8 digits'],
			['submitOtp', 'otp', { ...submit, otp: '123456789' }, 'must be 4 to 8 digits'],
			['submitOtp', 'otp', { ...submit, otp: '' }, 'is required'],
			['submitOtp', 'reference', { ...submit, question_key: '' }, 'No code was sent for this reference yet: send one first with Generate OTP'],
			['submitOtp', 'answer_key', { ...submit, answer_key: '42 20' }, 'must be the key Generate OTP returned'],
			['submitOtp', 'cibil_id', { ...submit, cibil_id: 'x1' }, 'positive whole number'],
			['registerCustomer', 'order_id', { ...register, order_id: ' ' }, 'is required'],
			['registerCustomer', 'first_name', { ...register, first_name: '' }, 'is required'],
			['registerCustomer', 'last_name', { ...register, last_name: '4Rao' }, 'letters'],
			['registerCustomer', 'pancard', { ...register, pancard: 'abcde1234f' }, 'PAN like ABCDE1234F'],
			['registerCustomer', 'pancard', { ...register, pancard: 'ABCDE12345' }, 'PAN like ABCDE1234F'],
			['registerCustomer', 'date_of_birth', { ...register, date_of_birth: '23-04-1990' }, 'real past date as YYYY-MM-DD or DD/MM/YYYY'],
			['registerCustomer', 'date_of_birth', { ...register, date_of_birth: '31/02/1990' }, 'real past date as YYYY-MM-DD or DD/MM/YYYY'],
			['registerCustomer', 'date_of_birth', { ...register, date_of_birth: '1990-02-30' }, 'real past date as YYYY-MM-DD'],
			['registerCustomer', 'date_of_birth', { ...register, date_of_birth: '2999-01-01' }, 'real past date as YYYY-MM-DD'],
			['registerCustomer', 'email_id', { ...register, email_id: 'asha@example' }, 'email address'],
			['registerCustomer', 'mobile_number', { ...register, mobile_number: '94138123' }, '10-digit'],
			['registerCustomer', 'mobile_number', { ...register, mobile_number: '5413812345' }, '10-digit'],
			['getCreditHistory', 'reference', { ...history, client_order_id: '' }, 'Nothing to continue from: run Submit OTP first'],
			['getCreditHistory', 'cibil_id', { ...history, cibil_id: '0' }, 'positive whole number'],
		])('%s: bad %s → invalid_request naming it', async (op, field, params, rule) => {
			expectRejectedLocally(await run(op, params), field, rule);
		});

		test.each([
			['registrationId', '', 'RegistrationID', 'is empty'],
			['registrationId', 'BOS 554', 'RegistrationID', 'letters, an optional hyphen, then digits'],
			['registrationId', '123456542124', 'RegistrationID', 'letters, an optional hyphen, then digits'],
			['companyCode', '', 'CompanyCode', 'is empty'],
			['companyCode', 'CMP-10 45', 'CompanyCode', 'letters, an optional hyphen, then digits'],
		])('credential %s "%s" → invalid_request naming %s, nothing sent', async (key, value, named, rule) => {
			for (const op of provider.operations) {
				const params = { registerCustomer: register, generateOtp: generate, submitOtp: submit, getCreditHistory: history }[op.id]!;
				const { result, transport } = await run(op.id, params, undefined, { ...credentials, [key]: value });
				expect(transport.sent).toHaveLength(0);
				expect(result.status).toBe('invalid_request');
				expect(result.message).toContain(`(${named})`);
				expect(result.message).toContain(rule);
			}
		});

		test('account ids of other real-looking forms are accepted', async () => {
			const { transport } = await run('generateOtp', generate, undefined, { ...credentials, registrationId: 'aopay-99012', companyCode: 'CMP7' });
			expect(transport.sent).toHaveLength(1);
		});

		test('a base URL that is not http(s) sends nothing', async () => {
			const { result, transport } = await run('generateOtp', generate, undefined, { ...credentials, baseUrl: 'api.bos.center' });
			expect(transport.sent).toHaveLength(0);
			expect(result.status).toBe('invalid_request');
		});
	});

	describe('requests: GET with a JSON body, exactly as documented', () => {
		const sent = async (op: string, params: Record<string, unknown>): Promise<HttpRequest> => (await run(op, params)).transport.sent[0];

		test('register customer → GET registeration (sic), the date of birth in the documented DD/MM/YYYY', async () => {
			const req = await sent('registerCustomer', register);
			expect(req.method).toBe('GET');
			expect(req.url).toBe(`${baseUrl}registeration`);
			expect(req.body).toEqual({ ...register, date_of_birth: '23/04/1990' });
			expect((await sent('registerCustomer', { ...register, date_of_birth: '23/04/1990' })).body).toMatchObject({ date_of_birth: '23/04/1990' });
		});

		test('registration can be sent as POST where an account wants it', async () => {
			const req = await sent('registerCustomer', { ...register, registrationMethod: 'POST' });
			expect(req.method).toBe('POST');
			expect(req.body).not.toHaveProperty('registrationMethod');
		});

		test('register without a middle name still sends the documented key', async () => {
			const req = await sent('registerCustomer', { ...register, middle_name: undefined });
			expect(req.body).toMatchObject({ middle_name: '' });
		});

		test('generate OTP → GET GenerateOTP with cibil_id as a JSON number', async () => {
			const req = await sent('generateOtp', generate);
			expect(req).toMatchObject({ method: 'GET', url: `${baseUrl}GenerateOTP`, body: { cibil_id: 9362678 } });
			expect(req.body).toEqual({ cibil_id: 9362678 });
		});

		test('submit OTP → GET SubmitOTP with the question and answer keys', async () => {
			const req = await sent('submitOtp', submit);
			expect(req).toMatchObject({ method: 'GET', url: `${baseUrl}SubmitOTP` });
			// cibil_id is documented as a String for SubmitOTP.
			expect(req.body).toEqual({ cibil_id: '9362678', otp: '123456', question_key: '1423489238', answer_key: '4220112750' });
		});

		test('get credit history → GET GetCreditHistory', async () => {
			const req = await sent('getCreditHistory', history);
			expect(req).toMatchObject({ method: 'GET', url: `${baseUrl}GetCreditHistory` });
			expect(req.body).toEqual({ client_order_id: 'ORD-1001', cibil_id: 9362678 });
		});

		test('the core adds no secret; authenticate puts the three account values in the body', async () => {
			const req = await sent('generateOtp', generate);
			expect(JSON.stringify(req)).not.toContain(TOKEN);
			const authed = provider.credential.authenticate({ ...credentials, registrationId: ` ${registrationId} ` }, req);
			expect(authed.body).toEqual({ cibil_id: 9362678, access_token: TOKEN, RegistrationID: registrationId, CompanyCode: 'CMP1045' });
			expect(authed.method).toBe('GET');
			expect(authed.headers).toEqual(req.headers);
		});

		test('the credential test is GenerateOTP for no customer, failing on the 401 body', () => {
			const test = provider.credential.test;
			expect(test.request({})).toEqual({ method: 'GET', url: '/GenerateOTP', body: { cibil_id: 0 } });
			expect(test.failWhen).toEqual([expect.objectContaining({ key: 'responsecode', value: 401 })]);
		});
	});

	describe('answers → normalised result', () => {
		test("the seed's GenerateOTP answer → otp_sent with everything Submit OTP needs", async () => {
			const { result } = await run('generateOtp', generate, json(200, seedGenerate));
			expect(result).toMatchObject({
				ok: true,
				status: 'otp_sent',
				provider: provider.id,
				operation: 'generateOtp',
				next: 'submitOtp',
				message: QUESTION,
				providerStatus: { httpStatus: 200, code: 'SPC-200', text: 'success' },
			});
			expect(result.reference).toEqual({
				cibilId: '9362678',
				orderId: 'ORD-1001',
				questionKey: '1423489238',
				answerKey: '4220112750',
				resendEligible: true,
				skipEligible: false,
				lastChanceQuestion: false,
				maskedDestination: '94138****',
				cibilStatus: 'Pending',
				nextApiCall: 'cibil-verify-answers',
				merchantTransId: MERCHANT,
			});
		});

		test('a GenerateOTP success without question keys is a provider error, not a silent success', async () => {
			const { result } = await run('generateOtp', generate, json(200, { ...seedGenerate, result: { cibil_id: '9362678', cibil_status: 'Pending' } }));
			expect(result).toMatchObject({ ok: false, status: 'provider_error' });
		});

		test('register → completed with the new cibil_id, pointing to Generate OTP', async () => {
			const body = {
				status: 'SUCCESS',
				message: 'Customer registered successfully',
				error_code: 'SPC-200',
				merchant_trans_id: MERCHANT,
				result: { cibil_id: '48213377', cibil_status: 'Pending', next_api_call: 'GenerateOTP' },
			};
			const { result } = await run('registerCustomer', register, json(200, body));
			expect(result).toMatchObject({ ok: true, status: 'completed', next: 'generateOtp', message: 'Customer registered successfully' });
			expect(result.reference).toMatchObject({ cibilId: '48213377', orderId: 'ORD-1001', merchantTransId: MERCHANT });
		});

		test('register success without cibil_id → provider_error', async () => {
			const { result } = await run('registerCustomer', register, json(200, { status: 'SUCCESS', message: 'ok', error_code: 'SPC-200', result: {} }));
			expect(result.status).toBe('provider_error');
		});

		test("the seed's SubmitOTP answer → verified, next Get Credit History", async () => {
			const { result } = await run('submitOtp', submit, json(200, seedSubmit));
			expect(result).toMatchObject({ ok: true, status: 'verified', next: 'getCreditHistory' });
			expect(result.reference).toMatchObject({
				cibilId: '9362678',
				orderId: 'ORD-1001',
				cibilStatus: 'Success',
				returningCustomer: false,
				merchantTransId: MERCHANT,
			});
		});

		test('SubmitOTP InProgress → pending, next from next_api_call', async () => {
			const body = {
				...seedSubmit,
				message: 'Report generation in progress',
				error_code: 'SPC-202',
				result: { ...seedSubmit.result, cibil_status: 'InProgress', next_api_call: 'GetCreditHistory' },
			};
			const { result } = await run('submitOtp', submit, json(200, body));
			expect(result).toMatchObject({ ok: false, status: 'pending', next: 'getCreditHistory', retryable: true, message: 'Report generation in progress' });
			expect(result.reference).toMatchObject({ cibilId: '9362678', orderId: 'ORD-1001', cibilStatus: 'InProgress' });
		});

		test('SubmitOTP Pending with a new question → pending, next Submit OTP with the new keys', async () => {
			const body = {
				...seedGenerate,
				result: { ...seedGenerate.result, questions: { ...seedGenerate.result.questions, Key: '777', AnswerChoice: { AnswerChoiceId: '888' } } },
			};
			const { result } = await run('submitOtp', submit, json(200, body));
			expect(result).toMatchObject({ status: 'pending', next: 'submitOtp', reference: { questionKey: '777', answerKey: '888' } });
		});

		test.each([
			['"Invalid OTP" SPC-401', otpFailure('Invalid OTP', 'SPC-401', '2'), 'invalid_otp', 2],
			['"OTP expired" SPC-408', otpFailure('OTP expired', 'SPC-408', '3'), 'expired', undefined],
			['"Maximum OTP attempts exceeded" SPC-429', otpFailure('Maximum OTP attempts exceeded', 'SPC-429', '0'), 'max_attempts', undefined],
			['unknown words, code SPC-401', otpFailure('Wrong answer', 'SPC-401', '1'), 'invalid_otp', 1],
			['"Incorrect OTP, 4 attempts left", unknown code', otpFailure('Incorrect OTP, 4 attempts left', 'SPC-499', ''), 'invalid_otp', 4],
			['unknown words and code', otpFailure('Something broke', 'SPC-500', ''), 'provider_error', undefined],
			['status false (boolean)', { ...otpFailure('Invalid OTP', 'SPC-401', '2'), status: false }, 'invalid_otp', 2],
		])('SubmitOTP failure: %s → %s', async (_name, body, status, attemptsRemaining) => {
			const { result } = await run('submitOtp', submit, json(200, body));
			expect(result).toMatchObject({ ok: false, status, providerStatus: { code: body.error_code, text: body.message } });
			expect(result.attemptsRemaining).toBe(attemptsRemaining);
			expect(result.message).toContain(body.message);
			// The keys stay in reference, so "ask again → Submit OTP" needs no wiring.
			expect(result.reference).toMatchObject({
				cibilId: '9362678',
				questionKey: '1423489238',
				answerKey: '4220112750',
				orderId: 'ORD-1001',
				merchantTransId: MERCHANT,
			});
		});

		test("the seed's code/description body → invalid_request with the provider's words", async () => {
			const { result } = await run('generateOtp', generate, json(200, seed207));
			expect(result).toMatchObject({ ok: false, status: 'invalid_request', retryable: false, providerStatus: { code: '207', text: 'Amount is Requaired' } });
			expect(result.message).toContain('Amount is Requaired');
		});

		test.each([
			['Resend limit reached', 'max_attempts'],
			['Invalid cibil_id', 'invalid_request'],
			['Invalid question_key or answer_key', 'invalid_request'],
			['OTP verification pending', 'invalid_request'],
			['OTP expired', 'expired'],
		])('code 207 "%s" → %s', async (description, status) => {
			const { result } = await run('generateOtp', generate, json(200, { ...seed207, description }));
			expect(result.status).toBe(status);
		});

		test("HTTP 401 {responsecode, status:false, message} → auth_failed in the provider's words", async () => {
			const { result } = await run('generateOtp', generate, json(401, { responsecode: 401, status: false, message: 'Invalid access token or registration' }));
			expect(result).toMatchObject({ ok: false, status: 'auth_failed', providerStatus: { httpStatus: 401 } });
			expect(result.message).toContain('Invalid access token or registration');
		});

		test('the 401 body on HTTP 200 is still auth_failed', async () => {
			const { result } = await run('generateOtp', generate, json(200, { responsecode: 401, status: false, message: 'Unauthorized' }));
			expect(result).toMatchObject({ status: 'auth_failed', providerStatus: { code: '401', text: 'Unauthorized' } });
		});

		test('get credit history InProgress → pending, call again', async () => {
			const body = {
				status: 'SUCCESS',
				message: 'Report generation in progress',
				error_code: 'SPC-202',
				merchant_trans_id: MERCHANT,
				result: { cibil_id: '9362678', cibil_status: 'InProgress', next_api_call: 'GetCreditHistory' },
			};
			const { result } = await run('getCreditHistory', history, json(200, body));
			expect(result).toMatchObject({ ok: false, status: 'pending', next: 'getCreditHistory', reference: { cibilId: '9362678', orderId: 'ORD-1001' } });
		});

		test('get credit history Success → completed with the score and report date in reference', async () => {
			const body = {
				status: 'SUCCESS',
				message: 'success',
				error_code: 'SPC-200',
				merchant_trans_id: MERCHANT,
				result: { cibil_id: '9362678', cibil_status: 'Success', cibil_score: '742', report_date: '2026-11-22', accounts: [{ account_type: 'Credit Card' }] },
			};
			const { result } = await run('getCreditHistory', history, json(200, body));
			expect(result).toMatchObject({ ok: true, status: 'completed', message: 'CIBIL score 742' });
			expect(result.next).toBeUndefined();
			expect(result.reference).toEqual({
				cibilId: '9362678',
				orderId: 'ORD-1001',
				cibilStatus: 'Success',
				cibilScore: 742,
				reportDate: '2026-11-22',
				merchantTransId: MERCHANT,
			});
			expect(result.raw).toMatchObject({ result: { accounts: [{ account_type: 'Credit Card' }] } });
		});

		test('SUCCESS SPC-200 with a score but no cibil_status → completed, not a retryable failure (no retry loop)', async () => {
			const body = {
				status: 'SUCCESS',
				message: 'success',
				error_code: 'SPC-200',
				merchant_trans_id: MERCHANT,
				result: { cibil_id: '9362678', cibil_score: 765 },
			};
			const { result } = await run('getCreditHistory', history, json(200, body));
			expect(result).toMatchObject({ ok: true, status: 'completed', retryable: false, message: 'CIBIL score 765' });
			expect(result.reference).toMatchObject({ cibilId: '9362678', cibilScore: 765 });
		});

		test('Success without a score, or an unknown cibil_status, is a provider error', async () => {
			const noScore = await run('getCreditHistory', history, json(200, { status: 'SUCCESS', error_code: 'SPC-200', result: { cibil_status: 'Success' } }));
			expect(noScore.result.status).toBe('provider_error');
			const odd = await run('submitOtp', submit, json(200, { ...seedSubmit, result: { cibil_status: 'Rejected' } }));
			expect(odd.result).toMatchObject({ status: 'provider_error' });
			expect(odd.result.message).toContain('Rejected');
		});

		test.each([
			['HTTP 500', 'provider_error', json(500, { status: 'False', message: 'Internal error' })],
			['an HTML page', 'provider_error', { status: 200, headers: {}, text: '<html>Bad gateway</html>' }],
			['an unknown JSON shape', 'provider_error', json(200, { hello: 'world' })],
			['HTTP 429', 'rate_limited', json(429, { message: 'slow down' }, { 'retry-after': '7' })],
		])('%s → %s', async (_name, status, answer) => {
			const { result } = await run('generateOtp', generate, answer);
			expect(result.status).toBe(status);
		});

		test('the access token is masked wherever the provider echoes it', async () => {
			const body = { ...seedSubmit, access_token: TOKEN, message: `token ${TOKEN} accepted` };
			const { result } = await run('submitOtp', submit, json(200, body));
			expect(result.status).toBe('verified');
			expect(result.raw).toMatchObject({ access_token: '****' });
			const denied = await run('generateOtp', generate, json(401, { responsecode: 401, status: false, message: `bad token ${TOKEN}` }));
			expect(denied.result.message).toContain('bad token ****');
		});
	});

	test('Register → Generate → Submit → Get Credit History chains through reference alone', async () => {
		const chain = (op: string, previous: OtpResult, typed: Record<string, unknown> = {}) => {
			const params: Record<string, unknown> = { ...typed };
			for (const f of findOperation(provider, op).fields) {
				if (f.fromPrevious && params[f.name] === undefined) params[f.name] = f.fromPrevious.split('.').reduce<any>((v, k) => v?.[k], previous);
			}
			return params;
		};
		const registered = await run(
			'registerCustomer',
			register,
			json(200, { status: 'SUCCESS', message: 'ok', error_code: 'SPC-200', result: { cibil_id: '9362678' } }),
		);
		const generated = await run('generateOtp', chain('generateOtp', registered.result), json(200, seedGenerate));
		expect(generated.transport.sent[0].body).toEqual({ cibil_id: 9362678 });
		const submitted = await run('submitOtp', chain('submitOtp', generated.result, { otp: '123456' }), json(200, seedSubmit));
		expect(submitted.transport.sent[0].body).toEqual({ cibil_id: '9362678', otp: '123456', question_key: '1423489238', answer_key: '4220112750' });
		const fetched = await run(
			'getCreditHistory',
			chain('getCreditHistory', submitted.result),
			json(200, { status: 'SUCCESS', error_code: 'SPC-200', result: { cibil_status: 'Success', cibil_score: '801' } }),
		);
		expect(fetched.transport.sent[0].body).toEqual({ client_order_id: 'ORD-1001', cibil_id: 9362678 });
		expect(fetched.result.reference.cibilScore).toBe(801);
	});
});

describe('brands', () => {
	test('two providers from one factory: ids, slugs, labels, icons, credential types', () => {
		expect([bos, aopay].map((p) => [p.id, p.slug, p.label, p.icon, p.credential.name])).toEqual([
			['bos', 'bos', 'BOS CIBIL Score', 'bos', 'bosCibilApi'],
			['aopay', 'aopay', 'AOPay CIBIL Score', 'aopay', 'aopayCibilApi'],
		]);
		expect(bos.operations.map((o) => o.id)).toEqual(aopay.operations.map((o) => o.id));
	});
});

describe('reading the platform', () => {
	test.each([
		[QUESTION, '94138****'],
		['The One Time Password is sent to as***@example.com. Please enter it.', 'as***@example.com'],
		['The One Time Password is sent to XXXXXX1234', 'XXXXXX1234'],
		['The One Time Password is sent to 9413812345.', undefined],
		['Please enter the One Time Password.', undefined],
	])('masked destination of "%s"', (question, expected) => {
		expect(maskedDestination(question)).toBe(expected);
	});

	test.each([
		['cibil-verify-answers', 'submitOtp'],
		['SubmitOTP', 'submitOtp'],
		['GetCreditHistory', 'getCreditHistory'],
		['GenerateOTP', 'generateOtp'],
		['registeration', 'registerCustomer'],
		['something-new', undefined],
		[undefined, undefined],
	])('next_api_call %s → %s', (call, op) => {
		expect(nextOperation(call)).toBe(op);
	});
});

describe('Get Credit History: Wait for the Final Result', () => {
	const credentials = { baseUrl: 'https://api.bos.center/api/BOS/CibilScore/', accessToken: 'tok-123456', registrationId: 'BOS-554', companyCode: 'CMP1045' };
	const history = { cibil_id: '9362678', client_order_id: 'ORD-1001' };
	const inProgress = json(200, {
		status: 'SUCCESS',
		message: 'Report generation in progress',
		error_code: 'SPC-202',
		result: { cibil_id: '9362678', cibil_status: 'InProgress' },
	});
	const done = json(200, {
		status: 'SUCCESS',
		message: 'success',
		error_code: 'SPC-200',
		result: { cibil_id: '9362678', cibil_status: 'Success', cibil_score: '742' },
	});
	const op = bos.operations.find((o) => o.id === 'getCreditHistory')!;

	function provider(answers: ReturnType<typeof json>[]) {
		let i = 0;
		return new FakeTransport(() => answers[Math.min(i++, answers.length - 1)]);
	}

	test('asks again while pending, waiting the interval between checks, and answers the final result', async () => {
		const waits: number[] = [];
		const transport = provider([inProgress, inProgress, done]);
		const result = await runOperation(bos, op, { ...history, waitForResult: true, waitIntervalSeconds: 2 }, credentials, transport, {
			wait: async (ms) => (waits.push(ms), true),
		});
		expect(result).toMatchObject({ status: 'completed', reference: { cibilScore: 742 } });
		expect(transport.sent).toHaveLength(3);
		expect(waits).toEqual([2000, 2000]);
	});

	test('stops after the set number of checks, still pending, saying so', async () => {
		const transport = provider([inProgress]);
		const result = await runOperation(bos, op, { ...history, waitForResult: true, waitChecks: 2 }, credentials, transport, { wait: async () => true });
		expect(result).toMatchObject({ status: 'pending', next: 'getCreditHistory' });
		expect(result.message).toContain('still not final after 3 checks');
		expect(transport.sent).toHaveLength(3);
	});

	test('a cancelled wait ends at once with the last answer; without the option nothing waits', async () => {
		const cancelled = provider([inProgress, done]);
		expect((await runOperation(bos, op, { ...history, waitForResult: true }, credentials, cancelled, { wait: async () => false })).status).toBe('pending');
		expect(cancelled.sent).toHaveLength(1);
		const off = provider([inProgress, done]);
		expect((await runOperation(bos, op, history, credentials, off, { wait: async () => true })).status).toBe('pending');
		expect(off.sent).toHaveLength(1);
	});
});
