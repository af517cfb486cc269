import { length, pattern, type OperationSpec } from '../../../core';
import { clientParams, latLongField, mobileField, otpField, ovdDataField, ovdTypeField, publicIpField, usernameField } from '../fields';
import { interpretSimple } from '../interpret';
import { post, pickClientParams } from '../call';

export const registerCustomer: OperationSpec = {
	id: 'registerCustomer',
	name: 'Register Customer',
	action: 'Register a customer with the OTP',
	description: 'Registers the customer; consumes the registration (type 1) OTP, so this is the verify step for registration',
	fields: [
		mobileField('mobileNumber', 'customerMobileNumber'),
		usernameField('username'),
		otpField,
		{
			name: 'customerName',
			label: 'Customer Name',
			type: 'string',
			required: true,
			description: "The customer's full name",
			rules: [pattern(/^[A-Za-z][A-Za-z .'-]{1,99}$/, "must be 2–100 letters, spaces or . ' -")],
		},
		// Address, PIN code and the OVD are optional on the registration page [doc]: checked when given, sent only then.
		{ name: 'address', label: 'Address', type: 'string', description: "The customer's address (optional)", rules: [length(3, 200)] },
		{
			name: 'pincode',
			label: 'PIN Code',
			type: 'string',
			placeholder: '560001',
			description: '6-digit Indian PIN code (optional)',
			rules: [pattern(/^[1-9]\d{5}$/, 'must be a 6-digit PIN code not starting with 0')],
		},
		ovdTypeField,
		ovdDataField('optional', true),
		latLongField(),
		publicIpField(),
		...clientParams,
	],
	carry: ['mobileNumber', 'username'],
	carryAs: { mobileNumber: 'customerMobileNumber' },
	next: 'sendOtp',
	continues: 'sendOtp',
	continuesWhen: { field: 'otpType', equals: ['1'] },
	request: (input) => {
		const p = input.params;
		return post(input, 'customer/process-customer-registration', {
			mobileNumber: p.mobileNumber,
			name: p.customerName,
			address: p.address,
			pincode: p.pincode,
			// The OVD type only with an OVD to describe.
			ovdType: p.ovdData === undefined ? undefined : p.ovdType,
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
