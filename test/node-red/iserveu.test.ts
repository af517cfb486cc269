/** iServeU DMT Lite nodes in a real Node-RED runtime against the sandbox. */
import { verhoeffCheckDigit } from '../../nodes/core';
import { SANDBOX_ACCOUNTS, type Sandbox } from '../../sandbox';
import iserveuNodes from '../../node-red/iserveu';
import { fixed as fixedValues, leakCheckedLoader, nodeRedRuntime, only, type Loaded, type NodeSetup } from './harness';

const MOBILE = '9876543210';
const USERNAME = SANDBOX_ACCOUNTS.iserveu.username;
const SECRET = SANDBOX_ACCOUNTS.iserveu.clientSecret;
const WRONG_SECRET = 'wrong-secret-do-not-leak';
const AADHAAR_BASE = '23456789012';
const AADHAAR = `${AADHAAR_BASE}${verhoeffCheckDigit(AADHAAR_BASE)}`;
const BAD_AADHAAR = `${AADHAAR_BASE}${(verhoeffCheckDigit(AADHAAR_BASE) + 1) % 10}`;
/** Biometric PID data (Base64): as secret as the Aadhaar number. */
const PID = Buffer.from('<PidData><Resp errCode="0"/><Data type="X">node-red-biometric-sample</Data></PidData>').toString('base64');

let sandbox: Sandbox;
nodeRedRuntime((s) => (sandbox = s));
// Every test: no secret and no Aadhaar number in any output, status or log line.
const loadChecked = leakCheckedLoader(iserveuNodes, [SECRET, WRONG_SECRET, AADHAAR, BAD_AADHAAR, PID]);

function account(credentials: Record<string, unknown> = { clientSecret: SECRET }): NodeSetup['account'] {
	return {
		type: 'otpflow-iserveu-config',
		props: { baseUrl: `${sandbox.url}/iserveu`, clientId: SANDBOX_ACCOUNTS.iserveu.clientId },
		credentials,
	};
}

const fixed = (values: Record<string, string>) => fixedValues(values, ['otpType', 'ovdType']);

function load(type: string, props: Record<string, unknown> = {}, acct = account()): Promise<Loaded> {
	return loadChecked({ type, props, account: acct });
}

/** A fault queued for every iServeU request: still queued afterwards means no request was made. */
function tripwire() {
	sandbox.faults.add({ provider: 'iserveu', kind: 'status', status: 500, times: 1 });
	return () => sandbox.faults.list().filter((f) => f.provider === 'iserveu').length === 1;
}

const registrationOtp = {
	...fixed({ otpType: '1', customerMobileNumber: MOBILE, username: USERNAME }),
	ovdData: 'aadhaar',
	ovdDataType: 'msg',
};

describe('iServeU get customer node', () => {
	it('reports a customer who is not onboarded as completed with the customer state', async () => {
		const node = await load('otpflow-iserveu-get-customer', fixed({ mobileNumber: MOBILE, username: USERNAME }));
		const msg = only(await node.run({ topic: 'lookup' }), 'success');
		expect(msg.payload).toMatchObject({
			ok: true,
			status: 'completed',
			provider: 'iserveu',
			reference: { customerState: 'not_onboarded', customerMobileNumber: MOBILE, username: USERNAME },
			next: 'sendOtp',
		});
		expect(msg.topic).toBe('lookup');
	});
});

