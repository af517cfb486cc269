import type { OperationSpec } from '../../../core';
import type { CibilBrand } from '../brand';
import { baseReference, cibilId, cibilStatus, get, interpretFor, pending, unrecognised } from '../call';
import { answerKeyField, cibilIdField, orderIdCarriedField, otpField, questionKeyField } from '../fields';
import { nextOperation } from '../read';

export const submitOtp = (brand: CibilBrand): OperationSpec => {
	const interpret = interpretFor(brand);
	return {
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
			// cibil_id is documented as a String for SubmitOTP (an Int for GenerateOTP).
			return get(brand, input, 'SubmitOTP', { cibil_id: String(cibilId(input)), otp: p.otp, question_key: p.question_key, answer_key: p.answer_key });
		},
		interpret: interpret((result, _input, answer) => {
			const state = cibilStatus(result);
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
};
