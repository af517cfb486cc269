/**
 * Secrets and Aadhaar numbers must never reach an output, an error message or a log line.
 * Three nets:
 * - by value: every secret and Aadhaar number the call was given is scrubbed from every string;
 * - by pattern: any 12-digit number that passes Aadhaar's Verhoeff check, written together or in groups of
 *   four with spaces or hyphens, is masked to its last four digits wherever a provider may echo it;
 * - by key: a key that names a token, secret, password, API key or authorization has its value masked, and a
 *   key that names an Aadhaar number has its value masked to the last four digits.
 */
import { verhoeffValid } from './verhoeff';

/** Compared without case, underscores, hyphens or spaces: `client_secret`, `x-api-key`, `RefreshToken`. */
const SECRET_KEY = /token|secret|passw(or)?d|passkey|apikey|authori[sz]ation|credential|headersecrets|^pin$|^otp$/;
const AADHAAR_KEY = /aadha+r|^uid(no|num|number)?$|^ovddata$|^vid$/;
/** Capillary's `auth.key` is a device key; `key` elsewhere (CIBIL question keys) is not secret. */
const SECRET_PATHS = ['auth.key'];
/** 12 digits, the first 2–9, together or as 4-4-4 groups split by a space or a hyphen; not part of a longer number. */
const AADHAAR_LIKE = /(?<![\d])[2-9]\d{3}([ -]?)\d{4}\1\d{4}(?![\d]|[ -]\d)/g;

export const MASK = '****';

export function maskAadhaar(value: string): string {
	const digits = value.replace(/\D/g, '');
	return digits.length >= 4 ? `XXXXXXXX${digits.slice(-4)}` : MASK;
}

/** Text of a plain value; '' for objects (which may not even turn into text) and nothing. */
const plainText = (v: unknown): string =>
	typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? String(v) : '';

const normalKey = (key: string) => key.toLowerCase().replace(/[\s_-]/g, '');

export function isSecretKey(key: string): boolean {
	return SECRET_KEY.test(normalKey(key));
}

/** Masks every Aadhaar-like number (Verhoeff-valid) in a text. */
export function maskAadhaarLike(text: string): string {
	return text.replace(AADHAAR_LIKE, (match) => {
		const digits = match.replace(/\D/g, '');
		return verhoeffValid(digits) ? maskAadhaar(digits) : match;
	});
}

/** The object or list a string holds as JSON text; undefined for any other string. */
function jsonText(s: string): object | undefined {
	if (!/^\s*[[{]/.test(s)) return undefined;
	try {
		const v: unknown = JSON.parse(s);
		return v !== null && typeof v === 'object' ? v : undefined;
	} catch {
		return undefined;
	}
}

export class Redactor {
	private readonly secrets: string[];
	private readonly aadhaars: string[];

	/** A redactor that also scrubs these values (a customer's token handed on in reference). */
	with(secrets: readonly unknown[]): Redactor {
		return new Redactor([...this.secrets, ...secrets], this.aadhaars);
	}

	constructor(secrets: readonly unknown[] = [], aadhaars: readonly unknown[] = []) {
		// Short values would mask innocent text (a 1-character password would blank every "a").
		this.secrets = secrets.map(plainText).filter((s) => s.length >= 4);
		this.aadhaars = aadhaars.map((s) => plainText(s).replace(/\D/g, '')).filter((s) => s.length === 12);
	}

	/** The known values only: for ids the next step needs, which a pattern could mistake for an Aadhaar number. */
	private known(s: string): string {
		let out = s;
		for (const secret of this.secrets) out = out.split(secret).join(MASK);
		for (const a of this.aadhaars) out = out.split(a).join(maskAadhaar(a));
		return out;
	}

	text(s: string): string {
		return maskAadhaarLike(this.known(s));
	}

	/**
	 * A deep copy with secret keys masked and every string and number scrubbed. A string that is itself JSON text of an
	 * object or list (SummitAI documents answers encoded twice) is read, scrubbed the same way, and written back.
	 */
	value(v: unknown): unknown {
		const scrub = (s: string): string => {
			const inner = jsonText(s);
			return inner === undefined ? this.text(s) : JSON.stringify(this.walk(inner, '', scrub));
		};
		return this.walk(v, '', scrub);
	}

	/**
	 * `reference` holds the ids the next step sends back (a mobile number with its country code, a transaction id),
	 * so the Aadhaar pattern is not applied there: a 12-digit id that happens to pass Verhoeff would break the chain.
	 * Known secrets and Aadhaar numbers, and keys that name them, are still masked.
	 */
	reference(v: unknown, handsOn: readonly string[] = []): unknown {
		return this.walk(v, '', (s) => this.known(s), new Set(handsOn));
	}

	/** `keep`: top-level keys whose values pass as they are (credentials handed on deliberately). */
	private walk(v: unknown, path: string, scrub: (s: string) => string, keep: ReadonlySet<string> = new Set()): unknown {
		if (typeof v === 'string') return scrub(v);
		if (typeof v === 'number' && Number.isInteger(v) && v > 0) {
			const masked = scrub(String(v));
			return masked === String(v) ? v : masked;
		}
		if (Array.isArray(v)) return v.map((x) => this.walk(x, path, scrub));
		if (v && typeof v === 'object') {
			const out: Record<string, unknown> = {};
			for (const [k, x] of Object.entries(v)) {
				const p = path ? `${path}.${k}` : k;
				if (!path && keep.has(k) && typeof x === 'string') {
					out[k] = x;
					continue;
				}
				const present = x !== null && x !== undefined && x !== '' && typeof x !== 'boolean';
				if (present && (isSecretKey(k) || SECRET_PATHS.includes(p))) out[k] = MASK;
				else if (present && AADHAAR_KEY.test(normalKey(k)) && (typeof x === 'string' || typeof x === 'number')) out[k] = maskAadhaar(String(x));
				else out[k] = this.walk(x, p, scrub);
			}
			return out;
		}
		return v;
	}
}
