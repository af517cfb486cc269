/**
 * The journeys' guard: sealed states bound to a journey, a step and an expiry, good for one request (the claim); the
 * first page's bot friction; counters in a Node-RED context store; and the guard node in a real Node-RED runtime
 * (no key → refused, the send guard's rate_limited, the headers). e2e/journeys/node-red-abuse.js attacks the flows.
 */
import { MemoryCounterStore, type CounterStore } from '../../nodes/core';
import { ContextCounterStore, type ContextLike } from '../../node-red/context-store';
import { journeysHelp, journeysHtml } from '../../node-red/editor/journeys-html';
import { inWords, JOURNEY_GUARD_TYPE, PUBLIC_PAGES_DEFAULTS, PUBLIC_PAGES_TYPE, messageClient } from '../../node-red/journey';
import {
	checkFirstPage,
	claim,
	JOURNEY_MAX_MS,
	openState,
	readState,
	sealIssue,
	sealState,
	startRun,
	stateExpiry,
	type JourneyState,
} from '../../node-red/journey-state';
import journeysModule from '../../node-red/journeys';
import { helper } from './harness';

const KEY = 'a sealing key of the tests, long enough';
const NOW = Date.UTC(2026, 0, 1, 10);
const base = (over: Partial<JourneyState> = {}): JourneyState => ({
	j: 'bos',
	run: 'run-1',
	seq: 1,
	next: ['verify'],
	exp: NOW + 600000,
	born: NOW,
	verified: false,
	ref: { customerId: 'C-1' },
	ans: { mobile_number: '9413812345' },
	...over,
});
const open = (token: unknown, step: 'verify' | 'resend' | 'check' = 'verify', journey = 'bos', now = NOW + 1000) =>
	openState(token, { journey, step, key: KEY, now });

describe('a sealed journey state', () => {
	it('opens for its journey and step only, before its expiry and within the run hour', () => {
		const token = sealState(base(), KEY);
		expect(token).toMatch(/^sealed\.v1\./);
		expect(token).not.toContain('C-1');
		expect(open(token)).toEqual({ state: base() });
		expect(open(token, 'resend')).toEqual({ refused: 'wrong-step' });
		expect(open(token, 'verify', 'aopay')).toEqual({ refused: 'other-journey' });
		expect(open(token, 'verify', 'bos', NOW + 600000)).toEqual({ refused: 'expired' });
		expect(open(sealState(base({ exp: NOW + 2 * JOURNEY_MAX_MS }), KEY), 'verify', 'bos', NOW + JOURNEY_MAX_MS + 1)).toEqual({ refused: 'expired' });
	});

	it('refuses an altered, foreign-key, unsealed or missing state', () => {
		const token = sealState(base(), KEY);
		for (let at = 10; at < token.length; at += 7) {
			const altered = token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
			expect(open(altered)).toEqual({ refused: 'altered' });
		}
		expect(open(sealState(base(), 'another key of the same length!!'))).toEqual({ refused: 'altered' });
		expect(open(Buffer.from(JSON.stringify(base())).toString('base64'))).toEqual({ refused: 'altered' });
		expect(open('')).toEqual({ refused: 'missing' });
		expect(open(undefined)).toEqual({ refused: 'missing' });
		expect(open(['x'])).toEqual({ refused: 'missing' });
		// Sealed with the right key but not a state (an issue token): refused too.
		expect(open(sealIssue('bos', NOW, KEY))).toEqual({ refused: 'altered' });
	});

	it('lets the step after the code run only from a state sealed as code verified', () => {
		expect(open(sealState(base({ next: ['check'] }), KEY), 'check')).toEqual({ refused: 'not-verified' });
		expect(open(sealState(base({ next: ['check'], verified: true }), KEY), 'check')).toHaveProperty('state');
	});

	it('expires with the code, at most after its own minutes, never past the run hour', () => {
		expect(stateExpiry({ now: NOW, born: NOW, minutes: 10 })).toBe(NOW + 600000);
		expect(stateExpiry({ now: NOW, born: NOW, minutes: 10, codeExpiresAt: new Date(NOW + 120000).toISOString() })).toBe(NOW + 120000);
		expect(stateExpiry({ now: NOW, born: NOW, minutes: 10, codeExpiresAt: 'not a time' })).toBe(NOW + 600000);
		expect(stateExpiry({ now: NOW + JOURNEY_MAX_MS - 1000, born: NOW, minutes: 10 })).toBe(NOW + JOURNEY_MAX_MS);
	});

	it('opens a page sealed with the previous key while the key is being changed, and only then', () => {
		const old = 'the key being retired, long enough';
		const token = sealState(base(), old);
		expect(open(token)).toEqual({ refused: 'altered' });
		expect(openState(token, { journey: 'bos', step: 'verify', key: KEY, previousKeys: [old], now: NOW + 1000 })).toEqual({ state: base() });
		const form = { issued: sealIssue('bos', NOW, old) };
		expect(checkFirstPage(form, { journey: 'bos', key: KEY, now: NOW + 5000, minFillSeconds: 3 })).toBe('no-issue');
		expect(checkFirstPage(form, { journey: 'bos', key: KEY, previousKeys: [old], now: NOW + 5000, minFillSeconds: 3 })).toBeUndefined();
	});

	it('reads back for whoever holds the key, and for nobody else', () => {
		expect(readState(sealState(base(), KEY), KEY)).toEqual(base());
		expect(readState(sealState(base(), KEY), 'another key of the same length!!')).toBeUndefined();
	});
});

