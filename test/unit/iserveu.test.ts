import { findOperation, runOperation } from '../../nodes/core';
import { iserveu } from '../../nodes/providers/iserveu';
import { otpFailure } from '../../nodes/providers/iserveu/interpret';
import { badChecksumAadhaar, testAadhaar } from '../support/aadhaar';
import { expectRejectedLocally, FakeTransport, json } from '../support/fake-transport';

const credentials = { baseUrl: 'https://apidev.iserveu.online', clientId: 'cid', clientSecret: 'very-secret-value' };
const now = () => new Date('2026-11-22T10:00:00Z');
const AADHAAR = testAadhaar();

const sendType1 = { otpType: '1', customerMobileNumber: '9876543210', username: 'isutestapi1', ovdType: 'Aadhaar Card', ovdData: AADHAAR };
const sendType2 = { otpType: '2', customerMobileNumber: '9876543210', username: 'isutestapi1', externalRefNumber: 'TXN1432452', requestedAmount: '1001' };

async function run(
	opId: string,
	params: Record<string, unknown>,
	answer = json(200, { status: 'SUCCESS', statusCode: '0', statusDesc: 'OTP Sent Successfully.' }),
) {
	const transport = new FakeTransport(() => answer);
	const result = await runOperation(iserveu, findOperation(iserveu, opId), params, credentials, transport, { now });
	return { result, transport };
}

describe('iServeU input rules (nothing is sent when one fails)', () => {
	test.each([
		['customerMobileNumber', { ...sendType1, customerMobileNumber: '5876543210' }, '10-digit Indian mobile'],
		['customerMobileNumber', { ...sendType1, customerMobileNumber: '98765' }, '10-digit Indian mobile'],
		['ovdData', { ...sendType1, ovdData: undefined }, 'is required when otpType is 1'],
		['ovdData', { ...sendType1, ovdData: badChecksumAadhaar() }, 'valid check digit'],
		['ovdData', { ...sendType1, ovdData: '12345' }, 'valid check digit'],
		['otpType', { ...sendType1, otpType: '3' }, 'must be one of 1, 2'],
		['externalRefNumber', { ...sendType2, externalRefNumber: undefined }, 'is required when otpType is 2'],
		['externalRefNumber', { ...sendType2, externalRefNumber: 'ABC12' }, '6 to 22 characters'],
		['externalRefNumber', { ...sendType2, externalRefNumber: 'A'.repeat(23) }, '6 to 22 characters'],
		['requestedAmount', { ...sendType2, requestedAmount: '-10' }, 'positive number'],
		['requestedAmount', { ...sendType2, requestedAmount: 'ten' }, 'positive number'],
		['requestedAmount', { ...sendType2, requestedAmount: '' }, 'is required when otpType is 2'],
		['latLong', { ...sendType1, latLong: '123.23,21.345' }, 'latitude -90 to 90'],
		['latLong', { ...sendType1, latLong: 'here' }, 'latitude -90 to 90'],
		['publicIP', { ...sendType1, publicIP: '300.1.1.1' }, 'valid IPv4 or IPv6'],
		['username', { ...sendType1, username: '' }, 'is required'],
		// Hostile free text: control and text-direction characters, and values far beyond any sane length.
		['ovdType', { ...sendType1, ovdType: 'Aadhaar\u0000Card' }, 'must not contain control characters'],
		['ovdType', { ...sendType1, ovdType: 'x'.repeat(10 * 1024) }, 'at most 40 characters'],
		['ovdType', { ...sendType1, ovdType: 'x'.repeat(1024 * 1024) }, 'at most 40 characters'],
		['paramA', { ...sendType1, paramA: 'a\u0007b' }, 'must not contain control characters'],
		['paramB', { ...sendType1, paramB: 'line\nbreak' }, 'must not contain control characters'],
		['paramC', { ...sendType1, paramC: 'abc\u202Eevil' }, 'invisible text-direction characters'],
		['username', { ...sendType1, username: 'agent\u0000' }, 'must not contain control characters'],
	])('send OTP: bad %s → invalid_request naming it', async (field, params, rule) => {
		const outcome = await run('sendOtp', params);
		expectRejectedLocally(outcome, field, rule);
		expect(JSON.stringify(outcome.result)).not.toContain(AADHAAR);
	});

	test('register customer requires a valid Aadhaar and a 6-digit PIN code', async () => {
		const { result, transport } = await run('registerCustomer', {
			mobileNumber: '9876543210',
			username: 'isutestapi1',
			otp: '123456',
			customerName: 'Asha Rao',
			address: '1 MG Road',
			pincode: '056001',
			ovdData: badChecksumAadhaar(),
		});
		expect(transport.sent).toHaveLength(0);
		expect(result.errors?.map((e) => e.field).sort()).toEqual(['ovdData', 'pincode']);
	});

	test('register customer refuses a NUL in the address and an address longer than documented', async () => {
		const base = { mobileNumber: '9876543210', username: 'isutestapi1', otp: '123456', customerName: 'Asha Rao', pincode: '560001', ovdData: AADHAAR };
		expectRejectedLocally(await run('registerCustomer', { ...base, address: '1 MG Road\u0000' }), 'address', 'must not contain control characters');
		expectRejectedLocally(await run('registerCustomer', { ...base, address: 'x'.repeat(250) }), 'address', 'must be 3 to 200 characters long');
	});

	test('otp must be 4-8 digits', async () => {
		const { result } = await run('verifyBeneficiary', {
			customerMobileNumber: '9876543210',
			username: 'isutestapi1',
			externalRefNumber: 'TXN1432452',
			otp: '12ab',
		});
		expect(result.errors).toEqual([{ field: 'otp', message: 'OTP (otp) must be 4 to 8 digits' }]);
	});
});

