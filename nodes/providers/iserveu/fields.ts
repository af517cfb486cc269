import { aadhaar, indianMobile, ipAddress, latLong, length, numberBetween, pattern, positiveNumber, type FieldSpec, type Rule, otpCodeField } from '../../core';

const chained = (path: string | undefined) => (path ? { fromPrevious: `reference.${path}` } : {});

export const mobileField = (name: string, fromPrevious?: string): FieldSpec => ({
	name,
	label: 'Customer Mobile Number',
	type: 'string',
	required: true,
	placeholder: '8144094480',
	description: "The customer's 10-digit mobile number",
	rules: [indianMobile()],
	...chained(fromPrevious),
});

export const usernameField = (fromPrevious?: string): FieldSpec => ({
	name: 'username',
	label: 'Username',
	type: 'string',
	required: true,
	placeholder: 'isutestapi1',
	description: 'Your iServeU user (retailer) name; it must be the same for Send OTP and the call that consumes the OTP',
	rules: [pattern(/^[A-Za-z0-9_.-]{3,40}$/, 'must be 3–40 letters, digits or . _ -')],
	...chained(fromPrevious),
});

export const externalRefField = (fromPrevious?: string): FieldSpec => ({
	name: 'externalRefNumber',
	label: 'External Reference Number',
	type: 'string',
	placeholder: 'TXN1432452',
	description: 'Your reference for the transaction, 6–22 characters; a new OTP needs a new reference',
	rules: [length(6, 22), pattern(/^[A-Za-z0-9_-]+$/, 'must contain only letters, digits, _ or -')],
	...chained(fromPrevious),
});

export const ovdTypeField: FieldSpec = {
	name: 'ovdType',
	label: 'OVD Type',
	type: 'string',
	default: 'Aadhaar Card',
	maxLength: 40,
	description: 'Officially valid document type, as iServeU names it (e.g. Aadhaar Card)',
};

/** The OVD type value of the biometric send variant (docs/providers.md §iServeU). */
export const BIO_AUTH = 'BioAuth';

/** On Send OTP the OVD type is a choice: an Aadhaar OTP by SMS, or BioAuth (the bank sends the OTP after a fingerprint). */
export const sendOvdTypeField: FieldSpec = {
	name: 'ovdType',
	label: 'OVD Type',
	type: 'options',
	options: [
		{ name: 'Aadhaar Card', value: 'Aadhaar Card', description: 'The OTP is sent by SMS (iServeU)' },
		{
			name: 'BioAuth (Biometric)',
			value: BIO_AUTH,
			description: "The customer's fingerprint (PID data) is authenticated and the bank sends the OTP, valid 3 minutes",
		},
	],
	default: 'Aadhaar Card',
	maxLength: 40,
	description: 'How the customer is authenticated before the OTP is sent',
};

/** Base64 text without line breaks (those are refused before any rule as control characters). */
const base64 = (): Rule => ({
	message: 'must be Base64 text (A–Z, a–z, 0–9, + and /, padded with = to a multiple of 4 characters)',
	test: (v) => v.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(v),
});

/**
 * The biometric PID block of a BioAuth send, Base64 as the capture device gives it. It identifies the customer like the
 * Aadhaar number does: typed as a password (a secret), so it is sent to iServeU only, never carried in reference, and
 * scrubbed from messages, errors and raw.
 */
export const pidField: FieldSpec = {
	name: 'pid',
	label: 'PID Data (Biometric)',
	type: 'password',
	sensitive: 'secret',
	maxLength: 20000,
	placeholder: 'UElEX0RBVEE=',
	description:
		"Base64-encoded PID data from the customer's fingerprint capture (map it from the message, e.g. {{ $json.pid }} in n8n or msg.pid in Node-RED); sent to iServeU only",
	showWhen: { field: 'ovdType', equals: [BIO_AUTH] },
	requiredWhen: { field: 'ovdType', equals: [BIO_AUTH] },
	rules: [base64()],
};

/**
 * Registration needs the Aadhaar number twice (Send OTP, then Register Customer): Send OTP hands it on sealed
 * (encrypted with the account's client secret) in reference.ovdDataSealed, so nobody types it again and no page,
 * form or log ever holds it readable.
 */
