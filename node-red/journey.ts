/**
 * The journeys' safety nodes (entry: journeys.ts, editor HTML: journeys.html).
 *
 *   otpflow-public-pages    config node: the sealing key, the send budgets, the counter store, bot friction, CAPTCHA
 *   otpflow-journey-guard   in each journey flow: opens and checks what a page posted before any provider step runs
 *                           ("check"), seals what the next page carries ("seal"), issues the first page ("first page")
 *
 * Output 1: go on. Output 2: refused, nothing sent; msg.page.words says why in plain words, msg.payload is the
 * normalised result (rate_limited with retryAfterSeconds for the send guard). Nothing throws out of a handler.
 */
import {
	asReference,
	checkSend,
	clientAddress,
	fillFromReference,
	refusedSendResult,
	sendIdentifier as coreSendIdentifier,
	sendLimits,
	type OperationSpec,
	type OtpResult,
	type ProviderId,
	type SendLimits,
} from '../nodes/core';
import { ContextCounterStore, type ContextLike } from './context-store';
import { CAPTCHAS, verifyCaptcha, type CaptchaKind } from './captcha';
import { journeyHeaders } from './journey-page';
import { CUSTOMER_WORDS_HI, type Language } from '../journeys/model';
import { clockTime, countdownClasses, DEFAULT_TIME_ZONE, inWords, pageLanguage, timeZoneOr } from './journey-language';
import {
	BOT_WORDS_BY_LANGUAGE,
	checkFirstPage,
	claim,
	cleanCode,
	CODE_INPUT,
	DEFAULT_MIN_FILL_SECONDS,
	DEFAULT_STATE_MINUTES,
	JOURNEY_STEPS,
	MIN_KEY_LENGTH,
	openState,
	sealIssue,
	sealState,
	startRun,
	stateExpiry,
	STATE_WORDS,
	STATE_WORDS_BY_LANGUAGE,
	type JourneyStep,
} from './journey-state';
import type { NodeAPI, NodeDef, NodeMessage, RedNode } from './types';

export const PUBLIC_PAGES_TYPE = 'otpflow-public-pages';
export const JOURNEY_GUARD_TYPE = 'otpflow-journey-guard';

/** The public pages' settings, as the editor stores them (strings from the dialog, numbers from generated flows). */
export const PUBLIC_PAGES_DEFAULTS = {
	store: '',
	sharedStore: false,
	perIdentifierMax: 5,
	perIdentifierWindowMinutes: 10,
	perClientMax: 10,
	perClientWindowMinutes: 1,
	perAccountPerHour: 0,
	trustedProxies: 0,
	stateMinutes: DEFAULT_STATE_MINUTES,
	minFillSeconds: DEFAULT_MIN_FILL_SECONDS,
	captcha: 'none',
	captchaSiteKey: '',
	captchaVerifyUrl: '',
	/** auto: the visitor's Accept-Language; en or hi: always that language. */
	language: 'auto',
	timeZone: DEFAULT_TIME_ZONE,
} as const;

export { inWords };

export interface PublicPages {
	/** Why the pages cannot run (no sealing key, a CAPTCHA without its keys): they refuse and say this. */
	problem?: string;
	key: string;
	/** The key before the current one, while its pages run out. */
	previousKeys: string[];
	limits: SendLimits;
	store: ContextCounterStore;
	shared: boolean;
	trustedProxies: number;
	stateMinutes: number;
	minFillSeconds: number;
	captcha?: { kind: CaptchaKind; siteKey: string; secret: string; verifyUrl: string };
	/** 'auto', 'en' or 'hi'. */
	language: string;
	/** The IANA zone the pages write times in. */
	timeZone: string;
}

interface PublicPagesNode extends RedNode {
	otpflowPublicPages?: PublicPages;
	context(): { global: ContextLike };
}

const num = (v: unknown, fallback: number, max = Infinity) => {
	const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
	return Number.isFinite(n) && n >= 0 ? Math.min(n, max) : fallback;
};

const PAGES_LABEL = 'OTP Flow public pages';

