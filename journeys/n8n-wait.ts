/**
 * The three-node n8n workflows of Send and Wait for Code, one per journey and response mode
 * (templates/n8n/send-and-wait/<journey>-page.json, …-app.json):
 *
 *   Webhook (POST, answers "When Last Node Finishes") → <Provider>: Send and Wait for Code → Verified (what comes next)
 *
 * Page mode: a page of yours posts the person's details to the Webhook; the answer is a small page that sends the
 * browser on to the code page the node serves. Your App: the app posts the details as JSON and reads `resumeUrl` (and
 * `state`) from the answer, then posts { "code": "…" } or { "resend": true } there. The run continues on Success with
 * verified/completed, or on Failure (Not verified: a run refused before the wait ends there too, so the Webhook answers with its item).
 *
 * Which value fills which field comes from the journey descriptions (journeys/params.ts), as for the Form journeys.
 */
import crypto from 'node:crypto';
import type { FieldSpec, FieldValue } from '../nodes/core';
import { codeFlow, flowFields, SEND_AND_WAIT, waitPageHeaders } from '../nodes/core';
import { n8nNodeTypes } from '../generate/n8n-types';
import { stickyHeight } from '../generate/layout';
import { JOURNEYS, journeyLabel } from './index';
import { asksFor, sourcesOf, stepsOf, type Source } from './params';
import type { Journey } from './model';
import { sandboxCredentials, type N8nNode, type N8nWorkflow } from './n8n';

export const N8N_WAIT_DIR = 'templates/n8n/send-and-wait';
export const WAIT_MODES = ['page', 'app'] as const;
export type WaitMode = (typeof WAIT_MODES)[number];

/** The node names of every Send and Wait template. */
export const WAIT_NODE = { trigger: 'Webhook', wait: 'Send and Wait for Code', next: 'Verified', failed: 'Not verified', note: 'About this workflow' } as const;

/** Node counts of the Form journey (without its note) and of this template, for the README. */
export interface WaitCount {
	journey: string;
	formNodes: number;
	waitNodes: number;
}

const NOTE_WIDTH = 560;

