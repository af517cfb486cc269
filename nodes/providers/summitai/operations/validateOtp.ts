import type { OperationSpec } from '../../../core';
import { serviceRequest, userInformation } from '../envelope';
import { validateFields } from '../fields';
import { failureStatus, firstOf, summitFailure, summitInterpreter } from '../interpret';

export const validateOtp: OperationSpec = {
	id: 'validateOtp',
	name: 'Validate OTP',
	action: 'Verify the code the user typed',
	description: 'Checks the OTP against the transaction Generate OTP started',
	continues: 'generateOtp',
	fields: validateFields,
	carry: ['TransactionID', 'LoginUID', 'UserID', 'UserName'],
	carryAs: { TransactionID: 'transactionId', LoginUID: 'loginUid', UserID: 'userId', UserName: 'userName' },
	request: (input) => serviceRequest(input.account.baseUrl, 'ADM_ValidateOTP', userInformation(input, ['OTP_Text', 'TransactionID', 'LoginUID'])),
	interpret: summitInterpreter((env) => {
		const said = firstOf(env.output, 'OTP_Validation', 'Message');
		// Only an OTP_Validation entry proves success; its Message may still carry a refusal.
		if (!Array.isArray(env.output.OTP_Validation)) {
			return env.message
				? summitFailure(env.message)
				: { status: 'provider_error', message: 'SummitAI answered without an OTP_Validation result', retryable: true };
		}
		if (said && failureStatus(said)) return summitFailure(said);
		return { status: 'verified', message: said || 'OTP verified' };
	}),
};
