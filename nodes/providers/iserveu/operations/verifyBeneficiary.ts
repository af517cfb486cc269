import { pattern, type OperationSpec } from '../../../core';
import { clientParams, externalRefField, latLongField, mobileField, otpField, publicIpField, usernameField } from '../fields';
import { interpretSimple } from '../interpret';
import { post, pickClientParams } from '../call';

export const verifyBeneficiary: OperationSpec = {
	id: 'verifyBeneficiary',
	name: 'Verify Beneficiary',
	action: 'Verify a beneficiary with the OTP',
	description: 'Verifies the beneficiary; consumes the transaction (type 2) OTP sent with the same external reference, mobile and username',
	continues: 'sendOtp',
	continuesWhen: { field: 'otpType', equals: ['2'] },
	fields: [
		mobileField('customerMobileNumber', 'customerMobileNumber'),
		usernameField('username'),
		{ ...externalRefField('externalRefNumber'), required: true },
		otpField,
		{
			name: 'beneAccountNumber',
			label: 'Beneficiary Account Number',
			type: 'string',
			advanced: true,
			description: "The beneficiary's bank account number",
			rules: [pattern(/^\d{9,18}$/, 'must be 9–18 digits')],
		},
		{
			name: 'beneIfsc',
			label: 'Beneficiary IFSC',
			type: 'string',
			advanced: true,
			placeholder: 'SBIN0001234',
			description: "The beneficiary bank's IFSC",
			rules: [pattern(/^[A-Z]{4}0[A-Z0-9]{6}$/, 'must be an IFSC like SBIN0001234')],
		},
		latLongField(),
		publicIpField('customerIP'),
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
			// The beneficiary page names these accountNumber and beneIfscCode [doc].
			accountNumber: p.beneAccountNumber,
			beneIfscCode: p.beneIfsc,
			// verify-bene spells these latLong and customerIP (docs/providers.md §iServeU).
			latLong: p.latLong,
			customerIP: p.publicIP,
			...pickClientParams(p),
		});
	},
	interpret: interpretSimple((_input, desc) => ({ status: 'verified', message: desc || 'Beneficiary verified' })),
};
