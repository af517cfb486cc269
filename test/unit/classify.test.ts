import { failureKindFromCode, fromHttp, fromRedirect, fromTransportError, parseJson, parseRetryAfter, TransportError } from '../../nodes/core';

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

describe('messages a person reads', () => {
	test("429 says each thing once: the provider's words, then when to retry only if they did not say it", () => {
		const said = fromHttp(429, { 'retry-after': '30' }, { message: 'Too many requests. Retry after 30 seconds.' }, now);
		expect(said.message).toBe('The provider is limiting requests (HTTP 429): Too many requests. Retry after 30 seconds.');
		const silent = fromHttp(429, { 'retry-after': '12' }, { message: 'Slow down' }, now);
		expect(silent.message).toBe('The provider is limiting requests (HTTP 429): Slow down. Retry after 12 s.');
		expect(fromHttp(429, {}, undefined, now).message).toBe('Too many requests (HTTP 429).');
	});

	test('a TLS failure says the certificate is not trusted, names the code, and is not retryable', () => {
		const outcome = fromTransportError(new TransportError('tls', 'x', 'DEPTH_ZERO_SELF_SIGNED_CERT'));
		expect(outcome).toMatchObject({ status: 'network_error', retryable: false, text: 'tls' });
		expect(outcome.message).toContain('certificate is not trusted');
		expect(outcome.message).toContain('(DEPTH_ZERO_SELF_SIGNED_CERT)');
		expect(outcome.message).not.toContain('(other)');
	});

	test.each([
		['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
		['CERT_HAS_EXPIRED', 'tls'],
		['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
		['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls'],
		['SELF_SIGNED_CERT_IN_CHAIN', 'tls'],
		['EHOSTUNREACH', 'other'],
		[undefined, 'other'],
	])('error code %s is a %s failure', (code, kind) => {
		expect(failureKindFromCode(code)).toBe(kind);
	});

	test('a timeout names the deadline it missed', () => {
		expect(fromTransportError(new TransportError('timeout', 'x'), 2000).message).toMatch(/^No complete answer from the provider within 2 s/);
		expect(fromTransportError(new TransportError('timeout', 'x'), 300).message).toContain('within 0.3 s');
	});

	test('a redirect names only the other host, never its path or query', () => {
		const outcome = fromRedirect(302, 'https://evil.example:8443/steal?token=abc', 'https://api.provider.example/otp/send');
		expect(outcome).toMatchObject({ status: 'provider_error', retryable: false });
		expect(outcome.message).toContain('redirected the request to evil.example:8443 (HTTP 302)');
		expect(outcome.message).not.toContain('token=abc');
		expect(fromRedirect(301, '/other', 'https://api.provider.example/x').message).toContain('another path on api.provider.example');
		expect(fromRedirect(302, undefined, 'https://api.provider.example/x').message).toContain('another address');
	});
});
