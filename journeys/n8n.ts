/**
 * The n8n workflow of each journey, built from n8n's own Form Trigger and Form nodes around our provider nodes:
 *
 *   Details page (Form Trigger) → steps before the code → send → Code page → verify → Route by status
 *     done        → (the step after, polled while `pending`) → Done page
 *     code_again  → Code page again, saying what went wrong and the attempts left
 *     new_code    → Wait for a new code → New code page → New code asked for? → send
 *     poll        → the step after, or the Come back later page
 *     error       → Error page (the customer's words for the status)
 *
 * A failed step before the code, or a failed send, also ends on the Error page; a send that finds the session it
 * continues expired starts the journey's steps again once. Everything comes from the journey descriptions, the
 * operation descriptions and OUTCOMES / CUSTOMER_WORDS: there is no per-provider table here.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FieldSpec, FieldValue, OperationSpec, ProviderSpec, Status } from '../nodes/core';
import { n8nNodeTypes, type NodeType } from '../generate/n8n-types';
import { stickyHeight } from '../generate/layout';
import { ROOT } from '../generate/write';
import { JOURNEYS, journeyLabel } from './index';
import { CUSTOMER_WORDS, OUTCOMES, type Ask, type Journey, type Outcome } from './model';
import { sourcesOf, stepsOf, type Source } from './params';

/** Where the journey workflows are written, relative to the repository root. */
export const N8N_JOURNEY_DIR = 'templates/n8n/journeys';

/** How long a page waits when the send step does not say when its code expires (a common OTP validity). */
const DEFAULT_CODE_MINUTES = 10;
/** A code page stays open this much past the code's expiry, so a late code is answered "expired, ask again". */
const CODE_PAGE_GRACE_MINUTES = 2;
/** A send that finds the session it continues expired starts the steps again at most this often per run. */
const MAX_RESTARTS = 2;
/** The providers are Indian: the code page says "until 15:45" in the time the customer reads. */
const TIMEZONE = 'Asia/Kolkata';

/** The grid: one column per step, the main lane at Y; the note about the journey sits above it, at NOTE_TOP. */
const X = 260;
const Y = 500;
const NOTE_TOP = 40;
const NOTE_WIDTH = 560;

export type N8nPosition = [number, number];

export interface N8nNode {
	parameters: Record<string, unknown>;
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: N8nPosition;
	webhookId?: string;
	credentials?: Record<string, { id: string; name: string }>;
	notes?: string;
}

export interface N8nLink {
	node: string;
	type: 'main';
	index: number;
}

export type N8nConnections = Record<string, { main: N8nLink[][] }>;

export interface N8nWorkflow {
	id: string;
	name: string;
	nodes: N8nNode[];
	connections: N8nConnections;
	active: false;
	settings: { executionOrder: 'v1'; timezone: string; saveDataSuccessExecution?: 'none'; saveDataErrorExecution?: 'none' };
	pinData: Record<string, never>;
	meta: { templateCredsSetupCompleted: true };
	tags: never[];
}

/** The names of the nodes every journey workflow has (provider steps are named after their operation). */
export const PAGE = {
	details: 'Details page',
	code: 'Code page',
	route: 'Route by status',
	newCodeWait: 'Wait for a new code',
	newCode: 'New code page',
	asked: 'New code asked for?',
	restart: 'Session expired?',
	routeAfter: 'Route by result',
	pollWait: 'Wait before asking again',
	done: 'Done page',
	later: 'Come back later page',
	error: 'Error page',
	note: 'About this journey',
} as const;

/** The code page's input for the code, read by the verify step as $json.code. */
export const CODE_FIELD = 'code';

// ---------------------------------------------------------------------------------------------------
// What the generator reads besides the journeys: our node types (generate/n8n-types.ts) and the sandbox credentials
// ---------------------------------------------------------------------------------------------------

/** The sandbox credential a template refers to, by id and name, as templates/n8n/credentials.sandbox.json has it. */
export function sandboxCredentials(): Map<string, { id: string; name: string }> {
	const list = JSON.parse(fs.readFileSync(path.join(ROOT, 'templates', 'n8n', 'credentials.sandbox.json'), 'utf8')) as Array<{
		id: string;
		name: string;
		type: string;
	}>;
	return new Map(list.map((c) => [c.type, { id: c.id, name: c.name }]));
}

