import type { OperationSpec } from '../../../core';
import type { CibilBrand } from '../brand';
import { baseReference, cibilId, get, interpretFor, questionReference } from '../call';
import { cibilIdField, orderIdCarriedField } from '../fields';
import { nextOperation, text } from '../read';

export const generateOtp = (brand: CibilBrand): OperationSpec => {
	const interpret = interpretFor(brand);
	return {
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
};
