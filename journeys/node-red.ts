/**
 * The Node-RED flow of each journey: one tab of Node-RED core nodes (http in, template, http response, switch, change,
 * delay, catch, comment) around our operation nodes and journey guards, made from the journey description, the step
 * sources of params.ts and the provider description. Nothing is kept in flow or global context: what the next page
 * needs travels in the page itself, sealed by the guard node (node-red/journey-state.ts) under the user's key, so any
 * Node-RED process can serve any page, after a restart or behind a load balancer.
 *
 *   GET  /otp/<id>  the first page
 *   POST /otp/<id>  every form; its hidden `step` says which: start | verify | resend | check
 */
import { createHash } from 'node:crypto';
import { conditionHolds, takesReference, type FieldSpec, type OperationSpec, type ProviderSpec } from '../nodes/core';
import { ACCOUNT_LIMITS } from '../node-red/account';
import { configType, DEFAULT_TIMEOUT_SECONDS, operationType } from '../node-red/names';
import { nodeFields, propertyDefault, staticType, typeProperty } from '../node-red/properties';
import { nodeRedSize } from '../generate/layout';
import { CAPTCHAS } from '../node-red/captcha';
import { JOURNEY_GUARD_TYPE, PUBLIC_PAGES_DEFAULTS, PUBLIC_PAGES_TYPE } from '../node-red/journey';
import { JOURNEY_STYLE_BLOCK, journeyHeaders } from '../node-red/journey-page';
import { HONEYPOT } from '../node-red/journey-state';
import { providerBaseUrls, SANDBOX_ACCOUNTS } from '../sandbox/accounts';
import { JOURNEYS, journeyLabel } from './index';
import { CUSTOMER_WORDS, OUTCOMES, type Ask, type Journey, type Step } from './model';
import { sourcesOf, stepsOf } from './params';

/** One node of a Node-RED flow file. */
export interface FlowNode {
	id: string;
	type: string;
	z?: string;
	name?: string;
	x?: number;
	y?: number;
	wires?: string[][];
	[key: string]: unknown;
}

/** Where the pages of a journey answer (below Node-RED's httpNodeRoot). */
export const journeyPath = (journey: Journey) => `/otp/${journey.id}`;

/** The form fields the flow itself uses; no ask may take these names. */
const RESERVED = ['step', 'state', 'issued', 'otp', HONEYPOT, ...Object.values(CAPTCHAS).map((c) => c.field)];

/** The providers serve India: expiry times are shown in Indian Standard Time. */
const TIME_ZONE = { offset: '+0530', name: 'IST' };

/** The OTP field of every verify step reads the code input of the code page. */
const CODE_INPUT = 'otp';

type Role = 'before' | 'send' | 'verify' | 'after';

// ---------------------------------------------------------------------------------------------------
// Ids, the account node
// ---------------------------------------------------------------------------------------------------

function hash(...parts: string[]): string {
	return createHash('sha256').update(parts.join('/')).digest('hex').slice(0, 16);
}

/** The same id as the account node of the provider's other examples (generate/node-red.ts): one per provider. */
export function configNodeId(provider: ProviderSpec): string {
	return hash('otpflow', 'config', provider.slug);
}

/** The account node pointing at the sandbox, without secrets (Node-RED keeps those in flows_cred.json). */
function configNode(provider: ProviderSpec, sandboxUrl: string): FlowNode {
	const account: Record<string, unknown> = SANDBOX_ACCOUNTS[provider.id] ?? {};
	const values: Record<string, string> = {};
	for (const field of provider.credential.fields) {
		const value = field.name === 'baseUrl' ? providerBaseUrls(sandboxUrl)[provider.id] : (account[field.name] ?? field.default);
		if (value !== undefined && typeof value !== 'object') values[field.name] = String(value);
	}
	for (const field of provider.credential.fields) if (!conditionHolds(field.showWhen, values)) delete values[field.name];
	const node: FlowNode = { id: configNodeId(provider), type: configType(provider), name: `${provider.label} sandbox` };
	for (const field of provider.credential.fields) if (field.type !== 'password') node[field.name] = values[field.name] ?? '';
	// The limits too: Node-RED gives an imported config node no defaults, and an empty Max concurrent is invalid.
	return { ...node, ...ACCOUNT_LIMITS };
}

/** The one public-pages config node every journey shares: its sealing key is the user's to set (never in a flow file). */
export const PUBLIC_PAGES_ID = hash('otpflow', 'public-pages');

function publicPagesNode(): FlowNode {
	return { id: PUBLIC_PAGES_ID, type: PUBLIC_PAGES_TYPE, name: 'OTP Flow public pages', ...PUBLIC_PAGES_DEFAULTS };
}

/** The ask whose value the send guard counts per identifier: where the code goes, else the first phone or e-mail input. */
export function identifierAsk(journey: Journey): Ask {
	const sentTo = 'ask' in journey.sentTo ? journey.sentTo.ask : undefined;
	return (
		journey.ask.find((a) => a.name === sentTo) ??
		journey.ask.find((a) => a.input === 'tel') ??
		journey.ask.find((a) => a.input === 'email') ??
		journey.ask.find((a) => !a.sensitive) ??
		journey.ask[0]
	);
}

