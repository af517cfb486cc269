/**
 * Every limit the emulated providers enforce, in one place, so tests can shorten them
 * (e.g. `startSandbox({ config: { iserveuResendCooldownSeconds: 1 } })`).
 * Defaults follow the providers' documentation (docs/providers.md);
 * where the documentation disagrees with itself the shorter/stricter value is used.
 */
export interface SandboxConfig {
	/** Messages kept in the inbox; the oldest are dropped first. */
	inboxLimit: number;
	/** Upper bound for the 'timeout' fault (and for 'latency'): the socket is destroyed after this. */
	faultMaxHoldMs: number;
	/** Request bodies larger than this are answered 413. */
	maxBodyBytes: number;
	/** When set, every generated OTP is this value (demos, screenshots). Default: random 6 digits. */
	fixedOtp: string | null;

	/** iServeU DMT Lite: OTP validity for both OTP types (seed: 10 minutes). */
	iserveuOtpValiditySeconds: number;
	/** iServeU type 1: a resend is refused until this many seconds after the last send (seed: 30 s). */
	iserveuResendCooldownSeconds: number;
	/** iServeU: wrong codes allowed per OTP (seed: 5 attempts). */
	iserveuMaxAttempts: number;

	/** Capillary: session (sessionId) lifetime; the OTP dies with it (docs say 15 or 20 min: 15). */
	capillarySessionTtlSeconds: number;
	/** Capillary otpMaxCount: OTPs per identifierValue within the window; null = unlimited (as documented). */
	capillaryOtpMaxCount: number | null;
	/** Capillary otpTimeOut: the rate-limit window, in minutes. */
	capillaryOtpTimeOutMinutes: number;
	/** Capillary: wrong codes before 1518 (the last wrong attempt answers 1518). */
	capillaryMaxOtpAttempts: number;

	/** BOS/AOPay CIBIL: OTP validity. */
	cibilOtpValiditySeconds: number;
	/** BOS/AOPay: GenerateOTP calls allowed per cibil_id (the first send plus resends). */
	cibilMaxSends: number;
	/** BOS/AOPay: wrong codes before SPC-429. */
	cibilMaxAttempts: number;

	/** SummitAI: OTP validity. */
	summitOtpValiditySeconds: number;
	/** SummitAI: wrong codes before "Maximum OTP validation attempts exceeded". */
	summitMaxAttempts: number;
}

export const DEFAULT_CONFIG: Readonly<SandboxConfig> = Object.freeze({
	inboxLimit: 200,
	faultMaxHoldMs: 60_000,
	maxBodyBytes: 1024 * 1024,
	fixedOtp: null,

	iserveuOtpValiditySeconds: 600,
	iserveuResendCooldownSeconds: 30,
	iserveuMaxAttempts: 5,

	capillarySessionTtlSeconds: 900,
	capillaryOtpMaxCount: 5,
	capillaryOtpTimeOutMinutes: 10,
	capillaryMaxOtpAttempts: 3,

	cibilOtpValiditySeconds: 600,
	cibilMaxSends: 3,
	cibilMaxAttempts: 3,

	summitOtpValiditySeconds: 300,
	summitMaxAttempts: 3,
});

export function resolveConfig(overrides: Partial<SandboxConfig> = {}): SandboxConfig {
	const config: SandboxConfig = { ...DEFAULT_CONFIG };
	for (const [key, value] of Object.entries(overrides) as [keyof SandboxConfig, unknown][]) {
		if (value === undefined) continue;
		if (!(key in DEFAULT_CONFIG)) throw new Error(`Unknown sandbox config key: ${String(key)}`);
		(config as unknown as Record<string, unknown>)[key] = value;
	}
	if (config.fixedOtp !== null && !/^\d{4,8}$/.test(config.fixedOtp)) {
		throw new Error('config.fixedOtp must be 4 to 8 digits');
	}
	return config;
}