describe('the claim: each state acts once', () => {
	it('accepts the state handed out last, once; an older or reused one is refused', async () => {
		const store = new MemoryCounterStore();
		const run = await startRun(store, NOW);
		if ('refused' in run) throw new Error('refused');
		expect(run.seq).toBe(1);
		const first = base({ run: run.run, seq: run.seq });
		expect(await claim(store, first, { shared: true, now: NOW })).toEqual({ seq: 2 });
		expect(await claim(store, first, { shared: true, now: NOW })).toEqual({ refused: 'replayed' });
		// The replay burnt the count the next state needed: the run ends (fail safe).
		expect(await claim(store, base({ run: run.run, seq: 2 }), { shared: true, now: NOW })).toEqual({ refused: 'replayed' });
	});

	it('acts once when one state is posted many times at once', async () => {
		const store = new MemoryCounterStore();
		const run = await startRun(store, NOW);
		if ('refused' in run) throw new Error('refused');
		const results = await Promise.all(Array.from({ length: 10 }, () => claim(store, base({ run: run.run, seq: 1 }), { shared: true, now: NOW })));
		expect(results.filter((r) => 'seq' in r)).toHaveLength(1);
	});

	it('takes a run this copy never saw as first seen only with a per-copy store, and then only once', async () => {
		const state = base({ run: 'from-another-copy', seq: 3 });
		expect(await claim(new MemoryCounterStore(), state, { shared: true, now: NOW })).toEqual({ refused: 'replayed' });
		const store = new MemoryCounterStore();
		expect(await claim(store, state, { shared: false, now: NOW })).toEqual({ seq: 2 });
		expect(await claim(store, state, { shared: false, now: NOW })).toEqual({ refused: 'replayed' });
	});

	it('refuses when the store cannot be asked (fail closed)', async () => {
		const broken: CounterStore = { hit: async () => ({ storeFailure: 'down' }), peek: async () => ({ storeFailure: 'down' }) };
		expect(await claim(broken, base(), { shared: true, now: NOW })).toEqual({ refused: 'store' });
		expect(await startRun(broken, NOW)).toEqual({ refused: 'store' });
	});
});

describe("a first page's bot friction", () => {
	const issued = sealIssue('bos', NOW, KEY);
	const check = (form: Record<string, unknown>, now = NOW + 5000) => checkFirstPage(form, { journey: 'bos', key: KEY, now, minFillSeconds: 3 });
	it('passes a person: the issue token of this journey, empty honeypot, after the fill time', () => {
		expect(check({ issued, website: '' })).toBeUndefined();
		expect(check({ issued })).toBeUndefined();
	});
	it('refuses a filled honeypot, a post within the fill time, a stale page, a missing or foreign token', () => {
		expect(check({ issued, website: 'x' })).toBe('honeypot');
		expect(check({ issued }, NOW + 2999)).toBe('too-fast');
		expect(check({ issued }, NOW + JOURNEY_MAX_MS + 1)).toBe('stale');
		expect(check({})).toBe('no-issue');
		expect(check({ issued: sealIssue('aopay', NOW, KEY) })).toBe('no-issue');
		expect(check({ issued: sealIssue('bos', NOW, 'another key of the same length!!') })).toBe('no-issue');
		expect(check({ issued: sealState(base(), KEY) })).toBe('no-issue');
	});
});

/** A context as Node-RED's memory store answers it: asynchronously, per key. */
function fakeContext(fail = false): ContextLike & { data: Map<string, unknown> } {
	const data = new Map<string, unknown>();
	return {
		data,
		get: (key, _store, cb) => setImmediate(() => (fail ? cb(new Error('store down')) : cb(null, data.get(key)))),
		set: (key, value, _store, cb) =>
			setImmediate(() => {
				if (value === undefined) data.delete(key);
				else data.set(key, value);
				cb(null);
			}),
		keys: (_store, cb) => setImmediate(() => cb(null, [...data.keys()])),
	};
}

