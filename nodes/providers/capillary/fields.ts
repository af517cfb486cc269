import { email, numberBetween, pattern, type FieldSpec, type Rule, otpCodeField } from '../../core';

/** The identifier's form depends on its type. */
const identifierMatchesType: Rule = {
	message:
		'must match its identifier type: MOBILE digits with country code (8–15), EMAIL an email address, USERNAME 3–64 letters, digits or . _ @ -, EXTERNALID 1–64 letters, digits or . _ @ : -',
	test: (v, all) => {
		switch (String(all.identifierType ?? '')) {
			case 'MOBILE':
				return /^\d{8,15}$/.test(v);
			case 'EMAIL':
				return email().test(v, all);
			case 'EXTERNALID':
				// Its form is the brand's own (docs/providers.md §Capillary): only what could break a request is refused.
				return /^[A-Za-z0-9._@:-]{1,64}$/.test(v);
			default:
				return /^[A-Za-z0-9._@-]{3,64}$/.test(v);
		}
	},
};

/** EXTERNALID only where Capillary documents it: on the MFA calls (Second Factor). */
const externalIdOnlyWithMfa: Rule = {
	message: 'can be EXTERNALID only on Second Factor (MFA) calls: set Factor to Second Factor (MFA), or choose another identifier type',
	test: (v, all) => v !== 'EXTERNALID' || all.factor === 'mfa',
};

/** Every MFA page requires the device ID and none has a web path (docs/providers.md §Capillary). */
const mfaOnMobile: Rule = {
	message: 'can be Second Factor (MFA) only with App Type Mobile App: every MFA call requires a device ID (a web app gives its own stable device ID)',
	test: (v, all) => v !== 'mfa' || String(all.flavour ?? 'mobile') === 'mobile',
};

/**
 * First factor (the usual login) or Second Factor (MFA): the same call on /auth/v1/mfa/…, for brands with MFA enabled.
 * A chained step takes it from the previous step, so Generate Token (Second Factor) → Generate OTP → Validate OTP need
 * nothing more.
 */
export function factorField(chained: boolean): FieldSpec {
	return {
		name: 'factor',
		label: 'Factor',
		type: 'options',
		options: [
			{ name: 'First Factor', value: 'first', description: 'The usual login: /auth/v1/… (web apps /auth/v1/web/…)' },
			{
				name: 'Second Factor (MFA)',
				value: 'mfa',
				description: 'Multi-factor authentication after a first-factor login: /auth/v1/mfa/…, mobile apps only, for brands with MFA enabled',
			},
		],
		default: 'first',
		description: chained
			? 'First factor or Second Factor (MFA), as the previous step had it (read from its reference by default)'
			: "Second Factor (MFA) starts a multi-factor session with the first factor's customer token (from Validate OTP or Validate Password); the steps after it keep the choice",
		rules: [mfaOnMobile],
		...(chained ? { fromPrevious: 'reference.factor' } : {}),
	};
}

const IDENTIFIER_TYPES = [
	{ name: 'Mobile', value: 'MOBILE' },
	{ name: 'Email', value: 'EMAIL' },
	{ name: 'Username', value: 'USERNAME' },
];

/**
 * The identity fields every Auth Engine call repeats; chained steps read them from the previous result. `externalId`
 * adds EXTERNALID, which only the MFA calls (/auth/v1/mfa/…) document; `mfa` adds the Factor choice (after App Type),
 * with EXTERNALID accepted only when it is Second Factor (MFA).
 */
