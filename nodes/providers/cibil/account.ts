import { pattern } from '../../core';
import type { CibilBrand } from './brand';

/**
 * The documentation shows one RegistrationID per brand ("BOS-554", "AOP-554") and one CompanyCode
 * ("CMP1045"), and no rule. Accepted: letters, an optional hyphen, then digits (case as typed). That
 * is loose enough for other prefixes and lengths, and still catches an empty field, stray spaces or
 * the access token pasted into the wrong box.
 */
const ACCOUNT_ID = pattern(/^[A-Za-z]{2,10}-?\d{1,10}$/, 'must be letters, an optional hyphen, then digits');

/** Refuses to build a request (nothing is sent) when the credential's account ids are malformed. */
export function checkAccount(brand: CibilBrand, account: Record<string, string>): void {
	const ids = [
		{ key: 'registrationId', label: 'Registration ID (RegistrationID)', example: brand.registrationIdExample },
		{ key: 'companyCode', label: 'Company Code (CompanyCode)', example: 'CMP1045' },
	];
	for (const id of ids) {
		const value = account[id.key] ?? '';
		if (value === '') throw new Error(`The credential's ${id.label} is empty: fill it in the credential.`);
		if (!ACCOUNT_ID.test(value, account)) {
			throw new Error(`The credential's ${id.label} ${ACCOUNT_ID.message}, like ${id.example}: fix it in the credential.`);
		}
	}
}
