/**
 * iServeU DMT Lite unified OTP (docs/providers.md §iServeU). Every business answer is HTTP 200 with
 * status SUCCESS/FAILED and statusCode "0" ok, "1" failed, "-1" validation failure.
 * There is no verify endpoint: the OTP is consumed by customer registration (type 1)
 * or beneficiary verification (type 2).
 *
 * The Aadhaar number (ovdData) and BioAuth's PID data are validated and then dropped: never stored,
 * echoed, delivered to the inbox or logged.
 *
 * Field names are enforced per endpoint as documented: `latLong` on send-otp and verify-bene, `latlong` on
 * get-customer and registration; `customerIP` on verify-bene, `publicIP` elsewhere. A request using the other
 * spelling is refused (-1), so that a client sending the wrong one is caught.
 *
 * Transaction status enquiry (`/redis-v2/statuscheck-report/txnreport`): every verified beneficiary is a
 * transaction of its day (India time), found by its external reference; a few demo references
 * (SANDBOX_ACCOUNTS.iserveu.demoTransactions) are found on any day.
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
const TXN_REPORT = '/redis-v2/statuscheck-report/txnreport';
const TXN_REPORT_OPERATION = 'DMT_txn_status_api_lite_common';
const ACCOUNT = SANDBOX_ACCOUNTS.iserveu;

const MOBILE = /^\d{10}$/;
const AADHAAR = /^\d{12}$/;
const AMOUNT = /^\d+(\.\d{1,2})?$/;
const PINCODE = /^\d{6}$/;
const OTHER_OVD = /^[A-Za-z0-9]{6,20}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const LAT_LONG = /^\s*-?\d+(\.\d+)?\s*,\s*-?\d+(\.\d+)?\s*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The staging OTP of a BioAuth send (the bank's, in production) and its life [doc]. */
const BIO_AUTH_OTP = '123456';
const BIO_AUTH_VALIDITY_SECONDS = 180;

/** The spellings each endpoint does not take, and the one it does [doc]. */
const WRONG_NAMES: Record<string, Record<string, string>> = {
	'otp/send': { latlong: 'latLong', customerIP: 'publicIP' },
	'transaction/verify-bene': { latlong: 'latLong', publicIP: 'customerIP' },
	'customer/get-customer': { latLong: 'latlong', customerIP: 'publicIP' },
	'customer/process-customer-registration': { latLong: 'latlong', customerIP: 'publicIP' },
};

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
	amount?: string;
}

/** A transaction the status enquiry finds. */
interface Transaction {
	ref: string;
	username: string;
	mobile: string;
	/** YYYY-MM-DD, India time. */
	date: string;
	at: number;
	amount: number;
	status: string;
	statusDesc: string;
	txnId: string;
	rrn: string;
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
	// Transactions by external reference number.
	let transactions = new Map<string, Transaction>();
	let txnCounter = 0;

	const routes: Record<string, (b: Record<string, unknown>) => Record<string, unknown>> = {
		[`${BASE}/otp/send`]: sendOtp,
		[`${BASE}/customer/get-customer`]: getCustomer,
		[`${BASE}/customer/process-customer-registration`]: registerCustomer,
		[`${BASE}/transaction/verify-bene`]: verifyBene,
		[TXN_REPORT]: txnReport,
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

	function run(body: Record<string, unknown>, fn: () => [string, string, Record<string, unknown>?], endpoint?: string) {
		try {
			if (endpoint) requireNames(body, endpoint);
			const [code, desc, extra] = fn();
			return answer(body, code, desc, extra);
		} catch (e) {
			if (e instanceof Failure) return answer(body, e.statusCode, e.statusDesc);
			throw e;
		}
	}

	function sendOtp(body: Record<string, unknown>) {
		return run(
			body,
			() => {
				const username = requireUsername(body);
				const mobile = requireMobile(field(body, 'customerMobileNumber'));
				const otpType = field(body, 'otpType');
				if (otpType !== '1' && otpType !== '2') throw invalid('Invalid OTP Type');
				const bioAuth = field(body, 'ovdType').toLowerCase() === 'bioauth';
				if (bioAuth) requireBioAuth(body);
				const issue = (): OtpRecord => (bioAuth ? bankOtp() : issueOtp(ctx, cfg.iserveuOtpValiditySeconds, cfg.iserveuMaxAttempts));
				return sendChecked(body, username, mobile, otpType, issue, bioAuth);
			},
			'otp/send',
		);
	}

	/** A BioAuth OTP: the bank's, fixed on staging [doc]. */
	function bankOtp(): OtpRecord {
		const now = ctx.now();
		return { otp: BIO_AUTH_OTP, issuedAt: now, expiresAt: now + BIO_AUTH_VALIDITY_SECONDS * 1000, attemptsLeft: cfg.iserveuMaxAttempts, locked: false };
	}

	function sendChecked(
		body: Record<string, unknown>,
		username: string,
		mobile: string,
		otpType: string,
		issue: () => OtpRecord,
		bioAuth: boolean,
	): [string, string] {
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
			const rec: SendRecord = { ...issue(), type: '1' };
			otps.set(`1|${key}`, rec);
			deliver(mobile, rec, 'customer registration', bioAuth);
		} else {
			const ref = requireRef(body);
			const amount = field(body, 'requestedAmount');
			if (!AMOUNT.test(amount)) throw invalid('Requested Amount Must Not be EMPTY Or Only Number Allowed');
			requireOvd(body, null); // optional for type 2, but checked when given
			if (usedRefs.has(ref)) {
				throw failed('Duplicate External Reference Number. Change the reference number to regenerate OTP');
			}
			usedRefs.add(ref);
			const rec: SendRecord = { ...issue(), type: '2', amount };
			otps.set(`2|${username}|${mobile}|${ref}`, rec);
			deliver(mobile, rec, 'transaction', bioAuth);
		}
		return ['0', 'OTP Sent Successfully.'] as [string, string];
	}

