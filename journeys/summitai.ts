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
	},
];
