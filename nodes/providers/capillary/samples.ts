/**
 * Sample values for the examples and templates: a mobile-number login. The password is the sandbox's returning customer's
 * (sandbox/accounts.ts), a public sample: real flows map a customer's password from the message, never type it in.
 */
import type { ProviderSamples } from '../../core';

export const capillarySamples: ProviderSamples = {
	input: { identifierValue: '919999999993', deviceId: 'device-42', password: 'Sandbox-Pass-1', confirmPassword: 'Sandbox-Pass-1' },
	options: { flavour: 'mobile', identifierType: 'MOBILE' },
	inboxTo: 'identifierValue',
	operations: {
		// Its template logs another customer in: the sandbox allows 5 OTPs per customer in 10 minutes (otpMaxCount),
		// and the other templates already send that many to the first.
		expireToken: { before: { generateToken: { input: { identifierValue: '919999999994' } } } },
	},
};
