/**
 * The send guard in n8n: where its counters live, the settings it reads, and one check per send.
 *
 * The counters must hold across a main and its workers (queue mode: Generate OTP runs on any worker, Send and Wait's
 * page on the main). A community node may not open a socket or ship a Redis client (n8n's lint allows no import but
 * n8n-workflow and crypto, and n8n installs no dependency), so the store is chosen in the account's credential: this
 * process's memory (one n8n process), or a Redis reached over HTTP (the Upstash REST protocol) through n8n's own
 * request helper. That call carries only the store's token: never the provider's authentication (the helper without
 * it), and the store's token never goes to the provider (the provider's `authenticate` reads only its own fields).
 */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import {
	accountOf,
	checkSend,
	clientAddress,
	HttpCounterStore,
	MemoryCounterStore,
	refusedSendResult,
	sendLimits,
	splitCredential,
	type CounterStore,
	type OtpResult,
	type ProviderSpec,
	type StoreFailure,
} from '../core';

/** The counters of "This Process (In Memory)": one per process, shared by every workflow and node of it. */
const PROCESS_STORE = new MemoryCounterStore();

export const STORE_PROCESS = 'process';
export const STORE_UPSTASH = 'upstashRest';

/** The credential's send guard fields (n8n only: Node-RED keeps its counters in a context store). */
export const SEND_GUARD_CREDENTIAL_PROPERTIES: INodeProperties[] = [
	{
		displayName: 'Send Guard Counter Store',
		name: 'sendGuardStore',
		type: 'options',
		options: [
			{
				name: 'This Process (In Memory)',
				value: STORE_PROCESS,
				description: 'Counts in this n8n process: right for one n8n; in queue mode each main and worker would count its own',
			},
			{
				name: 'Redis over HTTP (Upstash REST)',
				value: STORE_UPSTASH,
				description: 'A Redis every main and worker reaches over HTTP: Upstash, or a REST proxy in front of your own Redis. Needed in queue mode.',
			},
		],
		default: STORE_PROCESS,
		description: "Where OTP Flow's send guard counts the codes sent (per number, per client, per account) and which code page is the latest",
	},
	{
		displayName: 'Counter Store URL',
		name: 'sendGuardStoreUrl',
		type: 'string',
		default: '',
		placeholder: 'https://eu1-example-12345.upstash.io',
		description: "The store's REST URL",
		displayOptions: { show: { sendGuardStore: [STORE_UPSTASH] } },
	},
	{
		displayName: 'Counter Store Token',
		name: 'sendGuardStoreToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description: "The store's REST token (sent only to the store, never to the provider)",
		displayOptions: { show: { sendGuardStore: [STORE_UPSTASH] } },
	},
	{
		displayName: 'Codes per Hour for This Account',
		name: 'sendGuardAccountPerHour',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Ceiling on the codes the send guard lets this account send in an hour, all workflows together (0 = no ceiling)',
	},
];

/** The send guard's node options: the budgets (and, for a node behind a webhook, who the client is). */
export function sendGuardOptions(kind: 'node' | 'wait'): INodeProperties[] {
	const when = kind === 'node' ? ' Used when Send Guard is on.' : '';
	const clientHelp =
		kind === 'wait'
			? 'The address of whoever asked for the first code, for the per-client budget: an expression reading it from the trigger (a header your proxy sets). Empty: not counted per client. The page and app requests are counted by their own address.'
			: `The address of whoever asked for the code, for the per-client budget: an expression reading it from the trigger (a header your proxy sets). Empty: not counted per client.${when}`;
	return [
		...(kind === 'node'
			? [
					{
						displayName: 'Send Guard',
						name: 'sendGuard',
						type: 'boolean' as const,
						default: false,
						description:
							'Whether to count the codes this node sends (per number or address, per client, per account) and refuse one over a budget as rate_limited, with nothing sent. Turn it on when the public can trigger this node (a webhook or a form).',
					},
				]
			: []),
		{
			displayName: 'Client Address',
			name: 'sendGuardClient',
			type: 'string',
			default: '',
			placeholder: "={{ $('Webhook').item.json.headers['x-real-ip'] }}",
			description: clientHelp,
		},
		{
			displayName: 'Codes per Number',
			name: 'perIdentifierMax',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 5,
			description: `How many codes one number or address may get in the window below (0 = no limit).${when}`,
		},
		{
			displayName: 'Codes per Number Window (Minutes)',
			name: 'perIdentifierWindowMinutes',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 10,
			description: `The window of Codes per Number, from its first code.${when}`,
		},
		{
			displayName: 'Codes per Client',
			name: 'perClientMax',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 10,
			description: `How many codes one client address may ask for in the window below, whatever the number (0 = no limit).${when}`,
		},
		{
			displayName: 'Codes per Client Window (Minutes)',
			name: 'perClientWindowMinutes',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1,
			description: `The window of Codes per Client, from its first code.${when}`,
		},
		...(kind === 'wait'
			? [
					{
						displayName: 'Trusted Proxies',
						name: 'trustedProxies',
						type: 'number' as const,
						typeOptions: { minValue: 0, maxValue: 10 },
						default: 0,
						description:
							'How many proxies in front of n8n add to X-Forwarded-For (0: the connecting address is the client, the header is ignored, since a client can write it)',
					},
				]
			: []),
	];
}