describe('iServeU requests', () => {
	test('send OTP posts the documented body to the documented path; the secret is not added by the core', async () => {
		const { result, transport } = await run('sendOtp', { ...sendType1, latLong: '12.97,77.59', paramA: 'mine' });
		expect(transport.sent[0].method).toBe('POST');
		expect(transport.sent[0].url).toBe('https://apidev.iserveu.online/common/dmt-lite/unified/otp/send');
		expect(transport.sent[0].body).toEqual({
			customerMobileNumber: '9876543210',
			username: 'isutestapi1',
			otpType: '1',
			ovdType: 'Aadhaar Card',
			ovdData: AADHAAR,
			latLong: '12.97,77.59',
			paramA: 'mine',
		});
		expect(JSON.stringify(transport.sent[0].headers)).not.toContain('very-secret-value');
		expect(result).toMatchObject({
			ok: true,
			status: 'otp_sent',
			provider: 'iserveu',
			operation: 'sendOtp',
			next: 'registerCustomer',
			retryAfterSeconds: 30,
			attemptsRemaining: 5,
			expiresAt: '2026-11-22T10:10:00.000Z',
			reference: { otpType: '1', customerMobileNumber: '9876543210', username: 'isutestapi1' },
			providerStatus: { httpStatus: 200, code: '0', text: 'OTP Sent Successfully.' },
		});
		expect(JSON.stringify(result)).not.toContain(AADHAAR);
	});

	test('timing options change expiresAt, retryAfterSeconds and attemptsRemaining', async () => {
		const { result } = await run('sendOtp', { ...sendType1, otpValidityMinutes: 3, resendWaitSeconds: 60, maxAttempts: 3 });
		expect(result).toMatchObject({ expiresAt: '2026-11-22T10:03:00.000Z', retryAfterSeconds: 60, attemptsRemaining: 3 });
	});

	test('a transaction OTP points to Verify Beneficiary and carries its reference', async () => {
		const { result } = await run('sendOtp', sendType2);
		expect(result.next).toBe('verifyBeneficiary');
		expect(result.retryAfterSeconds).toBeUndefined();
		expect(result.reference).toMatchObject({ externalRefNumber: 'TXN1432452', otpType: '2' });
	});

	test('registration sends latlong in lower case as documented', async () => {
		const { transport } = await run(
			'registerCustomer',
			{
				mobileNumber: '9876543210',
				username: 'isutestapi1',
				otp: '123456',
				customerName: 'Asha Rao',
				address: '1 MG Road',
				pincode: '560001',
				ovdData: AADHAAR,
				latLong: '12.97,77.59',
			},
			json(200, { status: 'SUCCESS', statusCode: '0', statusDesc: 'Customer registered successfully' }),
		);
		expect(transport.sent[0].url).toMatch(/customer\/process-customer-registration$/);
		expect(transport.sent[0].body).toMatchObject({ latlong: '12.97,77.59', otp: '123456', ovdType: 'Aadhaar Card' });
	});
});

