/** The node status a flow author sees under each OTP Flow node. */
import type { OtpResult, Status } from '../../nodes/core';
import { resultStatus } from '../../node-red/status';

const result = (status: Status, ok: boolean) => ({ ok, status }) as OtpResult;

describe('resultStatus', () => {
	it.each<[Status, boolean, object]>([
		['otp_sent', true, { fill: 'green', shape: 'dot', text: 'otp_sent' }],
		['verified', true, { fill: 'green', shape: 'dot', text: 'verified' }],
		['pending', false, { fill: 'yellow', shape: 'ring', text: 'pending' }],
		['invalid_otp', false, { fill: 'red', shape: 'ring', text: 'invalid_otp' }],
		['network_error', false, { fill: 'red', shape: 'ring', text: 'network_error' }],
	])('shows %s as its own word in the right colour', (status, ok, expected) => {
		expect(resultStatus(result(status, ok))).toEqual(expected);
	});
});
