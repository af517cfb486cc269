/** What every CIBIL-platform call shares: GET with a JSON body, the keys and ids every answer carries. */
import { dateParts, joinUrl, type OperationInput, type Outcome, type Reference } from '../../core';
import { checkAccount } from './account';
import type { CibilBrand } from './brand';
import { cibilInterpreter } from './interpret';
import { asBoolean, maskedDestination, nextOperation, text, type CibilQuestions, type CibilResult } from './read';

/** Every call is documented as GET with a JSON body; it is sent exactly so (registration may be sent as POST). */
export function get(brand: CibilBrand, input: OperationInput, call: string, body: Record<string, unknown>, method: 'GET' | 'POST' = 'GET') {
	checkAccount(brand, input.account);
	return { method, url: joinUrl(input.account.baseUrl, call), body };
}

/** YYYY-MM-DD or DD/MM/YYYY (validated) → DD/MM/YYYY, the form of the documented example. */
export function documentedDate(v: unknown): string {
	const [year, month, day] = dateParts(String(v), true) ?? ['', '', ''];
	return `${day}/${month}/${year}`;
}

export const cibilId = (input: OperationInput) => Number(input.params.cibil_id);

export const cibilStatus = (result: CibilResult) => text(result.cibil_status).toLowerCase();

/** The question's keys and flags, for Submit OTP and for deciding on a resend. */
export function questionReference(q: CibilQuestions): Reference {
	const reference: Reference = { questionKey: text(q.Key), answerKey: text(q.AnswerChoice?.AnswerChoiceId) };
	const flags = { resendEligible: q.resendEligible, skipEligible: q.skipEligible, lastChanceQuestion: q.LastChanceQuestion };
	for (const [name, v] of Object.entries(flags)) {
		const b = asBoolean(v);
		if (b !== undefined) reference[name] = b;
	}
	const sentTo = maskedDestination(text(q.FullQuestionText));
	if (sentTo) reference.maskedDestination = sentTo;
	return reference;
}

export function baseReference(result: CibilResult): Reference {
	const reference: Reference = {};
	if (text(result.cibil_id)) reference.cibilId = text(result.cibil_id);
	if (text(result.cibil_status)) reference.cibilStatus = text(result.cibil_status);
	const nextApiCall = text(result.next_api_call);
	if (nextApiCall) reference.nextApiCall = nextApiCall;
	return reference;
}

export function unrecognised(brand: CibilBrand, result: CibilResult): Outcome {
	return {
		status: 'provider_error',
		message: `${brand.name} answered SUCCESS with an unrecognised cibil_status "${text(result.cibil_status)}"`,
		retryable: true,
	};
}

/** InProgress (or Pending) after an accepted step: call `next_api_call`, later. */
export function pending(result: CibilResult, message: string, fallbackNext: string): Outcome {
	const reference = baseReference(result);
	if (result.questions) Object.assign(reference, questionReference(result.questions));
	return { status: 'pending', message: message || 'In progress', reference, next: nextOperation(result.next_api_call) ?? fallbackNext };
}

/** The platform's one interpreter, bound to a brand and to what an operation makes of a success. */
export const interpretFor = (brand: CibilBrand) => (reader: Parameters<typeof cibilInterpreter>[1]) => cibilInterpreter(brand, reader);
