/**
 * The CIBIL-score platform behind BOS and AOPay (docs/providers.md §BOS and AOPay): one implementation,
 * instantiated once per brand with its own account and its own customers.
 *
 * Quirks kept on purpose, because real clients must cope with them:
 * - every call is documented as GET with a JSON body (POST is accepted too);
 * - auth is body-only (access_token, RegistrationID, CompanyCode), failures are HTTP 401
 *   `{responsecode, status:false, message}`;
 * - other failures are HTTP 200 with `"status":"False"` (a string) and one of two shapes:
 *   the `{code:"207", description}` validation shape, or the SPC-xxx OTP shape.
 */
import { randomInt } from 'node:crypto';
import { SANDBOX_ACCOUNTS } from '../accounts';
import { alnum, digits, numericId } from '../random';
import {
	checkOtp,
	field,
	issueOtp,
	json,
	methodNotAllowed,
	type OtpRecord,
	type ProviderContext,
	type ProviderEmulator,
	type ProviderRequest,
	type ProviderResponse,
} from './common';

export type CibilBrand = 'bos' | 'aopay';

const PREFIXES: Record<CibilBrand, string> = {
	bos: '/bos/api/bos/cibilscore',
	aopay: '/aopay/api/aop/cibilscore',
};

interface Question {
	key: string;
	answerId: string;
	otp: OtpRecord;
}

interface Customer {
	cibilId: string;
	orderId: string;
	mobile: string;
	/** first_name "Pending" exercises the InProgress path. */
	slowReport: boolean;
	sends: number;
	question?: Question;
	verified: boolean;
	historyCalls: number;
	score: string;
}

class Err207 {
	constructor(readonly description: string) {}
}

const PAN = /^[A-Z]{5}\d{4}[A-Z]$/;
const MOBILE = /^\d{10}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// The docs' only date_of_birth example is "01/01/2000": the sandbox takes DD/MM/YYYY (and ISO YYYY-MM-DD, which
// older OTP Flow versions sent) and rejects anything else with code 207.
const DOB_DMY = /^(\d{2})\/(\d{2})\/(\d{4})$/;
const DOB_ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

