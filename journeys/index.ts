/** Every journey the package ships, in the order the start commands print them. */
import { capillaryJourneys } from './capillary';
import { cibilJourneys } from './cibil';
import { iserveuJourneys } from './iserveu';
import type { Journey } from './model';
import { summitaiJourneys } from './summitai';

export const JOURNEYS: readonly Journey[] = [...capillaryJourneys, ...iserveuJourneys, ...summitaiJourneys, ...cibilJourneys];

export * from './model';

/**
 * What a person reads as the journey's name (Node-RED tab, n8n workflow): "Capillary Auth Engine · Sign in with a
 * one-time code", with the rest of its id in words where two journeys of a provider share a title ("(web)").
 */
export function journeyLabel(journey: Journey): string {
	const base = `${journey.provider.label} · ${journey.title}`;
	const twin = JOURNEYS.some((j) => j !== journey && j.provider === journey.provider && j.title === journey.title);
	if (!twin) return base;
	const variant = journey.id.replace(new RegExp(`^${journey.provider.slug}-`), '').replace(/-/g, ' ');
	return `${base} (${variant})`;
}
