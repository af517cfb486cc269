/** BOS and AOPay (one platform, two brands): register, send the code, verify it, fetch the CIBIL score. */
import type { ProviderSpec } from '../nodes/core';
import { aopay, bos } from '../nodes/providers';
import type { Journey } from './model';

function cibilJourney(provider: ProviderSpec): Journey {
	const brand = provider.label.replace(' CIBIL Score', '');
	return {
		id: provider.id,
		provider,
		title: 'Check your CIBIL score',
		intro: `Enter your details as your bank knows them. ${brand} sends a one-time code to the mobile number on your credit file.`,
		ask: [
			{ name: 'first_name', label: 'First name', input: 'text', sample: 'Asha' },
			{ name: 'last_name', label: 'Last name', input: 'text', sample: 'Verma' },
			{ name: 'pancard', label: 'PAN', hint: 'Like ABCDE1234F', input: 'text', sample: 'ABCDE1234F' },
			{ name: 'date_of_birth', label: 'Date of birth', input: 'date', sample: '1990-04-23' },
			{ name: 'email_id', label: 'Email', input: 'email', sample: 'asha@example.com' },
			{ name: 'mobile_number', label: 'Mobile number', hint: '10 digits', input: 'tel', sample: '9413812345' },
		],
		before: [{ op: 'registerCustomer', fixed: { order_id: { unique: 'ORD-' } } }],
		send: { op: 'generateOtp' },
		verify: { op: 'submitOtp' },
		after: { op: 'getCreditHistory', poll: { times: 5, waitSeconds: 2 } },
		sentTo: { reference: 'maskedDestination' },
		done: { title: 'Your CIBIL score', text: 'Your CIBIL score is {cibilScore}.' },
		hi: {
			title: 'अपना CIBIL स्कोर देखें',
			intro: `अपनी जानकारी वैसे ही डालें जैसी आपके बैंक के पास दर्ज है। ${brand} आपकी क्रेडिट फ़ाइल में दर्ज मोबाइल नंबर पर एक वन-टाइम कोड भेजेगा।`,
			ask: {
				first_name: { label: 'पहला नाम' },
				last_name: { label: 'उपनाम' },
				pancard: { label: 'पैन (PAN)', hint: 'जैसे ABCDE1234F' },
				date_of_birth: { label: 'जन्म तिथि' },
				email_id: { label: 'ईमेल' },
				mobile_number: { label: 'मोबाइल नंबर', hint: '10 अंक' },
			},
			done: { title: 'आपका CIBIL स्कोर', text: 'आपका CIBIL स्कोर {cibilScore} है।' },
		},
	};
}

export const cibilJourneys: Journey[] = [cibilJourney(bos), cibilJourney(aopay)];
