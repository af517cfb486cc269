/** iServeU DMT Lite node run by the real n8n engine (n8n-core WorkflowExecute) against the sandbox. */
import { SANDBOX_ACCOUNTS } from '../../sandbox';
import { testAadhaar } from '../support/aadhaar';
import { otp, out, paired, readInbox, sandboxCredentials, sandboxSuite } from './otpflow';

const MOBILE = '9876543210';
const USERNAME = SANDBOX_ACCOUNTS.iserveu.username;
const SECRET = SANDBOX_ACCOUNTS.iserveu.clientSecret;
const WRONG_SECRET = 'wrong-secret-must-not-leak';
const AADHAAR = testAadhaar();
/** Biometric PID data (Base64): a secret like the Aadhaar number, never in an output or a log. */
const PID = Buffer.from('<PidData><Resp errCode="0"/><Data type="X">n8n-biometric-sample</Data></PidData>').toString('base64');

const suite = sandboxSuite([SECRET, WRONG_SECRET, AADHAAR, PID]);
const { run } = suite;

describe('iServeU node in the n8n engine', () => {
	it('looks up a customer who is not onboarded: completed on Success, paired with the input item', async () => {
		const r = await run([otp('Get Customer', 'iServeU', 'getCustomer', { mobileNumber: MOBILE, username: USERNAME })]);
		expect(r.error).toBeUndefined();
		expect(out(r, 'Get Customer', 0)).toEqual([
			expect.objectContaining({
				ok: true,
				status: 'completed',
				provider: 'iserveu',
				operation: 'getCustomer',
				reference: expect.objectContaining({ customerState: 'not_onboarded', customerMobileNumber: MOBILE, username: USERNAME }),
				next: 'sendOtp',
			}),
		]);
		expect(out(r, 'Get Customer', 1)).toEqual([]);
		expect(paired(r, 'Get Customer', 0)).toEqual([{ item: 0 }]);
	});
});

