/**
 * Secrets and Aadhaar numbers must never reach an output, an error message or a log line.
 * Two nets: by key (known secret field names anywhere in a body) and by value (every secret and
 * Aadhaar number the call was given is scrubbed from every string that leaves the core).
 */

const SECRET_KEY = /^(access_?token|client_?secret|token|tokenid|apikey|api_?key|password|pass_?key|header_secrets|authorization|secret)$/i;
const AADHAAR_KEY = /^(ovddata|aadhaar(number|no)?|uid)$/i;
/** Capillary's `auth.key` is a device key; `key` elsewhere (CIBIL question keys) is not secret. */
const SECRET_PATHS = ['auth.key'];

export const MASK = '****';

export function maskAadhaar(value: string): string {
	const digits = value.replace(/\D/g, '');
	return digits.length >= 4 ? `XXXXXXXX${digits.slice(-4)}` : MASK;
}

export class Redactor {
	private readonly secrets: string[];
	private readonly aadhaars: string[];

	constructor(secrets: readonly unknown[] = [], aadhaars: readonly unknown[] = []) {
		// Short values would mask innocent text (a 1-character password would blank every "a").
		this.secrets = secrets.map((s) => String(s ?? '')).filter((s) => s.length >= 4);
		this.aadhaars = aadhaars.map((s) => String(s ?? '').replace(/\D/g, '')).filter((s) => s.length === 12);
	}

	text(s: string): string {
		let out = s;
		for (const secret of this.secrets) out = out.split(secret).join(MASK);
		for (const a of this.aadhaars) out = out.split(a).join(maskAadhaar(a));
		return out;
	}

	/** A deep copy with secret keys masked and every string scrubbed. */
	value(v: unknown, path = ''): unknown {
		if (typeof v === 'string') return this.text(v);
		if (Array.isArray(v)) return v.map((x) => this.value(x, path));
		if (v && typeof v === 'object') {
			const out: Record<string, unknown> = {};
			for (const [k, x] of Object.entries(v)) {
				const p = path ? `${path}.${k}` : k;
				if (x !== null && x !== undefined && x !== '' && (SECRET_KEY.test(k) || SECRET_PATHS.includes(p))) out[k] = MASK;
				else if (typeof x === 'string' && AADHAAR_KEY.test(k)) out[k] = maskAadhaar(x);
				else out[k] = this.value(x, p);
			}
			return out;
		}
		return v;
	}
}
