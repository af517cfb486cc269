/** Sample values for the examples and templates: the sandbox's seeded user, found by its e-mail address. */
import type { ProviderSamples } from '../../core';

export const summitAiSamples: ProviderSamples = {
	input: { email: 'abcd@summit.local', DomainId: '1', UserID: '967', LoginUID: '967', UserName: 'abcd' },
	options: { findBy: 'email' },
	inboxTo: 'UserName',
};
