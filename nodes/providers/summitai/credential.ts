import type { CredentialSpec } from '../../core';
import { ENDPOINT, SEARCH_ENDPOINT, serviceBody } from './envelope';

type Json = Record<string, unknown>;

const asObject = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/** AuthType APIKEY (the default since SummitAI's Sierra HF01) or FORM when the instance disables API keys. */
function proxyAuth(credentials: Record<string, unknown>): Json {
	if (String(credentials.authType ?? 'APIKEY') === 'FORM') {
		return { AuthType: 'FORM', UserName: String(credentials.userName ?? '').trim(), Password: String(credentials.password ?? '') };
	}
	// The documentation spells it "APIKEY" in its samples and "APIKey" on its parameters page: an option.
	const spelling = String(credentials.apiKeyAuthType ?? '') === 'APIKey' ? 'APIKey' : 'APIKEY';
	return { AuthType: spelling, APIKey: String(credentials.apiKey ?? '') };
}

export const summitAiCredential: CredentialSpec = {
	name: 'summitAiApi',
	label: 'SummitAI ITSM API',
	documentationUrl: 'https://github.com/otpflow/otpflow#summitai-itsm',
	fields: [
		{
			name: 'baseUrl',
			label: 'Instance URL',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://yourcompany.symphonysummit.com',
			description: `Your SummitAI API server; /${ENDPOINT} (or /${SEARCH_ENDPOINT} for Find User) is appended. For the OTP Flow sandbox: http://127.0.0.1:4010/summitai`,
		},
		{
			name: 'authType',
			label: 'Authentication',
			type: 'options',
			options: [
				{ name: 'API Key', value: 'APIKEY' },
				{ name: 'Username and Password', value: 'FORM' },
			],
			default: 'APIKEY',
			description: 'API Key unless your instance disables API keys (IsAPIKeyDisabled), then Username and Password',
		},
		{
			name: 'apiKey',
			label: 'API Key',
			type: 'password',
			default: '',
			showWhen: { field: 'authType', equals: ['APIKEY'] },
			description: 'The API key of an API user (Admin > Basic > Users, Login Type "API Key")',
		},
		{
			name: 'apiKeyAuthType',
			label: 'AuthType Spelling',
			type: 'options',
			options: [
				{ name: 'APIKEY (as in the Documented Samples)', value: 'APIKEY' },
				{ name: 'APIKey (as on the Parameters Page)', value: 'APIKey' },
			],
			default: 'APIKEY',
			showWhen: { field: 'authType', equals: ['APIKEY'] },
			description: 'How AuthType is written in each request; change it only if your instance refuses the default',
		},
		{
			name: 'userName',
			label: 'Username',
			type: 'string',
			default: '',
			showWhen: { field: 'authType', equals: ['FORM'] },
			description: 'Login name of the SummitAI user the calls run as',
		},
		{
			name: 'password',
			label: 'Password',
			type: 'password',
			default: '',
			showWhen: { field: 'authType', equals: ['FORM'] },
			description: "That user's password",
		},
	],
	authenticate(credentials, request) {
		const body = asObject(request.body);
		// ADM_SearchAllUser carries _ProxyDetails at the top of the body; every CommonWS_JsonObjCall service inside objCommonParameters.
		if ('_ProxyDetails' in body && !('objCommonParameters' in body)) {
			return { ...request, body: { ...body, _ProxyDetails: { ...asObject(body._ProxyDetails), ...proxyAuth(credentials) } } };
		}
		const common = asObject(body.objCommonParameters);
		const proxy = { ...asObject(common._ProxyDetails), ...proxyAuth(credentials) };
		return { ...request, body: { ...body, objCommonParameters: { ...common, _ProxyDetails: proxy } } };
	},
	test: {
		// Validating a made-up transaction sends nobody an OTP; the instance checks the credentials first.
		request: () => ({
			method: 'POST',
			url: `/${ENDPOINT}`,
			body: serviceBody('ADM_ValidateOTP', { OTP_Text: '000000', TransactionID: '00000000-0000-0000-0000-000000000000', LoginUID: 0 }),
		}),
		// SummitAI refuses with HTTP 200 and words in `Errors`, and n8n's rule compares for equality: only
		// these exact strings (the OTP Flow sandbox's) fail the test. Other wording from a real instance
		// passes the test; the nodes themselves still classify it as auth_failed at run time.
		failWhen: [
			{ key: 'Errors', value: 'Invalid API Key', message: 'SummitAI rejected the API key' },
			{ key: 'Errors', value: 'Invalid UserName or Password', message: 'SummitAI rejected the username or password' },
		],
	},
};
