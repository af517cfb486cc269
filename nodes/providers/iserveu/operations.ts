import { inMinutes, joinUrl, length, pattern, type OperationInput, type OperationSpec, type Params } from '../../core';
import {
	amountField,
	clientParams,
	externalRefField,
	latLongField,
	mobileField,
	otpField,
	ovdDataField,
	ovdTypeField,
	OVD_SEALED,
	publicIpField,
	timingOptions,
	usernameField,
} from './fields';
import { interpretSimple, otpFailure, readBody } from './interpret';

const PATH = 'common/dmt-lite/unified';

const post = (input: OperationInput, call: string, body: Record<string, unknown>) => ({
	method: 'POST' as const,
	url: joinUrl(input.account.baseUrl, `${PATH}/${call}`),
	body: Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)),
});

const pickClientParams = (p: Params) => ({ paramA: p.paramA, paramB: p.paramB, paramC: p.paramC });

/** get-customer's statusCode is the customer's state, not success/failure. */
const CUSTOMER_STATES: Record<string, string> = {
	'0': 'not_onboarded',
	'1': 'created_not_verified',
	'2': 'verified',
	'3': 'ovd_not_verified',
};

/** Words that confirm a customer state on an answer marked FAILED. */
const STATE_WORDS: Record<string, RegExp> = {
	'0': /not\s+(on-?\s*boarded|found|registered|exists?)|does\s+not\s+exist|no\s+customer/i,
	'1': /created|not\s+verified|verification\s+pending/i,
	'2': /(?<!not\s)verified/i,
	'3': /ovd/i,
};

export const getCustomer: OperationSpec = {
	id: 'getCustomer',
	name: 'Get Customer',
	action: 'Check whether a customer is onboarded',
	description: 'Looks up the customer: not onboarded (register with a type-1 OTP), created, verified, or verified without OVD',
	fields: [mobileField('mobileNumber'), usernameField()],
	// Every iServeU step hands the mobile number on as customerMobileNumber, whatever the call names it.
	carry: ['mobileNumber', 'username'],
	carryAs: { mobileNumber: 'customerMobileNumber' },
	next: 'sendOtp',
	request: (input) => post(input, 'customer/get-customer', { mobileNumber: input.params.mobileNumber, username: input.params.username }),
	interpret: (body, input) => {
		const read = readBody(body);
		if (!read || input.httpStatus === 401 || input.httpStatus === 403) return undefined;
		const state = CUSTOMER_STATES[read.code];
		// get-customer's codes are states, but iServeU's general convention is "FAILED with statusCode 1 = the call
		// failed", and the two collide on 1. Undocumented for this call, so: SUCCESS means the state; FAILED means
		// the state only when iServeU's words say so too, else it is a failure read from the words like any other.
		if (state && (read.success || STATE_WORDS[read.code].test(read.desc))) {
			return {
				status: 'completed',
				message: read.desc || state,
				code: read.code,
				text: read.desc,
				reference: { customerState: state },
			};
		}
		if (read.code === '4') return { status: 'provider_error', message: `iServeU internal issue: ${read.desc}`, code: read.code, text: read.desc, retryable: true };
		return otpFailure(read.code, read.desc);
	},
};

export const sendOtp: OperationSpec = {
	id: 'sendOtp',
	name: 'Send OTP',
	action: 'Send a registration or transaction OTP',
	description:
		'Sends an OTP to the customer. Type 1 (registration) needs the Aadhaar number and is consumed by Register Customer; type 2 (transaction) needs an external reference and is consumed by Verify Beneficiary',
	sendsCode: true,
	fields: [
		{
			name: 'otpType',
			label: 'OTP Type',
			type: 'options',
			options: [
				{ name: 'Customer Registration (1)', value: '1', description: 'Consumed by Register Customer' },
				{ name: 'Transaction (2)', value: '2', description: 'Consumed by Verify Beneficiary' },
			],
			default: '1',
			required: true,
			description: 'What the OTP is for',
		},
		// After Get Customer these come from its reference; Send OTP can also be the first step.
		mobileField('customerMobileNumber', 'customerMobileNumber'),
		usernameField('username'),
		{ ...externalRefField(), requiredWhen: { field: 'otpType', equals: ['2'] } },
		amountField,
		ovdTypeField,
		ovdDataField(false),
		latLongField('latLong'),
		publicIpField,
		...clientParams,
		...timingOptions,
	],
	carrySealed: { ovdData: OVD_SEALED },
	carry: ['otpType', 'customerMobileNumber', 'username', 'externalRefNumber', 'requestedAmount'],
	request: (input) => {
		const p = input.params;
		return post(input, 'otp/send', {
			customerMobileNumber: p.customerMobileNumber,
			externalRefNumber: p.externalRefNumber,
			requestedAmount: p.requestedAmount,
			username: p.username,
			otpType: p.otpType,
			latLong: p.latLong,
			publicIP: p.publicIP,
			ovdType: p.ovdType,
			ovdData: p.ovdData,
			...pickClientParams(p),
		});
	},
	interpret: interpretSimple((input) => {
		const p = input.params;
		const registration = p.otpType === '1';
		return {
			status: 'otp_sent',
			message: 'OTP sent',
			expiresAt: inMinutes(input.now, Number(p.otpValidityMinutes ?? 10)),
			attemptsRemaining: Number(p.maxAttempts ?? 5),
			// A registration OTP may be resent after the wait; a transaction OTP needs a new reference instead.
			...(registration ? { retryAfterSeconds: Number(p.resendWaitSeconds ?? 30) } : {}),
			next: registration ? 'registerCustomer' : 'verifyBeneficiary',
		};
	}),
};

