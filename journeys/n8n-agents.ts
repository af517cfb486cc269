/**
 * n8n AI Agent templates that verify the customer before a sensitive action (templates/n8n/agents/<journey>.json):
 *
 *   Customer message (Webhook) → Answer with the code URL (Respond to Webhook) → AI Agent → Reply to the customer
 *                                              OpenAI Chat Model ┘   │   └ <action> (HTTP Request tool)
 *                                                      Verify customer (our node as a tool: Send and Wait for Code)
 *
 * The agent is told to call "Verify customer" before the action and to call the action only when the result's status
 * is `verified`. The tool sends the code to the customer on record (the number or user your backend posts with the
 * message, never one the model chose), pauses the run, and takes the code from your app at the URL the first answer
 * gave it (`codeUrl`, the run's waiting URL; Your App mode, JSON both ways). The agent then gets the agent's view of the
 * result (status, message, attempts left; never the reference, the code or a secret) and explains any failure.
 *
 * The provider's fields come from the Send and Wait template of the journey (journeys/n8n-wait.ts), read from the
 * customer on record instead of the request body.
 */
import crypto from 'node:crypto';
import { codeFlow } from '../nodes/core';
import { stickyHeight } from '../generate/layout';
import { JOURNEYS } from './index';
import type { Journey } from './model';
import { buildWaitWorkflow, WAIT_NODE } from './n8n-wait';

export const N8N_AGENT_DIR = 'templates/n8n/agents';

/** Where the templates' HTTP Request nodes call your backend: replace it (the tests point it at a local server). */
export const BACKEND_URL = 'https://your-backend.example';

/** The node names of every agent template. */
export const AGENT_NODE = {
	trigger: 'Customer message',
	respond: 'Answer with the code URL',
	agent: 'AI Agent',
	model: 'OpenAI Chat Model',
	verify: 'Verify customer',
	reply: 'Reply to the customer',
	note: 'About this workflow',
} as const;

/** The OpenAI credential the templates name; its Base URL may point at any OpenAI-compatible server. */
export const OPENAI_CREDENTIAL = { id: 'openai-account', name: 'OpenAI account' } as const;

/** A sensitive action one agent template guards: an HTTP Request tool to your backend. */
export interface AgentAction {
	/** The tool's node name (the model sees it as its tool name, spaces as underscores). */
	name: string;
	/** What the customer asks for, in the sticky note and the agent's instructions. */
	what: string;
	/** The tool's description for the model. */
	description: string;
	path: string;
	/** The value the model fills in from the conversation ($fromAI). */
	arg: { key: string; description: string };
}

export interface AgentTemplate {
	journey: string;
	action: AgentAction;
}

/** Which journeys get an agent, and the action each one guards. */
export const AGENT_TEMPLATES: readonly AgentTemplate[] = [
	{
		journey: 'capillary-mobile',
		action: {
			name: 'Change mobile number',
			what: 'change the mobile number on their loyalty account',
			description: "Changes the customer's mobile number on record. Call it only after Verify_customer returned status verified.",
			path: '/customers/change-mobile-number',
			arg: { key: 'newMobileNumber', description: 'The new mobile number the customer asked for' },
		},
	},
	{
		journey: 'summitai',
		action: {
			name: 'Block card',
			what: 'block their lost or stolen card',
			description: "Blocks the customer's card. Call it only after Verify_customer returned status verified.",
			path: '/cards/block',
			arg: { key: 'cardLastDigits', description: 'The last four digits of the card to block' },
		},
	},
];

const NOTE_WIDTH = 620;

