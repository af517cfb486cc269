/** The axios transport on its own: statuses returned, bodies raw, GET bodies sent, failures classified. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TransportError, type HttpRequest, type HttpResponse } from '../../nodes/core';
import { AxiosTransport } from '../../node-red/transport';
import { untrustedHttps } from '../support/tls';

let server: http.Server;
let base: string;
const axiosTransport = new AxiosTransport((r) => ({ ...r, headers: { ...r.headers, client_secret: 'added-by-authenticate' } }));

/** The transport resolves failures instead of throwing; these helpers say which one a test expects. */
const transport = {
	async send(request: HttpRequest, timeoutMs: number, signal?: AbortSignal): Promise<HttpResponse> {
		const res = await axiosTransport.send(request, timeoutMs, signal);
		if (res instanceof TransportError) throw res;
		return res;
	},
};

beforeAll(async () => {
	server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			if (req.url === '/hang') return; // never answers
			if (req.url === '/drip') {
				// Headers at once, then a byte every 50 ms: never idle long enough for a socket timeout.
				res.writeHead(200, { 'Content-Type': 'application/json' });
				const timer = setInterval(() => res.write(' '), 50);
				res.on('close', () => clearInterval(timer));
				return;
			}
			res.writeHead(req.url === '/teapot' ? 418 : 200, { 'Content-Type': 'application/json', 'X-Trace': 'abc' });
			res.end(JSON.stringify({ method: req.method, body, secret: req.headers.client_secret }));
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	axiosTransport.destroy();
	server.closeAllConnections();
	await new Promise((r) => server.close(r));
});

const json = { 'Content-Type': 'application/json' };

describe('AxiosTransport', () => {
	it('sends a JSON body with GET, applies authenticate, and returns the body as unparsed text', async () => {
		const res = await transport.send({ method: 'GET', url: `${base}/x`, headers: json, body: { cibil_id: 7 } }, 2000);
		expect(res.status).toBe(200);
		expect(typeof res.text).toBe('string');
		expect(JSON.parse(res.text)).toEqual({ method: 'GET', body: '{"cibil_id":7}', secret: 'added-by-authenticate' });
		expect(res.headers['x-trace']).toBe('abc');
	});

	it('returns an error status instead of throwing', async () => {
		const res = await transport.send({ method: 'POST', url: `${base}/teapot`, headers: json, body: {} }, 2000);
		expect(res.status).toBe(418);
	});

	it('reports a request that outlives its timeout as a timeout', async () => {
		const err = await transport.send({ method: 'POST', url: `${base}/hang`, headers: json, body: {} }, 100).catch((e) => e);
		expect(err).toBeInstanceOf(TransportError);
		expect(err.kind).toBe('timeout');
	});

	it('reports a closed port as connection_refused', async () => {
		const closed = http.createServer();
		await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
		const port = (closed.address() as AddressInfo).port;
		await new Promise((r) => closed.close(r));
		const err = await transport.send({ method: 'POST', url: `http://127.0.0.1:${port}/`, headers: json }, 2000).catch((e) => e);
		expect(err).toBeInstanceOf(TransportError);
		expect(err.kind).toBe('connection_refused');
	});

	it('reports an unknown host as dns', async () => {
		const err = await transport.send({ method: 'POST', url: 'http://otpflow-no-such-host.invalid/', headers: json }, 5000).catch((e) => e);
		expect(err).toBeInstanceOf(TransportError);
		expect(err.kind).toBe('dns');
	});

	it('ends a body that drips in at the deadline the signal gives (the socket timeout alone never fires)', async () => {
		const started = Date.now();
		const err = await transport.send({ method: 'POST', url: `${base}/drip`, headers: json, body: {} }, 300, AbortSignal.timeout(300)).catch((e) => e);
		expect(err).toBeInstanceOf(TransportError);
		expect(err.kind).toBe('timeout');
		expect(Date.now() - started).toBeLessThan(1500);
	});

	it('reports an untrusted (self-signed) certificate as tls, with its code', async () => {
		const tls = await untrustedHttps();
		try {
			const err = await transport.send({ method: 'POST', url: `${tls.url}/`, headers: json, body: {} }, 2000).catch((e) => e);
			expect(err).toBeInstanceOf(TransportError);
			expect({ kind: err.kind, code: err.code }).toEqual({ kind: 'tls', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
		} finally {
			await tls.close();
		}
	});
});
