/**
 * The journey flows (examples/journeys/): core nodes and ours only, no flow or global context, every message ends in
 * exactly one http response, the account node shared with the provider's examples, no sensitive answer in a page, and
 * the JSONata in them doing what journeys/model.ts says (run with Node-RED's own JSONata). e2e/journeys/node-red.js
 * drives them in real Node-RED.
 */
import { CUSTOMER_WORDS, JOURNEYS, OUTCOMES, maskContact, type Journey } from '../../journeys';
import {
	ENCODE_REFERENCE,
	OUTCOME_OF,
	READ_FORM,
	UNTIL,
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
import { generator, type Json } from '../examples/support';

const { util: RED_UTIL } = require('@node-red/util');
// The renderer of Node-RED's template node.
const Mustache: { render(template: string, view: unknown): string } = require('mustache');

const SANDBOX = generator.DEFAULT_SANDBOX_URL;
const CORE = new Set(['tab', 'comment', 'http in', 'http response', 'template', 'switch', 'change', 'json', 'delay', 'catch']);

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
		for (const n of flow) if (n !== tab && n.type !== configType(journey.provider)) expect(n.z).toBe(tab.id);
	});

	it('uses Node-RED core nodes and our nodes only, and no function node', () => {
		for (const n of flow) expect(CORE.has(n.type) || ops.has(n.type) || n.type === configType(journey.provider) ? n.type : `unexpected ${n.type}`).toBe(n.type);
	});

	it('keeps nothing in flow or global context', () => {
		for (const n of flow) {
			for (const [k, v] of Object.entries(n))
				if (/Type$|^(pt|tot|propertyType|fieldType)$/.test(k)) expect(`${n.name} ${k}=${String(v)}`).not.toMatch(/=(flow|global)$/);
			for (const r of (n.rules as Json[]) ?? []) expect([r.pt, r.tot, r.vt]).not.toContain('flow');
			if (n.type !== 'comment' && n.type !== 'tab') expect(JSON.stringify(n)).not.toMatch(/\bflow\.|\bglobal\.|\$flowContext|\$globalContext/);
		}
	});

	it('answers GET and POST at /otp/<id>, and every message ends in exactly one http response', () => {
		const entries = flow.filter((n) => n.type === 'http in' || n.type === 'catch');
		expect(
			flow
				.filter((n) => n.type === 'http in')
				.map((n) => `${String(n.method)} ${String(n.url)}`)
				.sort(),
		).toEqual([`get /otp/${journey.id}`, `post /otp/${journey.id}`]);
		const responses = flow.filter((n) => n.type === 'http response');
		expect(responses).toHaveLength(1);
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
		const unreached = flow.filter((n) => !seen.has(n.id) && !['tab', 'comment', configType(journey.provider)].includes(n.type));
		expect(unreached.map((n) => n.name)).toEqual([]);
	});

	it('catches every node but the error page itself, and answers with the error page', () => {
		const catcher = flow.find((n) => n.type === 'catch')!;
		const errorData = flow.find((n) => n.name === 'error page data')!;
		const exempt = new Set([errorData.id, ...errorData.wires!.flat(), 'http response']);
		const scope = new Set(catcher.scope as string[]);
		for (const n of flow) {
			if (['tab', 'comment', 'catch', 'http response', configType(journey.provider)].includes(n.type) || exempt.has(n.id) || n.name === 'failed outright')
				continue;
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

	it('carries the reference through the page and back unchanged (any text, numbers, booleans)', async () => {
		const reference = { sessionId: 'P-1', name: 'Aśha ₹ "quoted" & <b>', n: 42, b: true };
		const field = (await jsonata(ENCODE_REFERENCE, { journey: { reference } })) as string;
		expect(field).toMatch(/^[A-Za-z0-9+/=]+$/);
		const read = (await jsonata(READ_FORM, { form: { step: 'verify', reference: field, expiresAt: '' } })) as Record<string, unknown>;
		// The json node parses the text (never $eval: that would run JSONata a visitor typed).
		expect(JSON.parse(read.reference as string)).toEqual(reference);
		expect(read).toMatchObject({ fresh: false, polls: 0 });
		expect(await jsonata(READ_FORM, { form: { step: 'start' } })).toEqual({ fresh: true, polls: 0 });
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

	it("carry the reference, the expiry and the first page's answers in the code page", () => {
		const html = Mustache.render(page(bos, 'code page'), {
			page: {
				reference: 'eyJhIjoxfQ==',
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
		expect(html).toContain('<input type="hidden" name="reference" value="eyJhIjoxfQ&#x3D;&#x3D;">');
		expect(html).toContain('<input type="hidden" name="first_name" value="Asha">');
		expect(html).toContain('Attempts left: 2.');
		expect(html).toContain('It went to <strong>94138****</strong>. It is valid until <time datetime="2026-01-01T10:00:00.000Z">15:30 IST</time>.');
	});

	it('ask for the Aadhaar number again when a new code is needed, empty', () => {
		const iserveu = JOURNEYS.find((j) => j.id === 'iserveu-registration')!;
		const html = Mustache.render(page(iserveu, 'new-code page'), {
			page: { reference: 'x', words: CUSTOMER_WORDS.expired },
			form: { ovdData: '234567890124', customerMobileNumber: '9876543210' },
		});
		expect(html).toMatch(/<input id="ovdData" name="ovdData" [^>]*required>/);
		expect(html).not.toContain('234567890124');
		expect(html).toContain('<input type="hidden" name="customerMobileNumber" value="9876543210">');
	});
});
