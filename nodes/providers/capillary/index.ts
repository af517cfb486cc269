import type { ProviderSpec } from '../../core';
import { capillaryCredential } from './credential';
import { expireToken } from './operations/expireToken';
import { forgotPassword } from './operations/forgotPassword';
import { generateOtp } from './operations/generateOtp';
import { generateToken } from './operations/generateToken';
import { regenerateToken } from './operations/regenerateToken';
import { validateOtp } from './operations/validateOtp';
import { validatePassword } from './operations/validatePassword';
import { capillarySamples } from './samples';

export const capillary: ProviderSpec = {
	id: 'capillary',
	label: 'Capillary Auth Engine',
	slug: 'capillary',
	color: '#F5A623',
	description: "Authenticate loyalty customers with Capillary's Auth Engine: session token, OTP or password, token renewal and logout",
	icon: 'capillary',
	credential: capillaryCredential,
	// Order matters: the full chain follows `next`/`continues` from the first, and the examples are numbered in this order.
	operations: [generateToken, generateOtp, validateOtp, regenerateToken, validatePassword, expireToken, forgotPassword],
	samples: capillarySamples,
};
