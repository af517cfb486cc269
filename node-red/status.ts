/** The status shown under a node: the last outcome, so a flow author sees at a glance what happened. */
import type { OtpResult } from '../nodes/core';
import type { NodeStatus } from './types';

export const REQUESTING: NodeStatus = { fill: 'blue', shape: 'ring', text: 'requesting…' };

export function resultStatus(result: OtpResult): NodeStatus {
	if (result.ok) return { fill: 'green', shape: 'dot', text: result.status };
	if (result.status === 'pending') return { fill: 'yellow', shape: 'ring', text: result.status };
	return { fill: 'red', shape: 'ring', text: result.status };
}

/** Messages waiting for a slot of the account (its bound on requests in flight or per second). */
export function waitingStatus(queued: number): NodeStatus {
	return { fill: 'yellow', shape: 'ring', text: `waiting: ${queued} queued` };
}

export function errorStatus(text: string): NodeStatus {
	return { fill: 'red', shape: 'ring', text };
}