describe('iServeU answers → normalised status', () => {
	test.each([
		['1', 'Invalid OTP. 3 attempts remaining', 'invalid_otp'],
		['1', 'OTP expired. Please request a new OTP', 'expired'],
		['1', 'Maximum OTP attempts exceeded. Please request a new OTP', 'max_attempts'],
		['1', 'Please wait 21 seconds before requesting a new OTP', 'rate_limited'],
		['1', 'OTP not generated. Send OTP first', 'invalid_request'],
		['1', 'Duplicate External Reference Number. Change the reference number to regenerate OTP', 'invalid_request'],
		['-1', 'Requested Amount Must Not be EMPTY Or Only Number Allowed', 'invalid_request'],
		['1', 'Failed to send OTP', 'provider_error'],
	])('statusCode %s "%s" → %s', (code, desc, status) => {
		expect(otpFailure(code, desc).status).toBe(status);
	});

	test('reads attempts remaining and the resend wait from the words', () => {
		expect(otpFailure('1', 'Invalid OTP. 3 attempts remaining').attemptsRemaining).toBe(3);
		expect(otpFailure('1', 'Please wait 21 seconds before requesting a new OTP').retryAfterSeconds).toBe(21);
	});

	test.each([
		['0', 'not_onboarded'],
		['1', 'created_not_verified'],
		['2', 'verified'],
		['3', 'ovd_not_verified'],
	])('get customer statusCode %s → completed with customerState %s', async (code, state) => {
		const { result } = await run(
			'getCustomer',
			{ mobileNumber: '9876543210', username: 'isutestapi1' },
			json(200, { status: 'SUCCESS', statusCode: code, statusDesc: 'x' }),
		);
		expect(result).toMatchObject({ status: 'completed', ok: true, reference: { customerState: state } });
	});

	test.each([
		[
			'"Customer created but not verified"',
			{ statusCode: '1', statusDesc: 'Customer created but not verified' },
			{ status: 'completed', reference: { customerState: 'created_not_verified' } },
		],
		[
			'"Customer not found" (code 0)',
			{ statusCode: 0, statusDesc: 'Customer not found' },
			{ status: 'completed', reference: { customerState: 'not_onboarded' } },
		],
		['"Failed to fetch customer details"', { statusCode: '1', statusDesc: 'Failed to fetch customer details' }, { status: 'provider_error', retryable: true }],
		['no words', { statusCode: '1', statusDesc: '' }, { status: 'provider_error', retryable: true }],
	])('get customer FAILED with %s: the state only when the words confirm it', async (_label, answer, expected) => {
		const { result } = await run('getCustomer', { mobileNumber: '9876543210', username: 'isutestapi1' }, json(200, { status: 'FAILED', ...answer }));
		expect(result).toMatchObject(expected);
	});

	test('get customer statusCode 4 is a retryable provider error; -1 an invalid request', async () => {
		const four = await run(
			'getCustomer',
			{ mobileNumber: '9876543210', username: 'isutestapi1' },
			json(200, { status: 'FAILED', statusCode: '4', statusDesc: 'Internal issue' }),
		);
		expect(four.result).toMatchObject({ status: 'provider_error', retryable: true });
		const bad = await run(
			'getCustomer',
			{ mobileNumber: '9876543210', username: 'isutestapi1' },
			json(200, { status: 'FAILED', statusCode: '-1', statusDesc: 'Invalid username' }),
		);
		expect(bad.result.status).toBe('invalid_request');
	});

	test('an operation without an Aadhaar field still masks every Aadhaar number iServeU echoes, and token-like keys', async () => {
		const other = testAadhaar('87654321098');
		const spaced = `${other.slice(0, 4)} ${other.slice(4, 8)} ${other.slice(8)}`;
		const body = {
			status: 'SUCCESS',
			statusCode: '2',
			statusDesc: `Customer verified with Aadhaar ${spaced}`,
			data: { aadhaar_number: other, uidNumber: Number(other), note: `${other.slice(0, 4)}-${other.slice(4, 8)}-${other.slice(8)}` },
			refreshToken: 'rt-value-1234',
			sessionToken: 'st-value-1234',
		};
		const { result } = await run('getCustomer', { mobileNumber: '9876543210', username: 'isutestapi1', options: undefined }, json(200, body));
		const withRaw = await runOperation(
			iserveu,
			findOperation(iserveu, 'getCustomer'),
			{ mobileNumber: '9876543210', username: 'isutestapi1' },
			credentials,
			new FakeTransport(() => json(200, body)),
			{ now, includeRaw: true },
		);
		for (const r of [result, withRaw]) {
			const seen = JSON.stringify(r);
			expect(seen).not.toMatch(new RegExp(`${other}|${spaced}|${other.slice(0, 4)}-|rt-value|st-value`));
			expect(seen).toContain(`XXXXXXXX${other.slice(-4)}`);
		}
		expect(result.message).toBe(`Customer verified with Aadhaar XXXXXXXX${other.slice(-4)}`);
		expect(withRaw.providerStatus.text).toBe(`Customer verified with Aadhaar XXXXXXXX${other.slice(-4)}`);
	});

	test('HTTP 401 → auth_failed with the secret nowhere in the result', async () => {
		const { result } = await run(
			'sendOtp',
			sendType1,
			json(401, { status: 'FAILED', statusCode: '401', statusDesc: 'Unauthorized: invalid client_id or client_secret very-secret-value' }),
		);
		expect(result.status).toBe('auth_failed');
		expect(JSON.stringify(result)).not.toContain('very-secret-value');
	});
});