function secretNote(provider: ProviderSpec): string {
	const account: Record<string, unknown> = SANDBOX_ACCOUNTS[provider.id] ?? {};
	const secrets = provider.credential.fields
		.filter((f) => f.type === 'password' && typeof account[f.name] === 'string')
		.map((f) => `${f.label} \`${String(account[f.name])}\``);
	const base = `The account node **${provider.label} sandbox** points at the local sandbox (\`npx @otpflow/sandbox\` runs it anywhere, \`npm start\` in the OTP Flow repository).`;
	return secrets.length === 0
		? `${base} This provider needs no secret.`
		: `${base} Example flows cannot carry secrets: open it and enter the sandbox's ${secrets.join(', ')} (\`npm start\` fills it in for you).`;
}

// ---------------------------------------------------------------------------------------------------
// What each page carries
// ---------------------------------------------------------------------------------------------------

const isFirstPageAsk = (journey: Journey, ask: Ask) => journey.ask.includes(ask);

/** Whether a step reads this ask. */
function reads(journey: Journey, role: Role, step: Step, op: OperationSpec, ask: Ask): boolean {
	return Object.values(sourcesOf(journey, role, step, op)).some((s) => s.kind === 'ask' && s.ask === ask);
}

/**
 * First-page answers a later page hands on in its sealed state: those a step after the first page reads (verify, after;
 * send and the steps before it again for a new code), and the one the code page shows masked. Never a sensitive one.
 */
export function carriedAsks(journey: Journey): Ask[] {
	const sentTo = 'ask' in journey.sentTo ? journey.sentTo.ask : undefined;
	return journey.ask.filter(
		(ask) => !ask.sensitive && (ask.name === sentTo || stepsOf(journey).some(({ step, role, op }) => reads(journey, role, step, op, ask))),
	);
}

/** Sensitive first-page answers that sending a new code needs: asked again on the new-code page, never shown. */
function askedAgain(journey: Journey): Ask[] {
	return journey.ask.filter(
		(ask) => ask.sensitive && stepsOf(journey).some(({ step, role, op }) => (role === 'before' || role === 'send') && reads(journey, role, step, op, ask)),
	);
}

/** Fails the generation when a journey asks for something the pages cannot do safely. */
function checkJourney(journey: Journey): void {
	for (const ask of [...journey.ask, ...(journey.codeAsk ?? [])]) {
		if (RESERVED.includes(ask.name)) throw new Error(`${journey.id}: the ask "${ask.name}" takes a name the pages use themselves`);
	}
	if ('ask' in journey.sentTo) {
		const name = journey.sentTo.ask;
		const ask = journey.ask.find((a) => a.name === name);
		if (!ask) throw new Error(`${journey.id}: sentTo names the ask "${name}", which the first page does not have`);
		if (ask.sensitive) throw new Error(`${journey.id}: sentTo may not show the sensitive ask "${name}"`);
	}
	for (const text of [journey.title, journey.intro, journey.done.title, journey.done.text]) {
		if (/\{\{|\}\}/.test(text)) throw new Error(`${journey.id}: "${text}" holds {{ or }}, which the page templates would read`);
	}
}

// ---------------------------------------------------------------------------------------------------
// Our operation nodes
// ---------------------------------------------------------------------------------------------------

/** A value fresh on every run (the providers refuse a reused order id or transaction reference). */
const uniqueExpression = (prefix: string) => `${JSON.stringify(prefix)} & $string($millis())`;

/**
 * The typed inputs of one step: the person's answers from msg.form, fixed values as static inputs, unique values as
 * JSONata, the code from the code page; everything else at the node's default (chained fields fill from the reference).
 */
function fieldInputs(journey: Journey, role: Role, step: Step, op: OperationSpec): Record<string, string> {
	const sources = sourcesOf(journey, role, step, op);
	const out: Record<string, string> = {};
	for (const field of nodeFields(journey.provider, op)) {
		const source = sources[field.name];
		let input = propertyDefault(field);
		if (source?.kind === 'ask') input = askInput(journey, role, op, field, source.ask) ?? input;
		else if (source?.kind === 'fixed') input = { value: String(source.value), type: staticType(field) };
		else if (source?.kind === 'unique') input = { value: uniqueExpression(source.prefix), type: 'jsonata' };
		else if (source?.kind === 'code') input = { value: `form.${CODE_INPUT}`, type: 'msg' };
		out[field.name] = input.value;
		out[typeProperty(field.name)] = input.type;
	}
	return out;
}

/**
 * A first-page answer is in the form only on the first page's post and on the new-code page's (asked again): a
 * sensitive one read after that must come from the reference, where our nodes carry it sealed.
 */
function askInput(journey: Journey, role: Role, op: OperationSpec, field: FieldSpec, ask: Ask) {
	const later = role === 'verify' || role === 'after';
	if (ask.sensitive && later && isFirstPageAsk(journey, ask)) {
		if (!field.fromPrevious)
			throw new Error(`${journey.id}: ${op.name} needs the sensitive "${ask.name}" after the first page, and it may not travel in a page`);
		return undefined;
	}
	return { value: `form.${ask.name}`, type: 'msg' };
}