export const registerCustomer: OperationSpec = {
	id: 'registerCustomer',
	name: 'Register Customer',
	action: 'Register a customer with the OTP',
	description: 'Registers the customer; consumes the registration (type 1) OTP, so this is the verify step for registration',
	fields: [
		mobileField('mobileNumber', 'customerMobileNumber'),
		usernameField('username'),
		otpField,
		{ name: 'customerName', label: 'Customer Name', type: 'string', required: true, description: "The customer's full name", rules: [pattern(/^[A-Za-z][A-Za-z .'-]{1,99}$/, 'must be 2–100 letters, spaces or . \' -')] },
		{ name: 'address', label: 'Address', type: 'string', required: true, description: "The customer's address", rules: [length(3, 200)] },
		{ name: 'pincode', label: 'PIN Code', type: 'string', required: true, placeholder: '560001', description: '6-digit Indian PIN code', rules: [pattern(/^[1-9]\d{5}$/, 'must be a 6-digit PIN code not starting with 0')] },
		ovdTypeField,
		ovdDataField(true, true),
		latLongField('latLong'),
		publicIpField,
		...clientParams,
	],
	carry: ['mobileNumber', 'username'],
	carryAs: { mobileNumber: 'customerMobileNumber' },
	next: 'sendOtp',
	continues: 'sendOtp',
	request: (input) => {
		const p = input.params;
		return post(input, 'customer/process-customer-registration', {
			mobileNumber: p.mobileNumber,
			name: p.customerName,
			address: p.address,
			pincode: p.pincode,
			ovdType: p.ovdType,
			ovdData: p.ovdData,
			otp: p.otp,
			username: p.username,
			latlong: p.latLong,
			publicIP: p.publicIP,
			...pickClientParams(p),
		});
	},
	interpret: interpretSimple((_input, desc) => ({ status: 'verified', message: desc || 'Customer registered' })),
};

export const verifyBeneficiary: OperationSpec = {
	id: 'verifyBeneficiary',
	name: 'Verify Beneficiary',
	action: 'Verify a beneficiary with the OTP',
	description: 'Verifies the beneficiary; consumes the transaction (type 2) OTP sent with the same external reference, mobile and username',
	continues: 'sendOtp',
	fields: [
		mobileField('customerMobileNumber', 'customerMobileNumber'),
		usernameField('username'),
		{ ...externalRefField('externalRefNumber'), required: true },
		otpField,
		{ name: 'beneAccountNumber', label: 'Beneficiary Account Number', type: 'string', advanced: true, description: "The beneficiary's bank account number", rules: [pattern(/^\d{9,18}$/, 'must be 9–18 digits')] },
		{ name: 'beneIfsc', label: 'Beneficiary IFSC', type: 'string', advanced: true, placeholder: 'SBIN0001234', description: "The beneficiary bank's IFSC", rules: [pattern(/^[A-Z]{4}0[A-Z0-9]{6}$/, 'must be an IFSC like SBIN0001234')] },
		latLongField('latLong'),
		publicIpField,
		...clientParams,
	],
	carry: ['customerMobileNumber', 'username', 'externalRefNumber'],
	request: (input) => {
		const p = input.params;
		return post(input, 'transaction/verify-bene', {
			customerMobileNumber: p.customerMobileNumber,
			externalRefNumber: p.externalRefNumber,
			username: p.username,
			otp: p.otp,
			beneAccountNumber: p.beneAccountNumber,
			beneIfsc: p.beneIfsc,
			latLong: p.latLong,
			publicIP: p.publicIP,
			...pickClientParams(p),
		});
	},
	interpret: interpretSimple((_input, desc) => ({ status: 'verified', message: desc || 'Beneficiary verified' })),
};
