/**
 * Values a workflow can hand a node that must never reach a provider: control and bidi characters,
 * oversized strings, broken e-mail addresses. Shared by the property suite (test/property/).
 */
import { verhoeffCheckDigit } from '../../nodes/core';

const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i));

/** C0 (tab, newline and NUL included), DEL and C1. */
export const CONTROL_CHARS: readonly string[] = [...range(0x00, 0x1f), '\u007f', ...range(0x80, 0x9f)];

/** Bidirectional-text controls: they make a value read differently from what is sent. */
export const BIDI_CONTROLS: readonly string[] = ['\u061c', '\u200e', '\u200f', ...range(0x202a, 0x202e), ...range(0x2066, 0x2069)];

export const FORBIDDEN_CHARS: readonly string[] = [...CONTROL_CHARS, ...BIDI_CONTROLS];

/** Any character a value that left the node may not contain. */
export const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

export const codePoint = (c: string): string => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

export const KB10 = 10 * 1024;
export const MB1 = 1024 * 1024;
// Built once: a megabyte per call would dominate the suite's runtime.
export const LONG_STRINGS: ReadonlyArray<{ label: string; value: string }> = [
	{ label: '10 KB of letters', value: 'a'.repeat(KB10) },
	{ label: '10 KB of digits', value: '9'.repeat(KB10) },
	{ label: '1 MB of letters', value: 'a'.repeat(MB1) },
	{ label: '1 MB of digits', value: '9'.repeat(MB1) },
];

/** Puts `c` strictly inside `valid`, where trimming cannot remove it. */
export function embed(valid: string, c: string): string {
	if (valid.length < 2) return `${valid || 'a'}${c}${valid || 'a'}`;
	const at = Math.ceil(valid.length / 2);
	return `${valid.slice(0, at)}${c}${valid.slice(at)}`;
}

/** Every hostile value a free-text field must refuse, built around a value the field otherwise accepts. */
export function hostileStrings(valid: string): Array<{ label: string; value: string }> {
	return [
		...FORBIDDEN_CHARS.map((c) => ({ label: `${codePoint(c)} inside a valid value`, value: embed(valid, c) })),
		{ label: 'a valid value repeated to 10 KB', value: valid.repeat(Math.ceil(KB10 / Math.max(valid.length, 1))) },
		...LONG_STRINGS,
	];
}

/** The longest address RFC 5321 allows is 254 characters; this one is 255 and otherwise well formed. */
const LONG_EMAIL = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.com`;

/** Addresses an e-mail field must refuse (the last ones are valid in shape but too long). */
export const INVALID_EMAILS: ReadonlyArray<{ label: string; value: string }> = [
	{ label: 'a JSON-breaking quote', value: 'a"b@example.com' },
	{ label: 'a quoted local part', value: '"ab"@example.com' },
	{ label: 'no local part', value: '@example.com' },
	{ label: 'no domain', value: 'name@' },
	{ label: 'no @ at all', value: 'name.example.com' },
	{ label: 'a space in the local part', value: 'na me@example.com' },
	{ label: 'a space in the domain', value: 'name@exa mple.com' },
	{ label: 'consecutive dots in the local part', value: 'na..me@example.com' },
	{ label: 'consecutive dots in the domain', value: 'name@example..com' },
	{ label: 'a domain without a dot', value: 'name@localhost' },
	{ label: 'two @', value: 'name@@example.com' },
	{ label: `${LONG_EMAIL.length} characters`, value: LONG_EMAIL },
	{ label: '300 characters', value: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(39)}.com` },
];

/** A Verhoeff-valid 12-digit number starting with 2–9 (the shape of an Aadhaar number) from 11 leading digits. */
export function aadhaarFrom(first11: string): string {
	return `${first11}${verhoeffCheckDigit(first11)}`;
}

/** The ways an Aadhaar number is written: contiguous, in groups of four with spaces, with hyphens. */
export function aadhaarForms(aadhaar: string): { contiguous: string; spaced: string; hyphenated: string } {
	const groups = [aadhaar.slice(0, 4), aadhaar.slice(4, 8), aadhaar.slice(8)];
	return { contiguous: aadhaar, spaced: groups.join(' '), hyphenated: groups.join('-') };
}
