import { email, indianMobile, length, numberBetween, pan, pastDate, pattern, positiveInteger, type FieldSpec, otpCodeField } from '../../core';

const chained = (path: string | undefined) => (path ? { fromPrevious: `reference.${path}` } : {});

/** Sent as a JSON number, as documented; 15 digits keeps it an exact JavaScript number. */
export const cibilIdField = (fromPrevious?: string): FieldSpec => ({
	name: 'cibil_id',
	label: 'CIBIL ID',
	type: 'string',
	required: true,
	placeholder: '102277100',
	description: "The customer's cibil_id, returned once by Register Customer (read from the previous step's reference.cibilId by default)",
	rules: [positiveInteger(), length(1, 15)],
	...chained(fromPrevious),
});

/**
 * Not sent by Generate OTP or Submit OTP: carried in `reference.orderId` so that Get Credit History,
 * two steps later, can send it as client_order_id without any wiring.
 */
export const orderIdCarriedField: FieldSpec = {
	name: 'orderId',
	label: 'Order ID (Passed On)',
	type: 'string',
	fromPrevious: 'reference.orderId',
	description:
		'Not sent with this call. The order_id the customer was registered with, passed on in reference.orderId for Get Credit History; leave empty if you supply it there',
	rules: [length(1, 64)],
};

export const clientOrderIdField: FieldSpec = {
	name: 'client_order_id',
	label: 'Client Order ID',
	type: 'string',
	required: true,
	fromPrevious: 'reference.orderId',
	description: "The order_id the customer was registered with (read from the previous step's reference.orderId by default)",
	rules: [length(1, 64)],
};

const keyRule = pattern(/^[A-Za-z0-9_-]{1,64}$/, 'must be the key Generate OTP returned (letters, digits, _ or -)');

export const questionKeyField: FieldSpec = {
	name: 'question_key',
	label: 'Question Key',
	type: 'string',
	required: true,
	fromPrevious: 'reference.questionKey',
	description: "result.questions.Key from Generate OTP (read from the previous step's reference.questionKey by default)",
	rules: [keyRule],
};

export const answerKeyField: FieldSpec = {
	name: 'answer_key',
	label: 'Answer Key',
	type: 'string',
	required: true,
	fromPrevious: 'reference.answerKey',
	description: "result.questions.AnswerChoice.AnswerChoiceId from Generate OTP (read from the previous step's reference.answerKey by default)",
	rules: [keyRule],
};

const nameRule = pattern(/^[A-Za-z][A-Za-z .'-]{0,49}$/, "must be 1–50 letters, spaces or . ' - starting with a letter");

const nameField = (name: string, label: string, required: boolean): FieldSpec => ({
	name,
	label,
	type: 'string',
	required,
	description: `The customer's ${label.toLowerCase()} as on the PAN card`,
	rules: [nameRule],
});

export const registerFields: FieldSpec[] = [
	{
		name: 'order_id',
		label: 'Order ID',
		type: 'string',
		required: true,
		placeholder: 'ORD-2026-0001',
		description: 'Your unique reference for this registration; Get Credit History needs it again as client_order_id',
		rules: [length(1, 64)],
	},
	nameField('first_name', 'First Name', true),
	nameField('middle_name', 'Middle Name', false),
	nameField('last_name', 'Last Name', true),
	{
		name: 'pancard',
		label: 'PAN',
		type: 'string',
		required: true,
		placeholder: 'ABCDE1234F',
		description: "The customer's PAN in capitals: 5 letters, 4 digits, 1 letter",
		rules: [pan()],
	},
	{
		name: 'date_of_birth',
		label: 'Date of Birth',
		type: 'string',
		required: true,
		placeholder: '23/04/1990',
		description:
			"The customer's date of birth as DD/MM/YYYY (the form of the provider's documented example) or YYYY-MM-DD (what date pickers give); it is sent as DD/MM/YYYY",
		rules: [pastDate(undefined, { dayFirst: true })],
	},
	{
		name: 'email_id',
		label: 'Email',
		type: 'string',
		required: true,
		placeholder: 'name@example.com',
		description: "The customer's email address",
		rules: [email()],
	},
	{
		name: 'mobile_number',
		label: 'Mobile Number',
		type: 'string',
		required: true,
		placeholder: '9413812345',
		description: "The customer's 10-digit mobile number; the OTP goes there",
		rules: [indianMobile()],
	},
];

export const otpField = otpCodeField('The code the customer received by SMS');

/** AOPay's registration example is sent without `--request GET` (so as a POST): the method is an option. */
export const registrationMethodField: FieldSpec = {
	name: 'registrationMethod',
	label: 'Registration Method',
	type: 'options',
	options: [
		{ name: 'GET With a JSON Body (as Documented)', value: 'GET' },
		{ name: 'POST', value: 'POST', description: 'If your account answers registration only to POST' },
	],
	default: 'GET',
	advanced: true,
	description: 'How Register Customer is sent: the pages document GET with a JSON body; one example would send POST',
};

/** Get Credit History can wait for the report itself, so a flow needs no loop around `pending`. */
export const waitFields: FieldSpec[] = [
	{
		name: 'waitForResult',
		label: 'Wait for the Final Result',
		type: 'boolean',
		default: false,
		advanced: true,
		description: 'While the report is being prepared (pending), ask again a few times before answering',
	},
	{
		name: 'waitChecks',
		label: 'Checks While Waiting',
		type: 'number',
		default: 5,
		advanced: true,
		description: 'How many more times to ask while the answer is pending (with Wait for the Final Result)',
		rules: [numberBetween(1, 20, 'checks', { whole: true })],
	},
	{
		name: 'waitIntervalSeconds',
		label: 'Seconds Between Checks',
		type: 'number',
		default: 3,
		advanced: true,
		description: 'The pause between two checks (with Wait for the Final Result)',
		rules: [numberBetween(1, 60, 'seconds')],
	},
];
