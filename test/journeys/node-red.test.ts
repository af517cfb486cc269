/**
 * The journey flows (examples/journeys/): core nodes and ours only, no flow or global context, every message ends in
 * exactly one http response, the account node shared with the provider's examples, no sensitive answer in a page, and
 * the JSONata in them doing what journeys/model.ts says (run with Node-RED's own JSONata). e2e/journeys/node-red.js
 * drives them in real Node-RED.
 */
import { CUSTOMER_WORDS, JOURNEYS, OUTCOMES, maskContact, type Journey } from '../../journeys';
import {
	OUTCOME_OF,
	PUBLIC_PAGES_ID,
	UNTIL,
	carriedAsks,
	identifierAsk,
	WORDS,
	configNodeId,
	journeyFlow,
	maskExpression,
	nodeRedJourneyFiles,
	type FlowNode,
} from '../../journeys/node-red';
import { stepsOf } from '../../journeys/params';
import { takesReference, type Status } from '../../nodes/core';
import { configType, operationType } from '../../node-red/names';
import { allowedTypes, nodeFields, typeProperty } from '../../node-red/properties';
import { JOURNEY_GUARD_TYPE, PUBLIC_PAGES_TYPE } from '../../node-red/journey';
import { JOURNEY_STYLE_BLOCK } from '../../node-red/journey-page';
import { inlineHash } from '../../nodes/core';
import { generator, type Json } from '../examples/support';

const { util: RED_UTIL } = require('@node-red/util');
// The renderer of Node-RED's template node.
const Mustache: { render(template: string, view: unknown): string } = require('mustache');

const SANDBOX = generator.DEFAULT_SANDBOX_URL;
const CORE = new Set(['tab', 'comment', 'http in', 'http response', 'template', 'switch', 'change', 'delay', 'catch']);
/** Nodes outside the tab: the provider's account and the public pages' config node every journey shares. */
const shared = (journey: Journey, n: FlowNode) => n.type === configType(journey.provider) || n.type === PUBLIC_PAGES_TYPE;

/** A JSONata expression evaluated as a change or switch node evaluates it. */
function jsonata(expression: string, msg: Record<string, unknown>): Promise<unknown> {
	const prepared = RED_UTIL.prepareJSONataExpression(expression, { id: 'journey-test', _flow: { getSetting: () => undefined } });
	return new Promise((resolve, reject) =>
		RED_UTIL.evaluateJSONataExpression(prepared, msg, (err: Error | null, value: unknown) => (err ? reject(err) : resolve(value))),
	);
}

const templates = (flow: FlowNode[]) => flow.filter((n) => n.type === 'template').map((n) => String(n.template));