function uuid(...parts: string[]): string {
	const h = crypto
		.createHash('sha256')
		.update(['otpflow-n8n-agent', ...parts].join('/'))
		.digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function workflowId(key: string): string {
	return crypto
		.createHash('sha256')
		.update(`otpflow-n8n-agent/${key}`)
		.digest('base64')
		.replace(/[^A-Za-z0-9]/g, '')
		.slice(0, 16);
}

/** The Webhook path of an agent template: /webhook/<path>. */
export const agentPath = (journey: Journey) => `otp-agent-${journey.id}`;

/** The tool name n8n gives a node (its name with every run of other characters as one underscore). */
export const toolName = (nodeName: string) => nodeName.replace(/[^a-zA-Z0-9_-]+/g, '_');

/** Our field expressions read the customer on record, which your backend posts beside the message. */
function fromRecord(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	return value.split('$json.body[').join(`$('${AGENT_NODE.trigger}').item.json.body.customer[`);
}

export function systemMessage(action: AgentAction): string {
	const verify = toolName(AGENT_NODE.verify);
	return [
		`You help a signed-in customer. When they ask you to ${action.what}, first call ${verify}: it sends a one-time code to the customer's phone or e-mail on record and waits until they type it in their app.`,
		`Call ${toolName(action.name)} only when ${verify} returned status "verified" in this conversation.`,
		`For any other status (invalid_otp, expired, max_attempts, rate_limited or an error) do not call ${toolName(action.name)}: tell the customer in one sentence what the tool's message says and that nothing was changed.`,
		'Never ask the customer for the code in the chat, and never repeat a code, a number or an id.',
	].join('\n');
}

type AiLink = { node: string; type: string; index: number };
export type AgentConnections = Record<string, Record<string, AiLink[][]>>;

export interface AgentWorkflow {
	id: string;
	name: string;
	nodes: Array<Record<string, unknown> & { name: string; type: string; parameters: Record<string, unknown> }>;
	connections: AgentConnections;
	active: false;
	settings: Record<string, unknown>;
	pinData: Record<string, never>;
	meta: { templateCredsSetupCompleted: false };
	tags: never[];
}

const link = (node: string, type = 'main'): AiLink[][] => [[{ node, type, index: 0 }]];

export function buildAgentWorkflow(template: AgentTemplate): AgentWorkflow {
	const journey = JOURNEYS.find((j) => j.id === template.journey);
	if (!journey) throw new Error(`no journey ${template.journey}`);
	if (!codeFlow(journey.provider)) throw new Error(`${journey.id}: ${journey.provider.label} has no code flow`);
	const wait = buildWaitWorkflow(journey, 'app').nodes.find((n) => n.name === WAIT_NODE.wait);
	if (!wait) throw new Error(`${journey.id}: no Send and Wait node`);
	const { action } = template;
	const key = journey.id;
	const parameters = Object.fromEntries(Object.entries(wait.parameters).map(([k, v]) => [k, fromRecord(v)]));
	parameters.options = { ...(wait.parameters.options as Record<string, unknown>), waitMinutes: 5 };
	parameters.descriptionType = 'manual';
	parameters.toolDescription =
		"Sends a one-time code to the signed-in customer's phone or e-mail on record and waits until they type it in their app. Returns status verified when the customer proved who they are; any other status (invalid_otp, expired, max_attempts, …) means they did not.";

	const note = aboutNote(journey, action);
	const noteHeight = Math.max(200, 20 * Math.ceil(stickyHeight(note, NOTE_WIDTH) / 20));
	const y = noteHeight + 120;
	const backend = (p: string) => `=${BACKEND_URL}${p}`;
	const customer = `$('${AGENT_NODE.trigger}').item.json.body.customer`;
	const nodes: AgentWorkflow['nodes'] = [
		{
			parameters: { httpMethod: 'POST', path: agentPath(journey), responseMode: 'responseNode', options: {} },
			id: uuid(key, AGENT_NODE.trigger),
			name: AGENT_NODE.trigger,
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2.1,
			position: [40, y],
			webhookId: uuid(key, 'webhook'),
		},
		{
			parameters: {
				respondWith: 'json',
				responseBody: '={{ JSON.stringify({ executionId: $execution.id, codeUrl: $execution.resumeUrl }) }}',
				options: {},
			},
			id: uuid(key, AGENT_NODE.respond),
			name: AGENT_NODE.respond,
			type: 'n8n-nodes-base.respondToWebhook',
			typeVersion: 1.4,
			position: [260, y],
		},
		{
			parameters: { promptType: 'define', text: '={{ $json.body.message }}', options: { systemMessage: systemMessage(action), maxIterations: 6 } },
			id: uuid(key, AGENT_NODE.agent),
			name: AGENT_NODE.agent,
			type: '@n8n/n8n-nodes-langchain.agent',
			typeVersion: 3.1,
			position: [500, y],
		},
		{
			parameters: { model: { __rl: true, value: 'gpt-4.1-mini', mode: 'list', cachedResultName: 'gpt-4.1-mini' }, responsesApiEnabled: false, options: {} },
			id: uuid(key, AGENT_NODE.model),
			name: AGENT_NODE.model,
			type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
			typeVersion: 1.3,
			position: [400, y + 240],
			credentials: { openAiApi: { ...OPENAI_CREDENTIAL } },
		},
		{
			parameters,
			id: uuid(key, AGENT_NODE.verify),
			name: AGENT_NODE.verify,
			type: `${wait.type}Tool`,
			typeVersion: wait.typeVersion,
			position: [600, y + 240],
			webhookId: uuid(key, 'waiting'),
			credentials: wait.credentials,
		},
		{
			parameters: {
				descriptionType: 'manual',
				toolDescription: action.description,
				method: 'POST',
				url: backend(action.path),
				sendBody: true,
				specifyBody: 'json',
				jsonBody: `={{ JSON.stringify({ customer: ${customer}, ${action.arg.key}: $fromAI('${action.arg.key}', '${action.arg.description}', 'string') }) }}`,
				options: {},
			},
			id: uuid(key, action.name),
			name: action.name,
			type: 'n8n-nodes-base.httpRequestTool',
			typeVersion: 4.2,
			position: [800, y + 240],
		},
		{
			parameters: {
				method: 'POST',
				url: backend('/agent/reply'),
				sendBody: true,
				specifyBody: 'json',
				jsonBody: `={{ JSON.stringify({ executionId: $execution.id, customer: ${customer}, reply: $json.output }) }}`,
				options: {},
			},
			id: uuid(key, AGENT_NODE.reply),
			name: AGENT_NODE.reply,
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [860, y],
		},
		{
			parameters: { content: note, height: noteHeight, width: NOTE_WIDTH },
			id: uuid(key, AGENT_NODE.note),
			name: AGENT_NODE.note,
			type: 'n8n-nodes-base.stickyNote',
			typeVersion: 1,
			position: [0, 0],
		},
	];
	return {
		id: workflowId(key),
		name: `OTP Flow: AI agent · ${action.name} after ${journey.provider.label} verifies the customer`,
		nodes,
		connections: {
			[AGENT_NODE.trigger]: { main: link(AGENT_NODE.respond) },
			[AGENT_NODE.respond]: { main: link(AGENT_NODE.agent) },
			[AGENT_NODE.agent]: { main: link(AGENT_NODE.reply) },
			[AGENT_NODE.model]: { ai_languageModel: link(AGENT_NODE.agent, 'ai_languageModel') },
			[AGENT_NODE.verify]: { ai_tool: link(AGENT_NODE.agent, 'ai_tool') },
			[action.name]: { ai_tool: link(AGENT_NODE.agent, 'ai_tool') },
		},
		active: false,
		settings: { executionOrder: 'v1', timezone: 'Asia/Kolkata' },
		pinData: {},
		meta: { templateCredsSetupCompleted: false },
		tags: [],
	};
}

function aboutNote(journey: Journey, action: AgentAction): string {
	const fields = [...new Set([...JSON.stringify(buildWaitWorkflow(journey, 'app').nodes).matchAll(/\$json\.body\[\\?'([^'\\]+)\\?'\]/g)].map((m) => m[1]))];
	return [
		`## AI agent: ${action.name}, only after the customer proves who they are`,
		`Your backend posts \`{ "message": "…", "customer": { ${fields.map((f) => `"${f}": "…"`).join(', ')} } }\` to **/webhook/${agentPath(journey)}** for a signed-in customer (the customer on record: never a number the customer or the model typed). The answer is \`{ executionId, codeUrl }\`.`,
		'',
		`Before it can ${action.what}, the agent calls **${AGENT_NODE.verify}** (${journey.provider.label}: Send and Wait for Code as a tool): the code goes to the customer, the run waits (5 minutes here), and your app posts \`{ "code": "…" }\` to \`codeUrl\` (GET it first: 409 until the code is sent, then \`otp_sent\` with \`sentTo\` masked). The agent sees only status, message and attempts left; **${action.name}** runs only after \`verified\`, and the agent's reply goes to **${AGENT_NODE.reply}**.`,
		'',
		`Set your OpenAI credential (any OpenAI-compatible Base URL) and replace ${BACKEND_URL}.`,
	].join('\n');
}

/** Every agent template: repository-relative path → workflow. */
export function n8nAgentFiles(): Record<string, AgentWorkflow> {
	const out: Record<string, AgentWorkflow> = {};
	for (const t of AGENT_TEMPLATES) out[`${N8N_AGENT_DIR}/${t.journey}.json`] = buildAgentWorkflow(t);
	return out;
}
