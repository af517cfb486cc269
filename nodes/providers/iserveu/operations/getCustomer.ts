import type { OperationSpec } from '../../../core';
import { latLongField, mobileField, publicIpField, usernameField } from '../fields';
import { otpFailure, readBody } from '../interpret';
import { post } from '../call';

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
	fields: [mobileField('mobileNumber'), usernameField(), latLongField(), publicIpField()],
	// Every iServeU step hands the mobile number on as customerMobileNumber, whatever the call names it.
	carry: ['mobileNumber', 'username'],
	carryAs: { mobileNumber: 'customerMobileNumber' },
	next: 'sendOtp',
	// get-customer spells the location latlong, in lower case (docs/providers.md §iServeU).
	request: (input) => {
		const p = input.params;
		return post(input, 'customer/get-customer', { mobileNumber: p.mobileNumber, username: p.username, latlong: p.latLong, publicIP: p.publicIP });
	},
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
		if (read.code === '4')
			return { status: 'provider_error', message: `iServeU internal issue: ${read.desc}`, code: read.code, text: read.desc, retryable: true };
		return otpFailure(read.code, read.desc);
	},
};
