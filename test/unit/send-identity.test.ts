/**
 * Who a send is for (nodes/core/send-identity.ts), read from the descriptions: the number or address the code goes to,
 * else the customer or user id the step carries on; never a secret or an Aadhaar number.
 */
import { accountOf, codeFlow, findOperation, sendIdentifier, sendSteps } from '../../nodes/core';
import { bos, capillary, iserveu, summitai } from '../../nodes/providers';

describe('the identifier of a send', () => {
	it.each([
		[
			'iServeU Send OTP: the mobile number',
			iserveu,
			'sendOtp',
			{ otpType: '1', customerMobileNumber: '9876543210', username: 'agent', ovdData: '234567890124' },
			'9876543210',
		],
		[
			'Capillary Generate OTP: the identifier value (mobile)',
			capillary,
			'generateOtp',
			{ flavour: 'mobile', identifierType: 'MOBILE', identifierValue: '919999999993', deviceId: '1234', sessionId: 's' },
			'919999999993',
		],
		[
			'Capillary Generate OTP: the identifier value (e-mail)',
			capillary,
			'generateOtp',
			{ flavour: 'web', identifierType: 'EMAIL', identifierValue: 'asha@example.com', sessionId: 's' },
			'asha@example.com',
		],
		[
			'Capillary Generate OTP: the identifier value (username)',
			capillary,
			'generateOtp',
			{ flavour: 'web', identifierType: 'USERNAME', identifierValue: 'asha.k', sessionId: '8a7b' },
			'asha.k',
		],
		['SummitAI Generate OTP: the user id, not the domain', summitai, 'generateOtp', { DomainId: '1', UserID: '967', LoginUID: '967', UserName: 'abcd' }, '967'],
		['CIBIL Generate OTP: the customer id', bos, 'generateOtp', { cibil_id: '102277100' }, '102277100'],
	])('%s', (_name, provider, operation, values, expected) => {
		expect(sendIdentifier([{ op: findOperation(provider, operation), values }])).toBe(expected);
	});

	it("Send and Wait's send path: the registered mobile, before the e-mail and the order id", () => {
		const flow = codeFlow(bos)!;
		const values = {
			order_id: '12345678901',
			first_name: 'Asha',
			last_name: 'K',
			email_id: 'asha@example.com',
			mobile_number: '9413812345',
			pancard: 'ABCDE1234F',
		};
		expect(sendIdentifier(sendSteps(flow).map((op) => ({ op, values })))).toBe('9413812345');
	});

	it('nothing to count by when no field has a value', () => {
		expect(sendIdentifier([{ op: findOperation(summitai, 'generateOtp'), values: {} }])).toBeUndefined();
	});

	it('the account key holds no secret', () => {
		expect(accountOf({ baseUrl: 'https://x', brand: 'b' })).toBe(accountOf({ brand: 'b', baseUrl: 'https://x' }));
	});
});
