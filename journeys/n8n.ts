/** The n8n workflow of each journey (to be written): repository-relative path → workflow JSON. */
export function n8nJourneyFiles(_sandboxUrl: string): Record<string, unknown> {
	return {};
}