export const OVD_SEALED = 'ovdDataSealed';

/** `type1`: required for a registration OTP only (Send OTP); `optional`: checked when given (registration [doc]). */
export const ovdDataField = (need: 'type1' | 'optional', chained = false): FieldSpec => ({
	name: 'ovdData',
	label: 'Aadhaar Number (OVD Data)',
	type: 'string',
	placeholder: '765386439745',
	description: chained
		? "The customer's 12-digit Aadhaar number. Left empty, it is taken from the reference of an earlier Send OTP, where it travels encrypted with the account's secret"
		: "The customer's 12-digit Aadhaar number. It is sent to iServeU only, handed to the next step encrypted, and masked to its last 4 digits anywhere it could appear",
	rules: [aadhaar()],
	sensitive: 'aadhaar',
	...(chained ? { fromPrevious: `reference.${OVD_SEALED}` } : {}),
	...(need === 'type1' ? { requiredWhen: { field: 'otpType', equals: ['1'] } } : {}),
});

/**
 * The device location. iServeU spells its key per endpoint: `latLong` on send-otp and verify-bene, `latlong` on
 * get-customer and process-customer-registration (docs/providers.md §iServeU): the field is always latLong here, and
 * each operation's request names the key its endpoint takes.
 */
export const latLongField = (extra: Partial<FieldSpec> = {}): FieldSpec => ({
	name: 'latLong',
	label: 'Location (Lat,Long)',
	type: 'string',
	placeholder: '12.9716,77.5946',
	advanced: true,
	description: 'Location of the transaction device, "latitude,longitude"',
	rules: [latLong()],
	...extra,
});

/** The device's IP address: sent as `publicIP`, except on verify-bene, which names it `customerIP` (docs/providers.md §iServeU). */
export const publicIpField = (sentAs: 'publicIP' | 'customerIP' = 'publicIP'): FieldSpec => ({
	name: 'publicIP',
	label: sentAs === 'customerIP' ? 'Customer IP' : 'Public IP',
	type: 'string',
	placeholder: '192.168.1.1',
	advanced: true,
	description: sentAs === 'customerIP' ? "IP address of the customer's device (sent as customerIP)" : 'Public IP address of the transaction device',
	rules: [ipAddress()],
});

export const clientParams: FieldSpec[] = ['paramA', 'paramB', 'paramC'].map((name) => ({
	name,
	label: `Client ${name.slice(0, 5)} ${name.slice(5)}`,
	type: 'string',
	advanced: true,
	description: 'Free field for your own use; iServeU echoes it back',
	rules: [length(0, 100)],
}));

export const amountField: FieldSpec = {
	name: 'requestedAmount',
	label: 'Requested Amount',
	type: 'string',
	placeholder: '1001',
	description: 'Transaction amount in rupees (required for transaction OTPs)',
	requiredWhen: { field: 'otpType', equals: ['2'] },
	showWhen: { field: 'otpType', equals: ['2'] },
	rules: [positiveNumber()],
};

export const timingOptions: FieldSpec[] = [
	{
		name: 'otpValidityMinutes',
		label: 'OTP Validity (Minutes)',
		type: 'number',
		default: 10,
		advanced: true,
		description: 'How long the OTP lives, reported as expiresAt (iServeU documents 10; an older page says 3)',
		rules: [numberBetween(0, 1440, 'minutes', { exclusiveMin: true })],
	},
	{
		name: 'resendWaitSeconds',
		label: 'Resend Wait (Seconds)',
		type: 'number',
		default: 30,
		advanced: true,
		description: 'How long before a registration OTP may be resent, reported as retryAfterSeconds (documented 30; older page 60)',
		rules: [numberBetween(0, 86400, 'seconds', { whole: true })],
	},
	{
		name: 'maxAttempts',
		label: 'Attempts Allowed',
		type: 'number',
		default: 5,
		advanced: true,
		description: 'Wrong codes allowed per OTP, reported as attemptsRemaining (documented 5; older page 3)',
		rules: [numberBetween(1, 100, 'attempts', { whole: true })],
	},
];

export const otpField = otpCodeField();
