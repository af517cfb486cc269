import { inMinutes, type OperationSpec } from '../../../core';
import {
	amountField,
	clientParams,
	externalRefField,
	latLongField,
	mobileField,
	ovdDataField,
	ovdTypeField,
	OVD_SEALED,
	publicIpField,
	timingOptions,
	usernameField,
} from '../fields';
import { interpretSimple } from '../interpret';
import { post, pickClientParams } from '../call';

export const sendOtp: OperationSpec = {
	id: 'sendOtp',
	name: 'Send OTP',
	action: 'Send a registration or transaction OTP',
	description:
		'Sends an OTP to the customer. Type 1 (registration) needs the Aadhaar number and is consumed by Register Customer; type 2 (transaction) needs an external reference and is consumed by Verify Beneficiary',
	sendsCode: true,
	// A transaction OTP is tied to its reference: a new one needs a new reference (the sandbox refuses a reused one).
	renewOnResend: ['externalRefNumber'],
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
