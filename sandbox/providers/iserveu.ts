/**
 * iServeU DMT Lite unified OTP (docs/providers.md §iServeU). Every business answer is HTTP 200 with
 * status SUCCESS/FAILED and statusCode "0" ok, "1" failed, "-1" validation failure.
 * There is no verify endpoint: the OTP is consumed by customer registration (type 1)
 * or beneficiary verification (type 2).
 *
 * The Aadhaar number (ovdData) is validated and then dropped: it is never stored,
 * echoed, delivered to the inbox or logged.
 */
import { SANDBOX_ACCOUNTS } from '../accounts';
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

const BASE = '/common/dmt-lite/unified';
const ACCOUNT = SANDBOX_ACCOUNTS.iserveu;

const MOBILE = /^\d{10}$/;
const AADHAAR = /^\d{12}$/;
const AMOUNT = /^\d+(\.\d{1,2})?$/;
const PINCODE = /^\d{6}$/;
const OTHER_OVD = /^[A-Za-z0-9]{6,20}$/;

/** get-customer states (docs/providers.md §iServeU). */
type CustomerState = 1 | 2 | 3;
const CUSTOMER_STATE_TEXT: Record<0 | CustomerState, string> = {
	0: 'Customer not onboarded',
	1: 'Customer created but not verified',
	2: 'Customer verified',
	3: 'Customer verified but OVD not verified',
};

interface Customer {
	name: string;
	state: CustomerState;
}

interface SendRecord extends OtpRecord {
	type: '1' | '2';
}

class Failure {
	constructor(
		readonly statusCode: '1' | '-1',
		readonly statusDesc: string,
	) {}
}

export function createIserveu(ctx: ProviderContext): ProviderEmulator {
	const cfg = ctx.config;
	// Type 1 OTPs by username|mobile, type 2 by username|mobile|externalRefNumber.
	let otps = new Map<string, SendRecord>();
	// Last type-1 send per username|mobile, for the resend cooldown.
	let lastType1Send = new Map<string, number>();
	// External reference numbers ever used to send a type-2 OTP (they must be unique per client).
	let usedRefs = new Set<string>();
	// Customers by mobile number.
	let customers = new Map<string, Customer>();

	const routes: Record<string, (b: Record<string, unknown>) => Record<string, unknown>> = {
		[`${BASE}/otp/send`]: sendOtp,
		[`${BASE}/customer/get-customer`]: getCustomer,
		[`${BASE}/customer/process-customer-registration`]: registerCustomer,
		[`${BASE}/transaction/verify-bene`]: verifyBene,
	};

	function handle(req: ProviderRequest): ProviderResponse | undefined {
		const route = routes[req.path.toLowerCase()];
		if (!route) return undefined;
		if (req.method !== 'POST') return methodNotAllowed(['POST']);
		if (req.headers['client_id'] !== ACCOUNT.clientId || req.headers['client_secret'] !== ACCOUNT.clientSecret) {
			return json({ status: 'FAILED', statusCode: '401', statusDesc: 'Unauthorized: invalid client_id or client_secret' }, 401);
		}
		return json(route(req.body));
	}

	/** The documented envelope: paramA–C are the client's, echoed back untouched. */
	function answer(body: Record<string, unknown>, statusCode: string, statusDesc: string, extra: Record<string, unknown> = {}) {
		const ok = statusCode !== '1' && statusCode !== '-1';
		return {
			status: ok ? 'SUCCESS' : 'FAILED',
			statusCode,
			statusDesc,
			...extra,
			paramA: echo(body.paramA),
			paramB: echo(body.paramB),
			paramC: echo(body.paramC),
		};
	}

	function run(body: Record<string, unknown>, fn: () => [string, string, Record<string, unknown>?]) {
		try {
			const [code, desc, extra] = fn();
			return answer(body, code, desc, extra);
		} catch (e) {
			if (e instanceof Failure) return answer(body, e.statusCode, e.statusDesc);
			throw e;
		}
	}

	function sendOtp(body: Record<string, unknown>) {
		return run(body, () => {
			const username = requireUsername(body);
			const mobile = requireMobile(field(body, 'customerMobileNumber'));
			const otpType = field(body, 'otpType');
			if (otpType !== '1' && otpType !== '2') throw invalid('Invalid OTP Type');
			const now = ctx.now();

			if (otpType === '1') {
				requireOvd(body, 'OVD Data is mandatory for OTP type 1');
				const key = `${username}|${mobile}`;
				const last = lastType1Send.get(key);
				const cooldownMs = cfg.iserveuResendCooldownSeconds * 1000;
				if (last !== undefined && now - last < cooldownMs) {
					const wait = Math.ceil((cooldownMs - (now - last)) / 1000);
					throw failed(`Please wait ${wait} seconds before requesting a new OTP`);
				}
				lastType1Send.set(key, now);
				const rec: SendRecord = { ...issueOtp(ctx, cfg.iserveuOtpValiditySeconds, cfg.iserveuMaxAttempts), type: '1' };
				otps.set(`1|${key}`, rec);
				deliver(mobile, rec, 'customer registration');
			} else {
				const ref = requireRef(body);
				const amount = field(body, 'requestedAmount');
				if (!AMOUNT.test(amount)) throw invalid('Requested Amount Must Not be EMPTY Or Only Number Allowed');
				requireOvd(body, null); // optional for type 2, but checked when given
				if (usedRefs.has(ref)) {
					throw failed('Duplicate External Reference Number. Change the reference number to regenerate OTP');
				}
				usedRefs.add(ref);
				const rec: SendRecord = { ...issueOtp(ctx, cfg.iserveuOtpValiditySeconds, cfg.iserveuMaxAttempts), type: '2' };
				otps.set(`2|${username}|${mobile}|${ref}`, rec);
				deliver(mobile, rec, 'transaction');
			}
			return ['0', 'OTP Sent Successfully.'];
		});
	}

	function getCustomer(body: Record<string, unknown>) {
		return run(body, () => {
			const username = field(body, 'username');
			const mobile = field(body, 'mobileNumber');
			if (!ACCOUNT.usernamePattern.test(username) || !MOBILE.test(mobile)) {
				throw invalid('Invalid username or mobile number');
			}
			const customer = customers.get(mobile);
			if (!customer) return ['0', CUSTOMER_STATE_TEXT[0]];
			return [String(customer.state), CUSTOMER_STATE_TEXT[customer.state], { customerName: customer.name }];
		});
	}

	function registerCustomer(body: Record<string, unknown>) {
		return run(body, () => {
			const username = requireUsername(body);
			const mobile = requireMobile(field(body, 'mobileNumber'));
			const name = field(body, 'name');
			if (!name) throw invalid('Name is mandatory');
			if (!field(body, 'address')) throw invalid('Address is mandatory');
			if (!PINCODE.test(field(body, 'pincode'))) throw invalid('Invalid Pincode');
			const aadhaar = requireOvd(body, 'OVD Data is mandatory');
			const otp = requireOtp(body);

			// The customer record exists from the first well-formed attempt: that is what state 1 means.
			const existing = customers.get(mobile);
			if (!existing) customers.set(mobile, { name, state: 1 });

			const key = `1|${username}|${mobile}`;
			verify(key, otp);
			// Aadhaar-backed registrations are verified at once; other OVDs need a manual check (state 3).
			customers.set(mobile, { name, state: aadhaar ? 2 : 3 });
			return ['0', 'Customer registered successfully'];
		});
	}

	function verifyBene(body: Record<string, unknown>) {
		return run(body, () => {
			const username = requireUsername(body);
			const mobile = requireMobile(field(body, 'customerMobileNumber'));
			const ref = requireRef(body);
			const otp = requireOtp(body);
			verify(`2|${username}|${mobile}|${ref}`, otp);
			return ['0', 'Beneficiary verified successfully'];
		});
	}

	/** Throws a statusCode "1" Failure unless the code is right; a right code is consumed. */
	function verify(key: string, otp: string): void {
		const rec = otps.get(key);
		if (!rec) throw failed('OTP not generated. Send OTP first');
		const check = checkOtp(ctx, rec, otp);
		switch (check.result) {
			case 'ok':
				otps.delete(key); // single use
				return;
			case 'expired':
				throw failed('OTP expired. Please request a new OTP');
			case 'wrong':
				// Always "attempts" (even for 1): normalisers parse this exact wording.
				throw failed(`Invalid OTP. ${check.attemptsLeft} attempts remaining`);
			case 'locked':
			case 'exhausted':
				throw failed('Maximum OTP attempts exceeded. Please request a new OTP');
		}
	}

	function deliver(mobile: string, rec: OtpRecord, purpose: string): void {
		const minutes = Math.round(cfg.iserveuOtpValiditySeconds / 60);
		ctx.inbox.deliver(
			{
				provider: 'iserveu',
				channel: 'sms',
				to: mobile,
				otp: rec.otp,
				text: `${rec.otp} is your OTP for DMT ${purpose}. Valid for ${minutes} minutes.`,
			},
			rec,
		);
	}

	return {
		id: 'iserveu',
		prefix: '/iserveu',
		handle,
		reset() {
			otps = new Map();
			lastType1Send = new Map();
			usedRefs = new Set();
			customers = new Map();
		},
	};
}