export function createCibil(ctx: ProviderContext, brand: CibilBrand): ProviderEmulator {
	const account = SANDBOX_ACCOUNTS[brand];
	const cfg = ctx.config;
	let customers = new Map<string, Customer>(); // by cibil_id
	let orderIds = new Set<string>();

	// Documented bodies: access_token is listed for GenerateOTP and SubmitOTP; docs/providers.md lists
	// registeration and GetCreditHistory without it, so there it is optional but checked when sent.
	const ops: Record<string, { tokenRequired: boolean; run: (b: Record<string, unknown>) => unknown }> = {
		'/registeration': { tokenRequired: false, run: register },
		'/generateotp': { tokenRequired: true, run: generateOtp },
		'/submitotp': { tokenRequired: true, run: submitOtp },
		'/getcredithistory': { tokenRequired: false, run: creditHistory },
	};

	function handle(req: ProviderRequest): ProviderResponse | undefined {
		const op = ops[req.path.toLowerCase()];
		if (!op) return undefined;
		if (req.method !== 'GET' && req.method !== 'POST') return methodNotAllowed(['GET', 'POST']);
		if (!authorised(req.body, op.tokenRequired)) {
			return json({ responsecode: 401, status: false, message: 'Invalid access token or registration' }, 401);
		}
		try {
			return json(op.run(req.body));
		} catch (e) {
			if (e instanceof Err207) {
				return json({ code: '207', description: e.description, merchantTrxnRefId: null, token: null, status: 'False' });
			}
			throw e;
		}
	}

	function authorised(body: Record<string, unknown>, tokenRequired: boolean): boolean {
		if (field(body, 'RegistrationID') !== account.registrationId) return false;
		if (field(body, 'CompanyCode') !== account.companyCode) return false;
		if (!tokenRequired && body.access_token === undefined) return true;
		return field(body, 'access_token') === account.accessToken;
	}

	function register(body: Record<string, unknown>) {
		const orderId = field(body, 'order_id');
		if (!orderId) throw new Err207('order_id is required');
		if (!field(body, 'first_name')) throw new Err207('first_name is required');
		if (!field(body, 'last_name')) throw new Err207('last_name is required');
		if (!PAN.test(field(body, 'pancard').toUpperCase())) throw new Err207('Invalid pancard');
		if (!validDob(field(body, 'date_of_birth'), ctx.now())) {
			throw new Err207('Invalid date_of_birth. Expected DD/MM/YYYY');
		}
		if (!EMAIL.test(field(body, 'email_id'))) throw new Err207('Invalid email_id');
		const mobile = field(body, 'mobile_number');
		if (!MOBILE.test(mobile)) throw new Err207('Invalid mobile_number');
		if (orderIds.has(orderId)) throw new Err207('Duplicate order_id');

		let cibilId: string;
		do cibilId = numericId(randomInt(7, 10));
		while (customers.has(cibilId));
		orderIds.add(orderId);
		customers.set(cibilId, {
			cibilId,
			orderId,
			mobile,
			slowReport: field(body, 'first_name').toLowerCase() === 'pending',
			sends: 0,
			verified: false,
			historyCalls: 0,
			score: String(randomInt(300, 901)),
		});
		return {
			status: 'SUCCESS',
			message: 'Customer registered successfully',
			error_code: 'SPC-200',
			merchant_trans_id: merchantTransId(ctx.now()),
			result: { cibil_id: cibilId, cibil_status: 'Pending', next_api_call: 'GenerateOTP' },
		};
	}

	function customerOf(body: Record<string, unknown>): Customer {
		const c = customers.get(field(body, 'cibil_id'));
		if (!c) throw new Err207('Invalid cibil_id');
		return c;
	}

	function generateOtp(body: Record<string, unknown>) {
		const c = customerOf(body);
		if (c.sends >= cfg.cibilMaxSends) throw new Err207('Resend limit reached');
		c.sends++;
		// A resend is a fresh question: new Key/AnswerChoiceId, new code, fresh attempts.
		const q: Question = {
			key: numericId(10),
			answerId: numericId(10),
			otp: issueOtp(ctx, cfg.cibilOtpValiditySeconds, cfg.cibilMaxAttempts),
		};
		c.question = q;
		const text = `The One Time Password is sent to ${c.mobile.slice(0, 5)}****. Please enter the One Time Password.`;
		const minutes = Math.round(cfg.cibilOtpValiditySeconds / 60);
		ctx.inbox.deliver(
			{
				provider: brand,
				channel: 'sms',
				to: c.mobile,
				otp: q.otp.otp,
				text: `${q.otp.otp} is your One Time Password for your credit report. Valid for ${minutes} minutes.`,
			},
			q.otp,
		);
		return {
			result: {
				cibil_id: c.cibilId,
				cibil_status: 'Pending',
				questions: {
					LastChanceQuestion: 'false',
					FullQuestionText: text,
					AnswerChoice: { AnswerChoiceText: text, Key: 'USER_TO_INPUT_ANSWER', AnswerChoiceId: q.answerId },
					Key: q.key,
					skipEligible: 'false',
					resendEligible: c.sends < cfg.cibilMaxSends ? 'true' : 'false',
				},
				next_api_call: 'cibil-verify-answers',
			},
			status: 'SUCCESS',
			message: 'success',
			error_code: 'SPC-200',
			merchant_trans_id: merchantTransId(ctx.now()),
		};
	}

	function submitOtp(body: Record<string, unknown>) {
		const c = customerOf(body);
		const otp = field(body, 'otp');
		if (!otp) throw new Err207('otp is required');
		const q = c.question;
		if (!q || field(body, 'question_key') !== q.key || field(body, 'answer_key') !== q.answerId) {
			throw new Err207('Invalid question_key or answer_key');
		}
		const fail = (message: string, errorCode: string, attemptsRemaining: number) => ({
			status: 'False',
			message,
			error_code: errorCode,
			merchant_trans_id: merchantTransId(ctx.now()),
			result: { cibil_id: c.cibilId, cibil_status: 'Pending', attempts_remaining: String(attemptsRemaining) },
		});
		const check = checkOtp(ctx, q.otp, otp);
		switch (check.result) {
			case 'wrong':
				return fail('Invalid OTP', 'SPC-401', check.attemptsLeft);
			case 'locked':
			case 'exhausted':
				return fail('Maximum OTP attempts exceeded', 'SPC-429', 0);
			case 'expired':
				return fail('OTP expired', 'SPC-408', q.otp.attemptsLeft);
			case 'ok':
				break;
		}
		c.question = undefined; // single use
		c.verified = true;
		if (c.slowReport) {
			return {
				status: 'SUCCESS',
				message: 'Report generation in progress',
				error_code: 'SPC-202',
				merchant_trans_id: merchantTransId(ctx.now()),
				access_token: null,
				result: {
					cibil_id: c.cibilId,
					cibil_status: 'InProgress',
					is_returning_customer: 0,
					cibil_score_fetch_date: null,
					next_api_call: 'GetCreditHistory',
				},
			};
		}
		return {
			status: 'SUCCESS',
			message: 'success',
			error_code: 'SPC-200',
			merchant_trans_id: merchantTransId(ctx.now()),
			access_token: null,
			result: { cibil_id: c.cibilId, cibil_status: 'Success', is_returning_customer: 0, cibil_score_fetch_date: null },
		};
	}

	function creditHistory(body: Record<string, unknown>) {
		const c = customerOf(body);
		if (field(body, 'client_order_id') !== c.orderId) throw new Err207('Invalid client_order_id');
		if (!c.verified) throw new Err207('OTP verification pending');
		c.historyCalls++;
		if (c.slowReport && c.historyCalls === 1) {
			return {
				status: 'SUCCESS',
				message: 'Report generation in progress',
				error_code: 'SPC-202',
				merchant_trans_id: merchantTransId(ctx.now()),
				result: { cibil_id: c.cibilId, cibil_status: 'InProgress', next_api_call: 'GetCreditHistory' },
			};
		}
		return {
			status: 'SUCCESS',
			message: 'success',
			error_code: 'SPC-200',
			merchant_trans_id: merchantTransId(ctx.now()),
			result: {
				cibil_id: c.cibilId,
				cibil_status: 'Success',
				cibil_score: c.score,
				report_date: new Date(ctx.now()).toISOString().slice(0, 10),
				accounts: SAMPLE_ACCOUNTS.map((a) => ({ ...a })),
			},
		};
	}

	return {
		id: brand,
		prefix: PREFIXES[brand],
		handle,
		reset() {
			customers = new Map();
			orderIds = new Set();
		},
	};
}

