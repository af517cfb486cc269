/**
 * The config node: one per provider account. Non-secret settings live in the flow; password fields
 * only in Node-RED's encrypted credentials. It owns the account's keep-alive connection pool and its
 * bound on the provider (requests in flight, requests per second), shared by every node using the account.
 */
import { conditionHolds, type ProviderSpec } from '../nodes/core';
import { configType } from './names';
import { Limiter, LimiterClosed } from './limiter';
import { AxiosTransport } from './transport';
import type { NodeAPI, NodeDef, RedNode } from './types';

export interface Account {
	credentials: Record<string, unknown>;
	transport: AxiosTransport;
	limiter: Limiter;
}

/** The bound when the config node does not set one (older flows, the default in the editor). */
export const DEFAULT_MAX_CONCURRENT = 10;

/** The limits a new account starts with (the editor's defaults): what generated flows set on their account nodes. */
export const ACCOUNT_LIMITS = { maxConcurrent: DEFAULT_MAX_CONCURRENT, ratePerSecond: 0 } as const;

/** Account properties of every provider's config node, beside its credential fields. */
export const LIMIT_PROPERTIES = ['maxConcurrent', 'ratePerSecond'] as const;

function positiveWhole(v: unknown, fallback: number, min: number): number {
	const n = Number(v);
	return v !== '' && v !== undefined && v !== null && Number.isFinite(n) && n >= min ? Math.floor(n) : fallback;
}

interface AccountNode extends RedNode {
	otpflowAccount?: Account;
}

/** A workflow-author mistake in the node's configuration: reported with done(err) so Catch fires. */
export class ConfigError extends Error {}

function isEmpty(v: unknown): boolean {
	return v === undefined || v === null || String(v).trim() === '';
}

export function registerConfig(RED: NodeAPI, provider: ProviderSpec): void {
	const passwords = provider.credential.fields.filter((f) => f.type === 'password');
	RED.nodes.registerType(
		configType(provider),
		function (this: AccountNode, def: NodeDef) {
			RED.nodes.createNode(this, def);
			const credentials: Record<string, unknown> = {};
			for (const field of provider.credential.fields) {
				const v = field.type === 'password' ? this.credentials?.[field.name] : def[field.name];
				if (!isEmpty(v)) credentials[field.name] = v;
			}
			const maxConcurrent = positiveWhole(def.maxConcurrent, DEFAULT_MAX_CONCURRENT, 1);
			const limiter = new Limiter(maxConcurrent, positiveWhole(def.ratePerSecond, 0, 0));
			const transport = new AxiosTransport((request) => provider.credential.authenticate(credentials, request), { maxSockets: maxConcurrent });
			this.otpflowAccount = { credentials, transport, limiter };
			this.on('close', (_removed, done) => {
				limiter.close(new LimiterClosed(`The ${provider.label} account was redeployed or stopped before this message was sent: send it again.`));
				transport.destroy();
				done();
			});
		},
		{ credentials: Object.fromEntries(passwords.map((f) => [f.name, { type: 'password' as const }])) },
	);
}

/** The account an operation node points at, or a ConfigError saying what to fix. */
export function resolveAccount(RED: NodeAPI, provider: ProviderSpec, configId: unknown): Account {
	const what = `${provider.label} account`;
	if (isEmpty(configId)) {
		throw new ConfigError(`No ${what} selected: open the node and choose or add one under "Account".`);
	}
	const node = RED.nodes.getNode(String(configId)) as AccountNode | null;
	if (!node || node.type !== configType(provider) || !node.otpflowAccount) {
		throw new ConfigError(`The ${what} this node uses is missing or disabled: open the node and choose an existing one under "Account".`);
	}
	const account = node.otpflowAccount;
	const missing = provider.credential.fields.filter(
		(f) => f.required && conditionHolds(f.showWhen, account.credentials) && isEmpty(account.credentials[f.name]),
	);
	if (missing.length > 0) {
		const names = missing.map((f) => `${f.label}${f.type === 'password' ? ' (secret)' : ''}`).join(', ');
		throw new ConfigError(`The ${what} "${node.name || node.id}" is missing ${names}: open the account and fill ${missing.length > 1 ? 'them' : 'it'} in.`);
	}
	return account;
}