// ---------------------------------------------------------------------------------------------------
// JSONata used by the change and switch nodes
// ---------------------------------------------------------------------------------------------------

/** What a result's status means for the journey: model.ts OUTCOMES. */
export const OUTCOME_OF = `$lookup(${JSON.stringify(OUTCOMES)}, payload.status)`;

/** The person's words for the result's status (model.ts CUSTOMER_WORDS), placeholders filled. */
export const WORDS = [
	'(',
	`\t$words := ${JSON.stringify(CUSTOMER_WORDS)};`,
	'\t$text := $exists(payload.status) ? $lookup($words, payload.status);',
	'\t$text := $exists($text) ? $text : $words.provider_error;',
	'\t$fill := function($t, $name, $v) { $join($split($t, "{" & $name & "}"), $exists($v) ? $string($v) : "") };',
	'\t$text := $fill($text, "message", payload.message);',
	'\t$text := $fill($text, "attemptsRemaining", payload.attemptsRemaining);',
	'\t$fill($text, "retryAfterSeconds", payload.retryAfterSeconds)',
	')',
].join('\n');

/** model.ts maskContact in JSONata: 9876543210 → 98******10, asha@example.com → as***@example.com. */
export function maskExpression(path: string): string {
	return [
		'(',
		`\t$v := $string(${path});`,
		'\t$local := $substringBefore($v, "@");',
		'\t$contains($v, "@") and $length($local) > 0',
		'\t\t? $substring($local, 0, 2) & "***@" & $substringAfter($v, "@")',
		'\t\t: ($length($v) > 4 ? $substring($v, 0, 2) & $pad("", $length($v) - 4, "*") & $substring($v, -2) : "****")',
		')',
	].join('\n');
}

export const UNTIL = `$exists(journey.expiresAt) and journey.expiresAt != "" ? $fromMillis($toMillis(journey.expiresAt), "[H01]:[m01]", "${TIME_ZONE.offset}") & " ${TIME_ZONE.name}"`;

// ---------------------------------------------------------------------------------------------------
// Pages (mustache; every value from the message is escaped by {{ }})
// ---------------------------------------------------------------------------------------------------

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function page(journey: Journey, heading: string, body: string[]): string {
	return [
		'<!doctype html>',
		'<html lang="en">',
		'<head>',
		'<meta charset="utf-8">',
		'<meta name="viewport" content="width=device-width, initial-scale=1">',
		`<title>${heading === journey.title ? '' : `${escapeHtml(heading)} · `}${escapeHtml(journey.title)}</title>`,
		`<style>${JOURNEY_STYLE_BLOCK}</style>`,
		'</head>',
		'<body>',
		'<main>',
		`<h1>${escapeHtml(heading)}</h1>`,
		...body,
		'</main>',
		// An empty href is this address: the first page, whatever Node-RED's httpNodeRoot.
		`<footer>${escapeHtml(journey.provider.label)} · <a href="">Start again</a></footer>`,
		'</body>',
		'</html>',
		'',
	].join('\n');
}

const INPUT_ATTRIBUTES: Record<Ask['input'], string> = {
	tel: 'type="tel" inputmode="tel" autocomplete="tel"',
	email: 'type="email" autocomplete="email"',
	text: 'type="text"',
	numeric: 'type="text" inputmode="numeric"',
	date: 'type="date"',
};

/** A labelled input; `value` is the mustache path that refills it (never for a sensitive ask). */
function inputHtml(ask: Ask, value?: string): string[] {
	const hintId = `${ask.name}-hint`;
	const extra = ask.sensitive ? ' autocomplete="off" spellcheck="false"' : '';
	const refill = value && !ask.sensitive ? ` value="{{${value}}}"` : '';
	return [
		`<label for="${ask.name}">${escapeHtml(ask.label)}</label>`,
		...(ask.hint ? [`<p class="hint" id="${hintId}">${escapeHtml(ask.hint)}</p>`] : []),
		`<input id="${ask.name}" name="${ask.name}" ${INPUT_ATTRIBUTES[ask.input]}${extra}${ask.hint ? ` aria-describedby="${hintId}"` : ''}${refill} required>`,
	];
}

const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${value}">`;

/** The one hidden field a later page posts back: its sealed state (the provider's ids, the answers, what may come next). */
const stateHtml = () => hidden('state', '{{page.state}}');

function firstPage(journey: Journey): string {
	return page(journey, journey.title, [
		`<p>${escapeHtml(journey.intro)}</p>`,
		'<form method="post">',
		hidden('step', 'start'),
		hidden('issued', '{{page.issued}}'),
		...journey.ask.flatMap((ask) => inputHtml(ask)),
		// The honeypot: out of sight and out of the tab order, so only a bot fills it.
		`<div class="trap" aria-hidden="true"><label for="${HONEYPOT}">Leave this empty</label><input id="${HONEYPOT}" name="${HONEYPOT}" type="text" tabindex="-1" autocomplete="off"></div>`,
		'{{#page.captcha}}<div class="{{page.captcha.widget}}" data-sitekey="{{page.captcha.siteKey}}"></div><script src="{{page.captcha.script}}" async defer></script>{{/page.captcha}}',
		'<button type="submit">Send me a code</button>',
		'</form>',
	]);
}

