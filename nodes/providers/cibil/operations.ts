import { joinUrl, type OperationInput, type OperationSpec, type Outcome, type Reference } from '../../core';
import type { CibilBrand } from './brand';
import { checkAccount } from './account';
import { answerKeyField, cibilIdField, clientOrderIdField, orderIdCarriedField, otpField, questionKeyField, registerFields } from './fields';
import { cibilInterpreter } from './interpret';
import { asBoolean, maskedDestination, nextOperation, text, type CibilQuestions, type CibilResult } from './read';

/** Every call is documented as GET with a JSON body; it is sent exactly so. */
function get(brand: CibilBrand, input: OperationInput, call: string, body: Record<string, unknown>) {
	checkAccount(brand, input.account);
	return { method: 'GET' as const, url: joinUrl(input.account.baseUrl, call), body };
}

const cibilId = (input: OperationInput) => Number(input.params.cibil_id);

const status = (result: CibilResult) => text(result.cibil_status).toLowerCase();

/** The question's keys and flags, for Submit OTP and for deciding on a resend. */
function questionReference(q: CibilQuestions): Reference {
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

function baseReference(result: CibilResult): Reference {
	const reference: Reference = {};
	if (text(result.cibil_id)) reference.cibilId = text(result.cibil_id);
	if (text(result.cibil_status)) reference.cibilStatus = text(result.cibil_status);
	const nextApiCall = text(result.next_api_call);
	if (nextApiCall) reference.nextApiCall = nextApiCall;
	return reference;
}

function unrecognised(brand: CibilBrand, result: CibilResult): Outcome {
	return { status: 'provider_error', message: `${brand.name} answered SUCCESS with an unrecognised cibil_status "${text(result.cibil_status)}"`, retryable: true };
}

/** InProgress (or Pending) after an accepted step: call `next_api_call`, later. */
function pending(result: CibilResult, message: string, fallbackNext: string): Outcome {
	const reference = baseReference(result);
	if (result.questions) Object.assign(reference, questionReference(result.questions));
	return { status: 'pending', message: message || 'In progress', reference, next: nextOperation(result.next_api_call) ?? fallbackNext };
}

export function cibilOperations(brand: CibilBrand): OperationSpec[] {
	const interpret = (reader: Parameters<typeof cibilInterpreter>[1]) => cibilInterpreter(brand, reader);

	const registerCustomer: OperationSpec = {
		id: 'registerCustomer',
		name: 'Register Customer',
		action: 'Register a customer for CIBIL score checks',
		description: `One-time registration of the customer with ${brand.name}; returns the cibil_id every later step needs`,
		fields: registerFields,
		carry: ['order_id'],
		carryAs: { order_id: 'orderId' },
		next: 'generateOtp',
		request: (input) => {
			const p = input.params;
			// `registeration` (sic) is the documented call name.
			return get(brand, input, 'registeration', {
				order_id: p.order_id,
				first_name: p.first_name,
				middle_name: p.middle_name ?? '',
				last_name: p.last_name,
				pancard: p.pancard,
				date_of_birth: p.date_of_birth,
				email_id: p.email_id,
				mobile_number: p.mobile_number,
			});
		},
		interpret: interpret((result, _input, answer) => {
			if (!text(result.cibil_id)) return { status: 'provider_error', message: `${brand.name} reported success but returned no cibil_id`, retryable: true };
			return {
				status: 'completed',
				message: answer.message || 'Customer registered',
				reference: baseReference(result),
				next: nextOperation(result.next_api_call) ?? 'generateOtp',
			};
		}),
	};

	const generateOtp: OperationSpec = {
		id: 'generateOtp',
		name: 'Generate OTP',
		action: 'Send the customer an OTP',
		description: `Sends an OTP to the customer's registered mobile. To resend, run Generate OTP again (no resend call is documented): a resend is a new question with new keys`,
		fields: [cibilIdField('cibilId'), orderIdCarriedField],
		carry: ['cibil_id', 'orderId'],
		carryAs: { cibil_id: 'cibilId' },
		next: 'submitOtp',
		continues: 'registerCustomer',
		sendsCode: true,
		request: (input) => get(brand, input, 'GenerateOTP', { cibil_id: cibilId(input) }),
		interpret: interpret((result) => {
			const q = result.questions;
			const reference = { ...baseReference(result), ...(q ? questionReference(q) : {}) };
			if (!q || !reference.questionKey || !reference.answerKey) {
				return { status: 'provider_error', message: `${brand.name} answered without the question keys Submit OTP needs`, retryable: true };
			}
			return {
				status: 'otp_sent',
				message: text(q.FullQuestionText) || 'OTP sent',
				reference,
				next: nextOperation(result.next_api_call) ?? 'submitOtp',
			};
		}),
	};

	const submitOtp: OperationSpec = {
		id: 'submitOtp',
		name: 'Submit OTP',
		action: 'Verify the code the customer typed',
		description: "Submits the customer's OTP as the answer to Generate OTP's question; on success the credit report is being prepared",
		fields: [cibilIdField('cibilId'), otpField, questionKeyField, answerKeyField, orderIdCarriedField],
		carry: ['cibil_id', 'question_key', 'answer_key', 'orderId'],
		carryAs: { cibil_id: 'cibilId', question_key: 'questionKey', answer_key: 'answerKey' },
		next: 'getCreditHistory',
		continues: 'generateOtp',
		request: (input) => {
			const p = input.params;
			return get(brand, input, 'SubmitOTP', { cibil_id: cibilId(input), otp: p.otp, question_key: p.question_key, answer_key: p.answer_key });
		},
		interpret: interpret((result, _input, answer) => {
			const state = status(result);
			if (state === 'success') {
				const reference = baseReference(result);
				const returning = result.is_returning_customer;
				if (returning === 0 || returning === 1) reference.returningCustomer = returning === 1;
				return { status: 'verified', message: 'OTP verified', reference, next: nextOperation(result.next_api_call) ?? 'getCreditHistory' };
			}
			if (state === 'inprogress' || state === 'pending') return pending(result, answer.message, 'getCreditHistory');
			return unrecognised(brand, result);
		}),
	};

	const getCreditHistory: OperationSpec = {
		id: 'getCreditHistory',
		name: 'Get Credit History',
		action: "Fetch the customer's CIBIL score and report",
		description: 'Fetches the credit report after Submit OTP. While the report is being prepared the result is pending: call again later',
		fields: [cibilIdField('cibilId'), clientOrderIdField],
		carry: ['cibil_id', 'client_order_id'],
		carryAs: { cibil_id: 'cibilId', client_order_id: 'orderId' },
		continues: 'submitOtp',
		request: (input) => get(brand, input, 'GetCreditHistory', { client_order_id: input.params.client_order_id, cibil_id: cibilId(input) }),
		interpret: interpret((result, _input, answer) => {
			const state = status(result);
			const score = text(result.cibil_score);
			if (state === 'inprogress' || state === 'pending') return pending(result, answer.message, 'getCreditHistory');
			// GetCreditHistory's answer is not documented: a SUCCESS that carries a score is the report, with or without
			// cibil_status. Reading it as a retryable failure would send a "retry until completed" loop at the provider.
			if (state !== 'success' && !(state === '' && score)) return unrecognised(brand, result);
			if (!score) return { status: 'provider_error', message: `${brand.name} reported Success without a cibil_score`, retryable: true };
			const reference: Reference = { ...baseReference(result), cibilScore: /^\d+$/.test(score) ? Number(score) : score };
			if (text(result.report_date)) reference.reportDate = text(result.report_date);
			// The report's accounts are a list, which `reference` cannot hold: "Include Raw Response" gives them.
			return { status: 'completed', message: `CIBIL score ${score}`, reference };
		}),
	};

	return [registerCustomer, generateOtp, submitOtp, getCreditHistory];
}
