import type { OperationSpec } from '../../../core';
import type { CibilBrand } from '../brand';
import { baseReference, documentedDate, get, interpretFor } from '../call';
import { registerFields, registrationMethodField } from '../fields';
import { nextOperation, text } from '../read';

export const registerCustomer = (brand: CibilBrand): OperationSpec => {
	const interpret = interpretFor(brand);
	return {
		id: 'registerCustomer',
		name: 'Register Customer',
		action: 'Register a customer for CIBIL score checks',
		description: `One-time registration of the customer with ${brand.name}; returns the cibil_id every later step needs`,
		fields: [...registerFields, registrationMethodField],
		carry: ['order_id'],
		carryAs: { order_id: 'orderId' },
		next: 'generateOtp',
		request: (input) => {
			const p = input.params;
			// `registeration` (sic) is the documented call name.
			return get(
				brand,
				input,
				'registeration',
				{
					order_id: p.order_id,
					first_name: p.first_name,
					middle_name: p.middle_name ?? '',
					last_name: p.last_name,
					pancard: p.pancard,
					date_of_birth: documentedDate(p.date_of_birth),
					email_id: p.email_id,
					mobile_number: p.mobile_number,
				},
				p.registrationMethod === 'POST' ? 'POST' : 'GET',
			);
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
};
