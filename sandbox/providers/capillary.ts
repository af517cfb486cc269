/**
 * Capillary Auth Engine (docs/providers.md §Capillary): token/generate opens a session, otp/generate sends a code
 * bound to it, otp/validate exchanges the code for a user token. Business errors are HTTP 200
 * with `status.success:false` and a numeric code from the documented list.
 * Two flavours share one implementation: mobile (`/auth/v1/...`, deviceId required) and
 * web (`/auth/v1/web/...`, no deviceId). A session only works in the flavour that created it.
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

type Flavour = 'mobile' | 'web';
type IdentifierType = 'MOBILE' | 'EMAIL' | 'USERNAME';
const IDENTIFIER_TYPES: readonly string[] = ['MOBILE', 'EMAIL', 'USERNAME'];

interface Session {
	sessionId: string;
	flavour: Flavour;
	identifierType: IdentifierType;
	identifierValue: string;
	brand: string;
	deviceId: string;
	expiresAt: number;
	otp?: OtpRecord;
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

	function handle(req: ProviderRequest): ProviderResponse | undefined {
		const m = /^\/auth\/v1(\/web)?\/(token\/generate|token\/regenerate|otp\/generate|otp\/validate)$/i.exec(req.path);
		if (!m) return undefined;
		if (req.method !== 'POST') return methodNotAllowed(['POST']);
		const flavour: Flavour = m[1] ? 'web' : 'mobile';
		const op = m[2].toLowerCase();
		try {
			if (op === 'token/generate') return json(tokenGenerate(req.body, flavour));
			if (op === 'token/regenerate') return json(tokenRegenerate(req.body, flavour));
			if (op === 'otp/generate') return json(otpGenerate(req.body, flavour));
			return json(otpValidate(req.body, flavour));
		} catch (e) {
			if (e instanceof CapError) return json({ status: { success: false, code: e.code, message: e.message } });
			throw e;
		}
	}

	function readIdentity(body: Record<string, unknown>, flavour: Flavour): Identity {
		const identifierType = field(body, 'identifierType').toUpperCase();
		if (!IDENTIFIER_TYPES.includes(identifierType)) throw new CapError(1546, 'Invalid identifierType');
		const identifierValue = field(body, 'identifierValue');
		if (!identifierValue) throw new CapError(1540, 'Mobile or email is required');
		return {
			identifierType: identifierType as IdentifierType,
			identifierValue,
			brand: field(body, 'brand'),
			deviceId: flavour === 'mobile' ? field(body, 'deviceId') : '',
		};
	}

	function tokenGenerate(body: Record<string, unknown>, flavour: Flavour) {
		const id = readIdentity(body, flavour);
		if (id.brand !== SANDBOX_ACCOUNTS.capillary.brand) throw new CapError(1519, 'Invalid details');
		if (flavour === 'mobile' && !id.deviceId) throw new CapError(1519, 'Invalid details: deviceId is required');
		const session: Session = {
			sessionId: `P-${uuid()}`,
			flavour,
			...id,
			expiresAt: ctx.now() + cfg.capillarySessionTtlSeconds * 1000,
		};
		sessions.set(session.sessionId, session);
		return {
			status: OK_STATUS,
			auth: { token: base64url(32), key: null },
			user: { sessionId: session.sessionId, userRegisteredForPassword: false },
		};
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
		if (flavour === 'mobile' && id.deviceId !== session.deviceId) {
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
		// auth.key is documented for the mobile app only.
		const key = flavour === 'mobile' ? base64url(24) : null;
		logins.set(key ?? token, { ...session, userId, token });
		return { status: OK_STATUS, auth: { token, key }, user };
	}

	/** A new token for a logged-in customer: mobile sends the device key, web the (expired) token. */
	function tokenRegenerate(body: Record<string, unknown>, flavour: Flavour) {
		const id = readIdentity(body, flavour);
		if (id.brand !== SANDBOX_ACCOUNTS.capillary.brand) throw new CapError(1519, 'Invalid details');
		const proof = flavour === 'mobile' ? field(body, 'key') : field(body, 'expiredToken');
		const login = proof ? logins.get(proof) : undefined;
		const same = login && login.flavour === flavour && login.identifierType === id.identifierType && login.identifierValue === id.identifierValue;
		if (!login || !same || (flavour === 'mobile' && login.deviceId !== id.deviceId)) throw new CapError(1525, 'Unable to regenerate token');
		const token = fakeJwt(login, login.userId, ctx.now());
		if (flavour === 'web') {
			// The old token is spent: the new one regenerates next time.
			logins.delete(proof);
			logins.set(token, { ...login, token });
		} else logins.set(proof, { ...login, token });
		return { status: OK_STATUS, auth: { token, key: flavour === 'mobile' ? proof : null }, user: { userId: login.userId } };
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
		},
	};
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
