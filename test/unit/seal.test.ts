import { findOperation, isSealed, runOperation, seal, unseal } from '../../nodes/core';
import { iserveu } from '../../nodes/providers/iserveu';
import { testAadhaar } from '../support/aadhaar';
import { FakeTransport, json } from '../support/fake-transport';

const AADHAAR = testAadhaar();

describe('sealed values', () => {
	test('open with the secret that sealed them, and only with it', () => {
		const token = seal(AADHAAR, 'client-secret-1');
		expect(isSealed(token)).toBe(true);
		expect(token).not.toContain(AADHAAR);
		expect(unseal(token, ['other-secret', 'client-secret-1'])).toBe(AADHAAR);
		expect(unseal(token, ['other-secret'])).toBeUndefined();
		expect(seal(AADHAAR, 'client-secret-1')).not.toBe(token); // a fresh IV each time
	});

	test('a tampered, truncated or foreign token does not open', () => {
		const token = seal(AADHAAR, 's3cret-value');
		const flipped = `${token.slice(0, -2)}${token.slice(-2) === 'AA' ? 'AB' : 'AA'}`;
		for (const bad of [flipped, token.slice(0, 20), 'sealed.v1.', AADHAAR, '']) expect(unseal(bad, ['s3cret-value'])).toBeUndefined();
	});
});

describe('iServeU registration hands the Aadhaar number on sealed', () => {
	const credentials = { baseUrl: 'https://apidev.iserveu.online', clientId: 'cid', clientSecret: 'very-secret-value' };
	const now = () => new Date('2026-11-22T10:00:00Z');
	const ok = json(200, { status: 'SUCCESS', statusCode: '0', statusDesc: 'OTP Sent Successfully.' });
	const send = { otpType: '1', customerMobileNumber: '9876543210', username: 'isutestapi1', ovdType: 'Aadhaar Card', ovdData: AADHAAR };
	const details = { otp: '123456', customerName: 'Asha Rao', address: '1 MG Road', pincode: '560001' };

	test('Send OTP puts it in reference.ovdDataSealed; Register Customer, given only the reference, sends it', async () => {
		const sent = await runOperation(iserveu, findOperation(iserveu, 'sendOtp'), send, credentials, new FakeTransport(() => ok), { now });
		expect(isSealed(sent.reference.ovdDataSealed)).toBe(true);
		expect(JSON.stringify(sent)).not.toContain(AADHAAR);

		const transport = new FakeTransport(() => json(200, { status: 'SUCCESS', statusCode: '0', statusDesc: 'Customer registered' }));
		const registered = await runOperation(iserveu, findOperation(iserveu, 'registerCustomer'), details, credentials, transport, {
			now,
			reference: sent.reference,
		});
		expect(registered.status).toBe('verified');
		expect(transport.sent[0].body).toMatchObject({ mobileNumber: '9876543210', username: 'isutestapi1', ovdData: AADHAAR, otp: '123456' });
		expect(JSON.stringify(registered)).not.toContain(AADHAAR);
	});

	test('another account (another secret) cannot open it: the Aadhaar number is refused by name, nothing sent', async () => {
		const sent = await runOperation(iserveu, findOperation(iserveu, 'sendOtp'), send, credentials, new FakeTransport(() => ok), { now });
		const transport = new FakeTransport(() => ok);
		const result = await runOperation(
			iserveu,
			findOperation(iserveu, 'registerCustomer'),
			details,
			{ ...credentials, clientSecret: 'another-secret' },
			transport,
			{
				now,
				reference: sent.reference,
			},
		);
		expect(result.errors?.map((e) => e.field)).toEqual(['ovdData']);
		// Optional on registration, but never silently dropped: refused by name.
		expect(result.errors?.[0].message).toContain('sealed by another account');
		expect(transport.sent).toHaveLength(0);
	});
});
