import type { ProviderSpec } from '../../core';
import { summitAiCredential } from './credential';
import { generateOtp } from './operations/generateOtp';
import { validateOtp } from './operations/validateOtp';
import { summitAiSamples } from './samples';

export const summitai: ProviderSpec = {
	id: 'summitai',
	label: 'SummitAI ITSM',
	slug: 'summitai',
	color: '#E8938C',
	description: "Send and validate OTPs through a SummitAI (Symphony SUMMIT) instance's web services",
	icon: 'summitai',
	credential: summitAiCredential,
	operations: [generateOtp, validateOtp],
	samples: summitAiSamples,
};