/** What n8n's request helper offers that the store needs (both IExecuteFunctions and IWebhookFunctions have it). */
type Helpers = { helpers: { httpRequest: IExecuteFunctions['helpers']['httpRequest'] } };

export interface GuardStore {
	store: CounterStore;
}

/** The credential's counter store, or why it cannot be used (then every guarded send is refused: fail closed). */
export function guardStore(context: Helpers, credentials: ICredentialDataDecryptedObject): GuardStore | StoreFailure {
	if ((credentials.sendGuardStore ?? STORE_PROCESS) !== STORE_UPSTASH) return { store: PROCESS_STORE };
	const url = String(credentials.sendGuardStoreUrl ?? '').trim();
	const token = String(credentials.sendGuardStoreToken ?? '');
	if (!/^https?:\/\//i.test(url) || token === '') return { storeFailure: 'The counter store (Redis over HTTP) has no URL or token in the credential' };
	// n8n's helper without authentication: the store's bearer token only, no redirect followed (it would take the token along).
	const post = async (target: string, headers: Record<string, string>, body: unknown, timeoutMs: number) => {
		const response = (await context.helpers.httpRequest({
			method: 'POST',
			url: target,
			headers,
			body: JSON.stringify(body),
			json: false,
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: timeoutMs,
		})) as { statusCode: number; body: unknown };
		return { status: response.statusCode, text: typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? '') };
	};
	return { store: new HttpCounterStore(post, url, token) };
}

/** The budgets from the node's options and the credential's account ceiling. */
export function limitsOf(options: IDataObject, credentials: ICredentialDataDecryptedObject) {
	return sendLimits({
		perIdentifierMax: options.perIdentifierMax,
		perIdentifierWindowMinutes: options.perIdentifierWindowMinutes,
		perClientMax: options.perClientMax,
		perClientWindowMinutes: options.perClientWindowMinutes,
		perAccountPerHour: credentials.sendGuardAccountPerHour,
	});
}

export interface GuardAsk {
	identifier?: string;
	/** An address as given (an expression's value, a socket's address): bucketed here. */
	client?: string;
}

/**
 * Counts one send and gives the refused send's result, or undefined when it may go. A store that cannot be asked
 * refuses (network_error naming the store).
 */
export async function guardOne(
	guard: GuardStore | StoreFailure,
	provider: ProviderSpec,
	operation: string,
	credentials: ICredentialDataDecryptedObject,
	options: IDataObject,
	ask: GuardAsk,
): Promise<OtpResult | undefined> {
	if ('storeFailure' in guard) return refusedSendResult(provider.id, operation, { allowed: false, storeFailure: guard.storeFailure });
	const client = ask.client && ask.client.trim() !== '' ? clientAddress(ask.client.trim(), undefined, 0) : undefined;
	const decision = await checkSend(
		guard.store,
		limitsOf(options, credentials),
		{ provider: provider.id, identifier: ask.identifier, client, account: accountOf(splitCredential(provider, credentials).account) },
		Date.now(),
	);
	return decision.allowed ? undefined : refusedSendResult(provider.id, operation, decision);
}