const invalid = (desc: string) => new Failure('-1', desc);
const failed = (desc: string) => new Failure('1', desc);

function echo(v: unknown): string {
	return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

function requireUsername(body: Record<string, unknown>): string {
	const username = field(body, 'username');
	if (!ACCOUNT.usernamePattern.test(username)) throw invalid('Invalid username');
	return username;
}

function requireMobile(mobile: string): string {
	if (!MOBILE.test(mobile)) throw invalid('Invalid Mobile Number');
	return mobile;
}

function requireRef(body: Record<string, unknown>): string {
	const ref = field(body, 'externalRefNumber');
	if (ref.length < 6 || ref.length > 22) throw invalid('External Reference Number must be 6 to 22 characters');
	return ref;
}

function requireOtp(body: Record<string, unknown>): string {
	const otp = field(body, 'otp');
	if (!otp) throw invalid('OTP is mandatory');
	return otp;
}

/**
 * Validates ovdType/ovdData (missingMessage null = optional). Returns true when the OVD is an Aadhaar number.
 * An empty ovdType is read as Aadhaar, the only OVD the seed names.
 */
function requireOvd(body: Record<string, unknown>, missingMessage: string | null): boolean {
	const ovdType = field(body, 'ovdType');
	const ovdData = field(body, 'ovdData');
	if (!ovdData) {
		if (missingMessage) throw invalid(missingMessage);
		return false;
	}
	const isAadhaar = ovdType === '' || /aadha+r/i.test(ovdType);
	if (isAadhaar) {
		if (!AADHAAR.test(ovdData)) throw invalid('Invalid Aadhaar Number');
	} else if (!OTHER_OVD.test(ovdData)) {
		throw invalid('Invalid OVD Data');
	}
	return isAadhaar;
}
