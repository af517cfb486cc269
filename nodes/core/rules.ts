/**
 * Validation rules for operation fields. Each rule's `message` completes the sentence
 * "<Field label> (<field>) ..." so an error names both the field and the rule.
 */
import { verhoeffValid } from './verhoeff';

export interface Rule {
	message: string;
	/** `all` is every raw input of the call, for rules that depend on another field. */
	test(value: string, all: Record<string, unknown>): boolean;
}

export const pattern = (re: RegExp, message: string): Rule => ({ message, test: (v) => re.test(v) });

export const indianMobile = (): Rule => pattern(/^[6-9]\d{9}$/, 'must be a 10-digit Indian mobile number starting with 6, 7, 8 or 9');

export const length = (min: number, max: number): Rule => ({
	message: `must be ${min} to ${max} characters long`,
	test: (v) => v.length >= min && v.length <= max,
});

export const digits = (min: number, max: number): Rule =>
	pattern(new RegExp(`^\\d{${min},${max}}$`), min === max ? `must be ${min} digits` : `must be ${min} to ${max} digits`);

export const aadhaar = (): Rule => ({
	message: 'must be a 12-digit Aadhaar number with a valid check digit',
	test: (v) => /^[2-9]\d{11}$/.test(v) && verhoeffValid(v),
});

export const positiveNumber = (): Rule => ({
	message: 'must be a positive number',
	test: (v) => /^\d+(\.\d{1,2})?$/.test(v) && Number(v) > 0,
});

/** A number from `min` to `max` (inclusive; `min` excluded when `exclusiveMin`), e.g. minutes of validity up to a day. */
export const numberBetween = (min: number, max: number, unit: string, { exclusiveMin = false, whole = false } = {}): Rule => ({
	message: `must be ${whole ? 'a whole number' : 'a number'} ${exclusiveMin ? `above ${min}` : `from ${min}`} to ${max} ${unit}`,
	test: (v) => {
		const n = Number(v);
		return /^\d+(\.\d+)?$/.test(v) && (!whole || Number.isInteger(n)) && (exclusiveMin ? n > min : n >= min) && n <= max;
	},
});

export const positiveInteger = (): Rule => pattern(/^[1-9]\d*$/, 'must be a positive whole number');

export const latLong = (): Rule => ({
	message: 'must be "latitude,longitude" with latitude -90 to 90 and longitude -180 to 180',
	test: (v) => {
		const m = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(v);
		return !!m && Math.abs(Number(m[1])) <= 90 && Math.abs(Number(m[2])) <= 180;
	},
});

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function isIpv6(v: string): boolean {
	if (!/^[0-9a-fA-F:.]+$/.test(v)) return false;
	const halves = v.split('::');
	if (halves.length > 2) return false;
	const groupsOf = (s: string) => (s === '' ? [] : s.split(':'));
	const groups = halves.flatMap(groupsOf);
	let size = 0;
	for (const [i, g] of groups.entries()) {
		// An embedded IPv4 tail (::ffff:1.2.3.4) counts as two groups.
		if (g.includes('.') && i === groups.length - 1 && IPV4.test(g)) size += 2;
		else if (/^[0-9a-fA-F]{1,4}$/.test(g)) size += 1;
		else return false;
	}
	return halves.length === 2 ? size < 8 : size === 8;
}

export const ipAddress = (): Rule => ({
	message: 'must be a valid IPv4 or IPv6 address',
	test: (v) => IPV4.test(v) || isIpv6(v),
});

/** RFC 5321 limits and a dot-atom local part: no quotes, spaces or consecutive dots; a domain of real labels. */
const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const EMAIL_DOMAIN = /^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

export const email = (): Rule => ({
	message: 'must be an email address like name@example.com',
	test: (v) => {
		const at = v.lastIndexOf('@');
		if (v.length > 254 || at < 1) return false;
		const local = v.slice(0, at);
		const domain = v.slice(at + 1);
		return local.length <= 64 && EMAIL_LOCAL.test(local) && domain.length <= 253 && EMAIL_DOMAIN.test(domain);
	},
});

export const pan = (): Rule => pattern(/^[A-Z]{5}\d{4}[A-Z]$/, 'must be a PAN like ABCDE1234F (5 letters, 4 digits, 1 letter)');

/** 'YYYY-MM-DD', or 'DD/MM/YYYY' when `dayFirst`, as [year, month, day]; undefined for any other form. */
export function dateParts(v: string, dayFirst = false): [string, string, string] | undefined {
	const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
	if (iso) return [iso[1], iso[2], iso[3]];
	const dmy = dayFirst ? /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(v) : null;
	return dmy ? [dmy[3], dmy[2], dmy[1]] : undefined;
}

/**
 * A real calendar date in the past, as YYYY-MM-DD (or DD/MM/YYYY too with `dayFirst`). `today` is injected so
 * tests are stable.
 */
export const pastDate = (today: () => Date = () => new Date(), { dayFirst = false } = {}): Rule => ({
	message: `must be a real past date as YYYY-MM-DD${dayFirst ? ' or DD/MM/YYYY' : ''}`,
	test: (v) => {
		const m = dateParts(v, dayFirst);
		if (!m) return false;
		const [year, month, day] = m.map(Number);
		const d = new Date(Date.UTC(year, month - 1, day));
		const real = d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
		return real && d.getTime() < today().getTime() && year >= 1900;
	},
});
