/** Every provider the package ships; adapters iterate over this list, never name a provider. */
import type { ProviderSpec } from '../core';
import { capillary } from './capillary';
import { iserveu } from './iserveu';

export const PROVIDERS: readonly ProviderSpec[] = [iserveu, capillary];

export { capillary, iserveu };