describe('iServeU registration and transaction chains', () => {
	it('sends a registration OTP and registers the customer with the code from the inbox', async () => {
		const send = await load('otpflow-iserveu-send-otp', { ...registrationOtp, includeRaw: true });
		const sent = only(await send.run({ aadhaar: AADHAAR, _custom: 'kept' }), 'success');
		expect(sent.payload).toMatchObject({ ok: true, status: 'otp_sent', next: 'registerCustomer', retryAfterSeconds: 30, attemptsRemaining: 5 });
		expect(sent._custom).toBe('kept');
		const code = sandbox.inbox.latest('iserveu', MOBILE)?.otp;
		expect(code).toMatch(/^\d{4,8}$/);

		// Mobile number and username are left at their defaults: read from the Send OTP result.
		const register = await load('otpflow-iserveu-register-customer', {
			...fixed({ customerName: 'Asha Rao', address: '12 MG Road, Bengaluru', pincode: '560001' }),
			otp: 'code',
			otpType: 'msg',
			ovdData: 'aadhaar',
			ovdDataType: 'msg',
			// The provider echoes paramA back: the Aadhaar number must come back masked.
			paramA: 'aadhaar',
			paramAType: 'msg',
			includeRaw: true,
		});
		const done = only(await register.run({ payload: sent.payload, code, aadhaar: AADHAAR }), 'success');
		expect(done.payload).toMatchObject({ ok: true, status: 'verified', reference: { customerMobileNumber: MOBILE, username: USERNAME } });
		expect(done.payload.raw.paramA).toBe(`XXXXXXXX${AADHAAR.slice(-4)}`);
	});

	it('sends a transaction OTP and verifies the beneficiary with the chained reference', async () => {
		const send = await load(
			'otpflow-iserveu-send-otp',
			fixed({ otpType: '2', customerMobileNumber: MOBILE, username: USERNAME, externalRefNumber: 'TXN1432452', requestedAmount: '1001' }),
		);
		const sent = only(await send.run({}), 'success');
		expect(sent.payload).toMatchObject({ status: 'otp_sent', next: 'verifyBeneficiary', reference: { externalRefNumber: 'TXN1432452' } });
		const code = sandbox.inbox.latest('iserveu', MOBILE)?.otp;

		const verify = await load('otpflow-iserveu-verify-beneficiary', fixed({ otp: code ?? '' }));
		const msg = only(await verify.run(sent), 'success');
		expect(msg.payload).toMatchObject({ ok: true, status: 'verified', reference: { externalRefNumber: 'TXN1432452', customerMobileNumber: MOBILE } });

		// The enquiry reads the client reference from Verify Beneficiary's reference; the date is today.
		const enquiry = await load('otpflow-iserveu-transaction-status', {});
		const status = only(await enquiry.run(msg), 'success');
		expect(status.payload).toMatchObject({
			ok: true,
			status: 'completed',
			operation: 'transactionStatus',
			reference: { externalRefNumber: 'TXN1432452', transactionStatus: 'SUCCESS' },
		});
	});

	it('sends a BioAuth OTP with the PID data from the message: the bank code 123456, valid 3 minutes', async () => {
		const send = await load('otpflow-iserveu-send-otp', {
			...fixed({ otpType: '1', customerMobileNumber: MOBILE, username: USERNAME, ovdType: 'BioAuth', latLong: '12.9716,77.5946' }),
			ovdData: 'aadhaar',
			ovdDataType: 'msg',
			pid: 'pid',
			pidType: 'msg',
		});
		const sent = only(await send.run({ aadhaar: AADHAAR, pid: PID }), 'success');
		expect(sent.payload).toMatchObject({ status: 'otp_sent', message: 'OTP sent by the bank (valid 3 minutes)' });
		expect(sandbox.inbox.latest('iserveu', MOBILE)?.otp).toBe('123456');
	});

	it('refuses PID data that is not Base64, naming the field, sending nothing', async () => {
		const untouched = tripwire();
		const send = await load('otpflow-iserveu-send-otp', {
			...fixed({ otpType: '1', customerMobileNumber: MOBILE, username: USERNAME, ovdType: 'BioAuth', latLong: '12.9716,77.5946' }),
			ovdData: 'aadhaar',
			ovdDataType: 'msg',
			pid: 'pid',
			pidType: 'msg',
		});
		const msg = only(await send.run({ aadhaar: AADHAAR, pid: `${PID}!` }), 'failure');
		expect(msg.payload).toMatchObject({ status: 'invalid_request', errors: [{ field: 'pid', message: expect.stringContaining('must be Base64') }] });
		expect(untouched()).toBe(true);
	});

	it('sends a wrong code to the failure output as invalid_otp with the attempts left', async () => {
		const send = await load('otpflow-iserveu-send-otp', registrationOtp);
		const sent = only(await send.run({ aadhaar: AADHAAR }), 'success');
		const right = sandbox.inbox.latest('iserveu', MOBILE)?.otp;
		const register = await load('otpflow-iserveu-register-customer', {
			...fixed({ otp: right === '111111' ? '222222' : '111111', customerName: 'Asha Rao', address: '12 MG Road', pincode: '560001' }),
			ovdData: 'aadhaar',
			ovdDataType: 'msg',
		});
		const msg = only(await register.run({ payload: sent.payload, aadhaar: AADHAAR }), 'failure');
		expect(msg.payload).toMatchObject({ ok: false, status: 'invalid_otp', attemptsRemaining: 4, retryable: true });
	});
});