// ---------------------------------------------------------------------------------------------------
// Ids and expressions
// ---------------------------------------------------------------------------------------------------

function uuid(...parts: string[]): string {
	const h = crypto
		.createHash('sha256')
		.update(['otpflow-n8n-journey', ...parts].join('/'))
		.digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** n8n workflow ids are 16 alphanumeric characters. */
function workflowId(journey: Journey): string {
	return crypto
		.createHash('sha256')
		.update(`otpflow-n8n-journey/${journey.id}`)
		.digest('base64')
		.replace(/[^A-Za-z0-9]/g, '')
		.slice(0, 16);
}

/** A JavaScript string literal in single quotes, as people write n8n expressions. */
const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** `{{ … }}` with a check that the code inside cannot end the expression early. */
function braces(code: string): string {
	if (code.includes('}}') || code.includes('{{')) throw new Error(`An n8n expression must not hold {{ or }} inside: ${code}`);
	return `{{ ${code} }}`;
}

const expr = (code: string) => `=${braces(code)}`;

/** The value the person typed on the first page. */
const typed = (ask: Ask) => `$(${q(PAGE.details)}).first().json[${q(ask.name)}]`;

/** The latest result of a provider step (its last run, on the output that leads here). */
const latest = (step: string) => `$(${q(step)}).first().json`;

/**
 * maskContact() (journeys/model.ts) as one n8n expression: 9876543210 → 98******10, asha@example.com → as***@example.com.
 * test/journeys/n8n.test.ts checks both give the same.
 */
export const MASK_CONTACT_JS =
	"(v => v.indexOf('@') > 0 ? v.slice(0, Math.min(2, v.indexOf('@'))) + '***' + v.slice(v.indexOf('@')) : v.length > 4 ? v.slice(0, 2) + '*'.repeat(v.length - 4) + v.slice(-2) : '****')";

/**
 * The customer's words for a result ($json), placeholders filled from it; `fallback` for a status not listed.
 * `as` reads a status with another's words (a wrong code with no attempts left is, for the person, too many tries).
 */
function wordsFor(statuses: readonly Status[], fallback: Status, as: Partial<Record<Status, Status>> = {}): string {
	const table = Object.fromEntries(statuses.map((s) => [s, CUSTOMER_WORDS[as[s] ?? s]]));
	const texts = new Set([...Object.values(table), CUSTOMER_WORDS[fallback]]);
	const text = texts.size === 1 ? JSON.stringify([...texts][0]) : `(${JSON.stringify(table)}[$json.status] ?? ${JSON.stringify(CUSTOMER_WORDS[fallback])})`;
	// Only the placeholders these words use: {message}, {attemptsRemaining}, {retryAfterSeconds}.
	const used = new Set([...texts].flatMap((t) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1])));
	return [...used].reduce((code, key) => `${code}.replace('{${key}}', $json.${key} ?? '')`, text);
}

/** `$json.status` is one of these, as an expression. */
function isOneOf(statuses: readonly Status[]): string {
	return statuses.length === 1 ? `$json.status === ${q(statuses[0])}` : `${JSON.stringify(statuses)}.includes($json.status)`;
}

const ALL_STATUSES = Object.keys(OUTCOMES) as Status[];
const statusesOf = (outcome: Outcome) => ALL_STATUSES.filter((s) => OUTCOMES[s] === outcome);

// ---------------------------------------------------------------------------------------------------
// Switch and If conditions (n8n's filter parameter, version 2)
// ---------------------------------------------------------------------------------------------------

interface Condition {
	id: string;
	leftValue: string;
	rightValue: string | number;
	operator: { type: string; operation: string; singleValue?: boolean };
}

function filter(conditions: Condition[], combinator: 'and' | 'or') {
	return { options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 }, conditions, combinator };
}

function statusIs(key: string, status: Status): Condition {
	return { id: uuid(key, status), leftValue: '={{ $json.status }}', rightValue: status, operator: { type: 'string', operation: 'equals' } };
}

function isTrue(key: string, code: string): Condition {
	return { id: uuid(key, 'true'), leftValue: expr(code), rightValue: '', operator: { type: 'boolean', operation: 'true', singleValue: true } };
}

