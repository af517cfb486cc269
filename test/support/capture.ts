/**
 * A server on another loopback host (127.0.0.2, ...) that records every request and answers 200: where a test
 * points a redirect. Anything it records is a request that followed the redirect, credentials and all.
 * Registers its own beforeAll/afterAll.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Captured {
	method: string;
	path: string;
	headers: http.IncomingHttpHeaders;
	body: string;
}

export function captureServer(host: string) {
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			capture.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end('{"status":"SUCCESS","statusCode":"0","captured":true}');
		});
	});
	const capture = { url: '', host: '', requests: [] as Captured[] };
	beforeAll(async () => {
		await new Promise<void>((resolve) => server.listen(0, host, resolve));
		capture.host = `${host}:${(server.address() as AddressInfo).port}`;
		capture.url = `http://${capture.host}`;
	});
	afterEach(() => {
		capture.requests.length = 0;
	});
	afterAll(async () => {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	});
	return capture;
}
