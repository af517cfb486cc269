/** Sample values for the examples and templates: the sandbox's seeded user. */
import type { ProviderSamples } from '../../core';

export const summitAiSamples: ProviderSamples = {
	input: { DomainId: '1', UserID: '967', LoginUID: '967', UserName: 'abcd' },
	inboxTo: 'UserName',
};
