/**
 * "Send and Wait for Code" in n8n: one operation that runs the provider's steps up to the code, pauses the run, takes
 * the code from the person (its own page at the waiting URL, or an app posting to it), verifies it, lets them retry
 * and ask for a new code, and only then continues: on Success (verified/completed) or Failure (everything else).
 *
 * How n8n 2.41.1 pauses a run for a node (docs/runtime-notes.md): execute() sends the code, calls putExecutionToWait and
 * returns; requests to $execution.resumeUrl reach webhook() through the waiting webhooks below (restartWebhook). A
 * webhook() that writes the answer itself and returns no workflowData keeps the run waiting; one that returns
 * workflowData resumes it with that as the node's output.
 *
 * The timeout: when the wait ends without an answer, n8n runs the node again "disabled", and that passes its input
 * through. So before waiting, execute() replaces its own input on the execution stack with nothing on Success and the
 * `expired` result on Failure (and asks n8n to forward every output, which n8n 2.41.1 honours; an engine that forwards
 * only the first output then emits nothing at all). A run whose person never answers can never read as a success.
 *
 * No provider is named here: the steps come from the provider's description (nodes/core/wait.ts).
 */
import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type ITaskMetadata,
	type IWebhookDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { randomBytes } from 'crypto';
import {
	answerWait,
	claimState,
	isLanguage,
	languageFromHeader,
	type Language,
	clientAddress,
	isLatest,
	isStoreFailure,
	sendIdentifier,
	stalePage,
	unavailablePage,
	waitPageHeaders,
	appAnswer,
	chooseVerify,
	codePage,
	endPage,
	finalResult,
	flowFields,
	expiredResult,
	givenFor,
	initialState,
	invalidPage,
	openState,
	redirectPage,
	runOperation,
	sealState,
	SEND_AND_WAIT,
	sendSteps,
	splitCredential,
	waitKey,
	type CodeFlow,
	type OtpResult,
	type ProviderSpec,
	type Reference,
	type ResponseMode,
	type WaitReply,
	type WaitState,
} from '../core';
import { fieldProperty, optionsCollection } from './field-property';
import { N8nTransport } from './transport';
import { guardOne, guardStore, sendGuardOptions } from './send-guard';

/**
 * The waiting webhooks: GET shows the page, POST takes a code or a request for a new code. `path: ''` answers at
 * $execution.resumeUrl. A named constant: n8n's lint reads a literal webhooks array as a trigger's and asks for the
 * trigger lifecycle methods.
 */
export const SEND_AND_WAIT_WEBHOOKS: IWebhookDescription[] = [
	{ name: 'default', httpMethod: 'GET', responseMode: 'onReceived', path: '', restartWebhook: true },
	{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: '', restartWebhook: true },
];

/** The operation as n8n lists it. */
export const SEND_AND_WAIT_OPTION = {
	name: 'Send and Wait for Code',
	value: SEND_AND_WAIT,
	action: 'Send a code and wait for it',
	description: 'Sends the code, waits for the person to type it (on its own page or through your app), verifies it, then continues',
};

const show = { operation: [SEND_AND_WAIT] };

/** The operation's parameters: the send path's and the verify step's fields, the response mode, the options. */
export function sendAndWaitProperties(flow: CodeFlow): INodeProperties[] {
	const fields = flowFields(flow);
	const main = fields.filter((f) => !f.field.advanced).map((f) => fieldProperty(f.field, f.when ? { ...show, [f.when.field]: [...f.when.equals] } : show));
	const advanced = fields.filter((f) => f.field.advanced).map((f) => fieldProperty(f.field));
	const responseMode: INodeProperties = {
		displayName: 'Response Mode',
		name: 'waitResponseMode',
		type: 'options',
		options: [
			{ name: 'Page', value: 'page', description: 'The person types the code on a page this node serves at the waiting URL' },
			{ name: 'Your App', value: 'app', description: 'Your app posts the code to the waiting URL as JSON and reads the result as JSON' },
		],
		default: 'page',
		description: 'How the person hands in the code',
		displayOptions: { show },
	};
	return [responseMode, ...main, optionsCollection(show, [...advanced, ...WAIT_OPTIONS, ...sendGuardOptions('wait')])];
}

