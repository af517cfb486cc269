/** iServeU DMT Lite: register a customer with a type-1 code, or confirm a transfer with a type-2 code. */
import { SANDBOX_ACCOUNTS } from '../sandbox/accounts';
import { iserveu } from '../nodes/providers';
import { verhoeffCheckDigit } from '../nodes/core';
import type { Journey } from './model';

const agent = { username: SANDBOX_ACCOUNTS.iserveu.username };
const mobileHi = { label: 'मोबाइल नंबर', hint: '10 अंक' };
const mobile = { name: 'customerMobileNumber', label: 'Mobile number', hint: '10 digits', input: 'tel', sample: '9876543210' } as const;

export const iserveuJourneys: Journey[] = [
	{
		id: 'iserveu-registration',
		provider: iserveu,
		title: 'Open your money-transfer account',
		intro: 'Enter your mobile number and Aadhaar number. A one-time code is sent to the mobile number linked to your Aadhaar.',
		ask: [
			mobile,
			{
				name: 'ovdData',
				label: 'Aadhaar number',
				hint: '12 digits',
				input: 'numeric',
				sample: `23456789012${verhoeffCheckDigit('23456789012')}`,
				sensitive: true,
			},
		],
		before: [],
		send: { op: 'sendOtp', fixed: { ...agent, otpType: '1', ovdType: 'Aadhaar Card' } },
		codeAsk: [
			{ name: 'customerName', label: 'Full name', input: 'text', sample: 'Asha Verma' },
			{ name: 'address', label: 'Address', input: 'text', sample: '12 MG Road, Bengaluru' },
			{ name: 'pincode', label: 'PIN code', input: 'numeric', sample: '560001' },
		],
		verify: { op: 'registerCustomer' },
		sentTo: { ask: 'customerMobileNumber' },
		done: { title: 'Account opened', text: 'Your account is registered. You can now send money.' },
		hi: {
			title: 'अपना मनी-ट्रांसफ़र खाता खोलें',
			intro: 'अपना मोबाइल नंबर और आधार नंबर डालें। आपके आधार से जुड़े मोबाइल नंबर पर एक वन-टाइम कोड भेजा जाएगा।',
			ask: {
				customerMobileNumber: mobileHi,
				ovdData: { label: 'आधार नंबर', hint: '12 अंक' },
				customerName: { label: 'पूरा नाम' },
				address: { label: 'पता' },
				pincode: { label: 'पिन कोड' },
			},
			done: { title: 'खाता खुल गया', text: 'आपका खाता पंजीकृत हो गया है। अब आप पैसे भेज सकते हैं।' },
		},
	},
	{
		id: 'iserveu-transaction',
		provider: iserveu,
		title: 'Confirm your transfer',
		intro: 'Enter your mobile number and the amount. A one-time code is sent to confirm the transfer.',
		ask: [mobile, { name: 'requestedAmount', label: 'Amount (₹)', input: 'numeric', sample: '1001' }],
		before: [],
		send: { op: 'sendOtp', fixed: { ...agent, otpType: '2', externalRefNumber: { unique: 'TXN' } } },
		verify: { op: 'verifyBeneficiary' },
		sentTo: { ask: 'customerMobileNumber' },
		done: { title: 'Transfer confirmed', text: 'Your code is confirmed and the beneficiary is verified.' },
		hi: {
			title: 'अपने ट्रांसफ़र की पुष्टि करें',
			intro: 'अपना मोबाइल नंबर और राशि डालें। ट्रांसफ़र की पुष्टि के लिए एक वन-टाइम कोड भेजा जाएगा।',
			ask: { customerMobileNumber: mobileHi, requestedAmount: { label: 'राशि (₹)' } },
			done: { title: 'ट्रांसफ़र की पुष्टि हो गई', text: 'आपके कोड की पुष्टि हो गई है और लाभार्थी का सत्यापन हो गया है।' },
		},
	},
];