describe('iServeU input validation', () => {
	it('rejects an Aadhaar number with a wrong check digit without echoing it or sending anything', async () => {
		const untouched = tripwire();
		const node = await load('otpflow-iserveu-send-otp', registrationOtp);
		const msg = only(await node.run({ aadhaar: BAD_AADHAAR }), 'failure');
		expect(msg.payload.status).toBe('invalid_request');
		expect(msg.payload.errors).toEqual([
			{ field: 'ovdData', message: 'Aadhaar Number (OVD Data) (ovdData) must be a 12-digit Aadhaar number with a valid check digit' },
		]);
		expect(untouched()).toBe(true);
		expect(sandbox.inbox.size).toBe(0);
	});

	it('requires the external reference for a transaction OTP and names it', async () => {
		const untouched = tripwire();
		const node = await load('otpflow-iserveu-send-otp', fixed({ otpType: '2', customerMobileNumber: MOBILE, username: USERNAME, requestedAmount: '100' }));
		const msg = only(await node.run({}), 'failure');
		expect(msg.payload.errors).toEqual([{ field: 'externalRefNumber', message: expect.stringContaining('(externalRefNumber) is required when otpType is 2') }]);
		expect(untouched()).toBe(true);
	});

	it('rejects a mobile number that is not a 10-digit Indian number', async () => {
		const untouched = tripwire();
		const node = await load('otpflow-iserveu-get-customer', { mobileNumber: 'phone', mobileNumberType: 'msg', ...fixed({ username: USERNAME }) });
		const msg = only(await node.run({ phone: '12345' }), 'failure');
		expect(msg.payload.errors[0]).toMatchObject({ field: 'mobileNumber', message: expect.stringContaining('10-digit Indian mobile number') });
		expect(untouched()).toBe(true);
	});
});

describe('iServeU expression errors', () => {
	it('raises a catchable error for a broken Aadhaar expression without quoting the number', async () => {
		const node = await load('otpflow-iserveu-send-otp', { ...registrationOtp, ovdData: `"${AADHAAR}" & (`, ovdDataType: 'jsonata' });
		const out = await node.run({});
		expect(out.caught).toHaveLength(1);
		expect(out.caught[0].error.message).toMatch(/^Error: Aadhaar Number \(OVD Data\) \(ovdData\) could not be read from jsonata: /);
		// The leak check in afterEach must see this error, or it proves nothing.
		expect(node.emitted()).toContain('could not be read from jsonata');
	});
});

describe('iServeU credentials', () => {
	it('reports a wrong client secret as auth_failed without revealing it', async () => {
		const node = await load(
			'otpflow-iserveu-get-customer',
			{ ...fixed({ mobileNumber: MOBILE, username: USERNAME }), includeRaw: true },
			account({ clientSecret: WRONG_SECRET }),
		);
		const msg = only(await node.run({}), 'failure');
		expect(msg.payload).toMatchObject({ ok: false, status: 'auth_failed', providerStatus: { httpStatus: 401 } });
	});

	it('masks the client secret wherever the provider echoes it back', async () => {
		const props = fixed({
			otpType: '2',
			customerMobileNumber: MOBILE,
			username: USERNAME,
			externalRefNumber: 'TXN555555',
			requestedAmount: '10',
			paramB: SECRET,
		});
		const node = await load('otpflow-iserveu-send-otp', { ...props, includeRaw: true });
		const msg = only(await node.run({}), 'success');
		expect(msg.payload.raw.paramB).toBe('****');
	});

	it('raises a catchable error naming the missing client secret', async () => {
		const node = await load('otpflow-iserveu-get-customer', fixed({ mobileNumber: MOBILE, username: USERNAME }), account({}));
		const out = await node.run({});
		expect(out.success.length + out.failure.length).toBe(0);
		expect(out.caught[0].error.message).toBe(
			'Error: The iServeU DMT Lite account "test account" is missing Client Secret (secret): open the account and fill it in.',
		);
	});
});

describe('iServeU provider faults', () => {
	const cases: Array<[string, Parameters<Sandbox['faults']['add']>[0], Record<string, unknown>]> = [
		['a timeout', { kind: 'timeout' }, { status: 'network_error', providerStatus: { text: 'timeout' } }],
		['a connection reset', { kind: 'reset' }, { status: 'network_error', providerStatus: { text: 'connection_reset' } }],
		['HTTP 503', { kind: 'status', status: 503 }, { status: 'provider_error', providerStatus: { httpStatus: 503 } }],
		['an HTML error page', { kind: 'html' }, { status: 'provider_error', providerStatus: { httpStatus: 502 } }],
		['malformed JSON', { kind: 'malformed' }, { status: 'provider_error', providerStatus: { httpStatus: 200 } }],
		['HTTP 429 with Retry-After', { kind: 'rate_limit', retryAfter: 12 }, { status: 'rate_limited', retryAfterSeconds: 12 }],
	];

	it.each(cases)('maps %s to the failure output and keeps working', async (_name, fault, expected) => {
		const node = await load('otpflow-iserveu-get-customer', { ...fixed({ mobileNumber: MOBILE, username: USERNAME }), timeout: 0.3 });
		sandbox.faults.add({ provider: 'iserveu', ...fault });
		const failed = only(await node.run({}), 'failure');
		expect(failed.payload).toMatchObject({ ok: false, ...expected });
		expect(only(await node.run({}), 'success').payload.status).toBe('completed');
	});
});
