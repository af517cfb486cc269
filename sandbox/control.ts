/**
 * The control API under /_sandbox: inbox, faults, request stats, reset, clock, and the human page.
 * It is never subject to injected faults, so a test can always clear them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { providerBaseUrls } from './accounts';
import type { VirtualClock } from './clock';
import { type FaultSpec, FaultSpecError, type Faults } from './faults';
import { BadJson, BodyTooLarge, parseJsonObject, readBody, sendJson, sendText } from './http';
import type { Inbox } from './inbox';
import { createHash } from 'node:crypto';
import { INBOX_SCRIPT, INBOX_STYLE, renderPage } from './page';
import type { Stats } from './stats';

export interface ControlDeps {
	url(): string;
	clock: VirtualClock;
	inbox: Inbox;
	faults: Faults;
	stats: Stats;
	maxBodyBytes: number;
	reset(): void;
}

/**
 * The inbox is a page like the journeys' (whose headers nodes/core/page-headers.ts writes; the sandbox imports none of
 * our code): never framed or cached, and only its own style and script run, by hash; it fetches only from itself.
 */
const hashOf = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const INBOX_HEADERS = {
	'Content-Security-Policy': `default-src 'none'; script-src ${hashOf(INBOX_SCRIPT)}; style-src ${hashOf(INBOX_STYLE)}; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
	'X-Frame-Options': 'DENY',
	'Cache-Control': 'no-store',
	'Referrer-Policy': 'no-referrer',
	'X-Content-Type-Options': 'nosniff',
};

export async function handleControl(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, deps: ControlDeps): Promise<void> {
	const method = req.method ?? 'GET';
	const route = `${method} ${path}`;
	const notAllowed = (allow: string) => sendJson(res, 405, { error: 'method_not_allowed', message: `Use ${allow}` }, { Allow: allow });

	const readJson = async (): Promise<Record<string, unknown> | undefined> => {
		try {
			return parseJsonObject(await readBody(req, deps.maxBodyBytes));
		} catch (e) {
			if (e instanceof BadJson) sendJson(res, 400, { error: 'invalid_json', message: e.message });
			else if (e instanceof BodyTooLarge) sendJson(res, 413, { error: 'body_too_large' }, { Connection: 'close' });
			else throw e;
			return undefined;
		}
	};

	switch (path) {
		case '/_sandbox': {
			if (method !== 'GET') return notAllowed('GET');
			const html = renderPage({
				url: deps.url(),
				messages: deps.inbox.list(),
				faults: deps.faults.list(),
				now: deps.clock.now(),
			});
			return sendText(res, 200, 'text/html; charset=utf-8', html, INBOX_HEADERS);
		}
		case '/_sandbox/health':
			if (method !== 'GET') return notAllowed('GET');
			return sendJson(res, 200, { ok: true, now: new Date(deps.clock.now()).toISOString(), providers: providerBaseUrls(deps.url()) });
		case '/_sandbox/inbox':
			if (route === 'GET /_sandbox/inbox') {
				const filter = { provider: query.get('provider') ?? undefined, to: query.get('to') ?? undefined };
				return sendJson(res, 200, { messages: deps.inbox.list(filter) });
			}
			if (route === 'DELETE /_sandbox/inbox') {
				deps.inbox.clear();
				return sendJson(res, 200, { messages: [] });
			}
			return notAllowed('GET, DELETE');
		case '/_sandbox/inbox/latest': {
			if (method !== 'GET') return notAllowed('GET');
			const msg = deps.inbox.latest(query.get('provider') || undefined, query.get('to') || undefined);
			if (!msg) return sendJson(res, 404, { error: 'not_found', message: 'No message matches' });
			return sendJson(res, 200, msg);
		}
		case '/_sandbox/faults':
			if (method === 'GET') return sendJson(res, 200, { faults: deps.faults.list() });
			if (method === 'DELETE') {
				deps.faults.clear();
				return sendJson(res, 200, { faults: [] });
			}
			if (method === 'POST') {
				const body = await readJson();
				if (!body) return;
				try {
					return sendJson(res, 201, { fault: deps.faults.add(body as unknown as FaultSpec) });
				} catch (e) {
					if (e instanceof FaultSpecError) return sendJson(res, 400, { error: 'invalid_fault', message: e.message });
					throw e;
				}
			}
			return notAllowed('GET, POST, DELETE');
		case '/_sandbox/stats':
			if (method === 'GET') return sendJson(res, 200, deps.stats.snapshot());
			if (method === 'DELETE') {
				deps.stats.reset();
				return sendJson(res, 200, deps.stats.snapshot());
			}
			return notAllowed('GET, DELETE');
		case '/_sandbox/reset':
			if (method !== 'POST') return notAllowed('POST');
			deps.reset();
			return sendJson(res, 200, { ok: true });
		case '/_sandbox/clock': {
			if (method === 'GET') return sendJson(res, 200, { now: new Date(deps.clock.now()).toISOString() });
			if (method !== 'POST') return notAllowed('GET, POST');
			const body = await readJson();
			if (!body) return;
			const seconds = body.advanceSeconds;
			if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
				return sendJson(res, 400, { error: 'invalid_clock', message: 'advanceSeconds must be a non-negative number' });
			}
			deps.clock.advance(seconds);
			return sendJson(res, 200, { now: new Date(deps.clock.now()).toISOString() });
		}
		default:
			return sendJson(res, 404, { error: 'not_found', message: `No sandbox control route ${path}` });
	}
}
