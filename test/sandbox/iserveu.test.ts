import { SANDBOX_ACCOUNTS, startSandbox, type Sandbox } from '../../sandbox';
import { AADHAAR, call } from './helpers';

const AUTH = { client_id: SANDBOX_ACCOUNTS.iserveu.clientId, client_secret: SANDBOX_ACCOUNTS.iserveu.clientSecret };
const USER = 'agent_01';
const MOBILE = '8144094480';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox();
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const post = (path: string, body: Record<string, unknown>, headers: Record<string, string> = AUTH) =>
	call(`${sb.baseUrls.iserveu}/common/dmt-lite/unified/${path}`, { body, headers });

const sendType1 = (extra: Record<string, unknown> = {}) =>
	post('otp/send', {
		customerMobileNumber: MOBILE,
		username: USER,
		otpType: '1',
		ovdType: 'Aadhaar Card',
		ovdData: AADHAAR,
		paramA: 'a',
		paramB: 'b',
		paramC: '',
		...extra,
	});

const sendType2 = (ref: string, extra: Record<string, unknown> = {}) =>
	post('otp/send', {
		customerMobileNumber: MOBILE,
		username: USER,
		otpType: '2',
		externalRefNumber: ref,
		requestedAmount: '1001',
		...extra,
	});

const register = (otp: string, extra: Record<string, unknown> = {}) =>
	post('customer/process-customer-registration', {
		mobileNumber: MOBILE,
		name: 'Asha Rao',
		address: '12 MG Road, Bengaluru',
		pincode: '560001',
		ovdType: 'Aadhaar Card',
		ovdData: AADHAAR,
		otp,
		username: USER,
		...extra,
	});

const latestOtp = () => sb.inbox.latest('iserveu', MOBILE)!.otp;

describe('iServeU auth', () => {
	it('answers HTTP 401 with the FAILED body when client_secret is wrong', async () => {
		const r = await post('otp/send', {}, { ...AUTH, client_secret: 'nope' });
		expect(r.status).toBe(401);
		expect(r.json).toEqual({ status: 'FAILED', statusCode: '401', statusDesc: 'Unauthorized: invalid client_id or client_secret' });
	});

	it('answers HTTP 401 when the headers are missing', async () => {
		const r = await post('customer/get-customer', { mobileNumber: MOBILE, username: USER }, {});
		expect(r.status).toBe(401);
	});
});

describe('iServeU otp/send', () => {
	it('sends a type-1 OTP, echoes paramA-C and delivers the SMS to the mobile', async () => {
		const r = await sendType1();
		expect(r.status).toBe(200);
		expect(r.json).toEqual({ status: 'SUCCESS', statusCode: '0', statusDesc: 'OTP Sent Successfully.', paramA: 'a', paramB: 'b', paramC: '' });
		const msg = sb.inbox.latest('iserveu', MOBILE)!;
		expect(msg.channel).toBe('sms');
		expect(msg.otp).toMatch(/^\d{6}$/);
		expect(msg.text).toBe(`${msg.otp} is your OTP for DMT customer registration. Valid for 10 minutes.`);
	});

	it('never stores or echoes the Aadhaar number', async () => {
		const r = await sendType1({ paramA: 'x' });
		expect(r.text).not.toContain(AADHAAR);
		expect(JSON.stringify(sb.inbox.list())).not.toContain(AADHAAR);
		const page = await call(`${sb.url}/_sandbox/`, { method: 'GET' });
		expect(page.text).not.toContain(AADHAAR);
	});

	it.each([
		[{ username: 'a' }, 'Invalid username'],
		[{ customerMobileNumber: '81440' }, 'Invalid Mobile Number'],
		[{ otpType: '3' }, 'Invalid OTP Type'],
		[{ ovdData: '' }, 'OVD Data is mandatory for OTP type 1'],
		[{ ovdData: '1234' }, 'Invalid Aadhaar Number'],
	])('rejects a type-1 send with %j as statusCode -1 "%s"', async (extra, desc) => {
		const r = await sendType1(extra);
		expect(r.status).toBe(200);
		expect(r.json).toMatchObject({ status: 'FAILED', statusCode: '-1', statusDesc: desc });
		expect(sb.inbox.list()).toHaveLength(0);
	});

	it.each([
		[{ requestedAmount: '' }, 'Requested Amount Must Not be EMPTY Or Only Number Allowed'],
		[{ requestedAmount: '10a' }, 'Requested Amount Must Not be EMPTY Or Only Number Allowed'],
		[{ externalRefNumber: '12345' }, 'External Reference Number must be 6 to 22 characters'],
		[{ externalRefNumber: 'x'.repeat(23) }, 'External Reference Number must be 6 to 22 characters'],
	])('rejects a type-2 send with %j as statusCode -1 "%s"', async (extra, desc) => {
		const r = await sendType2('REF123456', extra);
		expect(r.json).toMatchObject({ status: 'FAILED', statusCode: '-1', statusDesc: desc });
	});

	it('refuses a type-1 resend within 30 s, naming the remaining seconds, and allows it after', async () => {
		await sendType1();
		sb.advance(12);
		const early = await sendType1();
		expect(early.json).toMatchObject({ status: 'FAILED', statusCode: '1', statusDesc: 'Please wait 18 seconds before requesting a new OTP' });
		sb.advance(18);
		const later = await sendType1();
		expect(later.json.statusCode).toBe('0');
		expect(sb.inbox.list({ provider: 'iserveu' })).toHaveLength(2);
	});

	it('refuses a type-2 send that reuses an external reference number', async () => {
		expect((await sendType2('REF123456')).json.statusCode).toBe('0');
		const again = await sendType2('REF123456');
		expect(again.json).toMatchObject({
			status: 'FAILED',
			statusCode: '1',
			statusDesc: 'Duplicate External Reference Number. Change the reference number to regenerate OTP',
		});
		expect((await sendType2('REF123457')).json.statusCode).toBe('0');
		expect(sb.inbox.latest('iserveu', MOBILE)!.text).toMatch(/^\d{6} is your OTP for DMT transaction\. Valid for 10 minutes\.$/);
	});
});

