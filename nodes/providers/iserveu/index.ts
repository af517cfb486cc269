import type { ProviderSpec } from '../../core';
import { iServeUCredential } from './credential';
import { getCustomer } from './operations/getCustomer';
import { registerCustomer } from './operations/registerCustomer';
import { sendOtp } from './operations/sendOtp';
import { transactionStatus } from './operations/transactionStatus';
import { verifyBeneficiary } from './operations/verifyBeneficiary';
import { iserveuSamples } from './samples';

export const iserveu: ProviderSpec = {
	id: 'iserveu',
	label: 'iServeU DMT Lite',
	slug: 'iserveu',
	color: '#3FADB5',
	description: 'Send and consume iServeU DMT Lite OTPs: customer look-up, registration, beneficiary verification and transaction status',
	icon: 'iserveu',
	credential: iServeUCredential,
	operations: [getCustomer, sendOtp, registerCustomer, verifyBeneficiary, transactionStatus],
	samples: iserveuSamples,
};
