import { email, numberBetween, pattern, type FieldSpec, type Rule, otpCodeField } from '../../core';

/** The identifier's form depends on its type. */
const identifierMatchesType: Rule = {
	message: 'must match its identifier type: MOBILE digits with country code (8–15), EMAIL an email address, USERNAME 3–64 letters, digits or . _ @ -',
	test: (v, all) => {
		switch (String(all.identifierType ?? '')) {
			case 'MOBILE':
				return /^\d{8,15}$/.test(v);
			case 'EMAIL':
				return email().test(v, all);
			default:
				return /^[A-Za-z0-9._@-]{3,64}$/.test(v);
		}
	},
};

/** The identity fields every Auth Engine call repeats; chained steps read them from the previous result. */
export function identityFields(chained: boolean): FieldSpec[] {
	const from = (path: string) => (chained ? { fromPrevious: `reference.${path}` } : {});
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
		{
			name: 'identifierType',
			label: 'Identifier Type',
			type: 'options',
			options: [
				{ name: 'Mobile', value: 'MOBILE' },
				{ name: 'Email', value: 'EMAIL' },
				{ name: 'Username', value: 'USERNAME' },
			],
			default: 'MOBILE',
			required: true,
			description: 'How the customer is identified',
			...from('identifierType'),
		},
		{
			name: 'identifierValue',
			label: 'Identifier Value',
			type: 'string',
			required: true,
			placeholder: '919999999993',
			description: 'The mobile number with country code (digits only), the email address or the username',
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
