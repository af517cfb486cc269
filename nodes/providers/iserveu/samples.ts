/**
 * Sample values for the examples and templates. A type-1 (registration) OTP may be resent only every 30 s per mobile
 * number, so the examples and workflows that send one each use their own number.
 */
import { verhoeffCheckDigit, type ProviderSamples, type StepSamples } from '../../core';

/** Type 2 (transaction): a fresh external reference each run, no resend wait; Verify Beneficiary consumes it. */
const transactionOtp: StepSamples = { options: { otpType: '2' }, input: { customerMobileNumber: '9876543212' } };

export const iserveuSamples: ProviderSamples = {
	input: {
		mobileNumber: '9876543210',
		customerMobileNumber: '9876543210',
		username: 'sandbox_agent',
		ovdData: `23456789012${verhoeffCheckDigit('23456789012')}`,
		customerName: 'Asha Verma',
		address: '12 MG Road, Bengaluru',
		pincode: '560001',
		externalRefNumber: { unique: 'TXN' },
		requestedAmount: '1001',
	},
	options: { otpType: '1' },
	inboxTo: 'customerMobileNumber',
	operations: {
		sendOtp: {
			...transactionOtp,
			note: 'This example sends a transaction OTP (type 2, a fresh external reference each click); 04 - Verify Beneficiary consumes it. A registration OTP (type 1) needs the Aadhaar number and may be resent only every 30 s: see 00 - Full chain.',
		},
		registerCustomer: {
			before: { sendOtp: { input: { customerMobileNumber: '9876543211' } } },
			note: 'Registration consumes a type-1 OTP: click **1. send OTP** in 00 - Full chain first, then put the code from the inbox into this inject.',
		},
		verifyBeneficiary: {
			reference: { customerMobileNumber: '9876543212' },
			before: { sendOtp: transactionOtp },
			note: 'Beneficiary verification consumes a type-2 OTP sent with the same external reference: click 02 - Send OTP first, then put the code from the inbox into this inject.',
		},
		transactionStatus: {
			// A demo reference the sandbox finds on any day; after 04 - Verify Beneficiary the flow's reference is that transaction's.
			reference: { externalRefNumber: 'SANDBOXSUCCESS01' },
			// The n8n template runs the enquiry alone: the same demo reference, typed in.
			input: { clientRefId: 'SANDBOXSUCCESS01' },
			note: 'Looks up a transaction by its client reference (the external reference of Send OTP and Verify Beneficiary) on one day, today unless a date is given. After 04 - Verify Beneficiary it finds that verification; the sandbox also knows SANDBOXSUCCESS01, SANDBOXPENDING01 and SANDBOXFAILED01 on any day.',
		},
	},
};
