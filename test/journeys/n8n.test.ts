/**
 * The journey workflows (templates/n8n/journeys/): n8n's Form Trigger and Form nodes around our nodes, nothing to set
 * but the credential, the verify node with as few fields as the journey allows, and the expressions in them doing what
 * journeys/model.ts says (run here as n8n runs them, with $json, $(…), $now and DateTime). e2e/journeys/n8n.test.js
 * drives them in real n8n.
 */
import path from 'node:path';
import { DateTime } from 'luxon';
import { CUSTOMER_WORDS, JOURNEYS, OUTCOMES, maskContact, type Journey } from '../../journeys';
import { CODE_FIELD, MASK_CONTACT_JS, PAGE, n8nJourneyFiles, n8nJourneys, type N8nNode, type N8nWorkflow } from '../../journeys/n8n';
import { stepsOf } from '../../journeys/params';
import type { Status } from '../../nodes/core';
import { ROOT, readJson, type Json } from '../examples/support';

const pkg = readJson('packages/n8n-nodes-otpflow/package.json');
const built = n8nJourneys();

/** Our node descriptions by type name, from the compiled package as n8n loads it. */
const descriptions = new Map<string, Json>();
for (const file of pkg.n8n.nodes as string[]) {
	for (const Cls of Object.values(require(path.join(ROOT, file))) as Array<new () => { description: Json }>) {
		const d = new Cls().description;
		descriptions.set(`${pkg.name}.${d.name}`, d);
	}
}
const sandboxCredentials: Json[] = readJson('templates/n8n/credentials.sandbox.json');

/** What an expression reads: the item ($json), other nodes' latest output ($('Node')), the run index. */
interface Scope {
	json?: Json;
	nodes?: Record<string, Json>;
	runIndex?: number;
}

/** The `{{ … }}` parts of a parameter value. */
function codesOf(value: string): string[] {
	return [...value.matchAll(/\{\{ ([\s\S]*?) \}\}/g)].map((m) => m[1]);
}

/** A parameter as n8n resolves it: literal text with every {{ … }} evaluated (timezone as the workflow's). */
function resolve(value: string, scope: Scope): string {
	if (!value.startsWith('=')) return value;
	const $ = (name: string) => {
		const json = scope.nodes?.[name];
		if (json === undefined) throw new Error(`Node '${name}' hasn't been executed`);
		return { first: () => ({ json }), item: { json } };
	};
	const $now = DateTime.now().setZone('Asia/Kolkata');
	return value.slice(1).replace(/\{\{ ([\s\S]*?) \}\}/g, (_m, code: string) => {
		const result = new Function('$json', '$', '$now', 'DateTime', '$runIndex', `return (${code});`)(scope.json ?? {}, $, $now, DateTime, scope.runIndex ?? 0);
		return result === undefined || result === null ? '' : String(result);
	});
}

/** Every string parameter of a node, at any depth. */
function strings(value: unknown, out: string[] = []): string[] {
	if (typeof value === 'string') out.push(value);
	else if (Array.isArray(value)) for (const v of value) strings(v, out);
	else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
	return out;
}

/** The output a Switch sends an item to: the first rule whose conditions hold, else its fallback. */
function switchOutput(node: N8nNode, scope: Scope): number {
	const rules = (node.parameters.rules as Json).values as Json[];
	const holds = (c: Json) => {
		const left = resolve(c.leftValue, scope);
		if (c.operator.type === 'boolean') return left === 'true';
		if (c.operator.type === 'number') return c.operator.operation === 'lt' ? Number(left) < c.rightValue : Number(left) > c.rightValue;
		return left === c.rightValue;
	};
	const index = rules.findIndex((r) => (r.conditions.combinator === 'and' ? r.conditions.conditions.every(holds) : r.conditions.conditions.some(holds)));
	return index >= 0 ? index : (node.parameters.options as Json).fallbackOutput;
}

it('MASK_CONTACT_JS masks as maskContact does', () => {
	const mask = new Function('v', `return ${MASK_CONTACT_JS}(v);`) as (v: string) => string;
	for (const v of ['9876543210', '919999999993', 'asha@example.com', 'a@b.in', 'abc', 'abcd', 'abcde', '']) expect(mask(v)).toBe(maskContact(v));
});

