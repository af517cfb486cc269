/**
 * A provider's sandbox account as its credential: each credential field takes the sandbox account's value of
 * the same name (the base URL from the sandbox), else its default; fields that do not apply are left out.
 */
import { conditionHolds, type ProviderSpec } from '../../nodes/core';
import { SANDBOX_ACCOUNTS, type Sandbox } from '../../sandbox';

export function sandboxCredential(provider: ProviderSpec, sandbox: Pick<Sandbox, 'baseUrls'>): Record<string, string> {
	const account = (SANDBOX_ACCOUNTS as Record<string, Record<string, unknown>>)[provider.id] ?? {};
	const values: Record<string, string> = {};
	for (const field of provider.credential.fields) {
		const value = field.name === 'baseUrl' ? (sandbox.baseUrls as Record<string, string>)[provider.id] : (account[field.name] ?? field.default);
		if (value !== undefined && typeof value !== 'object') values[field.name] = String(value);
	}
	for (const field of provider.credential.fields) if (!conditionHolds(field.showWhen, values)) delete values[field.name];
	return values;
}
