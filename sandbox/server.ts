/**
 * The HTTP front: one server, one port. Routes /_sandbox to the control API and every
 * other prefix to its provider emulator, after reading the body (GET included) and
 * applying any injected fault. Sockets and timers are tracked so close() ends everything,
 * keep-alive connections and held 'timeout' requests included.
 */
import { STATUS_CODES, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { VirtualClock } from './clock';
import type { SandboxConfig } from './config';
import { handleCaptcha } from './captcha';
import { handleControl } from './control';
import type { Fault, Faults } from './faults';
import { BadJson, BodyTooLarge, normalisePath, parseJsonObject, readBody, sendJson, sendText } from './http';
import type { Inbox } from './inbox';
import type { ProviderEmulator } from './providers/common';
import type { Stats } from './stats';
import type { CounterStoreStandIn } from './counter-store';

export interface ServerDeps {
	config: SandboxConfig;
	clock: VirtualClock;
	inbox: Inbox;
	faults: Faults;
	providers: ProviderEmulator[];
	stats: Stats;
	store: CounterStoreStandIn;
	reset(): void;
}

const HTML_502 =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n' +
	'<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
// Cut mid-value, the way a dropped upstream connection leaves a body.
const MALFORMED_JSON = '{"status":"SUCCESS","message":"succ';

export class SandboxServer {
	readonly http: Server;
	private readonly sockets = new Set<Socket>();
	private readonly timers = new Set<NodeJS.Timeout>();
	private closing?: Promise<void>;
	private baseUrl = '';

	constructor(private readonly deps: ServerDeps) {
		this.http = createServer((req, res) => {
			this.route(req, res).catch(() => {
				// Never echo the error: it could quote the request body.
				if (!res.headersSent) sendJson(res, 500, { error: 'internal_error', message: 'The sandbox failed to handle this request' });
				else res.destroy();
			});
		});
		this.http.on('connection', (socket: Socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
	}

	get url(): string {
		return this.baseUrl;
	}

	listen(port: number, host: string): Promise<number> {
		return new Promise((resolve, reject) => {
			const onError = (err: Error) => reject(err);
			this.http.once('error', onError);
			this.http.listen(port, host, () => {
				this.http.off('error', onError);
				const addr = this.http.address();
				const actual = typeof addr === 'object' && addr ? addr.port : port;
				this.baseUrl = `http://${host}:${actual}`;
				resolve(actual);
			});
		});
	}

	close(): Promise<void> {
		if (!this.closing) {
			this.closing = new Promise<void>((resolve) => {
				for (const t of this.timers) clearTimeout(t);
				this.timers.clear();
				this.http.close(() => resolve());
				for (const s of this.sockets) s.destroy();
				this.sockets.clear();
			});
		}
		return this.closing;
	}

	private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const path = normalisePath(url.pathname);
		if (path === '/') {
			res.writeHead(302, { Location: '/_sandbox/', 'Content-Length': 0 });
			res.end();
			return;
		}
		if (path === '/_sandbox' || path.startsWith('/_sandbox/')) {
			return handleControl(req, res, path, url.searchParams, {
				url: () => this.baseUrl,
				clock: this.deps.clock,
				inbox: this.deps.inbox,
				faults: this.deps.faults,
				stats: this.deps.stats,
				maxBodyBytes: this.deps.config.maxBodyBytes,
				reset: this.deps.reset,
			});
		}

		if (path === '/_store' || path.startsWith('/_store/')) return this.deps.store.handle(req, res, path, this.deps.config.maxBodyBytes);
		if (path.startsWith('/_captcha/')) return handleCaptcha(req, res, path, this.deps.stats, this.deps.config.maxBodyBytes);

		const lower = path.toLowerCase();
		const provider = this.deps.providers.find((p) => lower === p.prefix || lower.startsWith(`${p.prefix}/`));
		if (!provider) {
			return sendJson(res, 404, { error: 'not_found', message: `No provider is served at ${path}` });
		}
		// In flight until the answer is written or the socket goes, whatever fault ends it.
		res.on('close', this.deps.stats.begin(`${(req.method ?? 'GET').toUpperCase()} ${lower}`));

		let raw: Buffer;
		try {
			raw = await readBody(req, this.deps.config.maxBodyBytes);
		} catch (e) {
			if (e instanceof BodyTooLarge) return sendJson(res, 413, { error: 'body_too_large' }, { Connection: 'close' });
			throw e;
		}

		const fault = this.deps.faults.take(provider.id, path);
		if (fault && (await this.applyFault(fault, req, res))) return;

		let body: Record<string, unknown>;
		try {
			body = parseJsonObject(raw);
		} catch (e) {
			if (e instanceof BadJson) return sendJson(res, 400, { error: 'invalid_json', message: e.message });
			throw e;
		}

		const answer = provider.handle({
			method: (req.method ?? 'GET').toUpperCase(),
			path: path.slice(provider.prefix.length) || '/',
			headers: req.headers,
			body,
		});
		if (!answer) {
			return sendJson(res, 404, { error: 'not_found', message: `No ${provider.id} endpoint at ${path}` });
		}
		if (fault?.kind === 'drip') return this.drip(res, answer.status, JSON.stringify(answer.body), fault.intervalMs ?? 400, answer.headers);
		sendJson(res, answer.status, answer.body, answer.headers);
	}

	/**
	 * The normal answer, one byte at a time: headers at once, then a byte every `intervalMs`. A client whose
	 * timeout only watches for idle sockets never gives up on it. Bounded by faultMaxHoldMs like every hold.
	 */
	private drip(res: ServerResponse, status: number, text: string, intervalMs: number, headers: Record<string, string> = {}): void {
		const bytes = Buffer.from(text);
		res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': bytes.length, ...headers });
		res.flushHeaders();
		const started = Date.now();
		let sent = 0;
		const next = () => {
			if (res.destroyed) return;
			if (Date.now() - started > this.deps.config.faultMaxHoldMs) return void res.destroy();
			res.write(bytes.subarray(sent, sent + 1));
			sent++;
			if (sent >= bytes.length) return void res.end();
			this.after(intervalMs, next);
		};
		next();
	}

	/** Returns true when the fault has answered (or swallowed) the request. */
	private async applyFault(fault: Fault, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
		const cap = this.deps.config.faultMaxHoldMs;
		switch (fault.kind) {
			case 'latency':
				await this.sleep(Math.min(fault.ms ?? 0, cap));
				return res.destroyed; // the client may have given up meanwhile
			case 'timeout': {
				// Hold the request unanswered; bounded so a forgotten client cannot pin the socket forever.
				const timer = this.after(Math.min(fault.ms ?? cap, cap), () => req.socket.destroy());
				res.on('close', () => {
					clearTimeout(timer);
					this.timers.delete(timer);
				});
				return true;
			}
			case 'reset':
				// A TCP RST (ECONNRESET at the client), not a polite FIN.
				req.socket.resetAndDestroy();
				return true;
			case 'status': {
				const status = fault.status ?? 503;
				sendJson(res, status, { error: STATUS_CODES[status] ?? 'Error', message: `Injected fault: HTTP ${status}` });
				return true;
			}
			case 'html':
				sendText(res, 502, 'text/html; charset=utf-8', HTML_502);
				return true;
			case 'malformed':
				sendText(res, 200, 'application/json; charset=utf-8', MALFORMED_JSON);
				return true;
			case 'redirect': {
				// Where a careless (or hijacked) provider sends the caller; a client must not follow it with the credential.
				const location = fault.location ?? '';
				const target = location.endsWith('/') ? `${location.replace(/\/+$/, '')}${req.url ?? '/'}` : location;
				sendJson(res, fault.status ?? 302, { message: 'Moved' }, { Location: target });
				return true;
			}
			case 'drip':
				return false; // the normal answer, sent slowly by route()
			case 'rate_limit': {
				const seconds = fault.retryAfter ?? 30;
				sendJson(
					res,
					429,
					{ error: 'rate_limited', message: `Too many requests. Retry after ${seconds} seconds.`, retryAfter: seconds },
					{ 'Retry-After': String(seconds) },
				);
				return true;
			}
		}
	}

	private after(ms: number, fn: () => void): NodeJS.Timeout {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			fn();
		}, ms);
		timer.unref(); // a held request must never keep a test runner or CLI alive by itself
		this.timers.add(timer);
		return timer;
	}

	private sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			this.after(ms, resolve);
		});
	}
}
