/** The Node-RED flow of each journey (to be written): repository-relative path → flow JSON. */
export function nodeRedJourneyFiles(_sandboxUrl: string): Record<string, unknown> {
	return {};
}
