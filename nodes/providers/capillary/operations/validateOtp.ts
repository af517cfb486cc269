import type { OperationSpec, Outcome, Reference } from '../../../core';
import { identityFields, otpField, sessionIdField } from '../fields';
import { IDENTITY, url, identityBody, interpretWith } from '../call';

export const validateOtp: OperationSpec = {
	id: 'validateOtp',
	name: 'Validate OTP',
	action: 'Verify the code the customer typed',
	description: 'Checks the OTP for the session; on success the customer is authenticated',
	fields: [...identityFields(true), sessionIdField, otpField],
	carry: [...IDENTITY, 'sessionId'],
	continues: 'generateOtp',
	request: (input) => ({
		method: 'POST',
		url: url(input, 'otp/validate'),
		body: { ...identityBody(input.params), sessionId: input.params.sessionId, otp: input.params.otp },
	}),
	// The user token in `auth` is a secret: it never leaves the node. The user's id does.
	interpret: interpretWith((body): Outcome => {
		const userId = body.user?.userId;
		const reference: Reference = userId !== undefined && userId !== null ? { userId: String(userId) } : {};
		return { status: 'verified', message: 'OTP verified', reference };
	}),
};