describe('iServeU BioAuth send', () => {
	const PID = Buffer.from('<PidData><Resp errCode="0"/><Data type="X">biometric</Data></PidData>').toString('base64');
	const bio = { ...sendType1, ovdType: 'BioAuth', pid: PID, latLong: '12.97,77.59' };

	test.each([
		['pid', { ...bio, pid: undefined }, 'is required when ovdType is BioAuth'],
		['pid', { ...bio, pid: 'not base64!' }, 'must be Base64'],
		['pid', { ...bio, pid: 'QUJD' + 'A'.repeat(3) }, 'must be Base64'],
		['pid', { ...bio, pid: `${PID.slice(0, 8)}\n${PID.slice(8)}` }, 'must not contain control characters'],
		['pid', { ...bio, pid: 'A'.repeat(20004) }, 'at most 20000 characters'],
		['latLong', { ...bio, latLong: undefined }, 'is required when ovdType is BioAuth'],
		['latLong', { ...bio, latLong: 'here' }, 'latitude -90 to 90'],
		['ovdType', { ...bio, ovdType: 'Voter ID' }, 'must be one of Aadhaar Card, BioAuth'],
	])('bad %s → invalid_request naming it, nothing sent, the PID data nowhere', async (field, params, rule) => {
		const outcome = await run('sendOtp', params);
		expectRejectedLocally(outcome, field, rule);
		expect(JSON.stringify(outcome.result)).not.toContain(PID.slice(0, 40));
	});

	test('sends ovdType BioAuth, pid and latLong; the bank OTP lives 3 minutes whatever the validity option', async () => {
		const echo = json(200, { status: 'SUCCESS', statusCode: '0', statusDesc: `OTP Sent Successfully for ${PID}`, pid: PID, paramA: '' });
		const transport = new FakeTransport(() => echo);
		const result = await runOperation(iserveu, findOperation(iserveu, 'sendOtp'), { ...bio, otpValidityMinutes: 10 }, credentials, transport, {
			now,
			includeRaw: true,
		});
		expect(transport.sent[0].body).toMatchObject({ ovdType: 'BioAuth', pid: PID, latLong: '12.97,77.59', ovdData: AADHAAR, otpType: '1' });
		expect(result).toMatchObject({ status: 'otp_sent', expiresAt: '2026-11-22T10:03:00.000Z', message: 'OTP sent by the bank (valid 3 minutes)' });
		const seen = JSON.stringify(result);
		expect(seen).not.toContain(PID);
		expect(seen).not.toContain(AADHAAR);
		expect(result.reference).not.toHaveProperty('pid');
	});

	test('a PID field is not shown, checked or sent for an Aadhaar Card send', async () => {
		const { result, transport } = await run('sendOtp', { ...sendType1, pid: 'not base64!' });
		expect(result.status).toBe('otp_sent');
		expect(transport.sent[0].body).not.toHaveProperty('pid');
	});
});

