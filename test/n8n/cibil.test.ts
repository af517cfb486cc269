/** BOS and AOPay CIBIL score nodes run by the real n8n engine against the sandbox (GET with a JSON body). */
import { SANDBOX_ACCOUNTS } from '../../sandbox';
import { otp, out, paired, readInbox, sandboxCredentials, type NodeName, type Step, sandboxSuite } from './otpflow';

const BRANDS: Array<{ node: NodeName; provider: 'bos' | 'aopay'; credential: string; name: string; token: string }> = [
	{ node: 'bos', provider: 'bos', credential: 'bosCibilApi', name: 'BOS', token: SANDBOX_ACCOUNTS.bos.accessToken },
	{ node: 'aoPay', provider: 'aopay', credential: 'aopayCibilApi', name: 'AOPay', token: SANDBOX_ACCOUNTS.aopay.accessToken },
];
const MOBILE = '9413812345';
const WRONG_TOKEN = 'wrong-token-must-not-leak';

const suite = sandboxSuite([SANDBOX_ACCOUNTS.bos.accessToken, SANDBOX_ACCOUNTS.aopay.accessToken, WRONG_TOKEN]);
const { run } = suite;

const customer = (orderId: string, firstName = 'Asha') => ({
	order_id: orderId,
	first_name: firstName,
	last_name: 'Rao',
	pancard: 'ABCDE1234F',
	date_of_birth: '1990-04-23',
	email_id: 'asha@example.com',
	mobile_number: MOBILE,
});

/** Register → Generate → customer reads SMS → Submit → Get Credit History; every id chained by default. */
function wholeChain(node: NodeName, provider: string, orderId: string, firstName?: string, extra: Step[] = []): Step[] {
	return [
		otp('Register', node, 'registerCustomer', customer(orderId, firstName)),
		otp('Generate OTP', node, 'generateOtp'),
		readInbox(provider, MOBILE),
		otp('Submit OTP', node, 'submitOtp', { otp: '={{ $json.code }}' }),
		otp('Credit History', node, 'getCreditHistory'),
		...extra,
	];
}

