/** Capillary Auth Engine: a loyalty customer signs in with a code, from a mobile app or a web page. */
import { capillary } from '../nodes/providers';
import type { Journey } from './model';

const steps = {
	send: { op: 'generateOtp' },
	verify: { op: 'validateOtp' },
	done: { title: 'Signed in', text: 'You are signed in. Welcome back.' },
};

const hi = {
	title: 'वन-टाइम कोड से साइन इन करें',
	done: { title: 'साइन इन हो गया', text: 'आप साइन इन हो गए हैं। आपका फिर से स्वागत है।' },
};

export const capillaryJourneys: Journey[] = [
	{
		id: 'capillary-mobile',
		provider: capillary,
		title: 'Sign in with a one-time code',
		intro: 'Enter your mobile number with the country code. We send you a one-time code.',
		ask: [{ name: 'identifierValue', label: 'Mobile number', hint: 'With country code, digits only: 919876543210', input: 'tel', sample: '919999999993' }],
		before: [{ op: 'generateToken', fixed: { flavour: 'mobile', identifierType: 'MOBILE', deviceId: 'otpflow-journey' } }],
		...steps,
		sentTo: { ask: 'identifierValue' },
		hi: {
			...hi,
			intro: 'देश के कोड के साथ अपना मोबाइल नंबर डालें। हम आपको एक वन-टाइम कोड भेजेंगे।',
			ask: { identifierValue: { label: 'मोबाइल नंबर', hint: 'देश के कोड के साथ, केवल अंक: 919876543210' } },
		},
	},
	{
		id: 'capillary-web',
		provider: capillary,
		title: 'Sign in with a one-time code',
		intro: 'Enter your email address. We send you a one-time code.',
		ask: [{ name: 'identifierValue', label: 'Email', input: 'email', sample: 'asha@example.com' }],
		before: [{ op: 'generateToken', fixed: { flavour: 'web', identifierType: 'EMAIL' } }],
		...steps,
		sentTo: { ask: 'identifierValue' },
		hi: { ...hi, intro: 'अपना ईमेल पता डालें। हम आपको एक वन-टाइम कोड भेजेंगे।', ask: { identifierValue: { label: 'ईमेल' } } },
	},
];
