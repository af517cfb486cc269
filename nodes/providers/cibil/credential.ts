import type { CredentialSpec } from '../../core';
import type { CibilBrand } from './brand';

/**
 * The platform authenticates in the body only: access_token, RegistrationID and CompanyCode travel
 * beside the call's own fields. Only the access token is secret.
 */
export function cibilCredential(brand: CibilBrand): CredentialSpec {
	return {
		name: brand.credentialName,
		label: `${brand.label} API`,
		documentationUrl: brand.documentationUrl,
		fields: [
			{
				name: 'baseUrl',
				label: 'Base URL',
				type: 'string',
				default: brand.defaultBaseUrl,
				required: true,
				description: `${brand.name}'s CIBIL Score API root; the call name (GenerateOTP, ...) is appended. For the OTP Flow sandbox: ${brand.sandboxBaseUrl}`,
			},
			{
				name: 'accessToken',
				label: 'Access Token',
				type: 'password',
				default: '',
				required: true,
				description: `The access_token ${brand.name} issued to your account`,
			},
			{
				name: 'registrationId',
				label: 'Registration ID',
				type: 'string',
				default: '',
				required: true,
				placeholder: brand.registrationIdExample,
				description: `Your RegistrationID, letters then digits, e.g. ${brand.registrationIdExample}`,
			},
			{
				name: 'companyCode',
				label: 'Company Code',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'CMP1045',
				description: 'Your CompanyCode, letters then digits, e.g. CMP1045',
			},
		],
		authenticate(credentials, request) {
			return {
				...request,
				body: {
					...(request.body ?? {}),
					access_token: String(credentials.accessToken ?? ''),
					RegistrationID: String(credentials.registrationId ?? '').trim(),
					CompanyCode: String(credentials.companyCode ?? '').trim(),
				},
			};
		},
		test: {
			// GenerateOTP needs the token (registeration and GetCreditHistory do not list it), so a wrong token
			// is refused with HTTP 401. cibil_id 0 is no customer: the test can never send anyone an OTP.
			request: () => ({ method: 'GET', url: '/GenerateOTP', body: { cibil_id: 0 } }),
			failWhen: [{ key: 'responsecode', value: 401, message: `${brand.name} rejected the access token, RegistrationID or CompanyCode` }],
		},
	};
}
