import { digits } from './rules';
import type { FieldSpec } from './spec';

/** The code the customer typed: every numeric-OTP provider asks for it the same way. */
export function otpCodeField(description = 'The code the customer received'): FieldSpec {
	return {
		name: 'otp',
		label: 'OTP',
		type: 'string',
		required: true,
		placeholder: '123456',
		fromMessage: 'otp',
		description,
		rules: [digits(4, 8)],
	};
}

/** A field whose value is a secret: never carried on, and scrubbed from raw, messages and errors. */
export function isSecretField(field: FieldSpec): boolean {
	return field.type === 'password' || field.sensitive === 'secret';
}