describe('iServeU field names per endpoint', () => {
	test('verify-bene sends latLong and customerIP, and the beneficiary as accountNumber / beneIfscCode', async () => {
		const { transport } = await run(
			'verifyBeneficiary',
			{
				customerMobileNumber: '9876543210',
				username: 'isutestapi1',
				externalRefNumber: 'TXN1432452',
				otp: '123456',
				beneAccountNumber: '001122334455',
				beneIfsc: 'SBIN0000001',
				latLong: '12.97,77.59',
				publicIP: '10.0.0.1',
			},
			json(200, { status: 'SUCCESS', statusCode: '0', statusDesc: 'Beneficiary verified successfully' }),
		);
		const body = transport.sent[0].body as Record<string, unknown>;
		expect(body).toMatchObject({ latLong: '12.97,77.59', customerIP: '10.0.0.1', accountNumber: '001122334455', beneIfscCode: 'SBIN0000001' });
		expect(Object.keys(body)).not.toEqual(expect.arrayContaining(['latlong']));
		expect(body).not.toHaveProperty('publicIP');
	});

	test('get-customer sends latlong in lower case and publicIP', async () => {
		const { transport } = await run(
			'getCustomer',
			{ mobileNumber: '9876543210', username: 'isutestapi1', latLong: '12.97,77.59', publicIP: '10.0.0.1' },
			json(200, { status: 'SUCCESS', statusCode: '0', statusDesc: 'Customer not onboarded' }),
		);
		expect(transport.sent[0].body).toEqual({ mobileNumber: '9876543210', username: 'isutestapi1', latlong: '12.97,77.59', publicIP: '10.0.0.1' });
	});

	test('send-otp sends latLong and publicIP', async () => {
		const { transport } = await run('sendOtp', { ...sendType1, latLong: '12.97,77.59', publicIP: '10.0.0.1' });
		expect(transport.sent[0].body).toMatchObject({ latLong: '12.97,77.59', publicIP: '10.0.0.1' });
		expect(transport.sent[0].body).not.toHaveProperty('latlong');
	});

	test('registration without address, PIN code or OVD sends none of them (nor the OVD type)', async () => {
		const { result, transport } = await run(
			'registerCustomer',
			{ mobileNumber: '9876543210', username: 'isutestapi1', otp: '123456', customerName: 'Asha Rao', publicIP: '10.0.0.1' },
			json(200, { status: 'SUCCESS', statusCode: '0', statusDesc: 'Customer registered successfully' }),
		);
		expect(result.status).toBe('verified');
		expect(transport.sent[0].body).toEqual({ mobileNumber: '9876543210', name: 'Asha Rao', otp: '123456', username: 'isutestapi1', publicIP: '10.0.0.1' });
	});
});

