import type { OperationSpec, Reference } from '../../../core';
import type { CibilBrand } from '../brand';
import { baseReference, cibilId, cibilStatus, get, interpretFor, pending, unrecognised } from '../call';
import { cibilIdField, clientOrderIdField, waitFields } from '../fields';
import { text } from '../read';

export const getCreditHistory = (brand: CibilBrand): OperationSpec => {
	const interpret = interpretFor(brand);
	return {
		id: 'getCreditHistory',
		name: 'Get Credit History',
		action: "Fetch the customer's CIBIL score and report",
		description:
			'Fetches the credit report after Submit OTP. While the report is being prepared the result is pending: call again later, or set Wait for the Final Result',
		fields: [cibilIdField('cibilId'), clientOrderIdField, ...waitFields],
		pollPending: { enabledBy: 'waitForResult', times: 'waitChecks', intervalSeconds: 'waitIntervalSeconds' },
		carry: ['cibil_id', 'client_order_id'],
		carryAs: { cibil_id: 'cibilId', client_order_id: 'orderId' },
		continues: 'submitOtp',
		request: (input) => get(brand, input, 'GetCreditHistory', { client_order_id: input.params.client_order_id, cibil_id: cibilId(input) }),
		interpret: interpret((result, _input, answer) => {
			const state = cibilStatus(result);
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
};