function codePage(journey: Journey): string {
	return page(journey, 'Enter your code', [
		'{{#page.problem}}<p class="note problem" role="alert">{{page.words}}{{#page.attemptsRemaining}} Attempts left: {{page.attemptsRemaining}}.{{/page.attemptsRemaining}}</p>{{/page.problem}}',
		'{{^page.problem}}<p class="note" role="status">{{page.words}}</p>{{/page.problem}}',
		'<p>{{#page.sentTo}}It went to <strong>{{page.sentTo}}</strong>.{{/page.sentTo}}{{#page.until}} It is valid until <time datetime="{{page.expiresAt}}">{{page.until}}</time>.{{/page.until}}</p>',
		'<form method="post">',
		hidden('step', 'verify'),
		stateHtml(),
		...(journey.codeAsk ?? []).flatMap((ask) => inputHtml(ask, `form.${ask.name}`)),
		`<label for="${CODE_INPUT}">One-time code</label>`,
		`<p class="hint" id="${CODE_INPUT}-hint">The code in the message we sent you</p>`,
		`<input id="${CODE_INPUT}" name="${CODE_INPUT}" type="text" inputmode="numeric" autocomplete="one-time-code" aria-describedby="${CODE_INPUT}-hint" required>`,
		'<button type="submit">Confirm</button>',
		'</form>',
	]);
}

function newCodePage(journey: Journey): string {
	const again = askedAgain(journey);
	return page(journey, 'Ask for a new code', [
		'<p class="note problem" role="alert">{{page.words}}</p>',
		'{{#page.retryAfterSeconds}}<p>You can ask for a new code in {{page.retryAfterSeconds}} seconds.</p>{{/page.retryAfterSeconds}}',
		'<form method="post">',
		hidden('step', 'resend'),
		stateHtml(),
		...(again.length > 0
			? ['<p>For your safety we do not keep what you typed here: please type it again.</p>', ...again.flatMap((ask) => inputHtml(ask))]
			: []),
		'<button type="submit">Send a new code</button>',
		'</form>',
	]);
}

/** journey.done with {name} read from the last result's reference. */
function donePage(journey: Journey): string {
	const fill = (text: string) => escapeHtml(text).replace(/\{(\w+)\}/g, (_m, name: string) => `{{payload.reference.${name}}}`);
	return page(journey, journey.done.title, [`<p class="note" role="status">${fill(journey.done.text)}</p>`]);
}

function laterPage(journey: Journey): string {
	return page(journey, 'Not ready yet', [
		'<p class="note" role="status">{{page.words}}</p>',
		...(journey.after ? ['<form method="post">', hidden('step', 'check'), stateHtml(), '<button type="submit">Check again</button>', '</form>'] : []),
	]);
}

function errorPage(journey: Journey): string {
	return page(journey, 'Something went wrong', ['<p class="note problem" role="alert">{{page.words}}</p>', '<p><a href="">Start again</a></p>']);
}

// ---------------------------------------------------------------------------------------------------
// The tab
// ---------------------------------------------------------------------------------------------------

interface Rule {
	t: 'set';
	p: string;
	pt: 'msg';
	to: string;
	tot: 'msg' | 'jsonata' | 'str' | 'num' | 'bool' | 'json';
}

const set = (p: string, tot: Rule['tot'], to: string): Rule => ({ t: 'set', p, pt: 'msg', to, tot });

/** The grid of a journey tab: its top-left corner, the room between two columns (for the wires), the row height. */
const TAB_LEFT = 40;
const TAB_TOP = 40;
const COLUMN_GAP = 50;
const ROW = 60;

class Tab {
	readonly nodes: FlowNode[] = [];
	readonly id: string;

	constructor(readonly journey: Journey) {
		this.id = hash('otpflow-journey', journey.id, 'tab');
	}

	/** Each node's column on the grid; `layout` turns columns into x once every node is known. */
	private readonly cols = new Map<FlowNode, number>();

	add(key: string, type: string, props: Record<string, unknown>, col: number, row: number, outputs = 1): FlowNode {
		const node: FlowNode = { id: hash('otpflow-journey', this.journey.id, key), type, z: this.id, ...props, x: 0, y: TAB_TOP + row * ROW };
		if (outputs > 0) node.wires = Array.from({ length: outputs }, () => []);
		this.nodes.push(node);
		this.cols.set(node, col);
		return node;
	}

	/**
	 * Each column as wide as its widest node (Node-RED sizes a node by its label), COLUMN_GAP between columns, nodes
	 * centred in their column. The comment on top is a title: it starts at the left edge and takes no column's width.
	 */
	layout(): void {
		const widths: number[] = [];
		for (const [node, col] of this.cols) if (node.type !== 'comment') widths[col] = Math.max(widths[col] ?? 0, nodeRedSize(node).w);
		const lefts: number[] = [];
		let left = TAB_LEFT;
		for (let col = 0; col < widths.length; col++) {
			lefts[col] = left;
			left += (widths[col] ?? 0) + COLUMN_GAP;
		}
		for (const [node, col] of this.cols) {
			node.x = node.type === 'comment' ? TAB_LEFT + nodeRedSize(node).w / 2 : lefts[col] + (widths[col] ?? 0) / 2;
		}
	}