/** One Switch rule: an output named `name`, taken when the status is one of `statuses` (and `also` holds). */
function rule(key: string, name: string, statuses: readonly Status[], also?: string) {
	const conditions = also ? [isTrue(key, `${isOneOf(statuses)} && ${also}`)] : statuses.map((s) => statusIs(`${key}/${name}`, s));
	return { conditions: filter(conditions, 'or'), renameOutput: true, outputKey: name };
}

// ---------------------------------------------------------------------------------------------------
// The workflow of one journey
// ---------------------------------------------------------------------------------------------------

class Graph {
	readonly nodes: N8nNode[] = [];
	readonly connections: N8nConnections = {};

	constructor(private readonly key: string) {}

	add(node: Omit<N8nNode, 'id'>): string {
		if (this.nodes.some((n) => n.name === node.name)) throw new Error(`${this.key}: two nodes named ${node.name}`);
		this.nodes.push({ ...node, id: uuid(this.key, node.name) });
		return node.name;
	}

	connect(from: string, to: string, output = 0): void {
		const c = (this.connections[from] ??= { main: [] });
		while (c.main.length <= output) c.main.push([]);
		c.main[output].push({ node: to, type: 'main', index: 0 });
	}

	/** The nodes with a link into `name`, with the output they leave by. */
	into(name: string): Array<{ from: string; output: number }> {
		const out: Array<{ from: string; output: number }> = [];
		for (const [from, c] of Object.entries(this.connections)) {
			c.main.forEach((links, output) => {
				if (links.some((l) => l.node === name)) out.push({ from, output });
			});
		}
		return out;
	}
}

type FormFieldType = 'text' | 'email' | 'date' | 'password';

/** The browser input for an ask: n8n forms have no tel or numeric type, and a Number field would drop leading zeros. */
function fieldType(ask: Ask): FormFieldType {
	if (ask.sensitive) return 'password'; // a shoulder-surfer sees dots, and the browser never refills it
	if (ask.input === 'email' || ask.input === 'date') return ask.input;
	return 'text';
}

/** A Form field for an ask; its output key is the ask's name (Form 2.5 uses the field name when one is given). */
function formField(ask: Ask) {
	const type = fieldType(ask);
	return {
		fieldLabel: ask.label,
		fieldName: ask.name,
		...(type === 'text' ? {} : { fieldType: type }),
		...(ask.hint && type !== 'date' ? { placeholder: ask.hint } : {}),
		requiredField: true,
	};
}

/** A page waits at most this long (n8n keeps a page without a limit waiting until the year 3000). */
function pageLimit(minutes: number) {
	return { limitWaitTime: true, limitType: 'afterTimeInterval', resumeAmount: minutes, resumeUnit: 'minutes' };
}

function literal(field: FieldSpec | undefined, value: FieldValue): FieldValue {
	if (field?.type === 'number') return Number(value);
	if (field?.type === 'boolean') return value === true || value === 'true';
	return value;
}

export interface StepCount {
	journey: string;
	node: string;
	/** Parameters the journey sets on the verify node besides its operation: Reference, the code, any code-page inputs. */
	fields: string[];
}

