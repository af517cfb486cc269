import { fromHttp, fromTransportError, parseJson, parseRetryAfter, TransportError } from '../../nodes/core';

const now = new Date('2026-11-22T10:00:00Z');

describe('generic classification', () => {
	test.each([
		['timeout', 'network_error'],
		['connection_reset', 'network_error'],
		['dns', 'network_error'],
	] as const)('transport failure %s → %s, retryable', (kind, status) => {
		const outcome = fromTransportError(new TransportError(kind, 'x'));
		expect(outcome.status).toBe(status);
		expect(outcome.retryable).toBe(true);
	});

	test.each([
		[401, { message: 'bad token' }, 'auth_failed'],
		[403, undefined, 'auth_failed'],
		[500, undefined, 'provider_error'],
		[503, { message: 'down' }, 'provider_error'],
		[200, undefined, 'provider_error'],
		[400, { message: 'bad' }, 'invalid_request'],
		[200, { unexpected: true }, 'provider_error'],
	])('HTTP %s with body %j → %s', (status, body, expected) => {
		expect(fromHttp(status, {}, body, now).status).toBe(expected);
	});

	test('429 reads Retry-After in seconds or as a date', () => {
		expect(fromHttp(429, { 'retry-after': '42' }, undefined, now).retryAfterSeconds).toBe(42);
		expect(parseRetryAfter('Sun, 22 Nov 2026 10:01:00 GMT', now)).toBe(60);
		expect(fromHttp(429, {}, undefined, now)).toMatchObject({ status: 'rate_limited', retryable: true });
	});

	test("keeps the provider's own words in the message", () => {
		expect(fromHttp(401, {}, { responsecode: 401, status: false, message: 'Invalid access token' }, now).message).toContain('Invalid access token');
	});

	test('parseJson returns undefined for HTML and truncated bodies', () => {
		expect(parseJson('<html>502</html>')).toBeUndefined();
		expect(parseJson('{"status": "ok", ')).toBeUndefined();
		expect(parseJson('{"a":1}')).toEqual({ a: 1 });
	});
});
