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
