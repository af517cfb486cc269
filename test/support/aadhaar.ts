import { verhoeffCheckDigit } from '../../nodes/core';

/** A syntactically valid (Verhoeff-checked) Aadhaar number for tests; not a real person's. */
export function testAadhaar(first11 = '23456789012'): string {
	return `${first11}${verhoeffCheckDigit(first11)}`;
}

/** The same number with a wrong check digit. */
export function badChecksumAadhaar(first11 = '23456789012'): string {
	return `${first11}${(verhoeffCheckDigit(first11) + 1) % 10}`;
}
