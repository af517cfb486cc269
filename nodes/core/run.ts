/**
 * Runs one provider operation for one item/message: validate → build → send → interpret → normalise.
 * Never throws for bad data or provider failures: every input yields exactly one OtpResult.
 */
import { fromHttp, fromRedirect, fromTransportError, parseJson } from './classify';
import { Redactor } from './redact';
import { defaultRetryable, isOk, type OtpResult, type Outcome, type Reference } from './result';
import type { OperationInput, OperationSpec, ProviderSpec } from './spec';
import { TransportError, type HttpRequest, type Transport } from './transport';
import { prepareParams } from './validate';
import { asReference, fillFromReference, missingPrevious } from './chain';
import { seal } from './seal';
import { isSecretField } from './fields';

export interface RunOptions {
	/** Attach the provider's body (masked) as `raw`. */
	includeRaw?: boolean;
	timeoutMs?: number;
	now?: () => Date;
	/** The previous step's `reference` (object or JSON text): fills the chained fields left empty. */
	reference?: unknown;
	/**
	 * The runtime's cancellable pause (n8n's sleep, a Node-RED timer): resolves true when the time has passed,
	 * false when the run is being stopped. Without it an operation never waits.
	 */
	wait?: (ms: number) => Promise<boolean>;
}

export const DEFAULT_TIMEOUT_MS = 15000;

export function findOperation(provider: ProviderSpec, id: string): OperationSpec {
	const op = provider.operations.find((o) => o.id === id);
	if (!op) throw new Error(`${provider.label} has no operation "${id}"`);
	return op;
}

/** Splits a credential into what request builders may read and the secrets that must be scrubbed. */
export function splitCredential(provider: ProviderSpec, credentials: Record<string, unknown>) {
	const account: Record<string, string> = {};
	const secrets: string[] = [];
	for (const field of provider.credential.fields) {
		const v = credentials[field.name];
		if (v === undefined || v === null) continue;
		if (field.type === 'password') secrets.push(String(v));
		else account[field.name] = String(v).trim();
	}
	return { account, secrets };
}

function carried(op: OperationSpec, params: Record<string, unknown>, secrets: readonly string[]): Reference {
	const reference: Reference = {};
	// Sealed only with a secret to seal with; without one the value is simply not carried.
	for (const [name, key] of Object.entries(op.carrySealed ?? {})) {
		const v = params[name];
		if (secrets[0] && (typeof v === 'string' || typeof v === 'number') && v !== '') reference[key] = seal(String(v), secrets[0]);
	}
	for (const name of op.carry ?? []) {
		const field = op.fields.find((f) => f.name === name);
		const v = params[name];
		if ((field && (field.sensitive || isSecretField(field))) || v === undefined || v === null || v === '' || typeof v === 'object') continue;
		reference[op.carryAs?.[name] ?? name] = v as string | number | boolean;
	}
	return reference;
}

/**
 * The call's deadline for the whole answer. Raced against the transport, so that it holds whatever the HTTP
 * client's own timeout means (often only "no byte for N ms"); the signal lets the transport free the socket.
 * AbortSignal.timeout's timer does not keep the process alive.
 */
function deadline(ms: number): { signal: AbortSignal; expired: Promise<TransportError> } {
	const signal = AbortSignal.timeout(ms);
	const expired = new Promise<TransportError>((resolve) => {
		signal.addEventListener('abort', () => resolve(new TransportError('timeout', `no complete answer within ${ms} ms`)), { once: true });
	});
	return { signal, expired };
}

/** Builds the unauthenticated request; the runtime's transport adds the credential. */
export function buildRequest(op: OperationSpec, input: OperationInput): HttpRequest {
	const built = op.request(input);
	return {
		...built,
		headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(built.headers ?? {}) },
	};
}