/** The options of the wait itself, beside the provider's advanced fields. */
const WAIT_OPTIONS: INodeProperties[] = [
	{
		displayName: 'Include Raw Response',
		name: 'includeRaw',
		type: 'boolean',
		default: false,
		description: "Whether to add the provider's answer, with secrets and Aadhaar numbers masked, as raw",
	},
	{
		displayName: 'Limit Wait Time (Minutes)',
		name: 'waitMinutes',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1440 },
		default: 0,
		description:
			'How long the run waits for the code, new codes included; 0 = as long as the first code is valid. When it ends, the run continues on Failure with status expired.',
	},
	{
		displayName: 'Page Language',
		name: 'pageLanguage',
		type: 'options',
		options: [
			{ name: 'Automatic (the Browser’s Language)', value: 'auto' },
			{ name: 'English', value: 'en' },
			{ name: 'Hindi (हिन्दी)', value: 'hi' },
		],
		default: 'auto',
		description:
			'The language of the pages the node serves. Automatic: Hindi for a browser that asks for hi or hi-IN first, English otherwise. Your Page Title and Page Message are shown as you wrote them.',
	},
	{
		displayName: 'Page Message',
		name: 'pageMessage',
		type: 'string',
		default: 'Enter the code we sent you.',
		description: 'The text under the title of the code page',
	},
	{
		displayName: 'Page Title',
		name: 'pageTitle',
		type: 'string',
		default: 'Enter your code',
		description: 'The title of the code page',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 120 },
		default: 15,
		description: 'How long to wait for the provider on each call before reporting network_error',
	},
];

// ---------------------------------------------------------------------------------------------------
// execute(): the steps up to the code, then the wait
// ---------------------------------------------------------------------------------------------------

function readValues(context: IExecuteFunctions, flow: CodeFlow, options: IDataObject): Record<string, unknown> {
	const values: Record<string, unknown> = {};
	for (const { field } of flowFields(flow)) values[field.name] = field.advanced ? options[field.name] : context.getNodeParameter(field.name, 0, '');
	return values;
}

/** The run's resume token: the signature of $execution.resumeUrl (the same one n8n checks on every waiting request). */
function resumeTokenOf(url: string): string {
	try {
		return new URL(url).searchParams.get('signature') ?? '';
	} catch {
		return '';
	}
}

function withState(url: string, sealed: string): string {
	const u = new URL(url);
	u.searchParams.set('state', sealed);
	return u.toString();
}

function keyFor(provider: ProviderSpec, credentials: ICredentialDataDecryptedObject, token: string): string {
	const { account, secrets } = splitCredential(provider, credentials);
	return waitKey(token, secrets, account);
}

const item = (result: OtpResult): INodeExecutionData => ({ json: result as unknown as IDataObject, pairedItem: { item: 0 } });

/** A run that ends before the wait, on Failure; in Page mode with the page that says so (and when to try again). */
function failed(result: OtpResult, mode: ResponseMode, options: IDataObject): INodeExecutionData {
	const out = item(finalResult(result));
	if (mode === 'page') out.json.page = endPage(result, String(options.pageTitle ?? ''));
	return out;
}

/** How long a run's claim counter lives: past the end of its wait, so a late request still finds it. */
const claimWindowMs = (now: number, end: number) => Math.max(60000, end - now) + 10 * 60000;

/**
 * As an AI agent's tool (a node type ending in `Tool`: our tool and human-in-the-loop variants), n8n hands the agent
 * only output 0, and only its items' `json` (docs/runtime-notes.md). So every result goes to output 0, as the agent's
 * view: what the model needs to explain it, never `reference` (Capillary's holds the customer's token) nor `raw`.
 * `approved` is what n8n's human-in-the-loop gate reads before it runs the tool behind it: true exactly when verified.
 */
