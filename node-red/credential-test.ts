/**
 * The config node's Test button: POST <admin root>/otpflow/<slug>/test with the dialog's current values runs the
 * provider's credential test (nodes/core/credential-test.ts) through the Node-RED transport and answers
 * `{ ok, message }`. A secret the dialog shows only as Node-RED's stored-password placeholder (or leaves blank on
 * an existing account) is taken from that account's stored credentials. Nothing is logged; it never throws.
 */
import { CREDENTIAL_TEST_TIMEOUT_MS, runCredentialTest, type CredentialTestResult, type ProviderSpec } from '../nodes/core';
import { configType, credentialTestPath, credentialTestPermission } from './names';
import { AxiosTransport } from './transport';
import type { AdminRequest, AdminResponse, NodeAPI } from './types';

/** What Node-RED's editor puts in a password field that has a stored value it does not send to the browser. */
export const STORED_PASSWORD = '__PWRD__';

/** Longest value taken from the dialog: anything longer is no base URL or secret. */
const MAX_VALUE_LENGTH = 4096;

function isBlank(v: unknown): boolean {
	return v === undefined || v === null || String(v).trim() === '';
}

function record(v: unknown): Record<string, unknown> {
	return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** The credential to test: the dialog's values, with stored secrets where the dialog has only the placeholder. */
export function testCredentials(RED: NodeAPI, provider: ProviderSpec, body: unknown): Record<string, unknown> {
	const posted = record(body);
	const values = record(posted.credentials);
	const id = typeof posted.id === 'string' && posted.id !== '' ? posted.id : undefined;
	// Stored secrets only of an account of this provider: another provider's may share a field name.
	const deployed = id ? RED.nodes.getNode(id) : null;
	const stored = id && (!deployed || deployed.type === configType(provider)) ? record(RED.nodes.getCredentials?.(id)) : {};
	const credentials: Record<string, unknown> = {};
	for (const field of provider.credential.fields) {
		let v = values[field.name];
		if (field.type === 'password' && (v === STORED_PASSWORD || (id && isBlank(v)))) v = stored[field.name];
		if (typeof v === 'number' || typeof v === 'boolean') v = String(v);
		if (typeof v === 'string' && v.length <= MAX_VALUE_LENGTH && !isBlank(v)) credentials[field.name] = v;
	}
	return credentials;
}

export async function answerCredentialTest(RED: NodeAPI, provider: ProviderSpec, body: unknown, timeoutMs: number): Promise<CredentialTestResult> {
	let transport: AxiosTransport | undefined;
	try {
		const credentials = testCredentials(RED, provider, body);
		transport = new AxiosTransport((request) => provider.credential.authenticate(credentials, request), { maxSockets: 1 });
		return await runCredentialTest(provider, credentials, transport, timeoutMs);
	} catch {
		// runCredentialTest does not throw; this is for anything around it, and says nothing that could hold a secret.
		return { ok: false, message: 'The test could not run: check the account fields and try again.' };
	} finally {
		transport?.destroy();
	}
}

/** Registers the Test endpoint of a provider's config node, behind write permission on that node type. */
export function registerCredentialTest(RED: NodeAPI, provider: ProviderSpec, timeoutMs = CREDENTIAL_TEST_TIMEOUT_MS): void {
	if (!RED.httpAdmin || !RED.auth) return;
	const handler = async (req: AdminRequest, res: AdminResponse): Promise<void> => {
		const result = await answerCredentialTest(RED, provider, req.body, timeoutMs);
		try {
			res.json(result);
		} catch {
			// The editor went away before the answer: nobody is left to tell.
		}
	};
	RED.httpAdmin.post(`/${credentialTestPath(provider)}`, RED.auth.needsPermission(credentialTestPermission(provider)), (req, res) => void handler(req, res));
}