function buildJourney(
	journey: Journey,
	types: Map<string, NodeType>,
	credentials: Map<string, { id: string; name: string }>,
): { workflow: N8nWorkflow; verify: StepCount } {
	const provider: ProviderSpec = journey.provider;
	const nodeType = types.get(provider.credential.name);
	const credential = credentials.get(provider.credential.name);
	if (!nodeType) throw new Error(`${journey.id}: no n8n node uses the credential ${provider.credential.name}`);
	if (!credential) throw new Error(`${journey.id}: templates/n8n/credentials.sandbox.json has no ${provider.credential.name} credential`);
	const g = new Graph(journey.id);
	const steps = stepsOf(journey);
	const names = steps.map((s) => s.op.name);
	const role = (r: 'before' | 'send' | 'verify' | 'after') => steps.findIndex((s) => s.role === r);
	const iSend = role('send');
	const iVerify = role('verify');
	const iAfter = role('after');
	const send = names[iSend];
	const verify = names[iVerify];
	const after = iAfter >= 0 ? names[iAfter] : undefined;
	const codeAsks = journey.codeAsk ?? [];
	const col = (i: number) => i * X;

	// The first page.
	g.add({
		parameters: {
			formTitle: journey.title,
			formDescription: journey.intro,
			formFields: { values: journey.ask.map(formField) },
			options: { path: `otp-${journey.id}`, appendAttribution: false, buttonLabel: 'Send me a code' },
		},
		name: PAGE.details,
		type: 'n8n-nodes-base.formTrigger',
		typeVersion: 2.5,
		position: [0, Y],
		webhookId: uuid(journey.id, 'webhook', PAGE.details),
	});

	// The provider steps, in order: before…, send, verify, after. Their x: one column each, the code page between send and verify.
	const stepX = (i: number) => col(i + 1 + (i >= iVerify ? 1 : 0) + (i >= iAfter && iAfter >= 0 ? 1 : 0));
	const counted: string[] = [];
	steps.forEach(({ step, role: r, op }, i) => {
		const parameters: Record<string, unknown> = { operation: op.id };
		const previous = i > 0 ? names[i - 1] : undefined;
		// Straight after the step it continues, the Reference default ($json.reference) is right; a step reached through a
		// page, a Switch or a loop points at that step by name (pairedItem finds the run that led here).
		const throughOthers = r === 'verify' || r === 'after' || (r === 'send' && journey.before.length > 0);
		if (previous && throughOthers) parameters.reference = expr(`$(${q(previous)}).item.json.reference`);
		// The code first: on the verify node it is, with Reference, what a person building this sets.
		const sources = Object.entries(sourcesOf(journey, r, step, op)).sort(([, a], [, b]) => Number(b.kind === 'code') - Number(a.kind === 'code'));
		for (const [name, source] of sources) {
			const value = parameterValue(journey, op, name, source, previous !== undefined);
			if (value !== undefined) parameters[name] = value;
		}
		// The public triggers the send (a first page, a new-code page): the send guard counts it (README: Before you publish).
		parameters.options = r === 'send' && op.sendsCode ? { sendGuard: true } : {};
		if (r === 'verify') counted.push(...Object.keys(parameters).filter((k) => k !== 'operation' && k !== 'options'));
		g.add({
			parameters,
			name: names[i],
			type: nodeType.type,
			typeVersion: nodeType.version,
			position: [stepX(i), Y],
			credentials: { [provider.credential.name]: credential },
		});
	});

	// Pages and routing.
	const codeX = stepX(iSend) + X;
	const routeX = stepX(iVerify) + X;
	const endX = after ? stepX(iAfter) + 2 * X : routeX + X;
	g.add({
		parameters: {
			operation: 'page',
			formFields: {
				values: [{ fieldLabel: 'Code', fieldName: CODE_FIELD, placeholder: 'The code from the message', requiredField: true }, ...codeAsks.map(formField)],
			},
			limitWaitTime: true,
			limitType: 'atSpecifiedTime',
			maxDateAndTime: expr(
				`(${latest(send)}.expiresAt ? DateTime.fromISO(${latest(send)}.expiresAt) : $now.plus({ minutes: ${DEFAULT_CODE_MINUTES} })).plus({ minutes: ${CODE_PAGE_GRACE_MINUTES} }).toISO()`,
			),
			options: { formTitle: 'Enter your code', formDescription: codePageText(journey, send), buttonLabel: 'Confirm' },
		},
		name: PAGE.code,
		type: 'n8n-nodes-base.form',
		typeVersion: 2.5,
		position: [codeX, Y],
		webhookId: uuid(journey.id, 'webhook', PAGE.code),
	});

	const outcomes: Outcome[] = ['done', 'code_again', 'new_code', 'poll', 'error'];
	g.add({
		parameters: {
			rules: {
				values: [
					rule(journey.id, 'done', statusesOf('done')),
					// At most attemptsRemaining times: a wrong code with none left asks for a new one.
					rule(journey.id, 'code again', statusesOf('code_again'), '($json.attemptsRemaining ?? 1) > 0'),
					rule(journey.id, 'new code', [...statusesOf('new_code'), ...statusesOf('code_again')]),
					rule(journey.id, 'pending', statusesOf('poll')),
					rule(journey.id, 'error', statusesOf('error')),
				],
			},
			options: { fallbackOutput: outcomes.indexOf('error') },
		},
		name: PAGE.route,
		type: 'n8n-nodes-base.switch',
		typeVersion: 3.2,
		position: [routeX, Y],
	});

	g.add({
		parameters: { amount: '={{ $json.retryAfterSeconds ?? 0 }}', unit: 'seconds' },
		name: PAGE.newCodeWait,
		type: 'n8n-nodes-base.wait',
		typeVersion: 1.1,
		position: [routeX, Y + 300],
		webhookId: uuid(journey.id, 'webhook', PAGE.newCodeWait),
		notes: 'Waits as long as the provider asks before a new code may be sent (usually not at all).',
	});
	g.add({
		parameters: {
			operation: 'page',
			formFields: { values: [] },
			...pageLimit(DEFAULT_CODE_MINUTES),
			options: {
				formTitle: 'Ask for a new code',
				formDescription: `=${braces(wordsFor([...statusesOf('new_code'), ...statusesOf('code_again')], 'expired', Object.fromEntries(statusesOf('code_again').map((s) => [s, 'max_attempts']))))}`,
				buttonLabel: 'Send me a new code',
			},
		},
		name: PAGE.newCode,
		type: 'n8n-nodes-base.form',
		typeVersion: 2.5,
		position: [codeX + X, Y + 300],
		webhookId: uuid(journey.id, 'webhook', PAGE.newCode),
	});
	g.add({
		parameters: {
			conditions: filter(
				[
					{
						id: uuid(journey.id, 'asked'),
						leftValue: '={{ $json.submittedAt }}',
						rightValue: '',
						operator: { type: 'string', operation: 'exists', singleValue: true },
					},
				],
				'and',
			),
			options: {},
		},
		name: PAGE.asked,
		type: 'n8n-nodes-base.if',
		typeVersion: 2.2,
		position: [codeX, Y + 300],
		// A page whose time limit ran out passes its input on: that must not send the customer another code.
		notes: 'Only a submitted page sends a new code: a page that timed out ends the run here.',
	});

	// Ending pages.
	const donePage = g.add(completion(journey, PAGE.done, journey.done.title, doneText(journey, after ?? verify), [endX, Y - 200]));
	const laterPage = g.add(completion(journey, PAGE.later, 'Not ready yet', CUSTOMER_WORDS.pending, [endX, Y]));
	const errorPage = g.add(
		completion(
			journey,
			PAGE.error,
			'Sorry, that did not work',
			`=${braces(
				wordsFor(
					ALL_STATUSES.filter((s) => OUTCOMES[s] !== 'done'),
					'provider_error',
				),
			)}`,
			[endX, Y + 600],
		),
	);

	// Wiring: the first page, the steps before the code and the send, each failure to the error page.
	let prev: string = PAGE.details;
	for (let i = 0; i <= iSend; i++) {
		g.connect(prev, names[i], 0);
		if (i < iSend) g.connect(names[i], errorPage, 1);
		prev = names[i];
	}
	g.connect(send, PAGE.code, 0);
	if (journey.before.length > 0) {
		// The session the send step continues (a Capillary token) can expire with the code: start the steps again.
		g.add({
			parameters: {
				conditions: filter(
					[
						statusIs(`${journey.id}/restart`, 'expired'),
						{ id: uuid(journey.id, 'restart', 'runs'), leftValue: '={{ $runIndex }}', rightValue: MAX_RESTARTS, operator: { type: 'number', operation: 'lt' } },
					],
					'and',
				),
				options: {},
			},
			name: PAGE.restart,
			type: 'n8n-nodes-base.if',
			typeVersion: 2.2,
			position: [stepX(iSend), Y + 600],
		});
		g.connect(send, PAGE.restart, 1);
		g.connect(PAGE.restart, names[0], 0);
		g.connect(PAGE.restart, errorPage, 1);
	} else {
		g.connect(send, errorPage, 1);
	}
	g.connect(PAGE.code, verify, 0);
	// Both outputs of the verify step: the Switch reads the status.
	g.connect(verify, PAGE.route, 0);
	g.connect(verify, PAGE.route, 1);
	const next = after ?? donePage;
	g.connect(PAGE.route, next, outcomes.indexOf('done'));
	g.connect(PAGE.route, PAGE.code, outcomes.indexOf('code_again'));
	g.connect(PAGE.route, PAGE.newCodeWait, outcomes.indexOf('new_code'));
	g.connect(PAGE.route, after ?? laterPage, outcomes.indexOf('poll'));
	g.connect(PAGE.route, errorPage, outcomes.indexOf('error'));
	g.connect(PAGE.newCodeWait, PAGE.newCode, 0);
	g.connect(PAGE.newCode, PAGE.asked, 0);
	g.connect(PAGE.asked, send, 0);

	if (after) {
		const poll = journey.after?.poll ?? { times: 0, waitSeconds: 0 };
		const afterX = stepX(iAfter);
		g.add({
			parameters: {
				rules: {
					values: [
						rule(`${journey.id}/after`, 'done', statusesOf('done')),
						rule(`${journey.id}/after`, 'ask again', statusesOf('poll'), `$runIndex < ${poll.times}`),
						rule(`${journey.id}/after`, 'come back later', statusesOf('poll')),
						rule(
							`${journey.id}/after`,
							'error',
							ALL_STATUSES.filter((s) => !['done', 'poll'].includes(OUTCOMES[s])),
						),
					],
				},
				options: { fallbackOutput: 3 },
			},
			name: PAGE.routeAfter,
			type: 'n8n-nodes-base.switch',
			typeVersion: 3.2,
			position: [afterX + X, Y],
		});
		g.add({
			parameters: { amount: poll.waitSeconds, unit: 'seconds' },
			name: PAGE.pollWait,
			type: 'n8n-nodes-base.wait',
			typeVersion: 1.1,
			position: [afterX + X, Y + 300],
			webhookId: uuid(journey.id, 'webhook', PAGE.pollWait),
		});
		g.connect(after, PAGE.routeAfter, 0);
		g.connect(after, PAGE.routeAfter, 1);
		g.connect(PAGE.routeAfter, donePage, 0);
		g.connect(PAGE.routeAfter, PAGE.pollWait, 1);
		g.connect(PAGE.routeAfter, laterPage, 2);
		g.connect(PAGE.routeAfter, errorPage, 3);
		g.connect(PAGE.pollWait, after, 0);
	}

	// As tall as its text needs (on n8n's 20px grid); the canvas keeps to positive coordinates.
	const content = aboutNote(journey, names, iSend, iVerify);
	const height = Math.max(300, 20 * Math.ceil(stickyHeight(content, NOTE_WIDTH) / 20));
	// Below it, in its columns, only the main lane (the Done page above the lane stands further right).
	if (NOTE_TOP + height + 20 > Y) throw new Error(`${journey.id}: the note about the journey is too long for the space above the steps`);
	g.add({
		parameters: { content, height, width: NOTE_WIDTH },
		name: PAGE.note,
		type: 'n8n-nodes-base.stickyNote',
		typeVersion: 1,
		position: [0, NOTE_TOP],
	});

	// A provider node fed by anything but the step it continues must say which step that is.
	steps.forEach((_s, i) => {
		if (i === 0) return;
		const node = g.nodes.find((n) => n.name === names[i])!;
		const only = g.into(names[i]).every((l) => l.from === names[i - 1] && l.output === 0);
		if (!only && node.parameters.reference === undefined) throw new Error(`${journey.id}: ${names[i]} is reached from another node but has no Reference`);
	});

	return {
		workflow: {
			id: workflowId(journey),
			name: `OTP Flow journey: ${journeyLabel(journey)}`,
			nodes: g.nodes,
			connections: g.connections,
			active: false,
			settings: {
				executionOrder: 'v1',
				timezone: TIMEZONE,
				// n8n keeps what the first page asked in the run's data; a run that asked for an Aadhaar number is not kept
				// once it ends (while it waits for a page n8n must keep it).
				...(journey.ask.some((a) => a.sensitive) ? { saveDataSuccessExecution: 'none' as const, saveDataErrorExecution: 'none' as const } : {}),
			},
			pinData: {},
			meta: { templateCredsSetupCompleted: true },
			tags: [],
		},
		verify: { journey: journey.id, node: verify, fields: counted },
	};
}