const asTool = (context: IExecuteFunctions | IWebhookFunctions) => context.getNode().type.endsWith('Tool');

/** The item key that carries the sealed first state on the waiting run's stack in tool mode (never in `json`). */
const TOOL_STATE_KEY = 'otpflowWaitState';

function toolView(result: OtpResult): IDataObject {
	const view: IDataObject = {
		ok: result.ok,
		approved: result.ok,
		status: result.status,
		provider: result.provider,
		operation: SEND_AND_WAIT,
		message: result.message,
		retryable: result.retryable,
	};
	for (const k of ['attemptsRemaining', 'retryAfterSeconds', 'expiresAt'] as const) if (result[k] !== undefined) view[k] = result[k];
	return view;
}

/** The outputs for a final result: Success or Failure, or as a tool the agent's view on output 0. */
function outputsFor(context: IExecuteFunctions | IWebhookFunctions, result: OtpResult): INodeExecutionData[][] {
	if (asTool(context)) return [[{ json: toolView(result), pairedItem: { item: 0 } }], []];
	return result.ok ? [[item(result)], []] : [[], [item(result)]];
}

export async function executeSendAndWait(this: IExecuteFunctions, provider: ProviderSpec, flow: CodeFlow): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[], []];
	if (items.length > 1) {
		throw new NodeOperationError(this.getNode(), 'Send and Wait for Code waits for one person per run', {
			description: `It got ${items.length} items. Start one run per person (a Webhook or a Form Trigger does), or put a Loop Over Items node before it.`,
		});
	}
	const credentials = await this.getCredentials(provider.credential.name, 0);
	const transport = new N8nTransport(this, provider.credential.name, credentials);
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const mode = (this.getNodeParameter('waitResponseMode', 0, 'page') as ResponseMode) === 'app' ? 'app' : 'page';
	const timeoutMs = Number(options.timeoutSeconds ?? 15) * 1000;
	const includeRaw = options.includeRaw === true;
	const values = readValues(this, flow, options);

	// The send guard, before any step reaches the provider: who the codes go to is read from the send path's fields.
	const steps = sendSteps(flow);
	const store = guardStore(this, credentials);
	const sendTo = sendIdentifier(steps.map((op) => ({ op, values })));
	const client = typeof options.sendGuardClient === 'string' ? options.sendGuardClient : undefined;
	const refused = await guardOne(store, provider, flow.send.id, credentials, options, { identifier: sendTo, client });
	// A run that ends before the wait: on Failure (with the page that says so), or as a tool the agent's view.
	const endEarly = (result: OtpResult) => (asTool(this) ? outputsFor(this, finalResult(result)) : [[], [failed(result, mode, options)]]);
	if (refused) return endEarly(refused);

	// The steps up to the code; a failure ends the run here, on Failure, without waiting.
	let reference: Reference | undefined;
	let sent: OtpResult | undefined;
	for (let i = 0; i < steps.length; i++) {
		const result = await runOperation(provider, steps[i], givenFor(flow, i, values), credentials, transport, { reference, includeRaw, timeoutMs });
		if (!result.ok) return endEarly(result);
		if (i === steps.length - 1) sent = result;
		else reference = result.reference;
	}

	const resumeUrl = String(this.evaluateExpression('{{ $execution.resumeUrl }}', 0) ?? '');
	const token = resumeTokenOf(resumeUrl);
	if (!token)
		throw new NodeOperationError(this.getNode(), 'This n8n gives the run no resume token', {
			description: 'Send and Wait for Code needs an n8n whose waiting URLs are signed (2.x).',
		});
	const now = Date.now();
	const state = initialState(flow, {
		run: randomBytes(16).toString('base64url'),
		seq: 1,
		sendTo,
		mode,
		verify: chooseVerify(flow, values),
		values,
		given: givenFor(flow, steps.length - 1, values),
		inRef: reference,
		sent: sent!,
		now,
		waitMinutes: Number(options.waitMinutes ?? 0),
		title: String(options.pageTitle ?? 'Enter your code'),
		text: String(options.pageMessage ?? ''),
		timeoutMs,
		includeRaw,
	});
	const sealed = sealState(state, keyFor(provider, credentials, token));
	// The person's (or app's) URL carries the first state: any instance can answer the first request without reading the run.
	const personUrl = withState(resumeUrl, sealed);

	// The timeout path (see the top of this file): nothing on Success, `expired` on Failure.
	const pending = this.getExecuteData();
	if (asTool(this)) {
		// As a tool the agent reads output 0: `expired` there. The waiting output is stored under ai_tool, where the
		// webhook's expressions cannot read it, so the first state rides on this item, outside its `json`.
		pending.data = { main: [[{ json: toolView(expiredResult(provider, state)), pairedItem: { item: 0 }, [TOOL_STATE_KEY]: sealed }]] };
	} else pending.data = { main: [[], [item(expiredResult(provider, state))]] };
	this.setMetadata({ forwardAllOutputs: true } as ITaskMetadata);
	await this.putExecutionToWait(new Date(state.end));

	// While the run waits, this is the node's output (n8n drops it when the run goes on). A Webhook trigger set to answer
	// "When Last Node Finishes" answers the first request with it: `page` (Page mode) or the whole item (Your App).
	const waiting: IDataObject = {
		ok: true,
		status: 'otp_sent',
		provider: provider.id,
		operation: SEND_AND_WAIT,
		message: 'Code sent: waiting for it',
		sentTo: state.to,
		...(state.codeExp ? { expiresAt: state.codeExp } : {}),
		...(state.left !== undefined ? { attemptsRemaining: state.left } : {}),
		retryAfterSeconds: Math.round((state.resendAt - now) / 1000),
		waitEndsAt: new Date(state.end).toISOString(),
		resumeUrl: personUrl,
		state: sealed,
	};
	if (mode === 'page') waiting.page = redirectPage(personUrl);
	return [[{ json: waiting, pairedItem: { item: 0 } }], []];
}

