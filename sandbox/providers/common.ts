import type { IncomingHttpHeaders } from 'node:http';
import type { ProviderId } from '../accounts';
import type { SandboxConfig } from '../config';
import type { Inbox } from '../inbox';

/** What a provider emulator sees of a request: the server has already parsed the JSON body. */
export interface ProviderRequest {
	method: string;
	/** Path below the provider's prefix, with duplicate and trailing slashes removed, e.g. "/auth/v1/otp/generate". */
	path: string;
	headers: IncomingHttpHeaders;
	body: Record<string, unknown>;
}

export interface ProviderResponse {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

/** Shared services handed to each emulator. */
export interface ProviderContext {
	/** Virtual clock, ms. */
	now(): number;
	config: SandboxConfig;
	inbox: Inbox;
	/** A fresh OTP (6 random digits unless config.fixedOtp is set). */
	newOtp(): string;
}

export interface ProviderEmulator {
	id: ProviderId;
	/** Lower-case path prefix, without trailing slash, matched case-insensitively. */
	prefix: string;
	/** undefined = no such route (the server answers 404). */
	handle(req: ProviderRequest): ProviderResponse | undefined;
	reset(): void;
}

export const json = (body: unknown, status = 200, headers?: Record<string, string>): ProviderResponse => ({
	status,
	body,
	headers,
});

export const methodNotAllowed = (allow: string[]): ProviderResponse =>
	json({ error: 'method_not_allowed', message: `Use ${allow.join(' or ')}` }, 405, { Allow: allow.join(', ') });

/**
 * A body field as a trimmed string. Numbers are accepted as their decimal text because
 * clients (and n8n expressions) often send numeric ids as numbers even where strings are documented.
 */
export function field(body: Record<string, unknown>, key: string): string {
	const v = body[key];
	if (typeof v === 'string') return v.trim();
	if (typeof v === 'number' && Number.isFinite(v)) return String(v);
	return '';
}

/** An object-valued body field, or an empty object. */
export function objectField(body: Record<string, unknown>, key: string): Record<string, unknown> {
	const v = body[key];
	return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** One issued OTP and its attempt budget; shared by all providers. */
export interface OtpRecord {
	otp: string;
	issuedAt: number;
	expiresAt: number;
	attemptsLeft: number;
	/** Locked after the attempts are used up; a new OTP must be requested. */
	locked: boolean;
	/** Accepted once: the inbox shows it as used. */
	used?: boolean;
}

export function issueOtp(ctx: ProviderContext, validitySeconds: number, attempts: number): OtpRecord {
	const now = ctx.now();
	return { otp: ctx.newOtp(), issuedAt: now, expiresAt: now + validitySeconds * 1000, attemptsLeft: attempts, locked: false };
}

export type OtpCheck = { result: 'ok' } | { result: 'locked' } | { result: 'expired' } | { result: 'wrong'; attemptsLeft: number } | { result: 'exhausted' };

/**
 * Checks a submitted code, counting the attempt. Order matters and mirrors the providers:
 * a locked OTP stays locked, an expired one is reported as expired before the code is looked at.
 */
export function checkOtp(ctx: ProviderContext, rec: OtpRecord, submitted: string): OtpCheck {
	if (rec.locked) return { result: 'locked' };
	if (ctx.now() >= rec.expiresAt) return { result: 'expired' };
	if (submitted === rec.otp) {
		rec.used = true;
		return { result: 'ok' };
	}
	rec.attemptsLeft--;
	if (rec.attemptsLeft <= 0) {
		rec.locked = true;
		return { result: 'exhausted' };
	}
	return { result: 'wrong', attemptsLeft: rec.attemptsLeft };
}