export function publicPagesFrom(def: NodeDef, credentials: Record<string, unknown> | undefined, context: ContextLike): PublicPages {
	const key = String(credentials?.sealingKey ?? '');
	const store = String(def.store ?? '').trim();
	const previous = String(credentials?.previousSealingKey ?? '');
	const pages: PublicPages = {
		key,
		previousKeys: previous.length >= MIN_KEY_LENGTH && previous !== key ? [previous] : [],
		limits: sendLimits(def as Parameters<typeof sendLimits>[0]),
		store: new ContextCounterStore(context, store === '' ? undefined : store),
		shared: def.sharedStore === true || def.sharedStore === 'true',
		trustedProxies: Math.floor(num(def.trustedProxies, 0, 10)),
		// At most the code's validity: 10 minutes by default, never above 30.
		stateMinutes: num(def.stateMinutes, DEFAULT_STATE_MINUTES, 30) || DEFAULT_STATE_MINUTES,
		minFillSeconds: num(def.minFillSeconds, DEFAULT_MIN_FILL_SECONDS, 600),
		language: String(def.language ?? 'auto'),
		timeZone: timeZoneOr(def.timeZone),
	};
	const name = `the "${String(def.name || PAGES_LABEL)}" config node`;
	if (key.length < MIN_KEY_LENGTH)
		pages.problem = `These pages have no sealing key: open ${name} and set "Sealing key" (at least ${MIN_KEY_LENGTH} characters, for example from openssl rand -base64 32).`;
	const kind = String(def.captcha ?? 'none');
	if (kind in CAPTCHAS) {
		const secret = String(credentials?.captchaSecret ?? '');
		const siteKey = String(def.captchaSiteKey ?? '').trim();
		if (secret === '' || siteKey === '') pages.problem ??= `The CAPTCHA is switched on without its keys: open ${name} and set its site key and secret.`;
		const verifyUrl = String(def.captchaVerifyUrl ?? '').trim() || CAPTCHAS[kind as CaptchaKind].verifyUrl;
		pages.captcha = { kind: kind as CaptchaKind, siteKey, secret, verifyUrl };
	}
	return pages;
}

/** The public pages a node points at, or the words of why not. */
export function resolvePublicPages(RED: NodeAPI, id: unknown): PublicPages | string {
	const node = id ? (RED.nodes.getNode(String(id)) as PublicPagesNode | null) : null;
	if (!node || node.type !== PUBLIC_PAGES_TYPE || !node.otpflowPublicPages)
		return `These pages have no "${PAGES_LABEL}" config node: open the guard nodes of the flow and choose one.`;
	return node.otpflowPublicPages;
}

interface Request {
	socket?: { remoteAddress?: string };
	connection?: { remoteAddress?: string };
	headers?: Record<string, string | string[] | undefined>;
}

/** The client's address from the request the http in node put on the message. */
export function messageClient(msg: NodeMessage, trustedProxies: number): string | undefined {
	const req = msg.req as Request | undefined;
	if (!req) return undefined;
	const remote = req.socket?.remoteAddress ?? req.connection?.remoteAddress;
	const address = clientAddress(remote, req.headers?.['x-forwarded-for'], trustedProxies);
	return address === '' ? undefined : address;
}

/** When a wait ends, for a page: the clock time and the classes of its script-free countdown. */
export function waitOf(seconds: unknown, language: Language, timeZone: string, now = Date.now()) {
	const s = typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : undefined;
	if (s === undefined) return undefined;
	return { at: clockTime(now + s * 1000, language, timeZone), ...countdownClasses(s) };
}

