import { MASK, Redactor, maskAadhaar } from '../../nodes/core';
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
});