/**
 * A provider parameter for one source: the first page's value, a fixed value, a value made per run, or the code.
 * A field the step's reference fills is left empty when there is a previous step (its result carries it).
 */
function parameterValue(journey: Journey, op: OperationSpec, name: string, source: Source, hasPrevious: boolean): FieldValue | undefined {
	const field = op.fields.find((f) => f.name === name);
	if (source.kind === 'fixed') return literal(field, source.value);
	if (source.kind === 'unique') return `=${source.prefix}${braces('$now.toMillis()')}`;
	if (source.kind === 'code') return expr(`$json.${CODE_FIELD}`);
	if (hasPrevious && field?.fromPrevious) return undefined;
	// Inputs of the code page are the verify step's own input; the first page's are read from the trigger.
	if ((journey.codeAsk ?? []).includes(source.ask)) return expr(`$json[${q(source.ask.name)}]`);
	return expr(typed(source.ask));
}

/** The code page's text: what went wrong with the last code, where the code went, and until when it works. */
function codePageText(journey: Journey, send: string): string {
	const sentTo = journey.sentTo;
	let where: string;
	if ('ask' in sentTo) {
		const ask = journey.ask.find((a) => a.name === sentTo.ask);
		if (!ask) throw new Error(`${journey.id}: sentTo names the ask ${sentTo.ask}, which the first page does not have`);
		if (ask.sensitive) throw new Error(`${journey.id}: the code page must not show ${ask.name}`);
		where = braces(`${MASK_CONTACT_JS}(String(${typed(ask)} ?? ''))`);
	} else if ('reference' in sentTo) {
		where = braces(`${latest(send)}.reference[${q(sentTo.reference)}] ?? 'you'`);
	} else {
		where = sentTo.text;
	}
	const again = statusesOf('code_again');
	const wrong = braces(
		`${isOneOf(again)} ? ${wordsFor(again, again[0])} + (typeof $json.attemptsRemaining === 'number' ? ' Attempts left: ' + $json.attemptsRemaining + '.' : '') + '\\n' : ''`,
	);
	const until = braces(
		`${latest(send)}.expiresAt ? ' It works until ' + DateTime.fromISO(${latest(send)}.expiresAt).setZone($now.zone).toFormat("HH:mm '(UTC'ZZ')'") + '.' : ''`,
	);
	return `=${wrong}We sent a code to ${where}.${until}`;
}