function uuid(...parts: string[]): string {
	const h = crypto
		.createHash('sha256')
		.update(['otpflow-n8n-wait', ...parts].join('/'))
		.digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function workflowId(key: string): string {
	return crypto
		.createHash('sha256')
		.update(`otpflow-n8n-wait/${key}`)
		.digest('base64')
		.replace(/[^A-Za-z0-9]/g, '')
		.slice(0, 16);
}

const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function literal(field: FieldSpec | undefined, value: FieldValue): FieldValue {
	if (field?.type === 'number') return Number(value);
	if (field?.type === 'boolean') return value === true || value === 'true';
	return value;
}

/** The Webhook path of a template: /webhook/<path>. */
export const waitPath = (journey: Journey, mode: WaitMode) => `otp-wait-${journey.id}-${mode}`;

/** The inputs the Webhook expects in its body: the journey's first-page inputs, then its code-page ones. */
export function waitInputs(journey: Journey) {
	return asksFor(journey, 'verify');
}

function value(field: FieldSpec | undefined, source: Source): FieldValue | undefined {
	if (source.kind === 'fixed') return literal(field, source.value);
	if (source.kind === 'unique') return `=${source.prefix}{{ $now.toMillis() }}`;
	if (source.kind === 'ask') return `={{ $json.body[${q(source.ask.name)}] }}`;
	return undefined;
}

export function buildWaitWorkflow(journey: Journey, mode: WaitMode): N8nWorkflow {
	const provider = journey.provider;
	const flow = codeFlow(provider);
	if (!flow) throw new Error(`${journey.id}: ${provider.label} has no code flow`);
	const nodeType = n8nNodeTypes().get(provider.credential.name);
	const credential = sandboxCredentials().get(provider.credential.name);
	if (!nodeType || !credential) throw new Error(`${journey.id}: no node type or sandbox credential for ${provider.credential.name}`);
	const key = `${journey.id}-${mode}`;

	// Every flow field a journey step sets, the first step that sets it winning.
	const fields = new Map(flowFields(flow).map((f) => [f.field.name, f.field]));
	const parameters: Record<string, unknown> = { operation: SEND_AND_WAIT, waitResponseMode: mode };
	const options: Record<string, unknown> = {};
	for (const { step, role, op } of stepsOf(journey)) {
		if (role === 'after') continue;
		for (const [name, source] of Object.entries(sourcesOf(journey, role, step, op))) {
			const field = fields.get(name);
			if (!field || name in parameters || name in options) continue;
			const v = value(field, source);
			if (v === undefined) continue;
			if (field.advanced) options[name] = v;
			else parameters[name] = v;
		}
	}
	parameters.options = { ...options, pageTitle: journey.title };

	const note = aboutNote(journey, mode);
	const noteHeight = Math.max(200, 20 * Math.ceil(stickyHeight(note, NOTE_WIDTH) / 20));
	// The lane below the note, on n8n's 20px grid.
	const y = noteHeight + 120;
	const nodes: N8nNode[] = [
		{
			parameters: {
				httpMethod: 'POST',
				path: waitPath(journey, mode),
				responseMode: 'lastNode',
				responseData: 'firstEntryJson',
				options: {
					...(mode === 'page' ? { responseContentType: 'text/html', responsePropertyName: 'page' } : {}),
					// The first answer (the redirect page, or the page of a refused send) has the node's pages' headers.
					responseHeaders: { entries: Object.entries(waitPageHeaders()).map(([name, value]) => ({ name, value })) },
				},
			},
			id: uuid(key, WAIT_NODE.trigger),
			name: WAIT_NODE.trigger,
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2.1,
			position: [0, y],
			webhookId: uuid(key, 'webhook'),
		},
		{
			parameters,
			id: uuid(key, WAIT_NODE.wait),
			name: WAIT_NODE.wait,
			type: nodeType.type,
			typeVersion: nodeType.version,
			position: [260, y],
			webhookId: uuid(key, 'waiting'),
			credentials: { [provider.credential.name]: credential },
		},
		{
			parameters: {},
			id: uuid(key, WAIT_NODE.next),
			name: WAIT_NODE.next,
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [540, y - 100],
			notes: 'What comes next once the person is verified: $json.status is verified or completed, $json.reference holds the ids.',
		},
		{
			parameters: {},
			id: uuid(key, WAIT_NODE.failed),
			name: WAIT_NODE.failed,
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [540, y + 100],
			notes:
				'Failure: $json.status says why (rate_limited with retryAfterSeconds when too many codes were asked, max_attempts, expired, a provider failure). A run that ends before the wait ends here, so the Webhook answers with this item (its page in Page mode).',
		},
		{
			parameters: { content: note, height: noteHeight, width: NOTE_WIDTH },
			id: uuid(key, WAIT_NODE.note),
			name: WAIT_NODE.note,
			type: 'n8n-nodes-base.stickyNote',
			typeVersion: 1,
			position: [0, 0],
		},
	];
	return {
		id: workflowId(key),
		name: `OTP Flow: ${journeyLabel(journey)} · Send and Wait for Code (${mode === 'page' ? 'page' : 'your app'})`,
		nodes,
		connections: {
			[WAIT_NODE.trigger]: { main: [[{ node: WAIT_NODE.wait, type: 'main', index: 0 }]] },
			[WAIT_NODE.wait]: { main: [[{ node: WAIT_NODE.next, type: 'main', index: 0 }], [{ node: WAIT_NODE.failed, type: 'main', index: 0 }]] },
		},
		active: false,
		settings: {
			executionOrder: 'v1',
			timezone: 'Asia/Kolkata',
			...(journey.ask.some((a) => a.sensitive) ? { saveDataSuccessExecution: 'none' as const, saveDataErrorExecution: 'none' as const } : {}),
		},
		pinData: {},
		meta: { templateCredsSetupCompleted: true },
		tags: [],
	};
}

function aboutNote(journey: Journey, mode: WaitMode): string {
	const inputs = waitInputs(journey)
		.map((a) => `\`${a.name}\``)
		.join(', ');
	const how =
		mode === 'page'
			? `A page of yours posts ${inputs} (a plain HTML form) to **/webhook/${waitPath(journey, mode)}**; the browser is sent on to the code page this node serves.`
			: `Your app posts ${inputs} as JSON to **/webhook/${waitPath(journey, mode)}** and reads \`resumeUrl\` and \`state\` from the answer, then posts \`{ "code": "…", "state": "…" }\` or \`{ "resend": true, "state": "…" }\` to \`resumeUrl\`; each answer is the normalised result with \`final\` and the next \`state\`.`;
	return [
		`## ${journey.title}: Send and Wait for Code`,
		how,
		'',
		'Verified runs on Success (verified/completed); Not verified on Failure (rate_limited when too many codes were asked for the number or from the client, max_attempts, expired — also when nobody answers in time —, provider failures, invalid_request): put what suits you after it.',
	].join('\n');
}

/** Every Send and Wait template: repository-relative path → workflow. */
export function n8nWaitFiles(): Record<string, N8nWorkflow> {
	const out: Record<string, N8nWorkflow> = {};
	for (const journey of JOURNEYS) {
		if (!codeFlow(journey.provider)) continue;
		for (const mode of WAIT_MODES) out[`${N8N_WAIT_DIR}/${journey.id}-${mode}.json`] = buildWaitWorkflow(journey, mode);
	}
	return out;
}

/** Nodes a builder places (sticky notes aside): the Form journey against its Send and Wait template. */
export function waitCounts(formWorkflows: ReadonlyArray<{ journey: Journey; workflow: N8nWorkflow }>): WaitCount[] {
	const placed = (w: N8nWorkflow) => w.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote').length;
	return formWorkflows.map(({ journey, workflow }) => ({
		journey: journey.id,
		formNodes: placed(workflow),
		waitNodes: placed(buildWaitWorkflow(journey, 'page')),
	}));
}
