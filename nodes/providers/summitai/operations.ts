import type { OperationInput, OperationSpec } from '../../core';
import { serviceRequest } from './envelope';
import { NUMERIC_FIELDS, userFields, validateFields } from './fields';
import { failureStatus, firstOf, summitFailure, summitInterpreter } from './interpret';

/** objUserInformation as the seed sends it: the numeric ids as JSON numbers. */
function userInformation(input: OperationInput, names: readonly string[]): Record<string, unknown> {
	const user: Record<string, unknown> = {};
	for (const name of names) {
		const v = input.params[name];
		user[name] = (NUMERIC_FIELDS as readonly string[]).includes(name) ? Number(v) : v;
	}
	return user;
}

export const generateOtp: OperationSpec = {
	id: 'generateOtp',
	name: 'Generate OTP',
	action: 'Send the user an OTP',
	description: "Generates an OTP and sends it by the instance's configured medium (SMS or email). To resend, generate again",
	fields: userFields,
	carry: ['LoginUID'],
	carryAs: { LoginUID: 'loginUid' },
	next: 'validateOtp',
	sendsCode: true,
	request: (input) => serviceRequest(input.account.baseUrl, 'ADM_GenerateOTP', userInformation(input, ['DomainId', 'UserID', 'LoginUID', 'UserName'])),
	interpret: summitInterpreter((env) => {
		const transactionId = firstOf(env.output, 'OTP_Communication', 'TransactionID');
		if (!transactionId) {
			return env.message ? summitFailure(env.message) : { status: 'provider_error', message: 'SummitAI answered without a TransactionID', retryable: true };
		}
		return {
			status: 'otp_sent',
			message: firstOf(env.output, 'OTP_Communication', 'Message') || env.message || 'OTP sent',
			reference: { transactionId },
		};
	}),
};

export const validateOtp: OperationSpec = {
	id: 'validateOtp',
	name: 'Validate OTP',
	action: 'Verify the code the user typed',
	description: 'Checks the OTP against the transaction Generate OTP started',
	continues: 'generateOtp',
	fields: validateFields,
	carry: ['TransactionID', 'LoginUID'],
	carryAs: { TransactionID: 'transactionId', LoginUID: 'loginUid' },
	request: (input) => serviceRequest(input.account.baseUrl, 'ADM_ValidateOTP', userInformation(input, ['OTP_Text', 'TransactionID', 'LoginUID'])),
	interpret: summitInterpreter((env) => {
		const said = firstOf(env.output, 'OTP_Validation', 'Message');
		// Only an OTP_Validation entry proves success; its Message may still carry a refusal.
		if (!Array.isArray(env.output.OTP_Validation)) {
			return env.message ? summitFailure(env.message) : { status: 'provider_error', message: 'SummitAI answered without an OTP_Validation result', retryable: true };
		}
		if (said && failureStatus(said)) return summitFailure(said);
		return { status: 'verified', message: said || 'OTP verified' };
	}),
};