	wire(from: FlowNode, to: FlowNode, port = 0): void {
		if (!from.wires![port].includes(to.id)) from.wires![port].push(to.id);
	}

	change(key: string, name: string, rules: Rule[], col: number, row: number): FlowNode {
		return this.add(key, 'change', { name, rules, action: '', property: '', from: '', to: '', reg: false }, col, row);
	}

	template(key: string, name: string, html: string, col: number, row: number): FlowNode {
		return this.add(key, 'template', { name, field: 'payload', fieldType: 'msg', format: 'html', syntax: 'mustache', template: html, output: 'str' }, col, row);
	}

	/** A switch with one output per rule, the first match only. */
	switch(
		key: string,
		name: string,
		property: string,
		propertyType: 'msg' | 'jsonata',
		rules: Array<Record<string, string>>,
		col: number,
		row: number,
	): FlowNode {
		return this.add(key, 'switch', { name, property, propertyType, rules, checkall: 'false', repair: false, outputs: rules.length }, col, row, rules.length);
	}

	/** A journey guard (node-red/journey.ts): output 1 goes on, output 2 is a refusal that ends on the error page. */
	guard(key: string, name: string, props: Record<string, unknown>, col: number, row: number): FlowNode {
		const { journey } = this;
		const send = stepsOf(journey).find((s) => s.role === 'send')!;
		return this.add(
			key,
			JOURNEY_GUARD_TYPE,
			{
				name,
				pages: PUBLIC_PAGES_ID,
				journey: journey.id,
				provider: journey.provider.id,
				account: configNodeId(journey.provider),
				sendOperation: send.op.id,
				identifier: identifierAsk(journey).name,
				carry: carriedAsks(journey)
					.map((a) => a.name)
					.join(','),
				next: '',
				verified: false,
				...props,
			},
			col,
			row,
			2,
		);
	}

	operation(key: string, role: Role, step: Step, op: OperationSpec, col: number, row: number): FlowNode {
		const props: Record<string, unknown> = { name: op.name, config: configNodeId(this.journey.provider), ...fieldInputs(this.journey, role, step, op) };
		// Every continuing step reads the reference the page brought back (or the step before it kept there).
		if (takesReference(op)) Object.assign(props, { reference: 'journey.reference', referenceType: 'msg' });
		Object.assign(props, { includeRaw: false, timeout: DEFAULT_TIMEOUT_SECONDS });
		return this.add(key, operationType(this.journey.provider, op), props, col, row, 2);
	}
}

const lowerKeys = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

function securityText(journey: Journey): string {
	const d = PUBLIC_PAGES_DEFAULTS;
	return [
		'**Nothing a page posts is trusted.** The guard nodes and the **OTP Flow public pages** config node they share do the checking; open that node once and set its **Sealing key** (at least 16 characters, e.g. `openssl rand -base64 32`). Without it every page refuses to run and says so.',
		'',
		"- **Sealed state.** What a later page needs (the provider's ids, the first page's answers) travels in one hidden field `state`, encrypted and authenticated (AES-256-GCM) under the sealing key, bound to this journey, to the step it allows next and to an expiry (" +
			`${d.stateMinutes} minutes by default, never past the code's validity). A changed, foreign, expired or out-of-order state ends on the error page and nothing reaches ${journey.provider.label}.`,
		'- **Each page works once.** Every state carries a run id and a count, checked against a counter in the context store: an older or already-used page is refused (a double click acts once). Behind a load balancer, choose a context store shared by every copy and tick *shared* for strictness.',
		`- **After the code** (${journey.after ? 'Check again, ' : ''}the step that takes the code) runs only from a page the code led to; ${journey.after ? 'Check again only from a page sealed as *code verified*.' : 'there is no later step.'}`,
		`- **Send guard** before every send (first page, new code): ${d.perIdentifierMax} per number or address per ${d.perIdentifierWindowMinutes} minutes, ${d.perClientMax} per client per minute (the connecting address; X-Forwarded-For only with *trusted proxies* set), and a per-hour ceiling on the account that you set. A refused send says when to try again.`,
		`- **Bot friction** on the first page: a hidden honeypot input, a minimum fill time (${d.minFillSeconds} s, from a sealed issue time), and optionally Cloudflare Turnstile or hCaptcha.`,
		"- **Headers** on every page: a content security policy (its one style by hash, no script), no framing, no caching, no referrer. Every value a page shows is escaped by the template's `{{ }}`.",
	].join('\n');
}