describe('iServeU registration and transaction chains in one workflow', () => {
	it('Send OTP (type 1) → inbox → Register Customer → Send OTP (type 2) → inbox → Verify Beneficiary → Transaction Status Enquiry, chaining through the default expressions', async () => {
		const r = await run(
			[
				otp('Send Registration OTP', 'iServeU', 'sendOtp', {
					otpType: '1',
					customerMobileNumber: '={{ $json.mobile }}',
					username: USERNAME,
					ovdData: '={{ $json.aadhaar }}',
				}),
				readInbox('iserveu', '={{ $json.reference.customerMobileNumber }}', 'Customer Reads SMS'),
				// Mobile number and username are left at their defaults: read from Send OTP's reference.
				// The Aadhaar number is taken from the trigger item through n8n's paired-item lineage.
				otp('Register Customer', 'iServeU', 'registerCustomer', {
					otp: '={{ $json.code }}',
					customerName: 'Asha Rao',
					address: '12 MG Road, Bengaluru',
					pincode: '560001',
					ovdData: "={{ $('Start').item.json.aadhaar }}",
				}),
				otp('Send Transaction OTP', 'iServeU', 'sendOtp', {
					otpType: '2',
					customerMobileNumber: '={{ $json.reference.mobileNumber }}',
					username: '={{ $json.reference.username }}',
					externalRefNumber: 'TXN1432452',
					requestedAmount: '1001',
				}),
				readInbox('iserveu', '={{ $json.reference.customerMobileNumber }}', 'Customer Reads SMS 2'),
				// Mobile number, username and external reference left at their defaults.
				otp('Verify Beneficiary', 'iServeU', 'verifyBeneficiary', { otp: '={{ $json.code }}' }),
				// The client reference left at its default (Verify Beneficiary's externalRefNumber), the date at today.
				otp('Transaction Status', 'iServeU', 'transactionStatus', {}),
			],
			[{ mobile: MOBILE, aadhaar: AADHAAR }],
		);
		expect(r.error).toBeUndefined();
		expect(r.executionOrder).toEqual([
			'Start',
			'Send Registration OTP',
			'Customer Reads SMS',
			'Register Customer',
			'Send Transaction OTP',
			'Customer Reads SMS 2',
			'Verify Beneficiary',
			'Transaction Status',
		]);
		expect(out(r, 'Send Registration OTP', 0)).toEqual([
			expect.objectContaining({
				ok: true,
				status: 'otp_sent',
				next: 'registerCustomer',
				retryAfterSeconds: 30,
				attemptsRemaining: 5,
				reference: expect.objectContaining({ otpType: '1', customerMobileNumber: MOBILE }),
			}),
		]);
		expect(out(r, 'Register Customer', 0)).toEqual([
			expect.objectContaining({ ok: true, status: 'verified', operation: 'registerCustomer', reference: { customerMobileNumber: MOBILE, username: USERNAME } }),
		]);
		expect(out(r, 'Send Transaction OTP', 0)).toEqual([
			expect.objectContaining({
				status: 'otp_sent',
				next: 'verifyBeneficiary',
				reference: expect.objectContaining({ otpType: '2', externalRefNumber: 'TXN1432452' }),
			}),
		]);
		expect(out(r, 'Verify Beneficiary', 0)).toEqual([
			expect.objectContaining({
				ok: true,
				status: 'verified',
				operation: 'verifyBeneficiary',
				reference: { customerMobileNumber: MOBILE, username: USERNAME, externalRefNumber: 'TXN1432452' },
			}),
		]);
		expect(out(r, 'Transaction Status', 0)).toEqual([
			expect.objectContaining({
				ok: true,
				status: 'completed',
				operation: 'transactionStatus',
				reference: expect.objectContaining({ externalRefNumber: 'TXN1432452', transactionStatus: 'SUCCESS' }),
			}),
		]);
		for (const name of ['Send Registration OTP', 'Register Customer', 'Send Transaction OTP', 'Verify Beneficiary', 'Transaction Status']) {
			expect(out(r, name, 1)).toEqual([]);
			expect(paired(r, name, 0)).toEqual([{ item: 0 }]);
		}
		// The registration is real: the customer is now verified.
		const lookup = await run([otp('Get Customer', 'iServeU', 'getCustomer', { mobileNumber: MOBILE, username: USERNAME })]);
		expect(out(lookup, 'Get Customer', 0)[0]).toMatchObject({ status: 'completed', reference: { customerState: 'verified' } });
	});

	it('a BioAuth send takes the PID data from the item: otp_sent by the bank for 3 minutes, the PID data in no output', async () => {
		const r = await run(
			[
				otp('Send BioAuth OTP', 'iServeU', 'sendOtp', {
					otpType: '1',
					customerMobileNumber: '9876543219',
					username: USERNAME,
					ovdType: 'BioAuth',
					ovdData: '={{ $json.aadhaar }}',
					pid: '={{ $json.pid }}',
					latLong: '12.9716,77.5946',
					options: { includeRaw: true },
				}),
				readInbox('iserveu', '9876543219'),
			],
			[{ aadhaar: AADHAAR, pid: PID }],
		);
		expect(r.error).toBeUndefined();
		const [sent] = out(r, 'Send BioAuth OTP', 0);
		expect(sent).toMatchObject({ ok: true, status: 'otp_sent', message: 'OTP sent by the bank (valid 3 minutes)' });
		expect(Date.parse(String(sent.expiresAt)) - Date.now()).toBeLessThanOrEqual(180000);
		expect(JSON.stringify(sent)).not.toContain(PID.slice(0, 40));
		expect(out(r, 'Read Inbox', 0)[0]).toMatchObject({ code: '123456' });
	});

	it('a wrong code goes to Failure as invalid_otp with the attempts left, and the workflow finishes', async () => {
		const r = await run([
			otp('Send OTP', 'iServeU', 'sendOtp', {
				otpType: '2',
				customerMobileNumber: MOBILE,
				username: USERNAME,
				externalRefNumber: 'TXN5550001',
				requestedAmount: '10',
			}),
			readInbox('iserveu', MOBILE),
			otp('Verify Beneficiary', 'iServeU', 'verifyBeneficiary', { otp: "={{ $json.code === '111111' ? '222222' : '111111' }}" }),
		]);
		expect(r.status).toBe('success');
		expect(out(r, 'Verify Beneficiary', 0)).toEqual([]);
		expect(out(r, 'Verify Beneficiary', 1)).toEqual([
			expect.objectContaining({
				ok: false,
				status: 'invalid_otp',
				attemptsRemaining: 4,
				retryable: true,
				providerStatus: expect.objectContaining({ httpStatus: 200, code: '1' }),
			}),
		]);
		expect(paired(r, 'Verify Beneficiary', 1)).toEqual([{ item: 0 }]);
	});
});

describe('iServeU credential authentication through n8n', () => {
	it('n8n applies the credential: client_id and client_secret headers reach the provider (it answers 401 without them)', async () => {
		const r = await run([otp('Get Customer', 'iServeU', 'getCustomer', { mobileNumber: MOBILE, username: USERNAME, options: { includeRaw: true } })]);
		expect(out(r, 'Get Customer', 0)[0]).toMatchObject({ ok: true, providerStatus: { httpStatus: 200, code: '0' } });
	});

	it('a wrong client secret puts the item on Failure as auth_failed without revealing the secret', async () => {
		const credentials = sandboxCredentials(suite.sandbox);
		credentials.iServeUDmtApi = { ...credentials.iServeUDmtApi, clientSecret: WRONG_SECRET };
		const r = await run(
			[otp('Get Customer', 'iServeU', 'getCustomer', { mobileNumber: MOBILE, username: USERNAME, options: { includeRaw: true } })],
			undefined,
			credentials,
		);
		expect(r.status).toBe('success');
		expect(out(r, 'Get Customer', 1)).toEqual([
			expect.objectContaining({ ok: false, status: 'auth_failed', retryable: false, providerStatus: expect.objectContaining({ httpStatus: 401 }) }),
		]);
	});

	it('masks the client secret when the provider echoes it back', async () => {
		const r = await run([
			otp('Send OTP', 'iServeU', 'sendOtp', {
				otpType: '2',
				customerMobileNumber: MOBILE,
				username: USERNAME,
				externalRefNumber: 'TXN5550002',
				requestedAmount: '10',
				options: { paramB: SECRET, includeRaw: true },
			}),
		]);
		expect((out(r, 'Send OTP', 0)[0].raw as Record<string, unknown>).paramB).toBe('****');
	});
});
