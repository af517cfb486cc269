import { MASK, Redactor, maskAadhaar, verhoeffCheckDigit } from '../../nodes/core';
import { testAadhaar } from '../support/aadhaar';

describe('redaction', () => {
	const aadhaar = testAadhaar();
	const redactor = new Redactor(['s3cret-value'], [aadhaar]);

	test('masks an Aadhaar number to its last four digits', () => {
		expect(maskAadhaar(aadhaar)).toBe(`XXXXXXXX${aadhaar.slice(-4)}`);
	});

	test('scrubs known secrets and Aadhaar numbers from free text', () => {
		const out = redactor.text(`secret s3cret-value and aadhaar ${aadhaar} here`);
		expect(out).not.toContain('s3cret-value');
		expect(out).not.toContain(aadhaar);
		expect(out).toContain(aadhaar.slice(-4));
	});

	test('masks secret keys at any depth but keeps CIBIL question keys', () => {
		const out = redactor.value({
			access_token: 'abc',
			auth: { token: 'jwt', key: 'device-key' },
			result: { questions: { Key: '1423489238', AnswerChoice: { Key: 'USER_TO_INPUT_ANSWER' } } },
			ovdData: aadhaar,
			list: [{ client_secret: 'x' }],
		}) as any;
		expect(out.access_token).toBe(MASK);
		expect(out.auth).toEqual({ token: MASK, key: MASK });
		expect(out.result.questions.Key).toBe('1423489238');
		expect(out.result.questions.AnswerChoice.Key).toBe('USER_TO_INPUT_ANSWER');
		expect(out.ovdData).toBe(maskAadhaar(aadhaar));
		expect(out.list[0].client_secret).toBe(MASK);
	});

	test('ignores secrets too short to scrub safely', () => {
		expect(new Redactor(['a']).text('banana')).toBe('banana');
	});

	const other = testAadhaar('98765432101'); // an Aadhaar number the call was never given
	const spaced = (a: string) => `${a.slice(0, 4)} ${a.slice(4, 8)} ${a.slice(8)}`;
	const hyphened = (a: string) => `${a.slice(0, 4)}-${a.slice(4, 8)}-${a.slice(8)}`;

	test.each([
		['the given number, spaced', spaced(aadhaar)],
		['the given number, hyphenated', hyphened(aadhaar)],
		['another number', other],
		['another number, spaced', spaced(other)],
		['another number, hyphenated', hyphened(other)],
	])('masks %s in free text to its last four digits', (_label, written) => {
		const out = new Redactor().text(`Customer ${written} is not onboarded`);
		expect(out).toBe(`Customer XXXXXXXX${written.slice(-4)} is not onboarded`);
	});

	test('leaves 12-digit numbers that fail the Verhoeff check, and longer numbers, alone', () => {
		const bad = `${other.slice(0, 11)}${(Number(other[11]) + 1) % 10}`;
		expect(new Redactor().text(`txn ${bad}`)).toBe(`txn ${bad}`);
		expect(new Redactor().text(`card ${other}7`)).toBe(`card ${other}7`);
		expect(new Redactor().text(`card ${spaced(other)} 5678`)).toBe(`card ${spaced(other)} 5678`);
	});

	test('masks Aadhaar numbers in any value of a body, numbers and keys that name them included', () => {
		const out = redactor.value({
			aadhaar_number: other,
			uidNumber: Number(other),
			nested: { list: [`echo ${spaced(other)}`], n: Number(other) },
			statusDesc: `Aadhaar ${hyphened(other)} linked`,
		}) as any;
		expect(JSON.stringify(out)).not.toMatch(new RegExp([other, spaced(other), hyphened(other)].join('|')));
		expect(out.aadhaar_number).toBe(maskAadhaar(other));
		expect(out.uidNumber).toBe(maskAadhaar(other));
		expect(out.nested.n).toBe(maskAadhaar(other));
	});

	test.each([
		'refreshToken',
		'sessionToken',
		'id_token',
		'clientSecret',
		'x-api-key',
		'APIKey',
		'Authorization',
		'passwd',
		'user_password',
		'header_secrets',
		'pass_key',
	])('masks the value of a key named %s', (key) => {
		expect((redactor.value({ [key]: 'value-that-must-not-show' }) as Record<string, unknown>)[key]).toBe(MASK);
	});

	test('keeps keys that only look alike, and booleans', () => {
		const out = redactor.value({ questionKey: '1423489238', answerKey: '4220112750', tokenValid: true, keyboard: 'x' }) as any;
		expect(out).toEqual({ questionKey: '1423489238', answerKey: '4220112750', tokenValid: true, keyboard: 'x' });
	});

	test('reference keeps a 12-digit id that passes Verhoeff (the next step needs it) but not a known Aadhaar or secret', () => {
		const id = `91${'9'.repeat(9)}`;
		const mobileWithCountryCode = `${id}${verhoeffCheckDigit(id)}`;
		const out = redactor.reference({ identifierValue: mobileWithCountryCode, echoed: aadhaar, note: 's3cret-value' }) as any;
		expect(out).toEqual({ identifierValue: mobileWithCountryCode, echoed: maskAadhaar(aadhaar), note: MASK });
		expect(redactor.text(mobileWithCountryCode)).toBe(maskAadhaar(mobileWithCountryCode));
	});
	test('reads JSON text inside a string (an answer encoded twice) and masks it the same way', () => {
		const inner = JSON.stringify({ Errors: '', Output: JSON.stringify({ rows: [{ refreshToken: 'tk-inner-secret-1', note: aadhaar }] }), Frm_UID: 'x' });
		const out = redactor.value({ wrapped: inner }) as { wrapped: string };
		expect(out.wrapped).not.toContain('tk-inner-secret-1');
		expect(out.wrapped).not.toContain(aadhaar);
		expect(JSON.parse(JSON.parse(out.wrapped).Output).rows[0]).toEqual({ refreshToken: MASK, note: maskAadhaar(aadhaar) });
		expect(redactor.value('{not json')).toBe('{not json');
		expect(redactor.value(JSON.stringify('plain'))).toBe('"plain"');
	});
});