describe.each(JOURNEYS.map((j) => [j.id, j] as const))('journey %s in Node-RED', (_id, journey: Journey) => {
	const flow = journeyFlow(journey, SANDBOX);
	const byId = new Map(flow.map((n) => [n.id, n]));
	const tab = flow.find((n) => n.type === 'tab')!;
	const ops = new Map(stepsOf(journey).map((s) => [operationType(journey.provider, s.op), s]));

	it('is the committed file: one tab, unique ids, every node on it but the shared account node', () => {
		expect(nodeRedJourneyFiles(SANDBOX)[`examples/journeys/${journey.id}.json`]).toEqual(flow);
		expect(flow.filter((n) => n.type === 'tab')).toHaveLength(1);
		expect(byId.size).toBe(flow.length);
		for (const n of flow) if (n !== tab && !shared(journey, n)) expect(n.z).toBe(tab.id);
	});

	it('uses Node-RED core nodes and our nodes only, and no function node', () => {
		for (const n of flow)
			expect(CORE.has(n.type) || ops.has(n.type) || n.type === JOURNEY_GUARD_TYPE || shared(journey, n) ? n.type : `unexpected ${n.type}`).toBe(n.type);
	});

	it('keeps nothing in flow or global context', () => {
		for (const n of flow) {
			for (const [k, v] of Object.entries(n))
				if (/Type$|^(pt|tot|propertyType|fieldType)$/.test(k)) expect(`${n.name} ${k}=${String(v)}`).not.toMatch(/=(flow|global)$/);
			for (const r of (n.rules as Json[]) ?? []) expect([r.pt, r.tot, r.vt]).not.toContain('flow');
			if (n.type !== 'comment' && n.type !== 'tab') expect(JSON.stringify(n)).not.toMatch(/\bflow\.|\bglobal\.|\$flowContext|\$globalContext/);
		}
	});

	it('answers GET and POST at /otp/<id>, and every message ends in exactly one http response (the first page its own)', () => {
		const entries = flow.filter((n) => n.type === 'http in' || n.type === 'catch');
		expect(
			flow
				.filter((n) => n.type === 'http in')
				.map((n) => `${String(n.method)} ${String(n.url)}`)
				.sort(),
		).toEqual([`get /otp/${journey.id}`, `post /otp/${journey.id}`]);
		const responses = flow.filter((n) => n.type === 'http response');
		expect(responses.map((n) => n.name).sort()).toEqual(['send the first page', 'send the page']);
		// Each node sends a message on one output (switches: the first match only), and each output leads to exactly one
		// node: so a message follows one path, and every path ends in the one http response.
		const seen = new Set<string>();
		const queue = entries.map((n) => n.id);
		while (queue.length > 0) {
			const n = byId.get(queue.shift()!)!;
			if (seen.has(n.id)) continue;
			seen.add(n.id);
			if (n.type === 'switch') expect(n.checkall).toBe('false');
			if (n.type === 'http response') continue;
			expect(n.wires?.length).toBeGreaterThan(0);
			for (const port of n.wires!) {
				expect(`${n.name} → ${port.length} nodes`).toBe(`${n.name} → 1 nodes`);
				queue.push(...port);
			}
		}
		const unreached = flow.filter((n) => !seen.has(n.id) && !['tab', 'comment'].includes(n.type) && !shared(journey, n));
		expect(unreached.map((n) => n.name)).toEqual([]);
	});

	it('catches every node but the error page itself, and answers with the error page', () => {
		const catcher = flow.find((n) => n.type === 'catch')!;
		const errorData = flow.find((n) => n.name === 'error page data')!;
		const exempt = new Set([errorData.id, ...errorData.wires!.flat(), 'http response']);
		const scope = new Set(catcher.scope as string[]);
		for (const n of flow) {
			if (['tab', 'comment', 'catch', 'http response'].includes(n.type) || shared(journey, n) || exempt.has(n.id) || n.name === 'failed outright') continue;
			expect(scope.has(n.id) ? n.name : `not caught: ${n.name}`).toBe(n.name);
		}
	});

	it('sets every field of our nodes as a typed input; continuing steps read the reference the page brought back', () => {
		for (const n of flow.filter((x) => ops.has(x.type))) {
			const { op } = ops.get(n.type)!;
			for (const field of nodeFields(journey.provider, op)) {
				expect(n).toHaveProperty(field.name);
				expect(allowedTypes(field)).toContain(n[typeProperty(field.name)]);
			}
			expect(n.config).toBe(configNodeId(journey.provider));
			if (takesReference(op)) expect([n.reference, n.referenceType]).toEqual(['journey.reference', 'msg']);
			expect(n.wires).toHaveLength(2);
		}
		const verify = stepsOf(journey).find((s) => s.role === 'verify')!;
		const node = flow.find((n) => n.type === operationType(journey.provider, verify.op))!;
		const code = verify.op.fields.find((f) => f.fromMessage === 'otp' || /^otp(_text)?$/i.test(f.name))!;
		expect([node[code.name], node[typeProperty(code.name)]]).toEqual(['form.otp', 'msg']);
	});

	it("shares the account node of the provider's other examples (same id and settings, no secret)", () => {
		const example = generator.nodeRedExamples(SANDBOX).find((e) => e.provider.id === journey.provider.id)!.flow;
		const ours = flow.find((n) => n.type === configType(journey.provider));
		expect(ours).toEqual(example.find((n) => n.type === configType(journey.provider)));
		expect(ours!.z).toBeUndefined();
	});

	it('never puts a sensitive answer into a page, and reads it only where the person has just typed it', () => {
		const pages = templates(flow).join('\n');
		for (const ask of [...journey.ask, ...(journey.codeAsk ?? [])].filter((a) => a.sensitive)) {
			expect(pages).not.toContain(`{{form.${ask.name}}}`);
			expect(pages).not.toMatch(new RegExp(`type="hidden" name="${ask.name}"`));
			expect(pages).not.toContain(ask.sample);
			for (const { op, role } of stepsOf(journey)) {
				const n = flow.find((x) => x.type === operationType(journey.provider, op))!;
				const reading = Object.entries(n).filter(([k, v]) => v === `form.${ask.name}` && n[typeProperty(k)] === 'msg');
				if (role === 'verify' || role === 'after') expect(reading).toEqual([]);
			}
		}
	});

	it('checks every post with a guard before any step, and seals every page that has a form', () => {
		const post = flow.find((n) => n.type === 'http in' && n.method === 'post')!;
		const read = byId.get(post.wires![0][0])!;
		const check = byId.get(read.wires![0][0])!;
		expect([check.type, check.mode, check.journey, check.pages]).toEqual([JOURNEY_GUARD_TYPE, 'check', journey.id, PUBLIC_PAGES_ID]);
		expect(byId.get(check.wires![0][0])!.name).toBe('which form');
		expect(byId.get(check.wires![1][0])!.name).toBe('error page');
		const get = flow.find((n) => n.type === 'http in' && n.method === 'get')!;
		expect(byId.get(get.wires![0][0])).toMatchObject({ type: JOURNEY_GUARD_TYPE, mode: 'first' });
		// Each page with a form is fed by a seal guard allowing exactly the step its form posts.
		for (const page of flow.filter((n) => n.type === 'template' && /name="step" value="(verify|resend|check)"/.test(String(n.template)))) {
			const step = /name="step" value="(\w+)"/.exec(String(page.template))![1];
			const feeders = flow.filter((n) => n.wires?.some((w) => w.includes(page.id)));
			expect(feeders.map((n) => [n.type, n.mode, n.next, n.verified])).toEqual([[JOURNEY_GUARD_TYPE, 'seal', step, step === 'check']]);
		}
		// What the guards seal and count: the first page's answers a later step reads, and where the code goes.
		for (const g of flow.filter((n) => n.type === JOURNEY_GUARD_TYPE)) {
			expect(g.carry).toBe(
				carriedAsks(journey)
					.map((a) => a.name)
					.join(','),
			);
			expect(g.identifier).toBe(identifierAsk(journey).name);
			expect(g.account).toBe(configNodeId(journey.provider));
		}
	});

	it('sends the protective headers: fixed on every page but the first, whose guard sets them', () => {
		const response = flow.find((n) => n.name === 'send the page')!;
		const headers = response.headers as Record<string, string>;
		expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
		expect(headers['content-security-policy']).toContain(`style-src ${inlineHash(JOURNEY_STYLE_BLOCK)}`);
		expect(headers['content-security-policy']).toContain("script-src 'none'");
		expect(headers).toMatchObject({ 'x-frame-options': 'DENY', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
		for (const html of templates(flow)) expect(html).toContain(`<style>${JOURNEY_STYLE_BLOCK}</style>`);
	});

	it('hands on nothing unsealed: the only hidden fields are the step, the sealed state and the issue time', () => {
		for (const html of templates(flow)) {
			const hidden = [...html.matchAll(/type="hidden" name="([^"]+)"/g)].map((m) => m[1]);
			for (const name of hidden) expect(['step', 'state', 'issued']).toContain(name);
			expect(html).not.toContain('{{{');
		}
	});

	it("has plain, labelled pages: every input has a label, every form posts to the page's own address", () => {
		for (const html of templates(flow)) {
			expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
			for (const m of html.matchAll(/<input id="([^"]+)"/g)) expect(html).toContain(`<label for="${m[1]}">`);
			for (const m of html.matchAll(/<form\b[^>]*>/g)) expect(m[0]).toBe('<form method="post">');
		}
	});
});

describe('the JSONata in the journey flows', () => {
	it('masks where the code went as maskContact does', async () => {
		for (const value of ['9876543210', '919999999993', 'asha@example.com', 'a@b.co', '@x.in', '12345', '1234', '']) {
			await expect(jsonata(maskExpression('form.to'), { form: { to: value } })).resolves.toBe(maskContact(value));
		}
	});

	it('routes every status by OUTCOMES', async () => {
		for (const [status, outcome] of Object.entries(OUTCOMES)) await expect(jsonata(OUTCOME_OF, { payload: { status } })).resolves.toBe(outcome);
	});

	it('says CUSTOMER_WORDS, placeholders filled from the result', async () => {
		for (const status of Object.keys(CUSTOMER_WORDS) as Status[]) {
			const payload = { status, message: 'PIN code must be 6 digits', attemptsRemaining: 2, retryAfterSeconds: 30 };
			const expected = CUSTOMER_WORDS[status].replace('{message}', payload.message).replace('{attemptsRemaining}', '2').replace('{retryAfterSeconds}', '30');
			await expect(jsonata(WORDS, { payload })).resolves.toBe(expected);
		}
		await expect(jsonata(WORDS, { payload: { status: 'provider_error' } })).resolves.toBe(CUSTOMER_WORDS.provider_error);
		await expect(jsonata(WORDS, { payload: {} })).resolves.toBe(CUSTOMER_WORDS.provider_error);
	});

	it('says until when in Indian time', async () => {
		await expect(jsonata(UNTIL, { journey: { expiresAt: '2026-01-01T10:00:00.000Z' } })).resolves.toBe('15:30 IST');
		await expect(jsonata(UNTIL, { journey: { expiresAt: '' } })).resolves.toBeUndefined();
	});
});

describe('the journey pages', () => {
	const bos = JOURNEYS.find((j) => j.id === 'bos')!;
	const page = (journey: Journey, name: string) => String(journeyFlow(journey, SANDBOX).find((n) => n.name === name)!.template);

	it('show the CIBIL score on the done page, escaped', () => {
		expect(Mustache.render(page(bos, 'done page'), { payload: { reference: { cibilScore: 812 } } })).toContain('Your CIBIL score is 812.');
		expect(Mustache.render(page(bos, 'done page'), { payload: { reference: { cibilScore: '<script>' } } })).toContain('&lt;script&gt;');
	});

	it('carry the sealed state and the expiry in the code page, and the first page its issue time and honeypot', () => {
		const html = Mustache.render(page(bos, 'code page'), {
			page: {
				state: 'sealed.v1.abc=',
				expiresAt: '2026-01-01T10:00:00.000Z',
				until: '15:30 IST',
				sentTo: '94138****',
				words: CUSTOMER_WORDS.invalid_otp,
				problem: true,
				attemptsRemaining: 2,
			},
			form: { first_name: 'Asha', mobile_number: '9413812345' },
		});
		expect(html).toContain('<input type="hidden" name="step" value="verify">');
		expect(html).toContain('<input type="hidden" name="state" value="sealed.v1.abc&#x3D;">');
		expect(html).not.toContain('Asha');
		const first = Mustache.render(page(bos, 'first page'), { page: { issued: 'sealed.v1.t' } });
		expect(first).toContain('<input type="hidden" name="issued" value="sealed.v1.t">');
		expect(first).toMatch(
			/<div class="trap" aria-hidden="true"><label for="website">[^<]+<\/label><input id="website" name="website" type="text" tabindex="-1"/,
		);
		expect(first).not.toContain('<script');
		const withCaptcha = Mustache.render(page(bos, 'first page'), {
			page: { issued: 't', captcha: { widget: 'cf-turnstile', siteKey: 'k"><x', script: 'https://challenges.cloudflare.com/turnstile/v0/api.js' } },
		});
		expect(withCaptcha).toContain('<div class="cf-turnstile" data-sitekey="k&quot;&gt;&lt;x"></div>');
		expect(html).toContain('Attempts left: 2.');
		expect(html).toContain('It went to <strong>94138****</strong>. It is valid until <time datetime="2026-01-01T10:00:00.000Z">15:30 IST</time>.');
	});

	it('ask for the Aadhaar number again when a new code is needed, empty', () => {
		const iserveu = JOURNEYS.find((j) => j.id === 'iserveu-registration')!;
		const html = Mustache.render(page(iserveu, 'new-code page'), {
			page: { state: 'x', words: CUSTOMER_WORDS.expired },
			form: { ovdData: '234567890124', customerMobileNumber: '9876543210' },
		});
		expect(html).toMatch(/<input id="ovdData" name="ovdData" [^>]*required>/);
		expect(html).not.toContain('234567890124');
		expect(html).not.toContain('9876543210');
		expect(html).toContain('<input type="hidden" name="state" value="x">');
	});
});