// ---------------------------------------------------------------------------------------------------
// webhook(): the page and the app's requests while the run waits
// ---------------------------------------------------------------------------------------------------

/** The state the node's waiting output holds: read through the run's own data (it is stored with the execution). */
function initialSealed(context: IWebhookFunctions): string | undefined {
	if (asTool(context)) {
		try {
			const v = context.evaluateExpression(`{{ $input.first()[${JSON.stringify(TOOL_STATE_KEY)}] }}`, 0);
			return typeof v === 'string' ? v : undefined;
		} catch {
			return undefined;
		}
	}
	const name = context.getNode().name;
	if (name.includes('{{') || name.includes('}}')) return undefined;
	try {
		const v = context.evaluateExpression(`{{ $(${JSON.stringify(name)}).last().json.state }}`, 0);
		return typeof v === 'string' ? v : undefined;
	} catch {
		return undefined;
	}
}

interface Incoming {
	state?: string;
	code?: string;
	resend: boolean;
}

function incoming(body: unknown): Incoming {
	const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
	const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
	return { state: text(b.state), code: text(b.code), resend: b.resend === true || b.resend === 'true' };
}

/** The refusals, as the page or the app reads them: nothing about the run is shown, nothing reaches a provider. */
const REFUSED = {
	invalid: { ok: false, status: 'invalid_request', message: 'This request is not valid for this code', final: false },
	stale: { ok: false, status: 'invalid_request', message: 'This state is out of date: it was used already, or a newer one was handed out', final: false },
	store: { ok: false, status: 'network_error', message: 'This request cannot be checked just now: nothing was sent', final: false },
} as const;

