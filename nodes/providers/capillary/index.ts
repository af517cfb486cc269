import type { ProviderSpec } from '../../core';
import { capillaryCredential } from './credential';
import { generateOtp } from './operations/generateOtp';
import { generateToken } from './operations/generateToken';
import { regenerateToken } from './operations/regenerateToken';
import { validateOtp } from './operations/validateOtp';
import { capillarySamples } from './samples';

export const capillary: ProviderSpec = {
	id: 'capillary',
	label: 'Capillary Auth Engine',
	slug: 'capillary',
	color: '#F5A623',
	description: "Authenticate loyalty customers with Capillary's Auth Engine: session token, OTP and validation",
	icon: 'capillary',
	credential: capillaryCredential,
	operations: [generateToken, generateOtp, validateOtp, regenerateToken],
	samples: capillarySamples,
};
