/** The fixed credentials the sandbox accepts. Exported so tests, examples and docs use the same values. */
const ACCOUNTS = {
	iserveu: {
		clientId: 'sandbox-client-id',
		clientSecret: 'sandbox-client-secret',
		/** Any username matching `usernamePattern` is accepted; this one is used in examples. */
		username: 'sandbox_agent',
		usernamePattern: /^[A-Za-z0-9_.-]{3,40}$/,
		/** Client references the status enquiry finds on any day, one per outcome (other references: verified beneficiaries). */
		demoTransactions: {
			SANDBOXSUCCESS01: { status: 'SUCCESS', statusDesc: 'Successfully credited -' },
			SANDBOXPENDING01: { status: 'INPROGRESS', statusDesc: 'Transaction is in progress' },
			SANDBOXFAILED01: { status: 'FAILED', statusDesc: 'Transaction failed at the bank' },
		},
	},
	capillary: {
		/** Capillary has no secret for these calls: the brand is the only account check. */
		brand: 'DemoBrand',
		/**
		 * A returning customer who has a password (Validate Password works for them at once); any other customer is a
		 * first-time one until Forgot Password and an OTP login give them one. The examples use these values.
		 */
		passwordCustomer: { identifierType: 'MOBILE', identifierValue: '919999999993', password: 'Sandbox-Pass-1' },
	},
	bos: {
		accessToken: 'sandbox-bos-token',
		registrationId: 'BOS-554',
		companyCode: 'CMP1045',
	},
	aopay: {
		accessToken: 'sandbox-aopay-token',
		registrationId: 'AOP-554',
		companyCode: 'CMP1045',
	},
	summitai: {
		apiKey: 'sandbox-summit-key',
		userName: 'sandbox@summit.local',
		password: 'sandbox-pass',
		/** The seed's user; any numeric UserID/LoginUID > 0 is also accepted. */
		user: { DomainId: 1, UserID: 967, LoginUID: 967, UserName: 'abcd' },
		/**
		 * The users ADM_SearchAllUser (Find User) searches: the seed's user first; two users share the name "john" (a
		 * search by that name finds several), and "johnny" shows that a name search matches part of a name. Frm_PWD stands for
		 * the stored password SummitAI's answer documents in each row: no result or log may ever show one.
		 */
		directory: [
			{ UserID: 967, UserName: 'abcd', EmpID: 'E967', EmailID: 'abcd@summit.local', Frm_PWD: 'TalyhVCYpE7JjHjUiI4vL/ZRcs6ZdDNDtyDNkiyc7CI=' },
			{ UserID: 17, UserName: 'Jyothi', EmpID: '12345', EmailID: 'jyothi@summit.local', Frm_PWD: 'NvUE4X3cI6pYpC8j8XM0yRXbJfcNFpiQqBXfb9xBhCA=' },
			{ UserID: 1799, UserName: 'john', EmpID: 'S100', EmailID: 'john1@summit.local', Frm_PWD: 'qchWabDL5euFWAC4hcx73QUNbQNT7WUOUj0XjnQtQo0=' },
			{ UserID: 1800, UserName: 'john', EmpID: 'S101', EmailID: 'john2@summit.local', Frm_PWD: 'EekZ8dRhVkrXb4wIB4TzMi7KPKmDnPNllKpuFOGp3oc=' },
			{ UserID: 1801, UserName: 'johnny', EmpID: 'S102', EmailID: 'johnny@summit.local', Frm_PWD: 'EftM/7Ph5hkONYtdbFeZ9O+OSHcPrZ1TnwlnuCZFq+w=' },
		],
	},
} as const;

/**
 * The fixed credentials the sandbox accepts, by provider id. Readable by a provider id held in a string too
 * (tests and generators iterate the providers), hence the index signature.
 */
export const SANDBOX_ACCOUNTS: typeof ACCOUNTS & Readonly<Record<string, Readonly<Record<string, unknown>>>> = ACCOUNTS;

export type ProviderId = 'iserveu' | 'capillary' | 'bos' | 'aopay' | 'summitai';
export const PROVIDER_IDS: readonly ProviderId[] = ['iserveu', 'capillary', 'bos', 'aopay', 'summitai'];

/** Path prefix of each provider on the sandbox; `${sandbox.url}${prefix}` is the credential's base URL. */
export const PROVIDER_BASE_PATHS: Readonly<Record<ProviderId, string>> = {
	iserveu: '/iserveu',
	capillary: '/capillary',
	bos: '/bos/api/BOS/CibilScore/',
	aopay: '/aopay/api/AOP/CibilScore/',
	summitai: '/summitai',
};

export function providerBaseUrls(sandboxUrl: string): Record<ProviderId, string> & Record<string, string> {
	const out = {} as Record<ProviderId, string>;
	for (const id of PROVIDER_IDS) out[id] = sandboxUrl + PROVIDER_BASE_PATHS[id];
	return out;
}
