import http from 'node:http';
import { Faults, SANDBOX_ACCOUNTS, startSandbox, type Sandbox } from '../../sandbox';
import { AADHAAR, call } from './helpers';

let sb: Sandbox;
beforeAll(async () => {
	sb = await startSandbox({ config: { faultMaxHoldMs: 2000 } });
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const AUTH = { client_id: SANDBOX_ACCOUNTS.iserveu.clientId, client_secret: SANDBOX_ACCOUNTS.iserveu.clientSecret };
const sendOtp = (opts: { timeoutMs?: number } = {}) =>
	call(`${sb.baseUrls.iserveu}/common/dmt-lite/unified/otp/send`, {
		headers: AUTH,
		body: { customerMobileNumber: '8144094480', username: 'agent_01', otpType: '1', ovdType: 'Aadhaar', ovdData: AADHAAR },
		...opts,
	});
const bos = SANDBOX_ACCOUNTS.bos;
const bosGenerate = () =>
	call(`${sb.baseUrls.bos}GenerateOTP`, {
		method: 'GET',
		body: { cibil_id: 1, access_token: bos.accessToken, RegistrationID: bos.registrationId, CompanyCode: bos.companyCode },
	});

describe('fault injection', () => {
	it('latency delays the normal answer by ms', async () => {
		sb.faults.add({ provider: 'iserveu', kind: 'latency', ms: 150 });
		const started = Date.now();
		const r = await sendOtp();
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		expect(r.json.statusCode).toBe('0');
	});

	it('timeout holds the request until the client gives up', async () => {
		sb.faults.add({ provider: 'iserveu', kind: 'timeout' });
		await expect(sendOtp({ timeoutMs: 200 })).rejects.toMatchObject({ code: 'TIMEOUT' });
		expect(sb.inbox.list()).toHaveLength(0);
		expect((await sendOtp()).json.statusCode).toBe('0'); // one-shot: the next request is normal
	});

	it('timeout destroys the socket itself after ms (bounded hold)', async () => {
		sb.faults.add({ kind: 'timeout', ms: 100 });
		const started = Date.now();
		await expect(sendOtp({ timeoutMs: 5000 })).rejects.toMatchObject({ code: 'ECONNRESET' });
		expect(Date.now() - started).toBeLessThan(1500);
	});

	it('timeout is capped by config.faultMaxHoldMs whatever ms asks for', async () => {
		const capped = await startSandbox({ config: { faultMaxHoldMs: 100 } });
		try {
			capped.faults.add({ kind: 'timeout', ms: 600_000 });
			const started = Date.now();
			await expect(call(`${capped.url}/capillary/auth/v1/token/generate`, { body: {}, timeoutMs: 5000 })).rejects.toMatchObject({
				code: 'ECONNRESET',
			});
			expect(Date.now() - started).toBeLessThan(1500);
		} finally {
			await capped.close();
		}
	});

	it('reset destroys the connection without a response', async () => {
		sb.faults.add({ provider: 'iserveu', kind: 'reset' });
		await expect(sendOtp()).rejects.toMatchObject({ code: 'ECONNRESET' });
	});

	it('status answers 503 JSON by default, or the status given', async () => {
		sb.faults.add({ kind: 'status' });
		sb.faults.add({ kind: 'status', status: 500 });
		const a = await sendOtp();
		expect(a.status).toBe(503);
		expect(a.headers['content-type']).toMatch(/^application\/json/);
		expect(a.json).toEqual({ error: 'Service Unavailable', message: 'Injected fault: HTTP 503' });
		expect((await sendOtp()).status).toBe(500);
		expect(sb.inbox.list()).toHaveLength(0); // the faulted requests never reached the provider
	});

	it('html answers a 502 text/html error page', async () => {
		sb.faults.add({ kind: 'html' });
		const r = await sendOtp();
		expect(r.status).toBe(502);
		expect(r.headers['content-type']).toMatch(/^text\/html/);
		expect(r.text).toContain('<title>502 Bad Gateway</title>');
	});

	it('malformed answers 200 application/json with a truncated body', async () => {
		sb.faults.add({ kind: 'malformed' });
		const r = await sendOtp();
		expect(r.status).toBe(200);
		expect(r.headers['content-type']).toMatch(/^application\/json/);
		expect(() => JSON.parse(r.text)).toThrow(SyntaxError);
	});

	it('rate_limit answers 429 with Retry-After (default 30 s, or retryAfter) and a JSON body', async () => {
		sb.faults.add({ kind: 'rate_limit' });
		sb.faults.add({ kind: 'rate_limit', retryAfter: 7 });
		const a = await sendOtp();
		expect(a.status).toBe(429);
		expect(a.headers['retry-after']).toBe('30');
		expect(a.json).toEqual({ error: 'rate_limited', message: 'Too many requests. Retry after 30 seconds.', retryAfter: 30 });
		const b = await sendOtp();
		expect(b.headers['retry-after']).toBe('7');
	});

	it('redirect answers 302 (or the status given) with Location, appending the path when it ends with /', async () => {
		sb.faults.add({ kind: 'redirect', location: 'http://127.0.0.2:9/' });
		sb.faults.add({ kind: 'redirect', status: 307, location: 'https://elsewhere.example/take' });
		const a = await sendOtp();
		expect(a.status).toBe(302);
		expect(a.headers.location).toBe('http://127.0.0.2:9/iserveu/common/dmt-lite/unified/otp/send');
		const b = await sendOtp();
		expect(b.status).toBe(307);
		expect(b.headers.location).toBe('https://elsewhere.example/take');
		expect(sb.inbox.list()).toHaveLength(0); // never reached the provider
	});

	it('drip sends the normal answer one byte every intervalMs, so an idle-socket timeout never fires', async () => {
		sb.faults.add({ provider: 'iserveu', kind: 'drip', intervalMs: 5 });
		const started = Date.now();
		const r = await sendOtp({ timeoutMs: 100 }); // an idle timeout shorter than the whole answer
		const bytes = Buffer.byteLength(r.text);
		expect(Date.now() - started).toBeGreaterThanOrEqual(bytes * 4);
		expect(bytes * 5).toBeGreaterThan(100);
		expect(r.status).toBe(200);
		expect(r.json.statusCode).toBe('0');
	});

	it('drip is cut at faultMaxHoldMs like every hold', async () => {
		sb.faults.add({ provider: 'iserveu', kind: 'drip', intervalMs: 400 });
		const started = Date.now();
		await expect(sendOtp({ timeoutMs: 5000 })).rejects.toBeDefined();
		expect(Date.now() - started).toBeLessThan(4000);
	});

	it('applies to `times` matching requests, then disappears', async () => {
		sb.faults.add({ kind: 'status', times: 2 });
		expect(sb.faults.list()).toEqual([expect.objectContaining({ kind: 'status', status: 503, remaining: 2 })]);
		expect((await sendOtp()).status).toBe(503);
		expect(sb.faults.list()[0].remaining).toBe(1);
		expect((await sendOtp()).status).toBe(503);
		expect(sb.faults.list()).toEqual([]);
		expect((await sendOtp()).status).toBe(200);
	});

	it('probability: a seeded share of the matching requests, spread through the run, the same on every run', () => {
		const hits = (seed?: number) => {
			const faults = new Faults();
			faults.add({ kind: 'status', probability: 0.2, times: 1_000_000, ...(seed === undefined ? {} : { seed }) });
			return Array.from({ length: 2000 }, () => (faults.take('iserveu', '/iserveu/x') ? 1 : 0));
		};
		const a = hits(42);
		const total = a.reduce<number>((n, h) => n + h, 0);
		expect(total).toBeGreaterThan(2000 * 0.16);
		expect(total).toBeLessThan(2000 * 0.24);
		for (let q = 0; q < 4; q++) {
			const quarter = a.slice(q * 500, (q + 1) * 500).reduce<number>((n, h) => n + h, 0);
			expect(quarter).toBeGreaterThan(500 * 0.12); // not bunched at the start
		}
		expect(hits(42)).toEqual(a); // repeatable
		expect(hits(43)).not.toEqual(a);
		expect(hits()).toEqual(hits()); // default seed: the fault's sequence number
	});

	it('probability 0 never applies, 1 always; a request passed over goes on to the next fault', () => {
		const faults = new Faults();
		faults.add({ kind: 'reset', probability: 0, times: 100 });
		faults.add({ kind: 'html', probability: 1, times: 3 });
		expect([1, 2, 3, 4].map(() => faults.take('capillary', '/capillary/a')?.kind)).toEqual(['html', 'html', 'html', undefined]);
		expect(faults.list()).toEqual([expect.objectContaining({ kind: 'reset', probability: 0, remaining: 100 })]);
		faults.clear();
		faults.add({ kind: 'reset', probability: 0.5, seed: 7, times: 1000 });
		faults.add({ kind: 'malformed', times: 1000 });
		const kinds = Array.from({ length: 400 }, () => faults.take('bos', '/bos/x')?.kind);
		const resets = kinds.filter((k) => k === 'reset').length;
		expect(resets).toBeGreaterThan(150);
		expect(resets).toBeLessThan(250);
		expect(kinds.filter((k) => k === 'malformed')).toHaveLength(400 - resets);
		expect(faults.list().map((f) => [f.kind, f.remaining])).toEqual([
			['reset', 1000 - resets],
			['malformed', 1000 - (400 - resets)],
		]);
	});

	it('probability over HTTP: listed with its seed, drawn per request, bad values are 400', async () => {
		const add = await call(`${sb.url}/_sandbox/faults`, { body: { provider: 'iserveu', kind: 'status', status: 500, probability: 0.5, seed: 3, times: 100 } });
		expect(add.status).toBe(201);
		expect(add.json.fault).toEqual({ id: expect.any(String), provider: 'iserveu', kind: 'status', status: 500, probability: 0.5, seed: 3, remaining: 100 });
		const statuses: number[] = [];
		for (let i = 0; i < 20; i++) statuses.push((await sendOtp()).status);
		const faulted = statuses.filter((s) => s === 500).length;
		expect(faulted).toBeGreaterThan(2);
		expect(faulted).toBeLessThan(18);
		expect(statuses.filter((s) => s !== 500).every((s) => s === 200)).toBe(true);
		const listed = (await call(`${sb.url}/_sandbox/faults`, { method: 'GET' })).json.faults;
		expect(listed).toEqual([expect.objectContaining({ probability: 0.5, seed: 3, remaining: 100 - faulted })]);
		for (const bad of [
			{ probability: -0.1 },
			{ probability: 1.5 },
			{ probability: '0.5' },
			{ probability: null },
			{ seed: 1 },
			{ probability: 0.5, seed: -1 },
			{ probability: 0.5, seed: 1.5 },
			{ probability: 0.5, seed: 2 ** 32 },
		]) {
			const r = await call(`${sb.url}/_sandbox/faults`, { body: { kind: 'reset', ...bad } });
			expect(r.status).toBe(400);
			expect(r.json.error).toBe('invalid_fault');
		}
	});

	it('matches by provider and by a case-insensitive path substring', async () => {
		sb.faults.add({ provider: 'bos', path: 'generateotp', kind: 'status', status: 504 });
		const ao = SANDBOX_ACCOUNTS.aopay;
		const aopay = await call(`${sb.baseUrls.aopay}GenerateOTP`, {
			method: 'GET',
			body: { cibil_id: 1, access_token: ao.accessToken, RegistrationID: ao.registrationId, CompanyCode: ao.companyCode },
		});
		expect(aopay.status).toBe(200);
		expect((await sendOtp()).status).toBe(200);
		expect((await bosGenerate()).status).toBe(504);
	});

	it('never applies to the control API', async () => {
		sb.faults.add({ kind: 'reset', times: 5 });
		const r = await call(`${sb.url}/_sandbox/faults`, { method: 'GET' });
		expect(r.status).toBe(200);
		expect(r.json.faults[0]).toMatchObject({ kind: 'reset', remaining: 5 });
	});

	it('is managed over HTTP: POST adds, GET lists, DELETE clears, bad specs are 400', async () => {
		const add = await call(`${sb.url}/_sandbox/faults`, { body: { provider: 'summitai', kind: 'latency', ms: 10, times: 3 } });
		expect(add.status).toBe(201);
		expect(add.json.fault).toEqual({ id: expect.any(String), provider: 'summitai', kind: 'latency', ms: 10, remaining: 3 });
		expect((await call(`${sb.url}/_sandbox/faults`, { method: 'GET' })).json.faults).toHaveLength(1);
		expect((await call(`${sb.url}/_sandbox/faults`, { method: 'DELETE' })).json).toEqual({ faults: [] });
		expect(sb.faults.list()).toEqual([]);
		for (const bad of [
			{ kind: 'explode' },
			{ kind: 'status', status: 200 },
			{ kind: 'latency', provider: 'twilio' },
			{ kind: 'reset', times: 0 },
			{ kind: 'redirect' },
			{ kind: 'redirect', location: '/relative' },
			{ kind: 'redirect', location: 'http://x/', status: 500 },
			{ kind: 'drip', intervalMs: 0 },
		]) {
			const r = await call(`${sb.url}/_sandbox/faults`, { body: bad });
			expect(r.status).toBe(400);
			expect(r.json.error).toBe('invalid_fault');
		}
	});

	it('close() ends a held timeout request and keep-alive sockets promptly', async () => {
		const own = await startSandbox();
		own.faults.add({ kind: 'timeout' });
		const agent = new http.Agent({ keepAlive: true });
		try {
			const normal = await call(`${own.url}/_sandbox/inbox`, { method: 'GET', agent }); // leaves an idle keep-alive socket
			expect(normal.status).toBe(200);
			const held = call(`${own.baseUrls.summitai}/REST/Summit_RESTWCF.svc/RESTService/CommonWS_JsonObjCall`, { body: {}, agent });
			await new Promise((r) => setTimeout(r, 50));
			const started = Date.now();
			await own.close();
			expect(Date.now() - started).toBeLessThan(1000);
			await expect(held).rejects.toBeDefined();
		} finally {
			agent.destroy();
		}
	});
});