export async function webhookSendAndWait(this: IWebhookFunctions, provider: ProviderSpec, flow: CodeFlow): Promise<IWebhookResponseData> {
	const req = this.getRequestObject();
	const res = this.getResponseObject();
	const reply = (status: number, type: 'html' | 'json', body: string | Record<string, unknown>): IWebhookResponseData => {
		res.status(status);
		for (const [name, value] of Object.entries(waitPageHeaders())) res.setHeader(name, value);
		if (type === 'html') {
			res.setHeader('Content-Type', 'text/html; charset=utf-8');
			res.end(body);
		} else {
			res.setHeader('Content-Type', 'application/json; charset=utf-8');
			res.end(JSON.stringify(body));
		}
		return { noWebhookResponse: true };
	};
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const language: Language = isLanguage(options.pageLanguage) ? options.pageLanguage : languageFromHeader(req.headers['accept-language']);
	const wantsJson = (mode?: ResponseMode) => mode === 'app' || /application\/json/i.test(String(req.headers['content-type'] ?? req.headers.accept ?? ''));
	const refuse = (status: number, why: keyof typeof REFUSED, mode?: ResponseMode) =>
		wantsJson(mode)
			? reply(status, 'json', REFUSED[why])
			: reply(status, 'html', why === 'invalid' ? invalidPage() : why === 'stale' ? stalePage() : unavailablePage());

	// n8n checked the token against the run's before calling us: it is the run's resume token.
	const token = typeof req.query.signature === 'string' ? req.query.signature : '';
	const credentials = await this.getCredentials(provider.credential.name);
	const key = keyFor(provider, credentials, token);
	const given = incoming(req.method === 'POST' ? req.body : {});
	const fromUrl = typeof req.query.state === 'string' ? req.query.state : undefined;
	const sealed = given.state ?? fromUrl ?? initialSealed(this);
	const opened: WaitState | undefined = openState(sealed, key);
	// A forged or altered state (or one of another run) gets nothing: no page, no provider call, the run goes on waiting.
	if (!opened) return refuse(403, 'invalid');
	const now = Date.now();
	const guard = guardStore(this, credentials);
	if (isStoreFailure(guard)) return refuse(503, 'store', opened.mode);
	if (req.method !== 'POST') {
		// Showing the page uses nothing, but only the latest state has one.
		const latest = await isLatest(guard.store, opened.run, opened.seq, now);
		if (isStoreFailure(latest)) return refuse(503, 'store', opened.mode);
		if (!latest) return refuse(403, 'stale', opened.mode);
		return opened.mode === 'app'
			? reply(200, 'json', appAnswer(opened, sealed!, { state: opened }, now))
			: reply(200, 'html', codePage(opened, sealed!, now, undefined, language));
	}
	// Every post claims its state first: an older state, or one used already, acts no more (claim.ts).
	const claim = await claimState(guard.store, opened.run, opened.seq, claimWindowMs(now, opened.end), now);
	if (!claim.ok) return claim.storeFailure !== undefined ? refuse(503, 'store', opened.mode) : refuse(403, 'stale', opened.mode);
	const state: WaitState = { ...opened, seq: claim.seq };

	const remote = req.socket?.remoteAddress ?? req.ip;
	const client = clientAddress(remote, req.headers['x-forwarded-for'], Number(options.trustedProxies ?? 0) || 0);
	const transport = new N8nTransport(this as unknown as IExecuteFunctions, provider.credential.name, credentials);
	const answer: WaitReply = await answerWait(
		provider,
		flow,
		state,
		{ code: given.code, resend: given.resend },
		async (op, params, reference, s) =>
			runOperation(provider, op, params, credentials, transport, { reference, includeRaw: s.includeRaw, timeoutMs: s.timeoutMs }),
		now,
		// A new code goes through the send guard: the run's number, this request's client, the account.
		async (s) => guardOne(guard, provider, flow.send.id, credentials, options, { identifier: s.sendTo, client }),
	);
	if (answer.final) {
		const result = finalResult(answer.final);
		if (state.mode === 'app') reply(200, 'json', { ...result, final: true });
		else reply(200, 'html', endPage(result, state.title, language));
		return { noWebhookResponse: true, workflowData: outputsFor(this, result) };
	}
	const next = sealState(answer.state, key);
	const later = Date.now();
	return state.mode === 'app'
		? reply(200, 'json', appAnswer(answer.state, next, answer, later))
		: reply(200, 'html', codePage(answer.state, next, later, answer.notice, language));
}
