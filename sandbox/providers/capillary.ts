/**
 * Capillary Auth Engine (docs/providers.md §Capillary): token/generate opens a session, otp/generate sends a code
 * bound to it, otp/validate exchanges the code for a user token. Business errors are HTTP 200
 * with `status.success:false` and a numeric code from the documented list.
 * Two flavours share one implementation: mobile (`/auth/v1/...`, deviceId required) and
 * web (`/auth/v1/web/...`, no deviceId). A session only works in the flavour that created it.
 * The second factor (MFA, `/auth/v1/mfa/...`) is a third flavour: its token/generate takes the `authorizedToken` of a
 * login instead of nothing, EXTERNALID is accepted, a device ID is always required, and its password/validate wants a
 * session opened with the token of an MFA OTP login (Capillary: "regenerate the MFA session ID" between OTP and password).
 */
import { SANDBOX_ACCOUNTS } from '../accounts';
import { base64url, numericId, uuid } from '../random';
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

type Flavour = 'mobile' | 'web' | 'mfa';
type IdentifierType = 'MOBILE' | 'EMAIL' | 'USERNAME' | 'EXTERNALID';
const IDENTIFIER_TYPES: readonly string[] = ['MOBILE', 'EMAIL', 'USERNAME'];
/** Only the MFA calls document EXTERNALID. */
const MFA_IDENTIFIER_TYPES: readonly string[] = [...IDENTIFIER_TYPES, 'EXTERNALID'];

/** A customer's password: `pending` is set by password/forget and becomes the password at the next OTP login. */
interface Password {
	password?: string;
	pending?: string;
	wrong: number;
	locked: boolean;
}

/** The sandbox's policy for a new password (Capillary's is the brand's own): 8–64 characters with a letter and a digit. */
const PASSWORD_POLICY = /^(?=.*[A-Za-z])(?=.*\d).{8,64}$/;

interface Session {
	sessionId: string;
	flavour: Flavour;
	identifierType: IdentifierType;
	identifierValue: string;
	brand: string;
	deviceId: string;
	expiresAt: number;
	otp?: OtpRecord;
	/** MFA: the flavour of the login whose token opened the session (an MFA password/validate wants 'mfa'). */
	authorizedBy?: Flavour;
	/** MFA: an OTP was validated on this session; a password needs a new one. */
	spent?: boolean;
}

interface Identity {
	identifierType: IdentifierType;
	identifierValue: string;
	brand: string;
	deviceId: string;
}

interface Login extends Session {
	userId: number;
	token: string;
}

class CapError {
	constructor(
		readonly code: number,
		readonly message: string,
	) {}
}

const OK_STATUS = { success: true, code: 200, message: 'SUCCESS' };