export async function runOperation(
	provider: ProviderSpec,
	op: OperationSpec,
	given: Record<string, unknown>,
	credentials: Record<string, unknown>,
	transport: Transport,
	options: RunOptions = {},
): Promise<OtpResult> {
	const now = (options.now ?? (() => new Date()))();
	const previous = asReference(options.reference);
	const { account, secrets } = splitCredential(provider, credentials);
	const rawParams = fillFromReference(op, given, previous, secrets);
	const aadhaars = op.fields.filter((f) => f.sensitive === 'aadhaar').map((f) => rawParams[f.name]);
	// A field marked secret (a customer's key or token sent back to the provider) is scrubbed like the account's secrets.
	const fieldSecrets = op.fields.filter(isSecretField).map((f) => rawParams[f.name]);
	const redactor = new Redactor([...secrets, ...fieldSecrets], aadhaars);
	// A customer's token handed on in reference is scrubbed from everything else the result says.
	const scrubberFor = (outcome: Outcome) => {
		const handedOn = (op.handsOn ?? []).map((k) => outcome.reference?.[k]).filter((v) => typeof v === 'string');
		return handedOn.length > 0 ? redactor.with(handedOn) : redactor;
	};
	// Only values that passed validation travel on in `reference`: a refused one (an Aadhaar number typed into
	// an id field, a control character) must not come back out.
	let valid: Record<string, unknown> = {};

	const finish = (outcome: Outcome, extra: Partial<OtpResult> = {}): OtpResult => {
		const result: OtpResult = {
			ok: isOk(outcome.status),
			status: outcome.status,
			provider: provider.id,
			operation: op.id,
			message: scrubberFor(outcome).text(outcome.message),
			reference: redactor.reference({ ...carried(op, valid, secrets), ...(outcome.reference ?? {}) }, op.handsOn) as Reference,
			retryable: outcome.retryable ?? (isOk(outcome.status) ? false : defaultRetryable(outcome.status)),
			providerStatus: {},
			...extra,
		};
		if (outcome.retryAfterSeconds !== undefined) result.retryAfterSeconds = outcome.retryAfterSeconds;
		if (outcome.expiresAt !== undefined) result.expiresAt = outcome.expiresAt;
		if (outcome.attemptsRemaining !== undefined) result.attemptsRemaining = outcome.attemptsRemaining;
		const next = outcome.next ?? (isOk(outcome.status) ? op.next : undefined);
		if (next) result.next = next;
		return result;
	};

	const notYet = missingPrevious(provider, op, rawParams, previous);
	if (notYet) return finish({ status: 'invalid_request', message: `Nothing was sent. ${notYet.message}.`, retryable: false }, { errors: notYet.errors });

	const { params, errors } = prepareParams([...op.fields, ...(provider.options ?? [])], rawParams);
	valid = params;
	if (errors.length > 0) {
		return finish({ status: 'invalid_request', message: `Nothing was sent. ${errors.map((e) => e.message).join('; ')}.`, retryable: false }, { errors });
	}

	const input: OperationInput = { params, account, now };
	let request: HttpRequest;
	try {
		request = buildRequest(op, input);
	} catch (e) {
		// A builder refuses only when the credential cannot form a request (e.g. a base URL that is not a URL).
		return finish({ status: 'invalid_request', message: `Nothing was sent. ${(e as Error).message}`, retryable: false });
	}

	const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	/** One request and what its answer means; each has its own deadline. */
	const attempt = async (): Promise<{ outcome: Outcome; providerStatus: OtpResult['providerStatus']; body?: unknown }> => {
		// A transport resolves to a TransportError when there is no response. If it throws, that is a bug or a
		// broken credential, and the adapter reports it as the platform's error (Catch in Node-RED, n8n's error).
		const { signal, expired } = deadline(timeoutMs);
		const response = await Promise.race([transport.send(request, timeoutMs, signal), expired]);
		if (response instanceof TransportError) return { outcome: fromTransportError(response, timeoutMs), providerStatus: {} };
		if (response.status >= 300 && response.status < 400) {
			return { outcome: fromRedirect(response.status, response.headers.location, request.url), providerStatus: { httpStatus: response.status } };
		}
		const body = parseJson(response.text);
		const interpreted =
			response.status !== 429 && body !== undefined ? op.interpret(body, { ...input, httpStatus: response.status, headers: response.headers }) : undefined;
		return { outcome: interpreted ?? fromHttp(response.status, response.headers, body, now), providerStatus: { httpStatus: response.status }, body };
	};

	let { outcome, providerStatus, body } = await attempt();
	const poll = op.pollPending;
	if (poll && params[poll.enabledBy] === true && options.wait) {
		// Asked again while the provider says "not yet", a bounded number of times: no loop needed in the flow.
		const times = Number(params[poll.times] ?? 0);
		let checks = 1;
		for (; checks <= times && outcome.status === 'pending'; checks++) {
			if (!(await options.wait(Number(params[poll.intervalSeconds] ?? 0) * 1000))) break;
			({ outcome, providerStatus, body } = await attempt());
		}
		if (outcome.status === 'pending') outcome = { ...outcome, message: `${outcome.message} (still not final after ${checks} checks)` };
	}
	if (outcome.code !== undefined) providerStatus.code = outcome.code;
	if (outcome.text !== undefined) providerStatus.text = scrubberFor(outcome).text(outcome.text);

	const extra: Partial<OtpResult> = { providerStatus };
	if (options.includeRaw && body !== undefined) extra.raw = scrubberFor(outcome).value(op.rawView ? op.rawView(body) : body);
	return finish(outcome, extra);
}
