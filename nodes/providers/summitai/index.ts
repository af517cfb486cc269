import type { ProviderSpec } from '../../core';
import { summitAiCredential } from './credential';
import { findUser } from './operations/findUser';
import { generateOtp } from './operations/generateOtp';
import { validateOtp } from './operations/validateOtp';
import { summitAiSamples } from './samples';

export const summitai: ProviderSpec = {
	id: 'summitai',
	label: 'SummitAI ITSM',
	slug: 'summitai',
	color: '#E8938C',
	description: "Find a user, then send and validate OTPs through a SummitAI (Symphony SUMMIT) instance's web services",
	icon: 'summitai',
	credential: summitAiCredential,
	// Order matters: the full chain follows `next` from the first, and the examples are numbered in this order.
	operations: [findUser, generateOtp, validateOtp],
	samples: summitAiSamples,
};
