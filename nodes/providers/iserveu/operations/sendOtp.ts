import { inMinutes, type OperationSpec } from '../../../core';
import {
	amountField,
	BIO_AUTH,
	clientParams,
	externalRefField,
	latLongField,
	mobileField,
	ovdDataField,
	OVD_SEALED,
	pidField,
	publicIpField,
	sendOvdTypeField,
	timingOptions,
	usernameField,
} from '../fields';
import { interpretSimple } from '../interpret';
import { post, pickClientParams } from '../call';

/** The bank generates a BioAuth OTP and it lives 3 minutes [doc]. */
const BIO_AUTH_VALIDITY_MINUTES = 3;

export const sendOtp: OperationSpec = {
	id: 'sendOtp',
	name: 'Send OTP',
	action: 'Send a registration or transaction OTP',
	description:
		'Sends an OTP to the customer. Type 1 (registration) needs the Aadhaar number and is consumed by Register Customer; type 2 (transaction) needs an external reference and is consumed by Verify Beneficiary. With OVD Type BioAuth the fingerprint PID data and location are required and the bank sends the OTP',
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
		sendOvdTypeField,
		ovdDataField('type1'),
		pidField,
		latLongField({
			advanced: false,
			requiredWhen: { field: 'ovdType', equals: [BIO_AUTH] },
			description: 'Location of the transaction device, "latitude,longitude" (required for BioAuth)',
		}),
		publicIpField(),
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
			pid: p.pid,
			...pickClientParams(p),
		});
	},
	interpret: interpretSimple((input) => {
		const p = input.params;
		const registration = p.otpType === '1';
		// A BioAuth OTP is the bank's, valid 3 minutes whatever the account's option says (docs/providers.md §iServeU).
		const bioAuth = p.ovdType === BIO_AUTH;
		return {
			status: 'otp_sent',
			message: bioAuth ? 'OTP sent by the bank (valid 3 minutes)' : 'OTP sent',
			expiresAt: inMinutes(input.now, bioAuth ? BIO_AUTH_VALIDITY_MINUTES : Number(p.otpValidityMinutes ?? 10)),
			attemptsRemaining: Number(p.maxAttempts ?? 5),
			// A registration OTP may be resent after the wait; a transaction OTP needs a new reference instead.
			...(registration ? { retryAfterSeconds: Number(p.resendWaitSeconds ?? 30) } : {}),
			next: registration ? 'registerCustomer' : 'verifyBeneficiary',
		};
	}),
};