export function createCapillary(ctx: ProviderContext): ProviderEmulator {
	const cfg = ctx.config;
	let sessions = new Map<string, Session>();
	// OTP send times per identifierValue, for otpMaxCount/otpTimeOut.
	let sends = new Map<string, number[]>();
	// Stable user ids, so validating twice for the same person gives the same userId.
	let userIds = new Map<string, number>();
	// Customers logged in by otp/validate, for token/regenerate: by device key (mobile) and by token (web).
	let logins = new Map<string, Login>();
	// Passwords by identity; the account's returning customer has one from the start.
	let passwords = seededPasswords();

	function handle(req: ProviderRequest): ProviderResponse | undefined {
		if (/^\/auth\/v1\/mfa\/token\/expire$/i.test(req.path)) {
			// The page names POST, its sample request sends DELETE: both are accepted.
			if (req.method !== 'DELETE' && req.method !== 'POST') return methodNotAllowed(['DELETE', 'POST']);
			return answer(() => tokenExpire(req.body));
		}
		const m = /^\/auth\/v1(\/web|\/mfa)?\/(token\/generate|token\/regenerate|otp\/generate|otp\/validate|password\/validate|password\/forget)$/i.exec(req.path);
		if (!m) return undefined;
		const flavour: Flavour = m[1] ? (m[1].toLowerCase() === '/web' ? 'web' : 'mfa') : 'mobile';
		const op = m[2].toLowerCase();
		// The MFA forget page names GET in its table and POST in its heading: both are accepted there.
		const allowed = flavour === 'mfa' && op === 'password/forget' ? ['POST', 'GET'] : ['POST'];
		if (!allowed.includes(req.method)) return methodNotAllowed(allowed);
		return answer(() => {
			if (op === 'token/generate') return tokenGenerate(req.body, flavour);
			if (op === 'token/regenerate') return tokenRegenerate(req.body, flavour);
			if (op === 'otp/generate') return otpGenerate(req.body, flavour);
			if (op === 'password/validate') return passwordValidate(req.body, flavour);
			if (op === 'password/forget') return passwordForget(req.body, flavour);
			return otpValidate(req.body, flavour);
		});
	}

	function answer(call: () => unknown): ProviderResponse {
		try {
			return json(call());
		} catch (e) {
			if (e instanceof CapError) return json({ status: { success: false, code: e.code, message: e.message } });
			throw e;
		}
	}

	function readIdentity(body: Record<string, unknown>, flavour: Flavour, types = flavour === 'mfa' ? MFA_IDENTIFIER_TYPES : IDENTIFIER_TYPES): Identity {
		const identifierType = field(body, 'identifierType').toUpperCase();
		if (!types.includes(identifierType)) throw new CapError(1546, 'Invalid identifierType');
		const identifierValue = field(body, 'identifierValue');
		if (!identifierValue) throw new CapError(1540, 'Mobile or email is required');
		return {
			identifierType: identifierType as IdentifierType,
			identifierValue,
			brand: field(body, 'brand'),
			deviceId: flavour !== 'web' ? field(body, 'deviceId') : '',
		};
	}

	function tokenGenerate(body: Record<string, unknown>, flavour: Flavour) {
		const id = readIdentity(body, flavour);
		if (id.brand !== SANDBOX_ACCOUNTS.capillary.brand) throw new CapError(1519, 'Invalid details');
		if (flavour !== 'web' && !id.deviceId) throw new CapError(1519, 'Invalid details: deviceId is required');
		const authorizedBy = flavour === 'mfa' ? authorizedLogin(body, id).flavour : undefined;
		const session: Session = {
			sessionId: `P-${uuid()}`,
			flavour,
			...id,
			expiresAt: ctx.now() + cfg.capillarySessionTtlSeconds * 1000,
			...(authorizedBy ? { authorizedBy } : {}),
		};
		sessions.set(session.sessionId, session);
		return {
			status: OK_STATUS,
			auth: { token: base64url(32), key: null },
			user: { sessionId: session.sessionId, userRegisteredForPassword: false },
		};
	}

	/**
	 * The login whose token (`authorizedToken`) opens an MFA session: a current one of the same brand, on the same device
	 * when it was a mobile or MFA login. Capillary documents no code for a bad one: the sandbox answers 1529 (token expired).
	 * The second factor may identify the customer otherwise (EMAIL, EXTERNALID): the token, not the identifier, is checked.
	 */
	function authorizedLogin(body: Record<string, unknown>, id: Identity): Login {
		const token = field(body, 'authorizedToken');
		const found = token ? [...logins.values()].find((l) => l.token === token) : undefined;
		if (!found || found.brand !== id.brand || (found.flavour !== 'web' && found.deviceId !== id.deviceId)) {
			throw new CapError(1529, 'Authorized token is invalid or expired');
		}
		return found;
	}

	/** The checks otp/generate and otp/validate share, in the order the codes are documented. */
	function openSession(body: Record<string, unknown>, flavour: Flavour): Session {
		const id = readIdentity(body, flavour);
		const session = sessions.get(field(body, 'sessionId'));
		if (!session || session.flavour !== flavour) throw new CapError(1505, 'Invalid session');
		if (ctx.now() >= session.expiresAt) {
			sessions.delete(session.sessionId); // the OTP dies with the session
			throw new CapError(1529, 'Token expired');
		}
		if (id.identifierType !== session.identifierType) {
			throw new CapError(1541, 'Identifier does not match session');
		}
		if (id.identifierValue !== session.identifierValue) {
			if (session.identifierType === 'MOBILE') throw new CapError(1507, 'Mobile number does not match session');
			throw new CapError(1541, 'Identifier does not match session');
		}
		if (flavour !== 'web' && id.deviceId !== session.deviceId) {
			throw new CapError(1508, 'Device does not match session');
		}
		if (id.brand !== session.brand) throw new CapError(1509, 'Brand does not match session');
		return session;
	}

	function otpGenerate(body: Record<string, unknown>, flavour: Flavour) {
		const session = openSession(body, flavour);
		const now = ctx.now();
		if (cfg.capillaryOtpMaxCount !== null) {
			const windowStart = now - cfg.capillaryOtpTimeOutMinutes * 60_000;
			const recent = (sends.get(session.identifierValue) ?? []).filter((t) => t > windowStart);
			if (recent.length >= cfg.capillaryOtpMaxCount) {
				sends.set(session.identifierValue, recent);
				throw new CapError(1534, 'Maximum OTPs generated for this customer');
			}
			recent.push(now);
			sends.set(session.identifierValue, recent);
		}
		// The OTP lives as long as the session; a new generate replaces the previous code.
		const validity = Math.max(0, (session.expiresAt - now) / 1000);
		session.otp = issueOtp(ctx, validity, cfg.capillaryMaxOtpAttempts);
		const minutes = Math.max(1, Math.ceil(validity / 60));
		ctx.inbox.deliver(
			{
				provider: 'capillary',
				// A USERNAME identifier is delivered to that user's registered phone.
				channel: session.identifierType === 'EMAIL' ? 'email' : 'sms',
				to: session.identifierValue,
				otp: session.otp.otp,
				text: `${session.otp.otp} is your ${session.brand} verification code. It is valid for ${minutes} minutes.`,
			},
			session.otp,
		);
		return { status: OK_STATUS };
	}

	function otpValidate(body: Record<string, unknown>, flavour: Flavour) {
		const session = openSession(body, flavour);
		if (!session.otp) throw new CapError(1537, 'OTP not generated');
		const otp = field(body, 'otp');
		if (!otp) throw new CapError(1519, 'Invalid details: otp is required');
		const check = checkOtp(ctx, session.otp, otp);
		switch (check.result) {
			case 'wrong':
				throw new CapError(1506, 'Invalid OTP');
			case 'expired': // cannot outlive the session, checked above; kept for completeness
				throw new CapError(1529, 'Token expired');
			case 'locked':
			case 'exhausted':
				throw new CapError(1518, 'Maximum OTP attempts reached. Please restart the flow');
			case 'ok':
				break;
		}
		session.otp = undefined; // consumed
		if (flavour === 'mfa') session.spent = true;
		// A password set by password/forget takes effect with this OTP login; so does a fresh start after a lock.
		const pw = passwords.get(identityKey(session));
		if (pw?.pending) passwords.set(identityKey(session), { password: pw.pending, wrong: 0, locked: false });
		return login(session, flavour);
	}

	/** A logged-in customer: a user token, on mobile a device key for token/regenerate. */
	function login(session: Session, flavour: Flavour) {
		const userId = userIdFor(session);
		const user: Record<string, unknown> = {
			sessionId: session.sessionId,
			userId,
			firstName: 'Demo',
			lastName: 'User',
		};
		if (session.identifierType === 'MOBILE') user.mobile = session.identifierValue;
		if (session.identifierType === 'EMAIL') user.email = session.identifierValue;
		const token = fakeJwt(session, userId, ctx.now());
		// auth.key is documented for the mobile app and the MFA calls only.
		const key = flavour !== 'web' ? base64url(24) : null;
		logins.set(key ?? token, { ...session, userId, token });
		return { status: OK_STATUS, auth: { token, key }, user };
	}

	/** A new token for a logged-in customer: mobile sends the device key, web the (expired) token. */
	function tokenRegenerate(body: Record<string, unknown>, flavour: Flavour) {
		const id = readIdentity(body, flavour);
		if (id.brand !== SANDBOX_ACCOUNTS.capillary.brand) throw new CapError(1519, 'Invalid details');
		const proof = flavour !== 'web' ? field(body, 'key') : field(body, 'expiredToken');
		const login = proof ? logins.get(proof) : undefined;
		const same = login && login.flavour === flavour && login.identifierType === id.identifierType && login.identifierValue === id.identifierValue;
		if (!login || !same || (flavour !== 'web' && login.deviceId !== id.deviceId)) throw new CapError(1525, 'Unable to regenerate token');
		const token = fakeJwt(login, login.userId, ctx.now());
		if (flavour === 'web') {
			// The old token is spent: the new one regenerates next time.
			logins.delete(proof);
			logins.set(token, { ...login, token });
		} else logins.set(proof, { ...login, token });
		return { status: OK_STATUS, auth: { token, key: flavour !== 'web' ? proof : null }, user: { userId: login.userId } };
	}

	/**
	 * A returning customer's password login. One without a password (a first-time customer) cannot: Capillary says
	 * only that they log in by OTP first, with no code of its own; the sandbox answers 1526 (unable to validate).
	 */
	function passwordValidate(body: Record<string, unknown>, flavour: Flavour) {
		const session = openSession(body, flavour);
		// MFA: the password comes after the MFA OTP, in a new MFA session opened with that login's token.
		if (flavour === 'mfa' && session.spent) throw new CapError(1505, 'Invalid session: generate a new MFA session for the password');
		if (flavour === 'mfa' && session.authorizedBy !== 'mfa') {
			throw new CapError(1526, 'Unable to validate password: validate the MFA OTP first, then generate a new MFA session');
		}
		const password = field(body, 'password');
		if (!password) throw new CapError(1520, 'Password is enabled for the brand. Password cannot be empty');
		const pw = passwords.get(identityKey(session));
		if (!pw?.password) throw new CapError(1526, 'Unable to validate password');
		if (pw.locked) throw new CapError(1530, 'Reached the maximum allowed password retry attempts, please reset your password');
		if (password !== pw.password) {
			pw.wrong += 1;
			if (pw.wrong >= cfg.capillaryMaxOtpAttempts) {
				pw.locked = true;
				throw new CapError(1530, 'Reached the maximum allowed password retry attempts, please reset your password');
			}
			throw new CapError(1528, 'Invalid password, please try with the correct password');
		}
		pw.wrong = 0;
		return login(session, flavour);
	}

	/** A new password for the session's customer; it takes effect at their next OTP login. */
	function passwordForget(body: Record<string, unknown>, flavour: Flavour) {
		const session = openSession(body, flavour);
		const password = field(body, 'password');
		if (!password) throw new CapError(1520, 'Password is enabled for the brand. Password cannot be empty');
		if (password !== field(body, 'confirmPassword')) throw new CapError(1521, 'Password and confirm password does not match');
		if (!PASSWORD_POLICY.test(password)) throw new CapError(1542, 'Password does not meet the requirements');
		const pw = passwords.get(identityKey(session)) ?? { wrong: 0, locked: false };
		passwords.set(identityKey(session), { ...pw, pending: password });
		return { status: OK_STATUS };
	}

	/** Logout: the token stops working, and on mobile its device key no longer regenerates one. */
	function tokenExpire(body: Record<string, unknown>) {
		const id = readIdentity(body, 'mobile', MFA_IDENTIFIER_TYPES);
		if (id.brand !== SANDBOX_ACCOUNTS.capillary.brand) throw new CapError(1519, 'Invalid details');
		const token = field(body, 'token');
		const found = [...logins.entries()].find(([, l]) => l.token === token);
		// The sandbox knows no external IDs: with EXTERNALID only the token is checked.
		const same =
			found &&
			(id.identifierType === 'EXTERNALID' || (found[1].identifierType === id.identifierType && found[1].identifierValue === id.identifierValue)) &&
			(found[1].flavour === 'web' || !id.deviceId || found[1].deviceId === id.deviceId);
		if (!token || !found || !same) throw new CapError(1531, 'Unable to expire token');
		logins.delete(found[0]);
		return { status: OK_STATUS };
	}

	function userIdFor(session: Session): number {
		const k = `${session.identifierType}|${session.identifierValue}`;
		let id = userIds.get(k);
		if (id === undefined) {
			id = Number(numericId(8));
			userIds.set(k, id);
		}
		return id;
	}

	return {
		id: 'capillary',
		prefix: '/capillary',
		handle,
		reset() {
			sessions = new Map();
			sends = new Map();
			userIds = new Map();
			logins = new Map();
			passwords = seededPasswords();
		},
	};
}

const identityKey = (who: { identifierType: string; identifierValue: string }) => `${who.identifierType}|${who.identifierValue}`;

function seededPasswords(): Map<string, Password> {
	const customer = SANDBOX_ACCOUNTS.capillary.passwordCustomer;
	return new Map([[identityKey(customer), { password: customer.password, wrong: 0, locked: false }]]);
}

/** Shaped like a JWT (three base64url parts) but signed with random bytes: clients must treat it as opaque. */
function fakeJwt(session: Session, userId: number, now: number): string {
	const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
	const iat = Math.floor(now / 1000);
	return [
		enc({ alg: 'HS256', typ: 'JWT' }),
		enc({ sub: String(userId), brand: session.brand, iat, exp: iat + 86_400, iss: 'otpflow-sandbox' }),
		base64url(32),
	].join('.');
}