describe('iServeU customer registration (type-1 OTP)', () => {
	it('moves get-customer from "not onboarded" to "verified" with the customer name', async () => {
		const before = await post('customer/get-customer', { mobileNumber: MOBILE, username: USER });
		expect(before.json).toMatchObject({ status: 'SUCCESS', statusCode: '0', statusDesc: 'Customer not onboarded' });
		await sendType1();
		const r = await register(latestOtp());
		expect(r.json).toMatchObject({ status: 'SUCCESS', statusCode: '0', statusDesc: 'Customer registered successfully' });
		const after = await post('customer/get-customer', { mobileNumber: MOBILE, username: USER });
		expect(after.json).toMatchObject({ status: 'SUCCESS', statusCode: '2', statusDesc: 'Customer verified', customerName: 'Asha Rao' });
	});

	it('reports "created but not verified" after a wrong code, and -1 for a bad mobile', async () => {
		await sendType1();
		await register('000000' === latestOtp() ? '111111' : '000000');
		const r = await post('customer/get-customer', { mobileNumber: MOBILE, username: USER });
		expect(r.json).toMatchObject({ statusCode: '1', statusDesc: 'Customer created but not verified', customerName: 'Asha Rao' });
		const bad = await post('customer/get-customer', { mobileNumber: '12', username: USER });
		expect(bad.json).toMatchObject({ status: 'FAILED', statusCode: '-1', statusDesc: 'Invalid username or mobile number' });
	});

	it('reports "verified but OVD not verified" for a non-Aadhaar OVD', async () => {
		await sendType1();
		await register(latestOtp(), { ovdType: 'Voter ID', ovdData: 'ABC1234567' });
		const r = await post('customer/get-customer', { mobileNumber: MOBILE, username: USER });
		expect(r.json).toMatchObject({ statusCode: '3', statusDesc: 'Customer verified but OVD not verified' });
	});

	it('asks to send an OTP first when none was sent', async () => {
		const r = await register('123456');
		expect(r.json).toMatchObject({ status: 'FAILED', statusCode: '1', statusDesc: 'OTP not generated. Send OTP first' });
	});

	it('counts down wrong codes and kills the OTP after the 5th', async () => {
		await sendType1();
		const good = latestOtp();
		const wrong = good === '999999' ? '999998' : '999999';
		const descs: string[] = [];
		for (let i = 0; i < 5; i++) descs.push((await register(wrong)).json.statusDesc);
		expect(descs).toEqual([
			'Invalid OTP. 4 attempts remaining',
			'Invalid OTP. 3 attempts remaining',
			'Invalid OTP. 2 attempts remaining',
			'Invalid OTP. 1 attempts remaining',
			'Maximum OTP attempts exceeded. Please request a new OTP',
		]);
		const late = await register(good);
		expect(late.json).toMatchObject({ statusCode: '1', statusDesc: 'Maximum OTP attempts exceeded. Please request a new OTP' });
	});

	it('expires the OTP after 10 minutes', async () => {
		await sendType1();
		const otp = latestOtp();
		sb.advance(600);
		const r = await register(otp);
		expect(r.json).toMatchObject({ status: 'FAILED', statusCode: '1', statusDesc: 'OTP expired. Please request a new OTP' });
	});

	it('accepts a code once only', async () => {
		await sendType1();
		const otp = latestOtp();
		expect((await register(otp)).json.statusCode).toBe('0');
		expect((await register(otp)).json.statusDesc).toBe('OTP not generated. Send OTP first');
	});

	it('validates registration fields before the OTP as statusCode -1', async () => {
		const r = await register('123456', { pincode: '56' });
		expect(r.json).toMatchObject({ status: 'FAILED', statusCode: '-1', statusDesc: 'Invalid Pincode' });
	});
});

