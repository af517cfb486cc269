import type { InterpretInput, Outcome } from '../../core';

/** iServeU answers HTTP 200 with `status` SUCCESS/FAILED and a string `statusCode` ("0" ok, "1" failed, "-1" invalid). */
export interface IServeUBody {
	status?: string;
	statusCode?: string | number;
	statusDesc?: string;
}

export function readBody(body: unknown): { code: string; desc: string; success: boolean } | undefined {
	const b = body as IServeUBody | null;
	if (!b || typeof b !== 'object' || b.statusCode === undefined || b.statusCode === null) return undefined;
	return { code: String(b.statusCode).trim(), desc: String(b.statusDesc ?? '').trim(), success: String(b.status).toUpperCase() === 'SUCCESS' };
}

const base = (code: string, desc: string) => ({ code, text: desc });

/**
 * The OTP failures iServeU reports only in words (statusCode "1"); no code list is published,
 * so the wording decides. Unknown wording stays a provider_error carrying iServeU's own text.
 */
export function otpFailure(code: string, desc: string): Outcome {
	const said = desc || 'iServeU did not say why';
	if (code === '-1') return { ...base(code, desc), status: 'invalid_request', message: `iServeU rejected the request: ${said}` };
	if (/wait\s+(\d+)\s*s/i.test(desc)) {
		const seconds = Number(/wait\s+(\d+)\s*s/i.exec(desc)?.[1]);
		return { ...base(code, desc), status: 'rate_limited', message: said, retryAfterSeconds: seconds };
	}
	if (/max(imum)?\b.*attempt|attempts?\s+exceeded|exceeded/i.test(desc)) {
		return { ...base(code, desc), status: 'max_attempts', message: `${said} (send a new OTP)` };
	}
	if (/expired/i.test(desc)) return { ...base(code, desc), status: 'expired', message: `${said} (send a new OTP)` };
	if (/invalid\s+otp|incorrect\s+otp|wrong\s+otp|otp\s+mismatch/i.test(desc)) {
		const left = /(\d+)\s+attempts?\s+(remaining|left)/i.exec(desc);
		return { ...base(code, desc), status: 'invalid_otp', message: said, ...(left ? { attemptsRemaining: Number(left[1]) } : {}) };
	}
	if (/not\s+generated|send\s+otp\s+first/i.test(desc)) {
		return { ...base(code, desc), status: 'invalid_request', message: `${said} (reference, mobile and username must match Send OTP)` };
	}
	if (/duplicate/i.test(desc)) return { ...base(code, desc), status: 'invalid_request', message: said };
	return { ...base(code, desc), status: 'provider_error', message: `iServeU: ${said}`, retryable: true };
}

/** For calls whose success is statusCode "0". */
export function interpretSimple(success: (input: InterpretInput, desc: string) => Outcome) {
	return (body: unknown, input: InterpretInput): Outcome | undefined => {
		const read = readBody(body);
		if (!read) return undefined;
		if (read.code === '0' && read.success) return { ...base(read.code, read.desc), ...success(input, read.desc) };
		if (input.httpStatus === 401 || input.httpStatus === 403) return undefined; // generic auth_failed, with iServeU's words
		return otpFailure(read.code, read.desc);
	};
}
