/**
 * BOS and AOPay resell the same CIBIL-score platform: same calls, bodies and answers, different host,
 * path and account prefix. A brand is everything that differs; the rest is shared.
 */
export interface CibilBrand {
	id: 'bos' | 'aopay';
	/** Short name used in messages: 'BOS'. */
	name: string;
	label: string;
	/** n8n credential type name. */
	credentialName: string;
	defaultBaseUrl: string;
	/** The RegistrationID the brand's documentation shows. */
	registrationIdExample: string;
	/** Base URL of this brand on the OTP Flow sandbox (sandbox/accounts.ts PROVIDER_BASE_PATHS). */
	sandboxBaseUrl: string;
	documentationUrl: string;
	/** Node-RED palette colour: a light tint of the icon's colour, so the black label stays readable. */
	color: string;
}

export const BOS_BRAND: CibilBrand = {
	id: 'bos',
	name: 'BOS',
	label: 'BOS CIBIL Score',
	credentialName: 'bosCibilApi',
	defaultBaseUrl: 'https://api.bos.center/api/BOS/CibilScore/',
	registrationIdExample: 'BOS-554',
	sandboxBaseUrl: 'http://127.0.0.1:4010/bos/api/BOS/CibilScore/',
	documentationUrl: 'https://github.com/otpflow/otpflow#bos-cibil-score',
	color: '#7FA8DB',
};

export const AOPAY_BRAND: CibilBrand = {
	id: 'aopay',
	name: 'AOPay',
	label: 'AOPay CIBIL Score',
	credentialName: 'aopayCibilApi',
	defaultBaseUrl: 'https://api.aopay.co.in/api/AOP/CibilScore/',
	registrationIdExample: 'AOP-554',
	sandboxBaseUrl: 'http://127.0.0.1:4010/aopay/api/AOP/CibilScore/',
	documentationUrl: 'https://github.com/otpflow/otpflow#aopay-cibil-score',
	color: '#B596D8',
};