export function identityFields(chained: boolean, { externalId = false, mfa = false } = {}): FieldSpec[] {
	const from = (path: string) => (chained ? { fromPrevious: `reference.${path}` } : {});
	const withExternalId = externalId || mfa;
	return [
		{
			name: 'flavour',
			label: 'App Type',
			type: 'options',
			options: [
				{ name: 'Mobile App', value: 'mobile', description: 'Paths /auth/v1/…; a device ID is required' },
				{ name: 'Web App', value: 'web', description: 'Paths /auth/v1/web/…; no device ID' },
			],
			default: 'mobile',
			required: true,
			description: 'Mobile and web apps use different Auth Engine paths; keep the same choice for the whole flow',
			...from('flavour'),
		},
		...(mfa ? [factorField(chained)] : []),
		{
			name: 'identifierType',
			label: 'Identifier Type',
			type: 'options',
			options: withExternalId ? [...IDENTIFIER_TYPES, { name: 'External ID', value: 'EXTERNALID' }] : IDENTIFIER_TYPES,
			default: 'MOBILE',
			required: true,
			description: withExternalId
				? "How the customer is identified (External ID: the brand's own customer ID, MFA calls only; the brand must have external ID login enabled)"
				: 'How the customer is identified',
			...(mfa ? { rules: [externalIdOnlyWithMfa] } : {}),
			...from('identifierType'),
		},
		{
			name: 'identifierValue',
			label: 'Identifier Value',
			type: 'string',
			required: true,
			placeholder: '919999999993',
			description: withExternalId
				? 'The mobile number with country code (digits only), the email address, the username or the external ID'
				: 'The mobile number with country code (digits only), the email address or the username',
			rules: [identifierMatchesType],
			...from('identifierValue'),
		},
		{
			name: 'deviceId',
			label: 'Device ID',
			type: 'string',
			required: true,
			showWhen: { field: 'flavour', equals: ['mobile'] },
			placeholder: '123456785',
			description: "Unique ID of the customer's device (mobile app only)",
			rules: [pattern(/^[\w.:-]{1,128}$/, 'must be 1–128 letters, digits or . _ : -')],
			...from('deviceId'),
		},
	];
}

export const sessionIdField: FieldSpec = {
	name: 'sessionId',
	label: 'Session ID',
	type: 'string',
	required: true,
	fromPrevious: 'reference.sessionId',
	description: "The session from Generate Token (read from the previous step's reference by default)",
	rules: [pattern(/^[\w-]{4,128}$/, 'must be a session ID from Generate Token')],
};

/** Not sent: the session travels on so a following step (Generate OTP) can still use it while it lasts. */
export const passedOnSessionField: FieldSpec = {
	name: 'sessionId',
	label: 'Session ID (Passed On)',
	type: 'string',
	advanced: true,
	fromPrevious: 'reference.sessionId',
	description: 'Not sent with this call. The session from Generate Token, passed on in reference.sessionId',
};

export const validityOption = (name: string, label: string, minutes: number, description: string): FieldSpec => ({
	name,
	label,
	type: 'number',
	default: minutes,
	advanced: true,
	description,
	rules: [numberBetween(0, 1440, 'minutes', { exclusiveMin: true })],
});

export const otpField = otpCodeField();

/** The customer's password is sent as typed: one that begins or ends with a space would otherwise be trimmed silently. */
const untrimmed = (name: string): Rule => ({
	message: 'must not begin or end with a space',
	test: (v, all) => typeof all[name] !== 'string' || all[name] === v,
});

/**
 * A password the customer typed: sent to Capillary and never shown anywhere else (sensitive: scrubbed from messages,
 * errors and raw, never carried in reference). The brand's own policy is Capillary's to check (1542).
 */
export function passwordField(name: string, label: string, description: string, rules: readonly Rule[] = []): FieldSpec {
	return {
		name,
		label,
		type: 'password',
		required: true,
		sensitive: 'secret',
		maxLength: 128,
		description: `${description} (a secret: map it from the message, e.g. {{ $json.${name} }} in n8n or msg.${name} in Node-RED, rather than typing it in)`,
		rules: [untrimmed(name), ...rules],
	};
}

/** confirmPassword: the same text as the password field. */
export const sameAs = (other: string): Rule => ({
	message: `must be the same as ${other}`,
	test: (v, all) => typeof all[other] === 'string' && all[other].trim() === v,
});
