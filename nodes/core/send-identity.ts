/**
 * Who a send is for, read from the descriptions (no provider named): the send guard's per-identifier budget needs the
 * number or address the code goes to, and what tells the account apart from another of the same provider.
 */
import { isSecretField } from './fields';
import type { OperationSpec } from './spec';

const PHONE = /^\+?[\d\s().-]{8,20}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NAMES_PHONE = /mobile|phone/i;
const NAMES_EMAIL = /e-?mail/i;

const looksLikePhone = (v: string) => PHONE.test(v) && /^\D*(\d\D*){8,15}$/.test(v);

/** One step of a send path and the values it is sent with (chained fields already filled from the reference). */
export interface SendStepValues {
	op: OperationSpec;
	values: Record<string, unknown>;
}

/**
 * The identifier of a send path, in this order of preference over its steps' plain text fields (never a secret, an
 * Aadhaar number or a choice):
 *   1. a field named for a mobile or phone number whose value is one, then one named for e-mail whose value is one
 *      (the recipient the operation sends to);
 *   2. any field whose value is a phone number or an e-mail address (an identifier of either kind);
 *   3. the first required field the step carries on in its reference (the customer or user id the provider sends to);
 * undefined when none has a value (the per-identifier budget is then not counted).
 */
export function sendIdentifier(steps: readonly SendStepValues[]): string | undefined {
	const candidates = steps.flatMap(({ op, values }) =>
		op.fields
			.filter((f) => f.type === 'string' && !f.sensitive && !isSecretField(f))
			.map((f) => ({ op, field: f, value: typeof values[f.name] === 'number' ? String(values[f.name]) : values[f.name] }))
			.filter((c): c is typeof c & { value: string } => typeof c.value === 'string' && c.value.trim() !== ''),
	);
	const named = (re: RegExp, test: (v: string) => boolean) => candidates.find((c) => (re.test(c.field.name) || re.test(c.field.label)) && test(c.value.trim()));
	const chosen =
		named(NAMES_PHONE, looksLikePhone) ??
		named(NAMES_EMAIL, (v) => EMAIL.test(v)) ??
		candidates.find((c) => looksLikePhone(c.value.trim()) || EMAIL.test(c.value.trim())) ??
		candidates.find((c) => c.field.required && (c.op.carry ?? []).includes(c.field.name));
	return chosen?.value.trim();
}

/** The account's budget key: its non-secret settings (base URL, brand, client id), never a secret. */
export function accountOf(account: Record<string, string>): string {
	return JSON.stringify(
		Object.keys(account)
			.sort()
			.map((k) => [k, account[k]]),
	);
}