describe('iServeU Transaction Status Enquiry', () => {
	const report = (rows: unknown[], extra: Record<string, unknown> = {}) =>
		json(200, { status: 200, message: 'Success', length: rows.length, results: rows, ...extra });
	const row = (status: string, extra: Record<string, unknown> = {}) => ({
		statusDesc: status === 'SUCCESS' ? 'Successfully credited -' : 'x',
		createdDate: 1728402123007,
		updatedDate: 1728402125003,
		productCode: 'DMT',
		txnType: 'IMPS_FUND_TRANSFER',
		txnAmount: 101,
		status,
		rrn: '128215139760',
		txnId: '#7539296023420928',
		clientreferenceid: 'DL99009078000035',
		...extra,
	});
	const enquire = (params: Record<string, unknown>, answer = report([row('SUCCESS')]), at = now) =>
		runOperation(iserveu, findOperation(iserveu, 'transactionStatus'), params, credentials, new FakeTransport(() => answer), { now: at });

	test('posts the documented query for one day, today in India when no date is given', async () => {
		const transport = new FakeTransport(() => report([row('SUCCESS')]));
		// 20:00 UTC is already the next day in India.
		await runOperation(iserveu, findOperation(iserveu, 'transactionStatus'), { clientRefId: 'DL99009078000035' }, credentials, transport, {
			now: () => new Date('2026-11-22T20:00:00Z'),
		});
		expect(transport.sent[0].url).toBe('https://apidev.iserveu.online/redis-v2/statuscheck-report/txnreport');
		expect(transport.sent[0].method).toBe('POST');
		expect(transport.sent[0].body).toEqual({ $1: 'DMT_txn_status_api_lite_common', $4: '2026-11-23', $5: '2026-11-23', $6: 'DL99009078000035' });
		const given = new FakeTransport(() => report([row('SUCCESS')]));
		await runOperation(
			iserveu,
			findOperation(iserveu, 'transactionStatus'),
			{ clientRefId: 'DL99009078000035', transactionDate: '2024-10-08' },
			credentials,
			given,
			{
				now,
			},
		);
		expect(given.sent[0].body).toMatchObject({ $4: '2024-10-08', $5: '2024-10-08' });
	});

	test('takes the client reference from the previous step (Verify Beneficiary hands on externalRefNumber)', async () => {
		const transport = new FakeTransport(() => report([row('SUCCESS', { clientreferenceid: 'TXN1432452' })]));
		const result = await runOperation(iserveu, findOperation(iserveu, 'transactionStatus'), {}, credentials, transport, {
			now,
			reference: { externalRefNumber: 'TXN1432452', customerMobileNumber: '9876543210' },
		});
		expect(transport.sent[0].body).toEqual({ $1: 'DMT_txn_status_api_lite_common', $4: '2026-11-22', $5: '2026-11-22', $6: 'TXN1432452' });
		expect(result.status).toBe('completed');
		// The customer's ids are not sent, only handed on for a next step.
		expect(result.reference).toMatchObject({ externalRefNumber: 'TXN1432452', customerMobileNumber: '9876543210' });
	});

	test.each([
		['clientRefId', {}, 'is required'],
		['clientRefId', { clientRefId: 'ABC12' }, '6 to 22 characters'],
		['clientRefId', { clientRefId: 'DL9900 9078' }, 'only letters, digits'],
		['clientRefId', { clientRefId: 'DL\u0000990090780' }, 'must not contain control characters'],
		['transactionDate', { clientRefId: 'DL99009078000035', transactionDate: '2026-02-30' }, 'real date as YYYY-MM-DD'],
		['transactionDate', { clientRefId: 'DL99009078000035', transactionDate: '08/10/2024' }, 'real date as YYYY-MM-DD'],
		['transactionDate', { clientRefId: 'DL99009078000035', transactionDate: '2099-01-01' }, 'not after today'],
	])('bad %s → invalid_request naming it, nothing sent', async (field, params, rule) => {
		const transport = new FakeTransport(() => report([]));
		const result = await runOperation(iserveu, findOperation(iserveu, 'transactionStatus'), params, credentials, transport, { now });
		expectRejectedLocally({ result, transport }, field, rule);
	});

	test('SUCCESS → completed, with the status word, iServeU ids and the date in reference', async () => {
		const result = await enquire({ clientRefId: 'DL99009078000035', transactionDate: '2024-10-08' });
		expect(result).toMatchObject({
			ok: true,
			status: 'completed',
			message: 'Transaction SUCCESS: Successfully credited -',
			reference: {
				externalRefNumber: 'DL99009078000035',
				transactionDate: '2024-10-08',
				transactionStatus: 'SUCCESS',
				txnId: '#7539296023420928',
				rrn: '128215139760',
			},
			providerStatus: { httpStatus: 200, code: 'SUCCESS', text: 'Successfully credited -' },
		});
	});

	test.each([
		['FAILED', { status: 'provider_error', retryable: false, ok: false }],
		['INPROGRESS', { status: 'pending', retryable: true, next: 'transactionStatus' }],
		['PENDING', { status: 'pending', retryable: true }],
		['HOLD', { status: 'provider_error', retryable: true }],
		['', { status: 'provider_error', retryable: true }],
	])("a transaction %s → %j, with iServeU's words", async (word, expected) => {
		const result = await enquire({ clientRefId: 'DL99009078000035' }, report([row(word, { statusDesc: 'as iServeU says' })]));
		expect(result).toMatchObject({ ...expected, reference: { transactionStatus: word || 'unknown' } });
		expect(result.message).toContain('as iServeU says');
	});

	test('the latest row of this reference decides; rows of other references are ignored', async () => {
		const rows = [
			row('FAILED', { updatedDate: 1 }),
			row('SUCCESS', { updatedDate: 5 }),
			row('INPROGRESS', { updatedDate: 9, clientreferenceid: 'OTHER123456' }),
		];
		expect((await enquire({ clientRefId: 'DL99009078000035' }, report(rows))).status).toBe('completed');
	});

	test.each([
		['no rows', report([], { message: 'No Data Found' }), 'invalid_request'],
		['rows of another reference only', report([row('SUCCESS', { clientRefId: 'OTHER123456', clientreferenceid: undefined })]), 'invalid_request'],
		['the DMT Lite envelope with -1', json(200, { status: 'FAILED', statusCode: '-1', statusDesc: 'ClientRefID must not be NULL' }), 'invalid_request'],
		['the DMT Lite envelope with 1', json(200, { status: 'FAILED', statusCode: '1', statusDesc: 'Something failed' }), 'provider_error'],
		['status 400 with a message', json(200, { status: 400, message: 'Invalid date' }), 'invalid_request'],
		['status 500 with a message', json(200, { status: 500, message: 'Internal error' }), 'provider_error'],
		['HTTP 500 and nothing readable', json(500, { error: 'x' }), 'provider_error'],
		['HTTP 401', json(401, { status: 401, message: 'Unauthorized very-secret-value' }), 'auth_failed'],
	])('%s → %s', async (_label, answer, status) => {
		const result = await enquire({ clientRefId: 'DL99009078000035' }, answer);
		expect(result.status).toBe(status);
		expect(JSON.stringify(result)).not.toContain('very-secret-value');
	});

	test('not found names the reference and the date, and is not retried blindly', async () => {
		const result = await enquire({ clientRefId: 'DL99009078000035', transactionDate: '2024-10-08' }, report([], { message: 'No Data Found' }));
		expect(result).toMatchObject({ status: 'invalid_request', retryable: false });
		expect(result.message).toContain('DL99009078000035 on 2024-10-08');
		expect(result.message).toContain('clientRefId');
	});
});
