/** Small HTTP helpers shared by the server and the control API. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': Buffer.byteLength(text),
		...headers,
	});
	res.end(text);
}

export function sendText(res: ServerResponse, status: number, contentType: string, text: string, headers: Record<string, string> = {}): void {
	res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), ...headers });
	res.end(text);
}

export class BodyTooLarge extends Error {}

/** Reads the whole body whatever the method: the CIBIL APIs send JSON bodies on GET. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (chunk: Buffer) => {
			if (tooLarge) return; // keep draining so the 413 can still be written
			size += chunk.length;
			if (size > limit) {
				tooLarge = true;
				chunks.length = 0;
				reject(new BodyTooLarge());
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => {
			if (!tooLarge) resolve(Buffer.concat(chunks));
		});
		req.on('error', reject);
	});
}

export class BadJson extends Error {}

/** An empty body is an empty object (GET without body); anything else must be a JSON object. */
export function parseJsonObject(raw: Buffer): Record<string, unknown> {
	const text = raw.toString('utf8').trim();
	if (text === '') return {};
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		throw new BadJson('Request body is not valid JSON');
	}
	if (!value || typeof value !== 'object' || Array.isArray(value)) {
		throw new BadJson('Request body must be a JSON object');
	}
	return value as Record<string, unknown>;
}

/** "/a//b/" → "/a/b": clients often join a base URL ending in "/" with a path starting with "/". */
export function normalisePath(pathname: string): string {
	const p = pathname.replace(/\/{2,}/g, '/');
	return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}
