/**
 * The three body shapes the CIBIL platform answers with (docs/providers.md §BOS and AOPay, and the sandbox's choices where
 * the seed was silent), read into one form. Strings "true"/"false"/"False" are booleans in this API.
 */

export interface CibilQuestions {
	LastChanceQuestion?: unknown;
	FullQuestionText?: unknown;
	AnswerChoice?: { AnswerChoiceText?: unknown; Key?: unknown; AnswerChoiceId?: unknown };
	Key?: unknown;
	skipEligible?: unknown;
	resendEligible?: unknown;
}

export interface CibilResult {
	cibil_id?: unknown;
	cibil_status?: unknown;
	questions?: CibilQuestions;
	next_api_call?: unknown;
	attempts_remaining?: unknown;
	is_returning_customer?: unknown;
	cibil_score?: unknown;
	report_date?: unknown;
}

export type CibilAnswer =
	/** HTTP 401 `{responsecode, status:false, message}`. */
	| { shape: 'denied'; code: string; message: string }
	/** `{code:"207", description, merchantTrxnRefId, token, status:"False"}`. */
	| { shape: 'rejected'; code: string; message: string }
	/** The usual `{status, message, error_code, merchant_trans_id, result}`. */
	| { shape: 'answer'; success: boolean; code: string; message: string; merchantTransId?: string; result: CibilResult };

export function asBoolean(v: unknown): boolean | undefined {
	if (typeof v === 'boolean') return v;
	if (typeof v !== 'string') return undefined;
	const s = v.trim().toLowerCase();
	return s === 'true' ? true : s === 'false' ? false : undefined;
}

export const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

/** `status` is "SUCCESS" on success and "False" (or false) on failure. */
function succeeded(status: unknown): boolean {
	return /^success$/i.test(text(status)) || asBoolean(status) === true;
}

export function readCibil(body: unknown): CibilAnswer | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const b = body as Record<string, unknown>;
	if ('responsecode' in b) return { shape: 'denied', code: text(b.responsecode), message: text(b.message) };
	if ('description' in b && 'code' in b) return { shape: 'rejected', code: text(b.code), message: text(b.description) };
	if (!('status' in b) || !('error_code' in b || 'result' in b)) return undefined;
	const result = b.result && typeof b.result === 'object' ? (b.result as CibilResult) : {};
	const merchantTransId = text(b.merchant_trans_id);
	return {
		shape: 'answer',
		success: succeeded(b.status),
		code: text(b.error_code),
		message: text(b.message),
		...(merchantTransId ? { merchantTransId } : {}),
		result,
	};
}

/** "The One Time Password is sent to 94138****. Please ..." → "94138****" (a mobile or email masked with * or X). */
export function maskedDestination(questionText: string): string | undefined {
	return /sent to\s+(\S*(?:\*|XXX)\S*?)(?=[.,;]?(?:\s|$))/i.exec(questionText)?.[1];
}

/** `next_api_call` names the platform's call; these are our operation ids. */
const NEXT_CALLS: Record<string, string> = {
	registeration: 'registerCustomer',
	registration: 'registerCustomer',
	generateotp: 'generateOtp',
	cibilgenerateotp: 'generateOtp',
	cibilverifyanswers: 'submitOtp',
	verifyanswers: 'submitOtp',
	submitotp: 'submitOtp',
	getcredithistory: 'getCreditHistory',
	cibilcredithistory: 'getCreditHistory',
	credithistory: 'getCreditHistory',
};

export function nextOperation(nextApiCall: unknown): string | undefined {
	return NEXT_CALLS[
		text(nextApiCall)
			.toLowerCase()
			.replace(/[^a-z]/g, '')
	];
}