describe.each(BRANDS)('$name CIBIL node in the n8n engine', ({ node, provider, credential }) => {
	it('Register → Generate OTP → inbox → Submit OTP → Get Credit History with only the code and the customer typed in', async () => {
		const r = await run(wholeChain(node, provider, 'ORD-1'));
		expect(r.error).toBeUndefined();
		const [registered] = out(r, 'Register', 0);
		expect(registered).toMatchObject({
			ok: true,
			status: 'completed',
			provider,
			operation: 'registerCustomer',
			next: 'generateOtp',
			reference: { orderId: 'ORD-1', cibilStatus: 'Pending' },
		});
		const cibilId = (registered.reference as Record<string, string>).cibilId;
		expect(cibilId).toMatch(/^\d{7,10}$/);
		expect(out(r, 'Generate OTP', 0)).toEqual([
			expect.objectContaining({
				ok: true,
				status: 'otp_sent',
				next: 'submitOtp',
				reference: expect.objectContaining({
					cibilId,
					orderId: 'ORD-1',
					questionKey: expect.stringMatching(/^\d+$/),
					answerKey: expect.stringMatching(/^\d+$/),
					resendEligible: true,
					skipEligible: false,
					maskedDestination: `${MOBILE.slice(0, 5)}****`,
				}),
			}),
		]);
		expect(out(r, 'Submit OTP', 0)).toEqual([
			expect.objectContaining({
				ok: true,
				status: 'verified',
				next: 'getCreditHistory',
				reference: expect.objectContaining({ cibilId, orderId: 'ORD-1', cibilStatus: 'Success' }),
			}),
		]);
		expect(out(r, 'Credit History', 0)).toEqual([
			expect.objectContaining({
				ok: true,
				status: 'completed',
				operation: 'getCreditHistory',
				message: expect.stringMatching(/^CIBIL score \d{3}$/),
				reference: expect.objectContaining({ cibilId, orderId: 'ORD-1', cibilStatus: 'Success', cibilScore: expect.any(Number) }),
			}),
		]);
		for (const step of ['Register', 'Generate OTP', 'Submit OTP', 'Credit History']) {
			expect(out(r, step, 1)).toEqual([]);
			expect(paired(r, step, 0)).toEqual([{ item: 0 }]);
		}
	});

	it('the pending path: Submit OTP and the first Get Credit History are pending on Failure, and the step named in `next` completes', async () => {
		// Customer first_name "Pending": the sandbox prepares the report slowly. A pending result is not ok, so it
		// leaves on Failure; the author wires Failure to the step `next` names (here: Get Credit History, twice).
		const steps = wholeChain(node, provider, 'ORD-2', 'Pending');
		const r = await run([
			...steps.slice(0, 4),
			{ ...otp('Credit History', node, 'getCreditHistory'), from: 1 },
			{ ...otp('Credit History Again', node, 'getCreditHistory'), from: 1 },
		]);
		expect(r.error).toBeUndefined();
		expect(out(r, 'Submit OTP', 0)).toEqual([]);
		expect(out(r, 'Submit OTP', 1)).toEqual([
			expect.objectContaining({
				ok: false,
				status: 'pending',
				retryable: true,
				next: 'getCreditHistory',
				message: 'Report generation in progress',
				reference: expect.objectContaining({ cibilStatus: 'InProgress', orderId: 'ORD-2', nextApiCall: 'GetCreditHistory' }),
			}),
		]);
		expect(out(r, 'Credit History', 0)).toEqual([]);
		expect(out(r, 'Credit History', 1)).toEqual([
			expect.objectContaining({
				status: 'pending',
				next: 'getCreditHistory',
				reference: expect.objectContaining({ cibilStatus: 'InProgress', orderId: 'ORD-2' }),
			}),
		]);
		expect(out(r, 'Credit History Again', 0)).toEqual([
			expect.objectContaining({
				ok: true,
				status: 'completed',
				reference: expect.objectContaining({ orderId: 'ORD-2', cibilStatus: 'Success', cibilScore: expect.any(Number) }),
			}),
		]);
		expect(paired(r, 'Credit History Again', 0)).toEqual([{ item: 0 }]);
	});

	it('with Wait for the Final Result, one Get Credit History waits through the pending answer and completes', async () => {
		const steps = wholeChain(node, provider, 'ORD-W', 'Pending');
		const started = Date.now();
		const r = await run([
			...steps.slice(0, 4),
			{ ...otp('Credit History', node, 'getCreditHistory', { options: { waitForResult: true, waitIntervalSeconds: 1 } }), from: 1 },
		]);
		expect(out(r, 'Credit History', 0)).toEqual([
			expect.objectContaining({ status: 'completed', reference: expect.objectContaining({ cibilScore: expect.any(Number) }) }),
		]);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
	});

	it('n8n applies the credential in the GET body: the sandbox, which refuses a call without access_token, RegistrationID and CompanyCode, answers', async () => {
		const r = await run([
			otp('Register', node, 'registerCustomer', customer('ORD-3')),
			otp('Generate OTP', node, 'generateOtp', { options: { includeRaw: true } }),
		]);
		// GenerateOTP requires the token in the body; success proves the body arrived with a GET.
		expect(out(r, 'Generate OTP', 0)[0]).toMatchObject({ ok: true, providerStatus: { httpStatus: 200 } });
		expect(JSON.stringify(out(r, 'Generate OTP', 0)[0].raw)).not.toContain('access_token');
	});

	it('a wrong access token puts the item on Failure as auth_failed', async () => {
		const good = await run([otp('Register', node, 'registerCustomer', customer('ORD-4'))]);
		const credentials = sandboxCredentials(suite.sandbox);
		credentials[credential] = { ...credentials[credential], accessToken: WRONG_TOKEN };
		const r = await run([otp('Generate OTP', node, 'generateOtp', { options: { includeRaw: true } })], out(good, 'Register', 0), credentials);
		expect(r.status).toBe('success');
		expect(out(r, 'Generate OTP', 1)).toEqual([
			expect.objectContaining({ ok: false, status: 'auth_failed', retryable: false, providerStatus: expect.objectContaining({ httpStatus: 401 }) }),
		]);
		expect(out(r, 'Generate OTP', 1)[0].message).toEqual(expect.any(String));
		expect(suite.sandbox.inbox.size).toBe(0);
	});
});
