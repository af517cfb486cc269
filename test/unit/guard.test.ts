import { createHash } from 'crypto';
import {
	checkSend,
	clientAddress,
	contentSecurityPolicy,
	DEFAULT_SEND_LIMITS,
	guardKeys,
	inlineHash,
	MemoryCounterStore,
	normaliseIdentifier,
	pageHeaders,
	refusedSendResult,
	sendLimits,
} from '../../nodes/core';

const T0 = Date.UTC(2026, 11, 7, 10, 0, 0);

describe('send guard', () => {
	it('allows 5 sends per number in 10 minutes, refuses the 6th with the time its window has left', async () => {
		const store = new MemoryCounterStore();
		const decisions = [];
		for (let i = 0; i < 6; i++) decisions.push(await checkSend(store, DEFAULT_SEND_LIMITS, { provider: 'bos', identifier: '9876543210' }, T0 + i * 1000));
		expect(decisions.slice(0, 5).every((d) => d.allowed)).toBe(true);
		expect(decisions[5]).toEqual({ allowed: false, refusedBy: 'identifier', retryAfterSeconds: 595 });
		// The window ends 10 minutes after its first send, and the number starts afresh.
		expect((await checkSend(store, DEFAULT_SEND_LIMITS, { provider: 'bos', identifier: '9876543210' }, T0 + 600000)).allowed).toBe(true);
	});

	it('counts +91 98765-43210, 09876543210 and 919876543210 as one number, e-mail without case', async () => {
		expect(['+91 98765-43210', '09876543210', '919876543210', ' 9876543210 '].map(normaliseIdentifier)).toEqual(Array(4).fill('9876543210'));
		expect(normaliseIdentifier('Asha@Example.com')).toBe('asha@example.com');
		const store = new MemoryCounterStore();
		const limits = { ...DEFAULT_SEND_LIMITS, perIdentifier: { max: 2, windowSeconds: 600 } };
		const spellings = ['+91 98765-43210', '09876543210', '919876543210'];
		const allowed = [];
		for (const identifier of spellings) allowed.push((await checkSend(store, limits, { provider: 'bos', identifier }, T0)).allowed);
		expect(allowed).toEqual([true, true, false]);
	});

	it('refuses the 11th send from one client in a minute, whatever number it asks for', async () => {
		const store = new MemoryCounterStore();
		const refused = [];
		for (let i = 0; i < 200; i++) {
			const d = await checkSend(store, DEFAULT_SEND_LIMITS, { provider: 'iserveu', identifier: `98${String(i).padStart(8, '0')}`, client: '203.0.113.7' }, T0);
			if (!d.allowed) refused.push(d.refusedBy);
		}
		expect(refused).toHaveLength(190);
		expect(new Set(refused)).toEqual(new Set(['client']));
	});

	it('keeps an account budget per hour only when the user sets one', async () => {
		const store = new MemoryCounterStore();
		const unset = [];
		for (let i = 0; i < 30; i++) unset.push((await checkSend(store, DEFAULT_SEND_LIMITS, { provider: 'summitai', account: 'acct-1' }, T0)).allowed);
		expect(unset.every(Boolean)).toBe(true);
		const limits = sendLimits({ perAccountPerHour: 3 });
		const set = [];
		for (let i = 0; i < 4; i++) set.push(await checkSend(store, limits, { provider: 'summitai', account: 'acct-2' }, T0 + i));
		expect(set.map((d) => d.allowed)).toEqual([true, true, true, false]);
		expect(set[3]).toMatchObject({ refusedBy: 'account', retryAfterSeconds: 3600 });
	});

	it('never puts a number, an address or an account id in a store key', () => {
		const keys = guardKeys({ provider: 'capillary', identifier: '919999999993', client: '198.51.100.4', account: 'brand-x' });
		expect(Object.keys(keys)).toEqual(['identifier', 'client', 'account']);
		for (const key of Object.values(keys)) expect(key).not.toMatch(/9999|198\.51|brand/);
	});

	it('turns a refusal into rate_limited with retryAfterSeconds, saying nothing was sent', () => {
		const result = refusedSendResult('bos', 'generateOtp', { allowed: false, refusedBy: 'identifier', retryAfterSeconds: 42 });
		expect(result).toMatchObject({
			ok: false,
			status: 'rate_limited',
			retryable: true,
			retryAfterSeconds: 42,
			providerStatus: { code: 'send_guard_identifier' },
		});
		expect(result.message).toMatch(/this number or address: try again in 42 seconds .*nothing was sent/);
	});

	it('reads limits from settings, an unreadable value at its default, 0 switching a budget off', () => {
		expect(
			sendLimits({ perIdentifierMax: '3', perIdentifierWindowMinutes: 15, perClientMax: 'lots', perClientWindowMinutes: -1, perAccountPerHour: 0 }),
		).toEqual({
			perIdentifier: { max: 3, windowSeconds: 900 },
			perClient: { max: 10, windowSeconds: 60 },
			perAccount: { max: 0, windowSeconds: 3600 },
		});
	});
});

describe('client address', () => {
	it('is the connecting address unless a proxy is trusted: X-Forwarded-For is the client’s to write', () => {
		expect(clientAddress('10.0.0.5', '1.2.3.4', 0)).toBe('10.0.0.5');
		expect(clientAddress('10.0.0.5', '6.6.6.6, 1.2.3.4', 1)).toBe('1.2.3.4');
		expect(clientAddress('10.0.0.5', ['6.6.6.6, 1.2.3.4', '5.5.5.5'], 2)).toBe('1.2.3.4');
		expect(clientAddress('10.0.0.5', undefined, 1)).toBe('10.0.0.5');
		expect(clientAddress('10.0.0.5', '1.2.3.4', 3)).toBe('10.0.0.5');
	});

	it('counts IPv4-mapped IPv6 as IPv4 and an IPv6 client by its /64', () => {
		expect(clientAddress('::ffff:127.0.0.1', undefined)).toBe('127.0.0.1');
		expect(clientAddress('2001:db8:0:12:aaaa::1', undefined)).toBe('2001:db8:0:12::/64');
		expect(clientAddress('2001:0db8:0000:0012:bbbb:cccc:dddd:eeee', undefined)).toBe('2001:db8:0:12::/64');
		expect(clientAddress('::1', undefined)).toBe('0:0:0:0::/64');
	});
});

describe('page headers', () => {
	it('forbid framing, caching and referrers on every page', () => {
		expect(pageHeaders()).toMatchObject({
			'X-Frame-Options': 'DENY',
			'Cache-Control': 'no-store',
			'Referrer-Policy': 'no-referrer',
			'X-Content-Type-Options': 'nosniff',
		});
		expect(pageHeaders()['Content-Security-Policy']).toContain("frame-ancestors 'none'");
	});

	it('allow no script unless a nonce is given, and only the page’s own styles by hash', () => {
		const css = 'body{color:#111}';
		expect(contentSecurityPolicy({ styles: [css] })).toContain(`style-src ${inlineHash(css)}`);
		expect(contentSecurityPolicy()).toContain("script-src 'none'");
		expect(contentSecurityPolicy({ scriptNonce: 'abc' })).toContain("script-src 'nonce-abc'");
		const widget = contentSecurityPolicy({ widgetOrigins: ['https://challenges.cloudflare.com'] });
		expect(widget).toContain('script-src https://challenges.cloudflare.com');
		expect(widget).toContain('frame-src https://challenges.cloudflare.com');
		expect(inlineHash(css)).toBe(`'sha256-${createHash('sha256').update(css).digest('base64')}'`);
	});
});
