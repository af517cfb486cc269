import { length, pattern, positiveInteger, type FieldSpec } from '../../core';

/** The seed sends DomainId, UserID and LoginUID as JSON numbers; the fields take text so they can be checked. */
export const NUMERIC_FIELDS = ['DomainId', 'UserID', 'LoginUID'] as const;

export const userFields: FieldSpec[] = [
	{
		name: 'DomainId',
		label: 'Domain ID',
		type: 'string',
		required: true,
		placeholder: '1',
		description: 'Numeric ID of the SummitAI domain the user belongs to',
		rules: [pattern(/^\d{1,10}$/, 'must be a whole number (the numeric domain ID)')],
	},
	{
		name: 'UserID',
		label: 'User ID',
		type: 'string',
		required: true,
		placeholder: '967',
		fromPrevious: 'reference.userId',
		description: "Numeric ID of the user the OTP is for (read from Find User's reference.userId when left empty)",
		rules: [positiveInteger()],
	},
	{
		name: 'LoginUID',
		label: 'Login UID',
		type: 'string',
		required: true,
		placeholder: '967',
		fromPrevious: 'reference.loginUid',
		description: "The user's numeric login ID; Validate OTP needs the same value (read from Find User's reference.loginUid when left empty)",
		rules: [positiveInteger()],
	},
	{
		name: 'UserName',
		label: 'User Name',
		type: 'string',
		required: true,
		placeholder: 'abcd',
		fromPrevious: 'reference.userName',
		description: "The name of the user (read from Find User's reference.userName when left empty)",
		rules: [length(1, 200)],
	},
];

export const validateFields: FieldSpec[] = [
	{
		name: 'OTP_Text',
		label: 'OTP',
		type: 'string',
		required: true,
		placeholder: '123456',
		fromMessage: 'otp',
		// SummitAI does not document the code's form; it is configurable per instance.
		description: 'The code the user received (4–10 letters or digits)',
		rules: [pattern(/^[A-Za-z0-9]{4,10}$/, 'must be 4 to 10 letters or digits')],
	},
	{
		name: 'TransactionID',
		label: 'Transaction ID',
		type: 'string',
		required: true,
		fromPrevious: 'reference.transactionId',
		description: "The TransactionID Generate OTP returned (read from the previous step's reference.transactionId by default)",
		rules: [pattern(/^[A-Za-z0-9_-]{1,64}$/, 'must be the TransactionID Generate OTP returned')],
	},
	{
		name: 'LoginUID',
		label: 'Login UID',
		type: 'string',
		required: true,
		fromPrevious: 'reference.loginUid',
		description: "The LoginUID used for Generate OTP (read from the previous step's reference.loginUid by default)",
		rules: [positiveInteger()],
	},
	{
		name: 'UserID',
		label: 'User ID (Passed On)',
		type: 'string',
		fromPrevious: 'reference.userId',
		description:
			"Not sent with this call. The user's ID, passed on in reference.userId so that a failed validation can go straight back to Generate OTP; leave empty",
		rules: [positiveInteger()],
	},
	{
		name: 'UserName',
		label: 'User Name (Passed On)',
		type: 'string',
		fromPrevious: 'reference.userName',
		description: "Not sent with this call. The user's name, passed on in reference.userName for a new Generate OTP; leave empty",
		rules: [length(1, 200)],
	},
];
