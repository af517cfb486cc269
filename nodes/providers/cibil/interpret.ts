import type { InterpretInput, Outcome, Reference, Status } from '../../core';
import type { CibilBrand } from './brand';
import { readCibil, text, type CibilAnswer, type CibilResult } from './read';

/**
 * error_code values for OTP failures. Only SPC-200 appears in the documentation; these are the OTP
 * Flow sandbox's choices. Wording is read first, so a real account's different codes still map.
 */
const OTP_CODES: Record<string, Status> = {
	'SPC-401': 'invalid_otp',
	'SPC-408': 'expired',
	'SPC-429': 'max_attempts',
};

function byWords(words: string): Status | undefined {
	if (/max(imum)?\b.*attempts?|attempts?\s+exceeded|limit\s+(reached|exceeded)|too\s+many/i.test(words)) return 'max_attempts';
	if (/expired/i.test(words)) return 'expired';
	if (/(invalid|incorrect|wrong)\s+(otp|one time password)|otp\s+(mismatch|is\s+invalid|is\s+incorrect)/i.test(words)) return 'invalid_otp';
	if (/access.?token|unauthori[sz]ed|registration\s*id|company\s*code/i.test(words)) return 'auth_failed';
	return undefined;
}

const HINTS: Partial<Record<Status, string>> = {
	expired: ' (generate a new OTP)',
	max_attempts: ' (generate a new OTP, or start again later)',
	auth_failed: ' (check the credential)',
};

function attemptsLeft(result: CibilResult, words: string): number | undefined {
	const given = text(result.attempts_remaining) || /(\d+)\s+attempts?\s+(remaining|left)/i.exec(words)?.[1];
	return given && /^\d+$/.test(given) ? Number(given) : undefined;
}

/** A refusal of either failure shape; `fallback` is what unknown wording means for that shape. */
export function cibilFailure(brand: CibilBrand, answer: Exclude<CibilAnswer, { shape: 'denied' }>, fallback: Status): Outcome {
	const said = answer.message || `${brand.name} did not say why`;
	const status = byWords(answer.message) ?? OTP_CODES[answer.code] ?? fallback;
	// A question's keys work once: refused keys usually mean this code was already submitted.
	const reused =
		status === 'invalid_request' && /question_key|answer_key/i.test(answer.message)
			? ' (each code and its keys work once: if this one was already submitted, generate a new OTP)'
			: '';
	const outcome: Outcome = { status, message: `${brand.name}: ${said}${HINTS[status] ?? reused}`, code: answer.code, text: answer.message };
	if (status === 'invalid_otp' && answer.shape === 'answer') {
		const left = attemptsLeft(answer.result, answer.message);
		if (left !== undefined) outcome.attemptsRemaining = left;
	}
	return outcome;
}

export type SuccessReader = (result: CibilResult, input: InterpretInput, answer: Extract<CibilAnswer, { shape: 'answer' }>) => Outcome;

/**
 * One interpreter for every call: the 401 body is left to the generic classifier (auth_failed with the
 * provider's words); the `code`/`description` shape is an input refusal unless its words say otherwise;
 * the usual shape succeeds on status "SUCCESS" and fails on "False". merchant_trans_id always travels on.
 */
export function cibilInterpreter(brand: CibilBrand, onSuccess: SuccessReader) {
	return (body: unknown, input: InterpretInput): Outcome | undefined => {
		if (input.httpStatus === 401 || input.httpStatus === 403 || input.httpStatus >= 500) return undefined;
		const answer = readCibil(body);
		if (!answer) return undefined;
		if (answer.shape === 'denied') {
			// The 401 body arriving with another HTTP status: still a credential refusal.
			const said = answer.message || 'credentials rejected';
			return { status: 'auth_failed', message: `${brand.name}: ${said} (check the credential)`, code: answer.code, text: answer.message };
		}
		if (answer.shape === 'rejected') return cibilFailure(brand, answer, 'invalid_request');
		const outcome = answer.success
			? { code: answer.code, text: answer.message, ...onSuccess(answer.result, input, answer) }
			: cibilFailure(brand, answer, 'provider_error');
		if (!answer.merchantTransId) return outcome;
		const reference: Reference = { ...(outcome.reference ?? {}), merchantTransId: answer.merchantTransId };
		return { ...outcome, reference };
	};
}