function aboutText(journey: Journey, sandboxUrl: string): string {
	const steps = stepsOf(journey);
	const names = (role: Role) => steps.filter((s) => s.role === role).map((s) => s.op.name);
	const sealed = steps.some(({ op }) => Object.keys(op.carrySealed ?? {}).length > 0) && journey.ask.some((a) => a.sensitive);
	const samples = [...journey.ask, ...(journey.codeAsk ?? [])].map((a) => `${a.label} \`${a.sample}\``).join(', ');
	return [
		`**${journey.title}** with ${journey.provider.label}, as plain web pages: open http://127.0.0.1:1880${journeyPath(journey)} (under \`npm start\`; below your httpNodeRoot otherwise).`,
		'',
		`First page → ${[...names('before'), ...names('send')].join(' → ')} → code page → ${[...names('verify'), ...names('after')].join(' → ')} → "${journey.done.title}". A wrong code shows the code page again with the attempts left; an expired code offers a new one; anything else ends on a plain error page (never a stack trace, a secret or an Aadhaar number).${journey.after?.poll ? ` While ${names('after')[0]} answers \`pending\` it is asked again up to ${journey.after.poll.times} times, ${journey.after.poll.waitSeconds} s apart (the delay node); then a come-back-later page offers *Check again*.` : ''}`,
		'',
		"**Nothing is kept in flow or global context.** What the next page needs travels in the page, sealed: **guard: check the page** opens it into `msg.journey.reference` (which the Reference input of every continuing step reads) and puts the first page's answers back into `msg.form`; the **seal:** guards seal it again before each page. So a journey survives a Node-RED restart and runs on several Node-RED copies behind a load balancer (same sealing key): whichever copy gets the next page has all it needs. See *How these pages are protected*.",
		...(sealed
			? [
					'',
					"The one sensitive value, the Aadhaar number, is never put in a page: Send OTP carries it SEALED in `reference.ovdDataSealed` (AES-GCM with the account's secret) and Register Customer opens it. When a new code is needed the page asks for it again; it is never shown again.",
				]
			: []),
		'',
		`Sandbox values to type: ${samples}; the code arrives in the sandbox inbox ${sandboxUrl}/_sandbox/.`,
		'',
		secretNote(journey.provider),
	].join('\n');
}

/** The flow of one journey: its tab, its nodes, and the provider's account node. */
export function journeyFlow(journey: Journey, sandboxUrl: string): FlowNode[] {
	checkJourney(journey);
	const t = new Tab(journey);
	const steps = stepsOf(journey);
	const before = steps.filter((s) => s.role === 'before');
	const send = steps.find((s) => s.role === 'send')!;
	const verify = steps.find((s) => s.role === 'verify')!;
	const after = steps.find((s) => s.role === 'after');
	const poll = journey.after?.poll;
	const path = journeyPath(journey);
	// The grid: requests enter on the left, each lane runs right, the pages stand in one column before the response.
	const lane = {
		security: 1,
		get: 2,
		post: 3,
		start: 5,
		ended: 6,
		again: 7,
		verify: 9,
		newCode: 10,
		after: 11,
		done: 12,
		poll: 13,
		wait: 14,
		later: 15,
		error: 17,
	};
	const pages = Math.max(8 + 2 * before.length, 10); // right of the send lane (send, keep, data, seal) and of the after lane

	const tab: FlowNode = {
		id: t.id,
		type: 'tab',
		label: journeyLabel(journey),
		disabled: false,
		info: `${journey.title} (${journey.provider.label}): the pages at ${path}. See the comment on the tab.`,
	};
	t.add('about', 'comment', { name: journey.title, info: aboutText(journey, sandboxUrl) }, 0, 0, 0);
	t.add('security', 'comment', { name: 'How these pages are protected (read before you publish)', info: securityText(journey) }, 0, lane.security, 0);

	// Pages and the responses every message ends in: the first page's headers come from its guard (they allow a
	// CAPTCHA's origin when one is set); every other page's are fixed here, whatever the message carries.
	const response = t.add(
		'response',
		'http response',
		{ name: 'send the page', statusCode: '', headers: { 'content-type': 'text/html; charset=utf-8', ...lowerKeys(journeyHeaders()) } },
		pages + 1,
		lane.verify,
		0,
	);
	const firstResponse = t.add(
		'response-first',
		'http response',
		{ name: 'send the first page', statusCode: '', headers: { 'content-type': 'text/html; charset=utf-8' } },
		pages + 1,
		lane.get,
		0,
	);
	const pageNode = (key: string, name: string, html: string, row: number) => {
		const node = t.template(key, name, html, pages, row);
		t.wire(node, response);
		return node;
	};
	const first = t.template('page-first', 'first page', firstPage(journey), pages, lane.get);
	t.wire(first, firstResponse);
	const code = pageNode('page-code', 'code page', codePage(journey), lane.start);
	const newCode = pageNode('page-new-code', 'new-code page', newCodePage(journey), lane.newCode);
	const done = pageNode('page-done', 'done page', donePage(journey), lane.done);
	const later = pageNode('page-later', 'come back later page', laterPage(journey), lane.later);
	const error = pageNode('page-error', 'error page', errorPage(journey), lane.error);

	// Seal what the next page carries: the guard ties it to this journey, the step it allows next and an expiry.
	const sealFor = (key: string, name: string, data: FlowNode, page: FlowNode, row: number, props: Record<string, unknown>) => {
		const node = t.guard(key, name, { mode: 'seal', ...props }, pages - 1, row);
		t.wire(data, node);
		t.wire(node, page, 0);
		t.wire(node, error, 1);
	};
	const codeData = t.change(
		'code-data',
		'code page data',
		[
			// page.words first: it always has a value, so page exists before a rule sets an absent expiry.
			set('page.words', 'jsonata', WORDS),
			set('page.expiresAt', 'msg', 'journey.expiresAt'),
			set('page.until', 'jsonata', UNTIL),
			'ask' in journey.sentTo
				? set('page.sentTo', 'jsonata', maskExpression(`form.${journey.sentTo.ask}`))
				: 'reference' in journey.sentTo
					? set('page.sentTo', 'msg', `journey.reference.${journey.sentTo.reference}`)
					: set('page.sentTo', 'str', journey.sentTo.text),
			set('page.problem', 'jsonata', 'payload.status != "otp_sent"'),
			set('page.attemptsRemaining', 'jsonata', 'payload.status = "invalid_otp" ? payload.attemptsRemaining'),
		],
		pages - 2,
		lane.start,
	);
	sealFor('seal-code', 'seal: the code page', codeData, code, lane.start, { next: 'verify' });
	const newCodeData = t.change(
		'new-code-data',
		'new-code page data',
		[set('page.words', 'jsonata', WORDS), set('page.retryAfterSeconds', 'msg', 'payload.retryAfterSeconds')],
		pages - 2,
		lane.newCode,
	);
	sealFor('seal-new-code', 'seal: the new-code page', newCodeData, newCode, lane.newCode, { next: 'resend' });
	const laterData = t.change('later-data', 'come back later data', [set('page.words', 'jsonata', WORDS)], pages - 2, lane.later);
	// Only this page, reached after a verified code, lets the next post run the step after the code.
	if (after) sealFor('seal-later', 'seal: come back later (code verified)', laterData, later, lane.later, { next: 'check', verified: true });
	else t.wire(laterData, later);
	const errorData = t.change('error-data', 'error page data', [set('page.words', 'jsonata', WORDS)], pages - 2, lane.error);
	t.wire(errorData, error);

	// GET: the first page, with its sealed issue time. POST: read the form, let the guard check it (bot friction and the
	// send guard on a first page, the sealed state on every other), route by its step.
	const get = t.add('get', 'http in', { name: '', url: path, method: 'get', upload: false, swaggerDoc: '' }, 0, lane.get);
	const issue = t.guard('guard-first', 'guard: issue the first page', { mode: 'first' }, 1, lane.get);
	t.wire(get, issue);
	t.wire(issue, first, 0);
	t.wire(issue, error, 1);
	const post = t.add('post', 'http in', { name: '', url: path, method: 'post', upload: false, swaggerDoc: '' }, 0, lane.post);
	const readForm = t.change('read-form', 'read the form', [set('form', 'msg', 'payload')], 1, lane.post);
	t.wire(post, readForm);
	const check = t.guard('guard-check', 'guard: check the page', { mode: 'check' }, 2, lane.post);
	t.wire(readForm, check);
	t.wire(check, error, 1);
	const routes = ['start', 'verify', 'resend', ...(after ? ['check'] : [])];
	const route = t.switch('route', 'which form', 'form.step', 'msg', [...routes.map((v) => ({ t: 'eq', v, vt: 'str' })), { t: 'else' }], 3, lane.post);
	t.wire(check, route, 0);
	t.wire(route, first, routes.length);
	const port = (name: string) => routes.indexOf(name);

	// Steps before the code; each keeps its reference for the next.
	const sendAt = 4 + before.length * 2;
	const sendNode = t.operation('send', 'send', send.step, send.op, sendAt, lane.start);
	let previous: FlowNode | undefined;
	before.forEach(({ step, op }, i) => {
		const node = t.operation(`before-${i}`, 'before', step, op, 4 + i * 2, lane.start);
		if (previous) t.wire(previous, node);
		else t.wire(route, node, port('start'));
		t.wire(node, errorData, 1);
		const keep = t.change(`before-${i}-keep`, 'keep the reference', [set('journey.reference', 'msg', 'payload.reference')], 5 + i * 2, lane.start);
		t.wire(node, keep, 0);
		previous = keep;
	});
	t.wire(previous ?? route, sendNode, previous ? 0 : port('start'));
	t.wire(route, sendNode, port('resend'));

	// The code was sent: the code page. The send step failing ends on the error page, except an `expired` answer to a
	// new code, which means the session of the steps before it ended too: those run once more from the first page's answers.
	const keepCode = t.change(
		'send-keep',
		"keep the code's reference",
		[set('journey.reference', 'msg', 'payload.reference'), set('journey.expiresAt', 'msg', 'payload.expiresAt')],
		sendAt + 1,
		lane.start,
	);
	t.wire(sendNode, keepCode, 0);
	t.wire(keepCode, codeData);
	if (before.length > 0) {
		const ended = t.switch(
			'send-ended',
			'session ended?',
			'payload.status = "expired" and journey.fresh != true',
			'jsonata',
			[{ t: 'true' }, { t: 'else' }],
			sendAt + 1,
			lane.ended,
		);
		t.wire(sendNode, ended, 1);
		const again = t.change('start-again', 'start again', [set('journey.fresh', 'bool', 'true')], sendAt, lane.again);
		t.wire(ended, again, 0);
		t.wire(
			again,
			t.nodes.find((n) => n.id === hash('otpflow-journey', journey.id, 'before-0'))!,
		);
		t.wire(ended, errorData, 1);
	} else t.wire(sendNode, errorData, 1);

	// The code: both outputs to one switch on what the status means (OUTCOMES).
	const verifyNode = t.operation('verify', 'verify', verify.step, verify.op, 4, lane.verify);
	t.wire(route, verifyNode, port('verify'));
	const outcomes = ['done', 'poll', 'code_again', 'new_code'];
	const outcome = t.switch(
		'outcome',
		'what it means',
		OUTCOME_OF,
		'jsonata',
		[...outcomes.map((v) => ({ t: 'eq', v, vt: 'str' })), { t: 'else' }],
		5,
		lane.verify,
	);
	t.wire(verifyNode, outcome, 0);
	t.wire(verifyNode, outcome, 1);
	t.wire(outcome, codeData, outcomes.indexOf('code_again'));
	t.wire(outcome, newCodeData, outcomes.indexOf('new_code'));
	t.wire(outcome, errorData, outcomes.length);

	if (after && journey.after) {
		// After the code: the step that fetches the result, asked again while it is `pending` (at most poll.times).
		const start = t.change(
			'after-start',
			'continue after the code',
			[set('journey.reference', 'msg', 'payload.reference'), set('journey.polls', 'num', '0')],
			6,
			lane.after,
		);
		t.wire(outcome, start, outcomes.indexOf('done'));
		const afterNode = t.operation('after', 'after', after.step, after.op, 7, lane.after);
		t.wire(start, afterNode);
		t.wire(route, afterNode, port('check'));
		const afterOutcome = t.switch(
			'after-outcome',
			'ready?',
			OUTCOME_OF,
			'jsonata',
			[{ t: 'eq', v: 'done', vt: 'str' }, { t: 'eq', v: 'poll', vt: 'str' }, { t: 'else' }],
			8,
			lane.after,
		);
		t.wire(afterNode, afterOutcome, 0);
		t.wire(afterNode, afterOutcome, 1);
		t.wire(afterOutcome, done, 0);
		// The code was taken: a wrong-code or new-code answer here has nothing left to ask the person for.
		t.wire(afterOutcome, errorData, 2);
		const count = t.change(
			'poll-count',
			'count the wait',
			[set('journey.reference', 'msg', 'payload.reference'), set('journey.polls', 'jsonata', '($exists(journey.polls) ? journey.polls : 0) + 1')],
			6,
			lane.poll,
		);
		t.wire(outcome, count, outcomes.indexOf('poll'));
		t.wire(afterOutcome, count, 1);
		const again = t.switch(
			'poll-again',
			'ask again?',
			'journey.polls',
			'msg',
			[{ t: 'lte', v: String(poll?.times ?? 0), vt: 'num' }, { t: 'else' }],
			7,
			lane.poll,
		);
		t.wire(count, again);
		const wait = t.add(
			'poll-wait',
			'delay',
			{
				name: `wait ${poll?.waitSeconds ?? 0} s`,
				pauseType: 'delay',
				timeout: String(poll?.waitSeconds ?? 0),
				timeoutUnits: 'seconds',
				rate: '1',
				nbRateUnits: '1',
				rateUnits: 'second',
				randomFirst: '1',
				randomLast: '5',
				randomUnits: 'seconds',
				drop: false,
				allowrate: false,
				outputs: 1,
			},
			7,
			lane.wait,
		);
		t.wire(again, wait, 0);
		t.wire(wait, afterNode);
		t.wire(again, laterData, 1);
	} else {
		t.wire(outcome, done, outcomes.indexOf('done'));
		t.wire(outcome, laterData, outcomes.indexOf('poll'));
	}

	// A node that fails outright (a broken account, a page whose data does not parse) still answers with the error page.
	const errorPath = new Set([errorData.id, error.id, response.id, firstResponse.id]);
	const caught = t.change('caught', 'failed outright', [set('payload', 'json', '{"status":"provider_error"}')], 5, lane.error);
	t.wire(caught, errorData);
	const scope = t.nodes.filter((n) => n.type !== 'comment' && !errorPath.has(n.id) && n.id !== caught.id).map((n) => n.id);
	const catcher = t.add('catch', 'catch', { name: 'any failure', scope, uncaught: false }, 4, lane.error);
	t.wire(catcher, caught);

	t.layout();
	return [tab, ...t.nodes, configNode(journey.provider, sandboxUrl), publicPagesNode()];
}

/** Repository-relative path → flow JSON, one file (one tab) per journey, shown by Node-RED under Import → Examples → journeys. */
export function nodeRedJourneyFiles(sandboxUrl: string): Record<string, unknown> {
	const files: Record<string, unknown> = {};
	for (const journey of JOURNEYS) files[`examples/journeys/${journey.id}.json`] = journeyFlow(journey, sandboxUrl);
	return files;
}