describe('iServeU verify-bene (type-2 OTP)', () => {
	const verify = (otp: string, ref: string, extra: Record<string, unknown> = {}) =>
		post('transaction/verify-bene', {
			customerMobileNumber: MOBILE,
			externalRefNumber: ref,
			username: USER,
			otp,
			accountNumber: '001122334455',
			beneIfscCode: 'SBIN0000001',
			paramA: 'keep',
			...extra,
		});

	it('verifies with the same reference, mobile and username', async () => {
		await sendType2('TXN0001');
		const r = await verify(latestOtp(), 'TXN0001');
		expect(r.json).toEqual({
			status: 'SUCCESS',
			statusCode: '0',
			statusDesc: 'Beneficiary verified successfully',
			paramA: 'keep',
			paramB: '',
			paramC: '',
		});
	});

	it.each([[{ externalRefNumber: 'TXN0002' }], [{ customerMobileNumber: '9876543210' }], [{ username: 'someone_else' }]])(
		'treats a mismatch of %j as "OTP not generated"',
		async (extra) => {
			await sendType2('TXN0001');
			const r = await verify(latestOtp(), 'TXN0001', extra);
			expect(r.json).toMatchObject({ statusCode: '1', statusDesc: 'OTP not generated. Send OTP first' });
		},
	);

	it('reports wrong codes, then expiry', async () => {
		await sendType2('TXN0001');
		const otp = latestOtp();
		const wrong = otp === '000000' ? '000001' : '000000';
		expect((await verify(wrong, 'TXN0001')).json.statusDesc).toBe('Invalid OTP. 4 attempts remaining');
		sb.advance(601);
		expect((await verify(otp, 'TXN0001')).json.statusDesc).toBe('OTP expired. Please request a new OTP');
	});
});

const PID = Buffer.from('<PidData><Resp errCode="0"/></PidData>').toString('base64');

describe('iServeU BioAuth send (the bank sends the OTP)', () => {
	it('needs the PID data and latLong, then sends the staging OTP 123456, valid 3 minutes', async () => {
		const missing = await sendType1({ ovdType: 'BioAuth' });
		expect(missing.json).toMatchObject({ statusCode: '-1', statusDesc: 'PID data is mandatory for BioAuth' });
		const noPlace = await sendType1({ ovdType: 'BioAuth', pid: PID });
		expect(noPlace.json).toMatchObject({ statusCode: '-1', statusDesc: 'latLong is mandatory for BioAuth' });
		const badPid = await sendType1({ ovdType: 'BioAuth', pid: 'not base64!', latLong: '12.97,77.59' });
		expect(badPid.json).toMatchObject({ statusCode: '-1', statusDesc: 'Invalid PID data' });
		const r = await sendType1({ ovdType: 'BioAuth', pid: PID, latLong: '12.97,77.59' });
		expect(r.json).toMatchObject({ status: 'SUCCESS', statusCode: '0' });
		expect(latestOtp()).toBe('123456');
		expect(sb.inbox.latest('iserveu', MOBILE)!.text).toContain('Valid for 3 minutes');
		expect(JSON.stringify(sb.inbox.latest('iserveu', MOBILE))).not.toContain(PID);
		sb.advance(181);
		expect((await register('123456')).json.statusDesc).toBe('OTP expired. Please request a new OTP');
	});

	it('registers the customer with the bank OTP', async () => {
		await sendType1({ ovdType: 'BioAuth', pid: PID, latLong: '12.97,77.59' });
		expect((await register('123456', { ovdType: 'Aadhaar Card' })).json).toMatchObject({ statusCode: '0' });
	});
});

