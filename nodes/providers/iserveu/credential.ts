import type { CredentialSpec } from '../../core';

/** iServeU authenticates every call with two headers issued at integration. */
export const iServeUCredential: CredentialSpec = {
	name: 'iServeUDmtApi',
	label: 'iServeU DMT Lite API',
	documentationUrl: 'https://github.com/otpflow/otpflow#iserveu-dmt-lite',
	fields: [
		{
			name: 'baseUrl',
			label: 'Base URL',
			type: 'string',
			default: 'https://apidev.iserveu.online',
			required: true,
			description:
				'Staging is https://apidev.iserveu.online; iServeU gives the production URL at integration. For the OTP Flow sandbox: http://127.0.0.1:4010/iserveu',
		},
		{
			name: 'clientId',
			label: 'Client ID',
			type: 'string',
			default: '',
			required: true,
			description: 'The client_id header value shared by iServeU during integration',
		},
		{
			name: 'clientSecret',
			label: 'Client Secret',
			type: 'password',
			default: '',
			required: true,
			description: 'The client_secret header value shared by iServeU during integration',
		},
	],
	authenticate(credentials, request) {
		return {
			...request,
			headers: {
				...request.headers,
				client_id: String(credentials.clientId ?? '').trim(),
				client_secret: String(credentials.clientSecret ?? ''),
			},
		};
	},
	test: {
		// A customer look-up is read-only; wrong client headers are refused with HTTP 401.
		request: () => ({
			method: 'POST',
			url: '/common/dmt-lite/unified/customer/get-customer',
			body: { mobileNumber: '9000000000', username: 'otpflowcredentialtest' },
		}),
		failWhen: [{ key: 'statusCode', value: '401', message: 'iServeU rejected the client ID or secret' }],
	},
};
