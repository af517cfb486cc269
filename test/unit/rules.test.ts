import { aadhaar, email, indianMobile, ipAddress, latLong, length, pan, pastDate, positiveNumber, verhoeffValid } from '../../nodes/core';
import { badChecksumAadhaar, testAadhaar } from '../support/aadhaar';

const ok = (rule: { test(v: string, all: Record<string, unknown>): boolean }, v: string) => rule.test(v, {});

describe('validation rules', () => {
	test.each([
		['9876543210', true],
		['6000000000', true],
		['5876543210', false],
		['987654321', false],
		['98765432100', false],
		['98765 43210', false],
	])('indian mobile %s → %s', (v, expected) => expect(ok(indianMobile(), v)).toBe(expected));

	test('Verhoeff accepts the published test vector 2363 and rejects 2364', () => {
		expect(verhoeffValid('2363')).toBe(true);
		expect(verhoeffValid('2364')).toBe(false);
	});

	test('Aadhaar needs 12 digits, a first digit 2-9 and a valid check digit', () => {
		expect(ok(aadhaar(), testAadhaar())).toBe(true);
		expect(ok(aadhaar(), badChecksumAadhaar())).toBe(false);
		expect(ok(aadhaar(), testAadhaar().slice(0, 11))).toBe(false);
		expect(ok(aadhaar(), `1${testAadhaar().slice(1)}`)).toBe(false);
	});

	test.each([
		['12.9716,77.5946', true],
		['-90,180', true],
		['90.1,0', false],
		['0,-180.5', false],
		['123.23,21.345', false], // the seed's own sample has latitude out of range
		['12.97', false],
	])('latLong %s → %s', (v, expected) => expect(ok(latLong(), v)).toBe(expected));

	test.each([
		['192.168.1.1', true],
		['255.255.255.255', true],
		['256.1.1.1', false],
		['1.2.3', false],
		['2001:db8::1', true],
		['::1', true],
		['::ffff:192.0.2.1', true],
		['2001:db8:0:0:0:0:2:1', true],
		['2001:db8::2::1', false],
		['12345::1', false],
		['localhost', false],
	])('ip address %s → %s', (v, expected) => expect(ok(ipAddress(), v)).toBe(expected));

	test.each([
		['1001', true],
		['0.5', true],
		['10.25', true],
		['0', false],
		['-5', false],
		['1e3', false],
		['12.345', false],
	])('positive amount %s → %s', (v, expected) => expect(ok(positiveNumber(), v)).toBe(expected));

	test('length, email and PAN', () => {
		expect(ok(length(6, 22), '12345')).toBe(false);
		expect(ok(length(6, 22), '123456')).toBe(true);
		expect(ok(length(6, 22), 'x'.repeat(23))).toBe(false);
		expect(ok(email(), 'a@b.co')).toBe(true);
		expect(ok(email(), 'a@b')).toBe(false);
		expect(ok(pan(), 'ABCDE1234F')).toBe(true);
		expect(ok(pan(), 'ABCD1234F')).toBe(false);
	});

	test.each([
		['asha@example.com', true],
		["o'brien+otp@mail.example.co.in", true],
		['a@b.co', true],
		['a"b@example.com', false],
		['"quoted"@example.com', false],
		['asha@example', false],
		['@example.com', false],
		['asha@', false],
		['as ha@example.com', false],
		['asha..rao@example.com', false],
		['.asha@example.com', false],
		['asha@-example.com', false],
		['asha@example..com', false],
		['asha\u202E@example.com', false],
		[`${'a'.repeat(65)}@example.com`, false],
		[`a@${'b'.repeat(250)}.com`, false],
	])('email %j → %s', (v, expected) => expect(ok(email(), v)).toBe(expected));

	test('past date must be real, past and YYYY-MM-DD', () => {
		const rule = pastDate(() => new Date('2026-11-22T00:00:00Z'));
		expect(ok(rule, '1990-02-28')).toBe(true);
		expect(ok(rule, '1990-02-30')).toBe(false);
		expect(ok(rule, '2027-01-01')).toBe(false);
		expect(ok(rule, '28-02-1990')).toBe(false);
	});
});