	function getCustomer(body: Record<string, unknown>) {
		return run(
			body,
			() => {
				requireLatLong(body, 'latlong', false);
				const username = field(body, 'username');
				const mobile = field(body, 'mobileNumber');
				if (!ACCOUNT.usernamePattern.test(username) || !MOBILE.test(mobile)) {
					throw invalid('Invalid username or mobile number');
				}
				const customer = customers.get(mobile);
				if (!customer) return ['0', CUSTOMER_STATE_TEXT[0]];
				return [String(customer.state), CUSTOMER_STATE_TEXT[customer.state], { customerName: customer.name }];
			},
			'customer/get-customer',
		);
	}

	function registerCustomer(body: Record<string, unknown>) {
		return run(
			body,
			() => {
				const username = requireUsername(body);
				const mobile = requireMobile(field(body, 'mobileNumber'));
				const name = field(body, 'name');
				if (!name) throw invalid('Name is mandatory');
				// Address, pincode and the OVD are optional [doc]; checked when given.
				const pincode = field(body, 'pincode');
				if (pincode && !PINCODE.test(pincode)) throw invalid('Invalid Pincode');
				requireLatLong(body, 'latlong', false);
				const aadhaar = requireOvd(body, null);
				const otp = requireOtp(body);

				// The customer record exists from the first well-formed attempt: that is what state 1 means.
				const existing = customers.get(mobile);
				if (!existing) customers.set(mobile, { name, state: 1 });

				const key = `1|${username}|${mobile}`;
				verify(key, otp);
				// Aadhaar-backed registrations are verified at once; other OVDs need a manual check (state 3).
				customers.set(mobile, { name, state: aadhaar ? 2 : 3 });
				return ['0', 'Customer registered successfully'];
			},
			'customer/process-customer-registration',
		);
	}

	function verifyBene(body: Record<string, unknown>) {
		return run(
			body,
			() => {
				const username = requireUsername(body);
				const mobile = requireMobile(field(body, 'customerMobileNumber'));
				const ref = requireRef(body);
				const otp = requireOtp(body);
				requireLatLong(body, 'latLong', false);
				const key = `2|${username}|${mobile}|${ref}`;
				const amount = Number(otps.get(key)?.amount ?? 1);
				verify(key, otp);
				record(ref, username, mobile, amount);
				return ['0', 'Beneficiary verified successfully'];
			},
			'transaction/verify-bene',
		);
	}

	/** A verified beneficiary is a transaction of its day, which the status enquiry finds. */
	function record(ref: string, username: string, mobile: string, amount: number): void {
		const at = ctx.now();
		txnCounter += 1;
		transactions.set(ref, {
			ref,
			username,
			mobile,
			date: indiaDate(at),
			at,
			amount,
			status: 'SUCCESS',
			statusDesc: 'Successfully credited -',
			txnId: `#${7539296023420928 + txnCounter}`,
			rrn: `1${String(at).slice(-8)}${String(txnCounter).padStart(3, '0')}`,
		});
	}

