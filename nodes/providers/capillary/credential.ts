import type { CredentialSpec } from '../../core';

/** Capillary's Auth Engine is called without a secret: the cluster host and the brand identify the org. */
export const capillaryCredential: CredentialSpec = {
	name: 'capillaryAuthEngineApi',
	label: 'Capillary Auth Engine API',
	documentationUrl: 'https://docs.capillarytech.com/reference/generate-otp',
	fields: [
		{
			name: 'baseUrl',
			label: 'Host (Cluster URL)',
			type: 'string',
			default: 'https://eu.api.capillarytech.com',
			required: true,
			placeholder: 'https://eu.api.capillarytech.com',
			description:
				"Your org's Auth Engine host, e.g. https://eu.api.capillarytech.com, https://eu-auth-api.capillarytech.com or https://apac2-auth-api.capillarytech.com. For the OTP Flow sandbox: http://127.0.0.1:4010/capillary",
		},
		{
			name: 'brand',
			label: 'Brand',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'DocDemo',
			description: 'Name of the brand or org the customers authenticate with (sandbox: DemoBrand)',
		},
	],
	authenticate(credentials, request) {
		return { ...request, body: { ...(request.body ?? {}), brand: String(credentials.brand ?? '').trim() } };
	},
	test: {
		// Opening a web session proves the host answers and knows the brand; an unknown brand fails (1519).
		request: () => ({
			method: 'POST',
			url: '/auth/v1/web/token/generate',
			body: { identifierType: 'EMAIL', identifierValue: 'credential-test@otpflow.example' },
		}),
		failWhen: [{ key: 'status.success', value: false, message: 'Capillary rejected the brand or host' }],
	},
};
