/** Sample values for the examples and templates: a mobile-number login. */
import type { ProviderSamples } from '../../core';

export const capillarySamples: ProviderSamples = {
	input: { identifierValue: '919999999993', deviceId: 'device-42' },
	options: { flavour: 'mobile', identifierType: 'MOBILE' },
	inboxTo: 'identifierValue',
};
