/** Test client for the sandbox: node:http, so GET can carry a JSON body as the CIBIL APIs need. */
import http, { type IncomingHttpHeaders } from 'node:http';

export interface Reply {
	status: number;
	headers: IncomingHttpHeaders;
	text: string;

	json: any;
}

export interface CallOptions {
	method?: string;
	/** Objects are sent as JSON; strings are sent verbatim. */
	body?: unknown;
	headers?: Record<string, string>;
	/** Abort after this many ms (rejects with an Error whose code is 'TIMEOUT'). */
	timeoutMs?: number;
	agent?: http.Agent | false;
}

export function call(url: string, opts: CallOptions = {}): Promise<Reply> {
	const payload = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
	return new Promise((resolve, reject) => {
		const req = http.request(
			url,
			{
				method: opts.method ?? 'POST',
				agent: opts.agent ?? false,
				headers: {
					...(payload !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) } : {}),
					...opts.headers,
				},
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('error', reject);
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json: unknown;
					try {
						json = text ? JSON.parse(text) : undefined;
					} catch {
						json = undefined;
					}
					resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
				});
			},
		);
		if (opts.timeoutMs !== undefined) {
			req.setTimeout(opts.timeoutMs, () => {
				const err = Object.assign(new Error(`no answer within ${opts.timeoutMs} ms`), { code: 'TIMEOUT' });
				req.destroy(err);
			});
		}
		req.on('error', reject);
		if (payload !== undefined) req.write(payload);
		req.end();
	});
}

/** A valid Aadhaar-format number (12 digits). Never appears in any sandbox output. */
export const AADHAAR = '234567890124';