/** The send guard's refusal as the page and the result: rate_limited with retryAfterSeconds, or the store's failure. */
export async function guardSend(
	pages: PublicPages,
	request: { provider: ProviderId; operation: string; identifier?: string; client?: string; account?: string },
	now = Date.now(),
	language: Language = 'en',
): Promise<{ result: OtpResult; words: string } | undefined> {
	const decision = await checkSend(pages.store, pages.limits, request, now);
	if (decision.allowed) return undefined;
	const result = refusedSendResult(request.provider, request.operation, decision);
	if (result.status !== 'rate_limited') return { result, words: STATE_WORDS_BY_LANGUAGE[language].store };
	// The clock time and the countdown are the page's (page.wait); the words say how long.
	const seconds = result.retryAfterSeconds ?? 60;
	const by = decision.refusedBy;
	const words =
		language === 'hi'
			? `अभी-अभी ${by === 'identifier' ? 'इस नंबर या पते के लिए ' : by === 'client' ? 'आपके नेटवर्क से ' : ''}बहुत सारे कोड माँगे गए हैं। कृपया ${inWords(seconds, language)} बाद फिर कोशिश करें।`
			: `Too many codes were asked for just now${by === 'identifier' ? ' for this number or address' : by === 'client' ? ' from your network' : ''}. Please try again in ${inWords(seconds)}.`;
	return { result, words };
}

function refusedResult(provider: string, status: OtpResult['status'], message: string, code: string): OtpResult {
	return { ok: false, status, provider: provider as ProviderId, operation: 'journeyGuard', message, reference: {}, retryable: false, providerStatus: { code } };
}

/** The identifier of a send: the core's rule (nodes/core/send-identity.ts) over its fields, chained ones filled from the reference. */
export function sendIdentifier(op: OperationSpec, params: Record<string, unknown>, reference?: Record<string, unknown>): string | undefined {
	return coreSendIdentifier([{ op, values: fillFromReference(op, params, asReference(reference)) }]);
}

type Mode = 'first' | 'check' | 'seal';

