/** SummitAI ITSM: a service-desk user proves who they are with a code sent by the instance's medium. */
import { summitai } from '../nodes/providers';
import type { Journey } from './model';

export const summitaiJourneys: Journey[] = [
	{
		id: 'summitai',
		provider: summitai,
		title: 'Verify it is you',
		intro: 'Enter your service-desk user name and user ID. A one-time code is sent by SMS or email, as your service desk is set up.',
		ask: [
			{ name: 'UserName', label: 'User name', input: 'text', sample: 'abcd' },
			{ name: 'UserID', label: 'User ID', hint: 'The number on your profile', input: 'numeric', sample: '967', fills: ['UserID', 'LoginUID'] },
		],
		before: [],
		send: { op: 'generateOtp', fixed: { DomainId: '1' } },
		verify: { op: 'validateOtp' },
		sentTo: { text: 'your registered phone or email' },
		done: { title: 'Verified', text: 'Thank you: it is you. You can go on.' },
		hi: {
			title: 'पुष्टि करें कि यह आप ही हैं',
			intro: 'अपना सर्विस-डेस्क यूज़र नेम और यूज़र आईडी डालें। आपके सर्विस डेस्क की सेटिंग के अनुसार एक वन-टाइम कोड SMS या ईमेल से भेजा जाएगा।',
			ask: { UserName: { label: 'यूज़र नेम' }, UserID: { label: 'यूज़र आईडी', hint: 'आपकी प्रोफ़ाइल पर दिया गया नंबर' } },
			done: { title: 'पुष्टि हो गई', text: 'धन्यवाद: पुष्टि हो गई कि यह आप ही हैं। आप आगे बढ़ सकते हैं।' },
			sentTo: 'आपके पंजीकृत फ़ोन या ईमेल',
		},
	},
];
