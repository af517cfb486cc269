/** Every provider the package ships; adapters iterate over this list, never name a provider. */
import type { ProviderSpec } from '../core';
import { capillary } from './capillary';
import { aopay, bos } from './cibil';
import { iserveu } from './iserveu';
import { summitai } from './summitai';

export const PROVIDERS: readonly ProviderSpec[] = [bos, aopay, iserveu, summitai, capillary];

export { aopay, bos, capillary, iserveu, summitai };
