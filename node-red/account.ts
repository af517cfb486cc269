/**
 * The config node: one per provider account. Non-secret settings live in the flow; password fields
 * only in Node-RED's encrypted credentials. It owns the keep-alive connection pool for the account.
 */
import { conditionHolds, type ProviderSpec } from '../nodes/core';
import { configType } from './names';
import { AxiosTransport } from './transport';
import type { NodeAPI, NodeDef, RedNode } from './types';

export interface Account {
	credentials: Record<string, unknown>;
	transport: AxiosTransport;
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
			const transport = new AxiosTransport((request) => provider.credential.authenticate(credentials, request));
			this.otpflowAccount = { credentials, transport };
			this.on('close', (_removed, done) => {
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
