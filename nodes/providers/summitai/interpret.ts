import type { InterpretInput, Outcome, Status } from '../../core';

/** SummitAI answers HTTP 200 in one envelope; a failure is a non-empty `Errors` string. No code list is published. */
export interface SummitEnvelope {
	errors: string;
	message: string;
	output: Record<string, unknown>;
}

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** JSON text of an object, read; anything else as it is. SummitAI documents some answers encoded twice (JSON text in a JSON string). */
export function decoded(v: unknown): unknown {
	if (typeof v !== 'string' || !/^\s*[{[]/.test(v)) return v;
	try {
		return JSON.parse(v);
	} catch {
		return v;
	}
}

export function readEnvelope(answer: unknown): SummitEnvelope | undefined {
	const body = decoded(answer);
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const b = body as Record<string, unknown>;
	if (!('Errors' in b) && !('OutputObject' in b)) return undefined;
	const output = b.OutputObject && typeof b.OutputObject === 'object' ? (b.OutputObject as Record<string, unknown>) : {};
	return { errors: str(b.Errors), message: str(b.Message), output };
}

/** First element's field of an OutputObject list, e.g. OTP_Communication[0].TransactionID. */
export function firstOf(output: Record<string, unknown>, list: string, key: string): string {
	const items = output[list];
	const first = Array.isArray(items) ? (items[0] as Record<string, unknown> | undefined) : undefined;
	return first && typeof first === 'object' ? str(first[key]) : '';
}

/** Order matters: "API Key expired" is a credential problem, not an expired OTP. */
const WORDING: ReadonlyArray<[RegExp, Status, string]> = [
	[
		/api\s*key|user\s*name\s+or\s+password|invalid\s+(user\s*name|credentials|password)\b|unauthori[sz]ed|authentication\s+failed|access\s+denied/i,
		'auth_failed',
		' (check the credential)',
	],
	[/max(imum)?\b.*attempts?|attempts?\s+exceeded|too\s+many/i, 'max_attempts', ' (generate a new OTP)'],
	[/expired/i, 'expired', ' (generate a new OTP)'],
	[/(invalid|incorrect|wrong)\s+(otp|one[\s-]time\s+password)|otp\s+(mismatch|is\s+invalid|is\s+incorrect|does\s+not\s+match)/i, 'invalid_otp', ''],
	[
		/invalid\s+transaction\s*id|transaction\s*id\s+(is\s+)?(invalid|not\s+found)/i,
		'invalid_request',
		' (TransactionID and LoginUID must come from a Generate OTP whose code was not used yet: generate a new OTP)',
	],
	[/invalid|required|mandatory|not\s+found|does\s+not\s+exist/i, 'invalid_request', ''],
];

/** Classifies SummitAI's words; undefined when they do not read as a failure. */
export function failureStatus(words: string): { status: Status; hint: string } | undefined {
	const hit = WORDING.find(([re]) => re.test(words));
	return hit ? { status: hit[1], hint: hit[2] } : undefined;
}

export function summitFailure(words: string): Outcome {
	const known = failureStatus(words);
	return {
		status: known?.status ?? 'provider_error',
		message: `SummitAI: ${words || 'no reason given'}${known?.hint ?? ''}`,
		text: words,
		...(known ? {} : { retryable: true }),
	};
}

/** Shared shape of both services: `Errors` decides failure, `onSuccess` reads the OutputObject. */
export function summitInterpreter(onSuccess: (env: SummitEnvelope, input: InterpretInput) => Outcome) {
	return (body: unknown, input: InterpretInput): Outcome | undefined => {
		if (input.httpStatus === 401 || input.httpStatus === 403 || input.httpStatus >= 500) return undefined;
		const env = readEnvelope(body);
		if (!env) return undefined;
		if (env.errors) return summitFailure(env.errors);
		return onSuccess(env, input);
	};
}