/**
 * The done text with {name} read from the last step's result reference, by the step's name: a person who reloads the
 * page after the run ended gets the page again, but no input item ($json) any more.
 */
function doneText(journey: Journey, last: string): string {
	const parts = journey.done.text.split(/\{(\w+)\}/);
	if (parts.length === 1) return journey.done.text;
	return `=${parts.map((p, i) => (i % 2 === 1 ? braces(`${latest(last)}.reference[${q(p)}]`) : p)).join('')}`;
}

function completion(journey: Journey, name: string, title: string, message: string, position: N8nPosition): Omit<N8nNode, 'id'> {
	return {
		parameters: { operation: 'completion', completionTitle: title, completionMessage: message, ...pageLimit(DEFAULT_CODE_MINUTES), options: {} },
		name,
		type: 'n8n-nodes-base.form',
		typeVersion: 2.5,
		position,
		webhookId: uuid(journey.id, 'webhook', name),
	};
}

function aboutNote(journey: Journey, names: string[], iSend: number, iVerify: number): string {
	return [
		`## ${journey.title}`,
		journey.intro,
		'',
		`Publish the workflow, then open **/form/otp-${journey.id}**. Set your ${journey.provider.label} credential on the ${journey.provider.label} nodes: nothing else needs setting.`,
		'',
		`${names[iVerify]} continues ${names[iSend]} through the code page, so its **Reference** is \`{{ $('${names[iSend]}').item.json.reference }}\` and the code is \`{{ $json.${CODE_FIELD} }}\`.`,
		'Route by status sends each result where OUTCOMES says: done, code again, new code, pending, error.',
	].join('\n');
}

/** Every journey's workflow and what its verify node needs, for the README and the tests. */
export function n8nJourneys(): Array<{ journey: Journey; file: string; workflow: N8nWorkflow; verify: StepCount }> {
	const types = n8nNodeTypes();
	const credentials = sandboxCredentials();
	return JOURNEYS.map((journey) => ({ journey, file: `${N8N_JOURNEY_DIR}/${journey.id}.json`, ...buildJourney(journey, types, credentials) }));
}

/** The n8n workflow of each journey: repository-relative path → workflow JSON. The workflows hold no sandbox URL. */
export function n8nJourneyFiles(_sandboxUrl: string): Record<string, unknown> {
	return Object.fromEntries(n8nJourneys().map((j) => [j.file, j.workflow]));
}