it('writes one workflow per journey, under templates/n8n/journeys/<id>.json', () => {
	expect(Object.keys(n8nJourneyFiles('http://127.0.0.1:4010')).sort()).toEqual(JOURNEYS.map((j) => `templates/n8n/journeys/${j.id}.json`).sort());
});

describe.each(built.map((b) => [b.journey.id, b] as const))(
	'journey %s in n8n',
	(_id, { journey, workflow, verify }: { journey: Journey; workflow: N8nWorkflow; verify: { node: string; fields: string[] } }) => {
		const node = (name: string) => {
			const n = workflow.nodes.find((x) => x.name === name);
			if (!n) throw new Error(`no node ${name}`);
			return n;
		};
		const steps = stepsOf(journey);
		const send = steps.find((s) => s.role === 'send')!.op.name;
		const after = steps.find((s) => s.role === 'after')?.op.name;
		const targets = (from: string, output: number) => (workflow.connections[from]?.main[output] ?? []).map((l) => l.node);
		const ours = workflow.nodes.filter((n) => descriptions.has(n.type));

		it('is a workflow n8n imports: unique names and ids, connections between existing nodes, v1 order', () => {
			const names = new Set(workflow.nodes.map((n) => n.name));
			expect(names.size).toBe(workflow.nodes.length);
			expect(new Set(workflow.nodes.map((n) => n.id)).size).toBe(workflow.nodes.length);
			expect(workflow.id).toMatch(/^[A-Za-z0-9]{16}$/);
			for (const [from, c] of Object.entries(workflow.connections)) {
				expect(names).toContain(from);
				for (const port of c.main) for (const l of port) expect(names).toContain(l.node);
			}
			expect(workflow.settings.executionOrder).toBe('v1');
			expect(workflow.active).toBe(false);
		});

		it('guards the send step (the public triggers it from the first and new-code pages) at the default budgets, and no other step', () => {
			expect(node(send).parameters.options).toEqual({ sendGuard: true });
			for (const n of ours.filter((x) => x.name !== send)) expect((n.parameters.options as Json | undefined)?.sendGuard).toBeUndefined();
		});

		it('starts with a Form Trigger at otp-<id> asking every input of the first page, required, by name', () => {
			const trigger = node(PAGE.details);
			expect(trigger.type).toBe('n8n-nodes-base.formTrigger');
			expect(trigger.typeVersion).toBe(2.5);
			expect(trigger.webhookId).toMatch(/^[0-9a-f-]{36}$/);
			expect((trigger.parameters.options as Json).path).toBe(`otp-${journey.id}`);
			const fields = (trigger.parameters.formFields as Json).values as Json[];
			expect(fields.map((f) => f.fieldName)).toEqual(journey.ask.map((a) => a.name));
			expect(fields.map((f) => f.fieldLabel)).toEqual(journey.ask.map((a) => a.label));
			for (const f of fields) expect(f.requiredField).toBe(true);
			for (const a of journey.ask.filter((x) => x.sensitive)) expect(fields.find((f) => f.fieldName === a.name).fieldType).toBe('password');
		});

		it('needs nothing set but the credential: our nodes, known parameters, the sandbox credential, no sensitive sample', () => {
			expect(ours.length).toBe(steps.length);
			const credential = sandboxCredentials.find((c) => c.type === journey.provider.credential.name);
			for (const n of ours) {
				const d = descriptions.get(n.type);
				expect(n.typeVersion).toBe(d.version);
				const op = n.parameters.operation as string;
				const shown = d.properties.filter((p: Json) => !p.displayOptions?.show?.operation || p.displayOptions.show.operation.includes(op));
				for (const key of Object.keys(n.parameters)) expect(shown.some((p: Json) => p.name === key) ? key : `unknown parameter ${key} for ${op}`).toBe(key);
				expect(n.credentials).toEqual({ [credential.type]: { id: credential.id, name: credential.name } });
			}
			const text = JSON.stringify(workflow);
			for (const a of [...journey.ask, ...(journey.codeAsk ?? [])].filter((x) => x.sensitive)) expect(text).not.toContain(a.sample);
		});

		it('feeds every input of the pages to a step', () => {
			const expressions = ours.flatMap((n) => strings(n.parameters)).join('\n');
			for (const a of journey.ask) expect(expressions).toContain(`$('${PAGE.details}').first().json['${a.name}']`);
			for (const a of journey.codeAsk ?? []) expect(expressions).toContain(`$json['${a.name}']`);
		});

		it('points every step reached through another node at the step it continues', () => {
			steps.forEach(({ op }, i) => {
				if (i === 0) return;
				const into = Object.entries(workflow.connections).flatMap(([from, c]) =>
					c.main.flatMap((port, out) => (port.some((l) => l.node === op.name) ? [`${from}:${out}`] : [])),
				);
				const reference = node(op.name).parameters.reference;
				if (into.every((x) => x === `${steps[i - 1].op.name}:0`)) expect(reference).toBeUndefined();
				else expect(reference).toBe(`={{ $('${steps[i - 1].op.name}').item.json.reference }}`);
			});
		});

		it('sets Reference and the code on the verify node, and only the code page inputs besides', () => {
			expect(verify.fields).toEqual(['reference', expect.any(String), ...(journey.codeAsk ?? []).map((a) => a.name)]);
			expect(node(verify.node).parameters[verify.fields[1]]).toBe(`={{ $json.${CODE_FIELD} }}`);
			expect(node(verify.node).parameters.reference).toBe(`={{ $('${send}').item.json.reference }}`);
		});

		it('has only valid expressions, none holding {{ or }} inside', () => {
			for (const n of workflow.nodes) {
				for (const s of strings(n.parameters)) {
					if (!s.startsWith('=')) continue;
					for (const code of codesOf(s)) {
						expect(code).not.toMatch(/\{\{|\}\}/);
						expect(() => new Function('$json', '$', '$now', 'DateTime', '$runIndex', `return (${code});`)).not.toThrow();
					}
				}
			}
		});

		it('limits how long every page waits (n8n would keep a page until the year 3000)', () => {
			for (const n of workflow.nodes.filter((x) => x.type === 'n8n-nodes-base.form')) expect(n.parameters.limitWaitTime).toBe(true);
		});

		it('sends each failure of the steps before the code and of the send to the error page (or starts again once)', () => {
			for (const { op, role } of steps.filter((s) => s.role === 'before'))
				expect({ op: op.name, role, to: targets(op.name, 1) }).toEqual({ op: op.name, role, to: [PAGE.error] });
			if (journey.before.length === 0) expect(targets(send, 1)).toEqual([PAGE.error]);
			else {
				expect(targets(send, 1)).toEqual([PAGE.restart]);
				expect(targets(PAGE.restart, 0)).toEqual([steps[0].op.name]);
				expect(targets(PAGE.restart, 1)).toEqual([PAGE.error]);
			}
		});

		it('routes every status of the verify step as OUTCOMES says', () => {
			const route = node(PAGE.route);
			const expected: Record<string, string> = {
				done: after ?? PAGE.done,
				code_again: PAGE.code,
				new_code: PAGE.newCodeWait,
				poll: after ?? PAGE.later,
				error: PAGE.error,
			};
			for (const status of Object.keys(OUTCOMES) as Status[]) {
				const to = targets(PAGE.route, switchOutput(route, { json: { status, attemptsRemaining: 2 } }));
				expect({ status, to }).toEqual({ status, to: [expected[OUTCOMES[status]]] });
			}
			// A wrong code with no attempts left asks for a new code: at most attemptsRemaining code pages.
			expect(targets(PAGE.route, switchOutput(route, { json: { status: 'invalid_otp', attemptsRemaining: 0 } }))).toEqual([PAGE.newCodeWait]);
			expect(targets(PAGE.route, switchOutput(route, { json: { status: 'invalid_otp' } }))).toEqual([PAGE.code]);
			expect(targets(PAGE.newCodeWait, 0)).toEqual([PAGE.newCode]);
			expect(targets(PAGE.newCode, 0)).toEqual([PAGE.asked]);
			expect(targets(PAGE.asked, 0)).toEqual([send]);
			expect(targets(PAGE.asked, 1)).toEqual([]);
		});

		it('polls the step after a verified code a bounded number of times, then says come back later', () => {
			if (!after) return;
			const poll = journey.after!.poll!;
			const route = node(PAGE.routeAfter);
			expect(targets(after, 0)).toEqual([PAGE.routeAfter]);
			expect(targets(after, 1)).toEqual([PAGE.routeAfter]);
			expect(node(PAGE.pollWait).parameters).toEqual({ amount: poll.waitSeconds, unit: 'seconds' });
			expect(targets(PAGE.pollWait, 0)).toEqual([after]);
			for (let run = 0; run <= poll.times; run++) {
				expect(targets(PAGE.routeAfter, switchOutput(route, { json: { status: 'pending' }, runIndex: run }))).toEqual([
					run < poll.times ? PAGE.pollWait : PAGE.later,
				]);
			}
			expect(targets(PAGE.routeAfter, switchOutput(route, { json: { status: 'completed' } }))).toEqual([PAGE.done]);
			expect(targets(PAGE.routeAfter, switchOutput(route, { json: { status: 'provider_error' } }))).toEqual([PAGE.error]);
		});

		it('says on the code page where the code went, until when, and what was wrong with the last one', () => {
			const code = node(PAGE.code);
			const text = (code.parameters.options as Json).formDescription as string;
			const first = Object.fromEntries(journey.ask.map((a) => [a.name, a.sample]));
			const expiresAt = DateTime.now().plus({ minutes: 10 }).toUTC().toISO();
			const sent = { status: 'otp_sent', expiresAt, reference: { maskedDestination: '94138****' } };
			const nodes = { [PAGE.details]: first, [send]: sent };
			const shown = resolve(text, { json: sent, nodes });
			const sentTo = journey.sentTo;
			const where = 'ask' in sentTo ? maskContact(first[sentTo.ask]) : 'reference' in sentTo ? '94138****' : sentTo.text;
			expect(shown).toBe(`We sent a code to ${where}. It works until ${DateTime.fromISO(expiresAt).setZone('Asia/Kolkata').toFormat("HH:mm '(UTC'ZZ')'")}.`);
			const again = resolve(text, { json: { status: 'invalid_otp', attemptsRemaining: 2 }, nodes: { ...nodes, [send]: { ...sent, expiresAt: undefined } } });
			expect(again).toBe(`${CUSTOMER_WORDS.invalid_otp} Attempts left: 2.\nWe sent a code to ${where}.`);
			// The page stays open two minutes past the code's expiry, so a late code is answered "expired".
			expect(DateTime.fromISO(resolve(String(code.parameters.maxDateAndTime), { nodes })).toMillis()).toBe(
				DateTime.fromISO(expiresAt).plus({ minutes: 2 }).toMillis(),
			);
			for (const s of strings(code.parameters)) for (const a of journey.ask.filter((x) => x.sensitive)) expect(s).not.toContain(`'${a.name}'`);
		});

		it('ends on pages in plain words: done with its placeholders filled, errors from CUSTOMER_WORDS', () => {
			const done = node(PAGE.done).parameters;
			const names = [...journey.done.text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
			const reference = Object.fromEntries(names.map((n) => [n, '750']));
			expect(done.completionTitle).toBe(journey.done.title);
			// Read from the last step by name: a reloaded page has no input item.
			const last = (after ?? verify.node) as string;
			expect(resolve(String(done.completionMessage), { nodes: { [last]: { status: 'completed', reference } } })).toBe(
				journey.done.text.replace(/\{\w+\}/g, '750'),
			);
			const error = String(node(PAGE.error).parameters.completionMessage);
			for (const status of (Object.keys(OUTCOMES) as Status[]).filter((s) => OUTCOMES[s] === 'error')) {
				expect(resolve(error, { json: { status, message: 'PAN (pancard) must be like ABCDE1234F' } })).toBe(
					CUSTOMER_WORDS[status].replace('{message}', 'PAN (pancard) must be like ABCDE1234F'),
				);
			}
			expect(resolve(String((node(PAGE.newCode).parameters.options as Json).formDescription), { json: { status: 'expired' } })).toBe(CUSTOMER_WORDS.expired);
			expect(resolve(String((node(PAGE.newCode).parameters.options as Json).formDescription), { json: { status: 'invalid_otp', attemptsRemaining: 0 } })).toBe(
				CUSTOMER_WORDS.max_attempts,
			);
		});
	},
);

it('keeps the verify node to Reference and the code (plus what the code page asks)', () => {
	const counts = Object.fromEntries(built.map((b) => [b.journey.id, b.verify.fields.length]));
	expect(counts).toEqual(Object.fromEntries(JOURNEYS.map((j) => [j.id, 2 + (j.codeAsk?.length ?? 0)])));
});
