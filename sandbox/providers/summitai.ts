/**
 * SummitAI (Symphony SUMMIT) common JSON endpoint (docs/providers.md §SummitAI). One URL for every service;
 * the body's ServiceName picks it. Always HTTP 200: failure is a non-empty `Errors` string
 * with `OutputObject: null`, inside the same envelope as success.
 */
import { SANDBOX_ACCOUNTS } from '../accounts';
import { hex, uuid } from '../random';
import {
	checkOtp,
	field,
	issueOtp,
	json,
	methodNotAllowed,
	objectField,
	type OtpRecord,
	type ProviderContext,
	type ProviderEmulator,
	type ProviderRequest,
	type ProviderResponse,
} from './common';

const ENDPOINT = '/rest/summit_restwcf.svc/restservice/commonws_jsonobjcall';
/** ADM_SearchAllUser is documented at its own URL, with _ProxyDetails and objFilters at the top of the body. */
const SEARCH = '/rest/summit_restwcf.svc/restservice/adm_searchalluser';
const ACCOUNT = SANDBOX_ACCOUNTS.summitai;

interface Transaction extends OtpRecord {
	loginUid: string;
}

const NUMERIC = /^\d+$/;

export function createSummitai(ctx: ProviderContext): ProviderEmulator {
	const cfg = ctx.config;
	let transactions = new Map<string, Transaction>();

	function handle(req: ProviderRequest): ProviderResponse | undefined {
		if (req.path.toLowerCase() === SEARCH) return searchUsers(req);
		if (req.path.toLowerCase() !== ENDPOINT) return undefined;
		if (req.method !== 'POST') return methodNotAllowed(['POST']);
		const common = objectField(req.body, 'objCommonParameters');
		const authError = checkAuth(objectField(common, '_ProxyDetails'));
		if (authError) return json(envelope(authError, null));
		const user = objectField(common, 'objUserInformation');
		switch (field(req.body, 'ServiceName')) {
			case 'ADM_GenerateOTP':
				return json(generate(user));
			case 'ADM_ValidateOTP':
				return json(validate(user));
			default:
				return json(envelope('Invalid Service Name', null));
		}
	}

	function generate(user: Record<string, unknown>) {
		const domainId = field(user, 'DomainId');
		const userId = field(user, 'UserID');
		const loginUid = field(user, 'LoginUID');
		const userName = field(user, 'UserName');
		const ids = [domainId, userId, loginUid];
		if (!ids.every((v) => NUMERIC.test(v)) || Number(userId) <= 0 || Number(loginUid) <= 0 || !userName) {
			return envelope('Invalid user information', null);
		}
		const transactionId = uuid();
		const rec: Transaction = {
			...issueOtp(ctx, cfg.summitOtpValiditySeconds, cfg.summitMaxAttempts),
			loginUid: String(Number(loginUid)),
		};
		transactions.set(transactionId, rec);
		const minutes = Math.round(cfg.summitOtpValiditySeconds / 60);
		ctx.inbox.deliver(
			{
				provider: 'summitai',
				// The instance's OTP channel is configurable (SMS or e-mail); the sandbox uses e-mail to the user name.
				channel: 'email',
				to: userName,
				otp: rec.otp,
				text: `Your SummitAI one-time password is ${rec.otp}. It expires in ${minutes} minutes.`,
			},
			rec,
		);
		return envelope('', {
			OTP_Communication: [{ Message: '', AuthenticationType: 'password', TransactionID: transactionId }],
		});
	}

	function validate(user: Record<string, unknown>) {
		const transactionId = field(user, 'TransactionID');
		const loginUid = field(user, 'LoginUID');
		const rec = transactions.get(transactionId);
		if (!rec || !NUMERIC.test(loginUid) || String(Number(loginUid)) !== rec.loginUid) {
			return envelope('Invalid TransactionID', null);
		}
		const check = checkOtp(ctx, rec, field(user, 'OTP_Text'));
		switch (check.result) {
			case 'expired':
				return envelope('OTP has expired', null);
			case 'wrong':
				return envelope('Invalid OTP', null);
			case 'locked':
			case 'exhausted':
				return envelope('Maximum OTP validation attempts exceeded', null);
			case 'ok':
				transactions.delete(transactionId); // single use
				return envelope('', { OTP_Validation: [{ Message: 'OTP validated successfully' }] });
		}
	}

	return {
		id: 'summitai',
		prefix: '/summitai',
		handle,
		reset() {
			transactions = new Map();
		},
	};
}

/**
 * ADM_SearchAllUser as documented: the answer is JSON text inside a JSON string, and its Output is JSON text again,
 * holding AllUserDetails."UserDetails " (with the documented trailing space). Filters combine; a user name matches a
 * part of the name (as SummitAI's user search does), the others the whole value. No filter at all is refused.
 */
function searchUsers(req: ProviderRequest): ProviderResponse {
	if (req.method !== 'POST') return methodNotAllowed(['POST']);
	const answer = (errors: string, rows: ReadonlyArray<Record<string, unknown>> | null) =>
		json(
			JSON.stringify({
				Errors: errors,
				Message: null,
				OrgID: 0,
				Output: rows ? JSON.stringify({ AllUserDetails: { 'UserDetails ': rows } }) : '',
				TokenID: hex(96, true),
				OutputObject: null,
			}),
		);
	const authError = checkAuth(objectField(req.body, '_ProxyDetails'));
	if (authError) return answer(authError, null);
	const filters = objectField(req.body, 'objFilters');
	const email = field(filters, '_emailID').toLowerCase();
	const userId = field(filters, '_useID');
	const userName = field(filters, '_userName').toLowerCase();
	const empId = field(filters, '_empID').toLowerCase();
	const wanted = userId !== '' && userId !== '0';
	if (!email && !wanted && !userName && !empId) return answer('Enter at least one search parameter', null);
	const rows = ACCOUNT.directory
		.filter(
			(u) =>
				(!email || u.EmailID.toLowerCase() === email) &&
				(!wanted || String(u.UserID) === userId) &&
				(!userName || u.UserName.toLowerCase().includes(userName)) &&
				(!empId || u.EmpID.toLowerCase() === empId),
		)
		.map((u) => ({
			UserID: u.UserID,
			UserName: u.UserName,
			EmpID: u.EmpID,
			Role: 'Report',
			RoleName: 'Report',
			EmailID: u.EmailID,
			NT_UID: null,
			Frm_UID: u.EmailID,
			// The documented rows carry the stored password (Frm_PWD): the nodes must never pass it on.
			Frm_PWD: u.Frm_PWD,
		}));
	return answer('', rows);
}

/** APIKEY when asked for (or when only a key is sent); FORM (user name + password) otherwise. */
function checkAuth(proxy: Record<string, unknown>): string | null {
	const authType = field(proxy, 'AuthType').toUpperCase();
	const useKey = authType === 'APIKEY' || (authType === '' && field(proxy, 'APIKey') !== '');
	if (useKey) return field(proxy, 'APIKey') === ACCOUNT.apiKey ? null : 'Invalid API Key';
	const ok = field(proxy, 'UserName') === ACCOUNT.userName && field(proxy, 'Password') === ACCOUNT.password;
	return ok ? null : 'Invalid UserName or Password';
}

function envelope(errors: string, outputObject: Record<string, unknown> | null) {
	return {
		Errors: errors,
		Message: '',
		Output: '',
		TokenID: hex(96, true),
		OrgID: 0,
		OutputObject: outputObject,
		OutputID: 0,
		Input: null,
	};
}
