/** Sample values for the examples and templates of both brands (the sandbox emulates both alike). */
import type { ProviderSamples } from '../../core';

export const cibilSamples: ProviderSamples = {
	input: {
		order_id: { unique: 'ORD-' },
		first_name: 'Asha',
		last_name: 'Verma',
		pancard: 'ABCDE1234F',
		date_of_birth: '1990-04-23',
		email_id: 'asha@example.com',
		mobile_number: '9413812345',
		cibil_id: '102277100',
	},
	inboxTo: 'mobile_number',
};