	/**
	 * The status enquiry [doc]: `{status:200, message, length, results:[…]}`. The answer for a reference it does not
	 * know, and for a malformed request, is not documented: an empty `results` and `{status:400, message}`.
	 */
	function txnReport(body: Record<string, unknown>) {
		const bad = (message: string) => ({ status: 400, message, length: 0, results: [] });
		if (field(body, '$1') !== TXN_REPORT_OPERATION) return bad('Invalid query operation ($1)');
		const from = field(body, '$4');
		const to = field(body, '$5');
		if (!DATE.test(from) || !DATE.test(to)) return bad('Dates ($4, $5) must be yyyy-mm-dd');
		if (from !== to) return bad('Start date ($4) and end date ($5) must be the same day');
		const ref = field(body, '$6');
		if (!ref) return bad('Client reference id ($6) must not be null');
		const txn = transactions.get(ref) ?? demoTransaction(ref, from);
		if (!txn || txn.date !== from) return { status: 200, message: 'No Data Found', length: 0, results: [] };
		return {
			status: 200,
			message: 'Success',
			length: 1,
			results: [
				{
					statusDesc: txn.statusDesc,
					createdDate: txn.at,
					updatedDate: txn.at + 2000,
					productCode: 'DMT',
					txnType: 'IMPS_FUND_TRANSFER',
					txnAmount: txn.amount,
					txnDateTime: txn.at,
					customeridentIfication: txn.mobile,
					status: txn.status,
					rrn: txn.rrn,
					txnId: txn.txnId,
					userName: txn.username,
					clientreferenceid: txn.ref,
				},
			],
		};
	}

	/** The demo references: found on whatever day is asked. */
	function demoTransaction(ref: string, date: string): Transaction | undefined {
		const demo = (ACCOUNT.demoTransactions as Readonly<Record<string, { status: string; statusDesc: string }>>)[ref];
		if (!demo) return undefined;
		const at = Date.parse(`${date}T04:30:00Z`);
		return { ref, username: ACCOUNT.username, mobile: '9876543210', date, at, amount: 1001, ...demo, txnId: '#7539296023420001', rrn: '100000000001' };
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

	function deliver(mobile: string, rec: OtpRecord, purpose: string, bank: boolean): void {
		const minutes = Math.round((rec.expiresAt - rec.issuedAt) / 60000);
		ctx.inbox.deliver(
			{
				provider: 'iserveu',
				channel: 'sms',
				to: mobile,
				otp: rec.otp,
				text: `${rec.otp} is your ${bank ? 'bank ' : ''}OTP for DMT ${purpose}. Valid for ${minutes} minutes.`,
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
			transactions = new Map();
			txnCounter = 0;
		},
	};
}

const invalid = (desc: string) => new Failure('-1', desc);

/** India has one time zone, UTC+5:30. */
const indiaDate = (ms: number) => new Date(ms + 330 * 60000).toISOString().slice(0, 10);

/** Refuses the spelling this endpoint does not take (`latlong` where `latLong` is documented, ...). */
function requireNames(body: Record<string, unknown>, endpoint: string): void {
	for (const [wrong, right] of Object.entries(WRONG_NAMES[endpoint] ?? {})) {
		if (Object.prototype.hasOwnProperty.call(body, wrong)) throw invalid(`Unknown field ${wrong}: this API takes ${right}`);
	}
}

/** A location, when given (or when `required`), as "latitude,longitude". */
function requireLatLong(body: Record<string, unknown>, key: string, required: boolean): void {
	const v = field(body, key);
	if (!v) {
		if (required) throw invalid(`${key} is mandatory for BioAuth`);
		return;
	}
	if (!LAT_LONG.test(v)) throw invalid(`Invalid ${key}`);
}

/** BioAuth: the PID data (Base64) and the location are mandatory [doc]. The PID data is checked, never kept. */
function requireBioAuth(body: Record<string, unknown>): void {
	const pid = field(body, 'pid');
	if (!pid) throw invalid('PID data is mandatory for BioAuth');
	if (pid.length % 4 !== 0 || !BASE64.test(pid)) throw invalid('Invalid PID data');
	requireLatLong(body, 'latLong', true);
}
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
	const isAadhaar = ovdType === '' || /aadha+r|^bioauth$/i.test(ovdType);
	if (isAadhaar) {
		if (!AADHAAR.test(ovdData)) throw invalid('Invalid Aadhaar Number');
	} else if (!OTHER_OVD.test(ovdData)) {
		throw invalid('Invalid OVD Data');
	}
	return isAadhaar;
}