/** Like the seed's "SPCBL2308181502437743aQaHNGxZM": SPCBL + yyMMddHHmmss + 4 digits + 9 letters/digits. */
function merchantTransId(now: number): string {
	const stamp = new Date(now).toISOString().replace(/\D/g, '').slice(2, 14);
	return `SPCBL${stamp}${digits(4)}${alnum(9)}`;
}

function validDob(value: string, now: number): boolean {
	const dmy = DOB_DMY.exec(value);
	const iso = dmy ? `${dmy[3]}-${dmy[2]}-${dmy[1]}` : value;
	const m = DOB_ISO.exec(iso);
	if (!m) return false;
	const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
	// Round-trip rejects 2023-02-30 and friends.
	return d.toISOString().slice(0, 10) === iso && d.getTime() < now && Number(m[1]) >= 1900;
}

const SAMPLE_ACCOUNTS = [
	{
		account_type: 'Credit Card',
		member_name: 'Sandbox Bank',
		account_number: 'XXXXXXXXXXXX4821',
		ownership: 'Individual',
		date_opened: '2019-04-12',
		credit_limit: '100000',
		current_balance: '18450',
		amount_overdue: '0',
		account_status: 'Active',
	},
	{
		account_type: 'Personal Loan',
		member_name: 'Demo Finance Ltd',
		account_number: 'XXXXXXXX7310',
		ownership: 'Individual',
		date_opened: '2021-09-01',
		sanctioned_amount: '250000',
		current_balance: '96210',
		amount_overdue: '0',
		account_status: 'Active',
	},
] as const;
