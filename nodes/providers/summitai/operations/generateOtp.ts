import type { OperationSpec } from '../../../core';
import { serviceRequest, userInformation } from '../envelope';
import { userFields } from '../fields';
import { firstOf, summitFailure, summitInterpreter } from '../interpret';

export const generateOtp: OperationSpec = {
	id: 'generateOtp',
	name: 'Generate OTP',
	action: 'Send the user an OTP',
	description: "Generates an OTP and sends it by the instance's configured medium (SMS or email). To resend, generate again",
	fields: userFields,
	// The user travels on with the transaction, so a failed validation can generate again with nothing set.
	carry: ['LoginUID', 'UserID', 'UserName'],
	carryAs: { LoginUID: 'loginUid', UserID: 'userId', UserName: 'userName' },
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