export function registerJourneyNodes(RED: NodeAPI): void {
	RED.nodes.registerType(
		PUBLIC_PAGES_TYPE,
		function (this: RedNode, def: NodeDef) {
			RED.nodes.createNode(this, def);
			const self = this as PublicPagesNode;
			self.otpflowPublicPages = publicPagesFrom(def, self.credentials, self.context().global);
		},
		{ credentials: { sealingKey: { type: 'password' }, previousSealingKey: { type: 'password' }, captchaSecret: { type: 'password' } } },
	);

	RED.nodes.registerType(JOURNEY_GUARD_TYPE, function (this: RedNode, def: NodeDef) {
		RED.nodes.createNode(this, def);
		// eslint-disable-next-line @typescript-eslint/no-this-alias
		const node = this;
		const mode = (['first', 'check', 'seal'].includes(String(def.mode)) ? def.mode : 'check') as Mode;
		const journey = String(def.journey ?? '');
		const provider = String(def.provider ?? '');
		const next = String(def.next ?? '')
			.split(',')
			.map((s) => s.trim())
			.filter((s): s is JourneyStep => (JOURNEY_STEPS as readonly string[]).includes(s));
		const carry = String(def.carry ?? '')
			.split(',')
			.map((s) => s.trim())
			.filter((s) => s !== '');
		const identifier = String(def.identifier ?? '');
		const sendOperation = String(def.sendOperation ?? 'sendCode');
		const languageSetting = String(def.language ?? '');
		let warned = false;

		const pageOf = (msg: NodeMessage) => (msg.page && typeof msg.page === 'object' ? msg.page : {}) as Record<string, unknown>;
		const languageOf = (msg: NodeMessage) => ((pageOf(msg).lang as { code?: Language } | undefined)?.code ?? 'en') as Language;

		const refuse = (msg: NodeMessage, words: string, result: OtpResult, headers: Record<string, string>, timeZone = DEFAULT_TIME_ZONE) => {
			msg.payload = result;
			const wait = waitOf(result.retryAfterSeconds, languageOf(msg), timeZone);
			msg.page = { ...pageOf(msg), words, retryAfterSeconds: result.retryAfterSeconds, ...(wait ? { wait } : {}) };
			msg.headers = headers;
			return [null, msg] as const;
		};

		async function firstPage(msg: NodeMessage, pages: PublicPages, now: number) {
			const captcha = pages.captcha ? CAPTCHAS[pages.captcha.kind] : undefined;
			msg.page = {
				...(msg.page as object),
				issued: sealIssue(journey, now, pages.key),
				...(captcha && pages.captcha ? { captcha: { script: captcha.script, widget: captcha.widgetClass, siteKey: pages.captcha.siteKey } } : {}),
			};
			msg.headers = journeyHeaders(captcha ? captcha.origins : []);
			return [msg, null] as const;
		}

		async function check(msg: NodeMessage, pages: PublicPages, now: number) {
			const headers = journeyHeaders();
			const form = (msg.form && typeof msg.form === 'object' ? msg.form : {}) as Record<string, unknown>;
			msg.form = form;
			// Only a plain string names a step (qs turns step[]=start into an array).
			const step = typeof form.step === 'string' ? form.step : '';
			const language = languageOf(msg);
			const stateRefusal = (why: keyof typeof STATE_WORDS) =>
				refuse(
					msg,
					STATE_WORDS_BY_LANGUAGE[language][why],
					refusedResult(provider, why === 'store' ? 'network_error' : 'invalid_request', STATE_WORDS[why], `journey_${why}`),
					headers,
				);
			const botRefusal = (why: keyof (typeof BOT_WORDS_BY_LANGUAGE)['en']) =>
				refuse(
					msg,
					BOT_WORDS_BY_LANGUAGE[language][why],
					refusedResult(provider, 'invalid_request', BOT_WORDS_BY_LANGUAGE.en[why], `journey_bot_${why}`),
					headers,
				);
			let journeyMsg: Record<string, unknown>;
			if (step === 'start') {
				const bot = checkFirstPage(form, { journey, key: pages.key, previousKeys: pages.previousKeys, now, minFillSeconds: pages.minFillSeconds });
				if (bot) return botRefusal(bot);
				if (pages.captcha) {
					const c = pages.captcha;
					const token = form[CAPTCHAS[c.kind].field];
					const passed = await verifyCaptcha(c.verifyUrl, c.secret, typeof token === 'string' ? token : '', messageClient(msg, pages.trustedProxies));
					if (!passed) return botRefusal('captcha');
				}
				const refused = await guardSend(pages, sendRequest(msg, form, pages), now, language);
				if (refused) return refuse(msg, refused.words, refused.result, headers, pages.timeZone);
				const run = await startRun(pages.store, now);
				if ('refused' in run) return stateRefusal(run.refused);
				journeyMsg = { reference: {}, fresh: true, polls: 0, run: run.run, seq: run.seq, born: now };
			} else if ((JOURNEY_STEPS as readonly string[]).includes(step)) {
				const opened = openState(form.state, { journey, step: step as JourneyStep, key: pages.key, previousKeys: pages.previousKeys, now });
				if ('refused' in opened) return stateRefusal(opened.refused);
				const { state } = opened;
				const claimed = await claim(pages.store, state, { shared: pages.shared, now });
				if ('refused' in claimed) return stateRefusal(claimed.refused);
				// The first page's answers come from the state, whatever the post says.
				for (const name of carry) {
					if (name in state.ans) form[name] = state.ans[name];
					else delete form[name];
				}
				// A pasted code keeps its spaces ("123 456"): the provider gets the digits.
				if (step === 'verify' && CODE_INPUT in form) form[CODE_INPUT] = cleanCode(form[CODE_INPUT]);
				if (step === 'resend') {
					const refused = await guardSend(pages, sendRequest(msg, form, pages), now, language);
					if (refused) return refuse(msg, refused.words, refused.result, headers, pages.timeZone);
				}
				journeyMsg = {
					reference: state.ref,
					expiresAt: state.codeExpiresAt,
					fresh: false,
					polls: 0,
					run: state.run,
					seq: claimed.seq,
					born: state.born,
					verified: state.verified,
				};
			} else {
				// No step or an unknown one: the first page, as a GET would show it.
				return firstPage(msg, pages, now);
			}
			msg.journey = journeyMsg;
			msg.headers = headers;
			return [msg, null] as const;
		}

		function sendRequest(msg: NodeMessage, form: Record<string, unknown>, pages: PublicPages) {
			const value = form[identifier];
			return {
				provider: provider as ProviderId,
				operation: sendOperation,
				identifier: typeof value === 'string' ? value : undefined,
				client: messageClient(msg, pages.trustedProxies),
				account: String(def.account ?? ''),
			};
		}

		async function sealPage(msg: NodeMessage, pages: PublicPages, now: number) {
			const j = (msg.journey && typeof msg.journey === 'object' ? msg.journey : {}) as Record<string, unknown>;
			const form = (msg.form && typeof msg.form === 'object' ? msg.form : {}) as Record<string, unknown>;
			const headers = journeyHeaders();
			const language = languageOf(msg);
			if (typeof j.run !== 'string' || typeof j.seq !== 'number' || typeof j.born !== 'number') {
				return refuse(
					msg,
					STATE_WORDS_BY_LANGUAGE[language].missing,
					refusedResult(provider, 'invalid_request', STATE_WORDS.missing, 'journey_missing'),
					headers,
				);
			}
			const ans: Record<string, string> = {};
			for (const name of carry) if (typeof form[name] === 'string') ans[name] = form[name];
			const ref = j.reference && typeof j.reference === 'object' && !Array.isArray(j.reference) ? (j.reference as Record<string, unknown>) : {};
			const codeExpiresAt = typeof j.expiresAt === 'string' && j.expiresAt !== '' ? j.expiresAt : undefined;
			const verified = def.verified === true || def.verified === 'true';
			const state = {
				j: journey,
				run: j.run,
				seq: j.seq,
				next,
				exp: stateExpiry({ now, born: j.born, minutes: pages.stateMinutes, codeExpiresAt: next.includes('verify') ? codeExpiresAt : undefined }),
				born: j.born,
				verified,
				ref,
				...(codeExpiresAt ? { codeExpiresAt } : {}),
				ans,
			};
			// The times the page shows, in its language and the pages' time zone.
			const page = pageOf(msg);
			const until = codeExpiresAt && Number.isFinite(Date.parse(codeExpiresAt)) ? clockTime(Date.parse(codeExpiresAt), language, pages.timeZone) : undefined;
			const wait = waitOf(page.retryAfterSeconds, language, pages.timeZone, now);
			msg.page = { ...page, state: sealState(state, pages.key), ...(until ? { until } : {}), ...(wait ? { wait } : {}) };
			msg.headers = headers;
			return [msg, null] as const;
		}

		node.on('input', (msg, send, done) => {
			const now = Date.now();
			const pages = resolvePublicPages(RED, def.pages);
			const req = msg.req as Request | undefined;
			const language = pageLanguage(languageSetting, typeof pages === 'string' ? undefined : pages.language, req?.headers?.['accept-language']);
			msg.page = { ...pageOf(msg), lang: { code: language, [language]: true } };
			const run = async () => {
				if (typeof pages === 'string' || pages.problem) {
					const words = typeof pages === 'string' ? pages : pages.problem!;
					node.status({ fill: 'red', shape: 'ring', text: 'not set up' });
					// Once per deploy: every visitor would otherwise write it to the log again.
					if (!warned) node.warn(words);
					warned = true;
					// The operator's words in English (they name the editor's settings); a Hindi page says it plainly.
					const shown = language === 'hi' ? CUSTOMER_WORDS_HI.auth_failed : words;
					return refuse(msg, shown, refusedResult(provider, 'auth_failed', words, 'journey_not_set_up'), journeyHeaders());
				}
				return mode === 'first' ? firstPage(msg, pages, now) : mode === 'seal' ? sealPage(msg, pages, now) : check(msg, pages, now);
			};
			run()
				.then((out) => {
					if (out[1]) node.status({ fill: 'yellow', shape: 'ring', text: `refused: ${String((out[1].payload as OtpResult).providerStatus?.code ?? '')}` });
					send([out[0], out[1]]);
					done();
				})
				.catch(() => {
					// Never a throw out of the handler: the page still answers, as refused.
					send([
						null,
						refuse(
							msg,
							STATE_WORDS_BY_LANGUAGE[languageOf(msg)].store,
							refusedResult(provider, 'network_error', STATE_WORDS.store, 'journey_guard_failed'),
							journeyHeaders(),
						)[1],
					]);
					done();
				});
		});
	});
}