describe('counters in a Node-RED context store', () => {
	it('counts hits on one key in order, even when they arrive together, and starts again after the window', async () => {
		const ctx = fakeContext();
		const store = new ContextCounterStore(ctx, 'file');
		const counts = await Promise.all(Array.from({ length: 20 }, () => store.hit('otpflow:send:id:abc', 60000, NOW)));
		expect(counts.map((c) => ('count' in c ? c.count : -1))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
		expect(await store.peek('otpflow:send:id:abc', NOW)).toBe(20);
		expect(await store.hit('otpflow:send:id:abc', 60000, NOW + 60000)).toEqual({ count: 1, resetAt: NOW + 120000 });
	});

	it('reports a store that fails as a store failure, never a throw', async () => {
		const store = new ContextCounterStore(fakeContext(true), 'redis');
		expect(await store.hit('k', 1000, NOW)).toEqual({ storeFailure: expect.stringContaining('"redis" did not answer') });
	});

	it('drops ended windows now and then', async () => {
		const ctx = fakeContext();
		const store = new ContextCounterStore(ctx, undefined, 3);
		await store.hit('otpflow:a', 1000, NOW);
		await store.hit('otpflow:b', 1000, NOW);
		await store.hit('otpflow:c', 1000, NOW + 5000);
		await new Promise((r) => setTimeout(r, 20));
		expect([...ctx.data.keys()]).toEqual(['otpflow:c']);
	});
});

describe('the client address and the words of a wait', () => {
	it('is the connecting address unless proxies are trusted', () => {
		const msg = { req: { socket: { remoteAddress: '::ffff:203.0.113.9' }, headers: { 'x-forwarded-for': '198.51.100.1, 192.0.2.5' } } };
		expect(messageClient(msg, 0)).toBe('203.0.113.9');
		expect(messageClient(msg, 1)).toBe('192.0.2.5');
		expect(messageClient(msg, 2)).toBe('198.51.100.1');
		expect(messageClient({}, 1)).toBeUndefined();
	});
	it('says seconds, then minutes', () => {
		expect(inWords(1)).toBe('1 second');
		expect(inWords(45)).toBe('45 seconds');
		expect(inWords(600)).toBe('10 minutes');
	});
});

describe('the guard node in Node-RED', () => {
	// What left the guard, by port, in order (helper nodes wired once per load).
	let seen: Array<{ port: 1 | 2; msg: any }> = [];
	let wired = false;
	const reset = () => {
		seen = [];
		wired = false;
	};
	afterEach(async () => {
		reset();
		await helper.unload();
	});

	const flow = (guard: Record<string, unknown>, pages: Record<string, unknown> = {}) => [
		{ id: 'tab', type: 'tab', label: 't' },
		{ id: 'pages', type: PUBLIC_PAGES_TYPE, name: '', ...PUBLIC_PAGES_DEFAULTS, ...pages },
		{
			id: 'g',
			z: 'tab',
			type: JOURNEY_GUARD_TYPE,
			pages: 'pages',
			journey: 'capillary-web',
			provider: 'capillary',
			account: 'acct',
			identifier: 'identifierValue',
			carry: 'identifierValue',
			sendOperation: 'generateOtp',
			next: '',
			verified: false,
			...guard,
			wires: [['on'], ['refused']],
		},
		{ id: 'on', z: 'tab', type: 'helper' },
		{ id: 'refused', z: 'tab', type: 'helper' },
	];
	/** Sends one message to the guard and resolves with the port it left on. */
	const outcome = async (msg: Record<string, unknown>) => {
		if (!wired) {
			wired = true;
			helper.getNode('on').on('input', (m: any) => seen.push({ port: 1, msg: m }));
			helper.getNode('refused').on('input', (m: any) => seen.push({ port: 2, msg: m }));
		}
		const count = seen.length;
		helper.getNode('g').receive(msg);
		for (const until = Date.now() + 5000; seen.length === count && Date.now() < until;) await new Promise((r) => setTimeout(r, 2));
		if (seen.length === count) throw new Error('the guard sent nothing');
		return seen[count];
	};

	it('refuses every page without a sealing key and says what to set', async () => {
		await helper.load(journeysModule, flow({ mode: 'first' }), { pages: {} });
		const { port, msg } = await outcome({});
		expect(port).toBe(2);
		expect(msg.page.words).toMatch(/Sealing key/);
		expect(msg.headers['X-Frame-Options']).toBe('DENY');
	});

	it('issues the first page with a sealed time and its headers, a CAPTCHA origin only when one is set', async () => {
		await helper.load(journeysModule, flow({ mode: 'first' }), { pages: { sealingKey: KEY } });
		const { port, msg } = await outcome({});
		expect(port).toBe(1);
		expect(msg.page.issued).toMatch(/^sealed\.v1\./);
		expect(msg.headers['Content-Security-Policy']).toContain("script-src 'none'");
		await helper.unload();
		reset();
		await helper.load(journeysModule, flow({ mode: 'first' }, { captcha: 'turnstile', captchaSiteKey: 'site' }), {
			pages: { sealingKey: KEY, captchaSecret: 's' },
		});
		const withCaptcha = await outcome({});
		expect(withCaptcha.msg.headers['Content-Security-Policy']).toContain('script-src https://challenges.cloudflare.com');
		expect(withCaptcha.msg.page.captcha).toMatchObject({ siteKey: 'site', widget: 'cf-turnstile' });
	});

	it('refuses the 6th first page for one address in 10 minutes as rate_limited, with when to try again', async () => {
		await helper.load(journeysModule, flow({ mode: 'check' }, { minFillSeconds: 0 }), { pages: { sealingKey: KEY } });
		const issued = sealIssue('capillary-web', Date.now(), KEY);
		const ports: number[] = [];
		let last: any;
		for (let i = 0; i < 6; i++) {
			const client = `198.51.100.${i}`;
			const r = await outcome({
				form: { step: 'start', issued, identifierValue: 'Asha@Example.com ' },
				req: { socket: { remoteAddress: client }, headers: {} },
			});
			ports.push(r.port);
			last = r.msg;
		}
		expect(ports).toEqual([1, 1, 1, 1, 1, 2]);
		expect(last.payload).toMatchObject({ ok: false, status: 'rate_limited', providerStatus: { code: 'send_guard_identifier' } });
		expect(last.payload.retryAfterSeconds).toBeGreaterThan(590);
		expect(last.page.words).toMatch(/try again in 10 minutes/);
	});

	it('opens a sealed state into msg.journey and puts the carried answers back over what was posted', async () => {
		await helper.load(journeysModule, flow({ mode: 'check' }), { pages: { sealingKey: KEY } });
		const start = await outcome({ form: { step: 'start', issued: sealIssue('capillary-web', Date.now() - 5000, KEY), identifierValue: 'a@b.in' } });
		expect(start.port).toBe(1);
		const { run, seq, born } = start.msg.journey;
		const state = sealState(
			{
				j: 'capillary-web',
				run,
				seq,
				born,
				next: ['verify'],
				exp: Date.now() + 60000,
				verified: false,
				ref: { sessionId: 'S' },
				ans: { identifierValue: 'a@b.in' },
			},
			KEY,
		);
		const r = await outcome({ form: { step: 'verify', state, identifierValue: 'someone-else@b.in', otp: '1' } });
		expect(r.port).toBe(1);
		expect(r.msg.journey).toMatchObject({ reference: { sessionId: 'S' }, seq: seq + 1, run });
		expect(r.msg.form.identifierValue).toBe('a@b.in');
		const replay = await outcome({ form: { step: 'verify', state, otp: '1' } });
		expect([replay.port, replay.msg.payload.providerStatus.code]).toEqual([2, 'journey_replayed']);
		// A step that is not a plain string (step[]=verify) is no step: the first page, nothing opened or counted.
		const odd = await outcome({ form: { step: ['verify'], state } });
		expect([odd.port, typeof odd.msg.page.issued, odd.msg.journey]).toEqual([1, 'string', undefined]);
	});
});

describe('the journeys editor file', () => {
	it('registers the two types the runtime registers, the keys as password credentials, and documents both', () => {
		const runtime = new Map<string, any>();
		journeysModule({ nodes: { registerType: (type: string, _c: unknown, opts?: unknown) => runtime.set(type, opts) } } as never);
		expect([...runtime.keys()].sort()).toEqual([JOURNEY_GUARD_TYPE, PUBLIC_PAGES_TYPE].sort());
		expect(runtime.get(PUBLIC_PAGES_TYPE)).toEqual({
			credentials: { sealingKey: { type: 'password' }, previousSealingKey: { type: 'password' }, captchaSecret: { type: 'password' } },
		});
		const html = journeysHtml();
		for (const type of runtime.keys()) {
			expect(html).toContain(`RED.nodes.registerType("${type}"`);
			expect(html).toContain(`data-template-name="${type}"`);
			expect(journeysHelp()).toContain(`data-help-name="${type}"`);
		}
		expect(html).toMatch(/sealingKey: \{ type: "password", required: true \}/);
		expect(html).not.toMatch(/sealingKey: \{ value/);
	});
});
