/** Every journey the package ships, in the order the start commands print them. */
import { capillaryJourneys } from './capillary';
import { cibilJourneys } from './cibil';
import { iserveuJourneys } from './iserveu';
import type { Journey } from './model';
import { summitaiJourneys } from './summitai';

export const JOURNEYS: readonly Journey[] = [...capillaryJourneys, ...iserveuJourneys, ...summitaiJourneys, ...cibilJourneys];

export * from './model';
