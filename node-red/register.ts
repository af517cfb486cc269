/** Registers a provider with Node-RED: its config node and one palette node per operation. */
import type { ProviderSpec } from '../nodes/core';
import { registerConfig } from './account';
import { registerCredentialTest } from './credential-test';
import { registerOperation } from './operation';
import type { NodeAPI } from './types';

export function registerProvider(RED: NodeAPI, provider: ProviderSpec): void {
	registerConfig(RED, provider);
	registerCredentialTest(RED, provider);
	for (const op of provider.operations) registerOperation(RED, provider, op);
}

/** A Node-RED module function that also carries its provider, so the editor build can find it. */
export type ProviderModule = ((RED: NodeAPI) => void) & { provider: ProviderSpec };

export function providerModule(provider: ProviderSpec): ProviderModule {
	return Object.assign((RED: NodeAPI) => registerProvider(RED, provider), { provider });
}