describe('iServeU field names per endpoint', () => {
	it.each([
		['otp/send', 'latlong', 'latLong'],
		['otp/send', 'customerIP', 'publicIP'],
		['transaction/verify-bene', 'latlong', 'latLong'],
		['transaction/verify-bene', 'publicIP', 'customerIP'],
		['customer/get-customer', 'latLong', 'latlong'],
		['customer/get-customer', 'customerIP', 'publicIP'],
		['customer/process-customer-registration', 'latLong', 'latlong'],
		['customer/process-customer-registration', 'customerIP', 'publicIP'],
	])('%s refuses %s (it takes %s)', async (path, wrong, right) => {
		const r = await post(path, {
			mobileNumber: MOBILE,
			customerMobileNumber: MOBILE,
			username: USER,
			[wrong]: wrong.startsWith('lat') ? '12.97,77.59' : '10.0.0.1',
		});
		expect(r.json).toMatchObject({ status: 'FAILED', statusCode: '-1', statusDesc: `Unknown field ${wrong}: this API takes ${right}` });
	});

	it('takes the documented spellings', async () => {
		expect((await post('customer/get-customer', { mobileNumber: MOBILE, username: USER, latlong: '12.97,77.59', publicIP: '10.0.0.1' })).json.statusCode).toBe(
			'0',
		);
		expect((await sendType1({ latLong: '12.97,77.59', publicIP: '10.0.0.1' })).json.statusCode).toBe('0');
		expect((await register(latestOtp(), { latlong: '12.97,77.59', publicIP: '10.0.0.1' })).json.statusCode).toBe('0');
	});

	it('registers without address, pincode or OVD (customer state 3: OVD not verified)', async () => {
		await sendType1();
		const r = await register(latestOtp(), { address: undefined, pincode: undefined, ovdType: undefined, ovdData: undefined });
		expect(r.json).toMatchObject({ statusCode: '0' });
		expect((await post('customer/get-customer', { mobileNumber: MOBILE, username: USER })).json.statusCode).toBe('3');
	});
});

describe('iServeU transaction status enquiry', () => {
	const today = () => new Date(Date.now() + 330 * 60000).toISOString().slice(0, 10);
	const enquire = (ref: string, date = today(), extra: Record<string, unknown> = {}) =>
		call(`${sb.baseUrls.iserveu}/redis-v2/statuscheck-report/txnreport`, {
			body: { $1: 'DMT_txn_status_api_lite_common', $4: date, $5: date, $6: ref, ...extra },
			headers: AUTH,
		});

	it('finds a verified beneficiary on its day as SUCCESS, and nothing on another day', async () => {
		await sendType2('TXN0009');
		const v = await post('transaction/verify-bene', { customerMobileNumber: MOBILE, externalRefNumber: 'TXN0009', username: USER, otp: latestOtp() });
		expect(v.json.statusCode).toBe('0');
		const r = await enquire('TXN0009');
		expect(r.status).toBe(200);
		expect(r.json).toMatchObject({
			status: 200,
			message: 'Success',
			length: 1,
			results: [{ status: 'SUCCESS', clientreferenceid: 'TXN0009', txnAmount: 1001 }],
		});
		expect((await enquire('TXN0009', '2024-10-08')).json).toEqual({ status: 200, message: 'No Data Found', length: 0, results: [] });
		expect((await enquire('TXN0404')).json).toMatchObject({ length: 0, results: [] });
	});

	it.each([
		['SANDBOXSUCCESS01', 'SUCCESS'],
		['SANDBOXPENDING01', 'INPROGRESS'],
		['SANDBOXFAILED01', 'FAILED'],
	])('knows the demo reference %s (%s) on any day', async (ref, status) => {
		expect((await enquire(ref, '2024-10-08')).json.results[0]).toMatchObject({ status, clientreferenceid: ref });
	});

	it('refuses another query operation, a range of days and a missing reference; needs the client headers', async () => {
		expect((await enquire('TXN0009', today(), { $1: 'DMT_txn_status_api' })).json).toMatchObject({ status: 400 });
		expect((await enquire('TXN0009', today(), { $5: '2099-01-01' })).json).toMatchObject({ status: 400 });
		expect((await enquire('')).json).toMatchObject({ status: 400 });
		const r = await call(`${sb.baseUrls.iserveu}/redis-v2/statuscheck-report/txnreport`, { body: {}, headers: { ...AUTH, client_secret: 'nope' } });
		expect(r.status).toBe(401);
	});
});
