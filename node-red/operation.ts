/**
 * One palette node per provider operation: evaluate the typed inputs, run the core, put the OtpResult in
 * msg.payload and send the message on Success (1) or Failure (2). Exactly one output or one done(err)
 * per message; nothing escapes the handler (a rejected input handler would kill Node-RED).
 */
import { isSecretField, Redactor, runOperation, splitCredential, takesReference, type OperationSpec, type ProviderSpec } from '../nodes/core';
import { ConfigError, resolveAccount, type Account } from './account';
import { evaluateFields, evaluateReference, PropertyError } from './evaluate';
import { DEFAULT_TIMEOUT_SECONDS, defaultLabel, operationType } from './names';
import { nodeFields } from './properties';
import { LimiterClosed } from './limiter';
import { errorStatus, REQUESTING, resultStatus, waitingStatus } from './status';
import { guardSend, messageClient, resolvePublicPages, sendIdentifier } from './journey';
import type { DoneFn, NodeAPI, NodeDef, NodeMessage, RedNode, SendFn } from './types';

/** What a message got as far as, so the error path knows which secrets and Aadhaar numbers to scrub. */
interface Seen {
	account?: Account;
	params?: Record<string, unknown>;
}

const isEmpty = (v: unknown) => v === undefined || v === null || String(v).trim() === '';

function timeoutMs(value: unknown): number {
	if (value === undefined || value === null || value === '') return DEFAULT_TIMEOUT_SECONDS * 1000;
	const seconds = Number(value);
	if (!Number.isFinite(seconds) || seconds <= 0) {
		throw new ConfigError(`Timeout must be a positive number of seconds, not "${String(value)}": fix it in the node.`);
	}
	return Math.round(seconds * 1000);
}

export function registerOperation(RED: NodeAPI, provider: ProviderSpec, op: OperationSpec): void {
	const fields = nodeFields(provider, op);
	const aadhaarFields = fields.filter((f) => f.sensitive === 'aadhaar').map((f) => f.name);
	const secretFields = fields.filter(isSecretField).map((f) => f.name);
	const continuing = takesReference(op);

	RED.nodes.registerType(operationType(provider, op), function (this: RedNode, def: NodeDef) {
		RED.nodes.createNode(this, def);
		// Node-RED's own style: the node object, used from the handlers below.
		// eslint-disable-next-line @typescript-eslint/no-this-alias
		const node = this;
		const includeRaw = def.includeRaw === true || def.includeRaw === 'true';
		// Pauses in progress (Get Credit History's "Wait for the Final Result"): a stopped node ends them at once.
		const pauses = new Set<() => void>();
		const wait = (ms: number) =>
			new Promise<boolean>((resolve) => {
				const stop = () => {
					clearTimeout(timer);
					pauses.delete(stop);
					resolve(false);
				};
				const timer = setTimeout(() => {
					pauses.delete(stop);
					resolve(true);
				}, ms);
				pauses.add(stop);
			});

		async function handle(msg: NodeMessage, send: SendFn, seen: Seen) {
			const account = (seen.account = resolveAccount(RED, provider, def.config));
			const timeout = timeoutMs(def.timeout);
			const params = (seen.params = await evaluateFields(RED, node, def, fields, msg));
			const reference = continuing ? await evaluateReference(RED, node, def, msg) : undefined;
			// The send guard, when the node has one (a code the public can make it send): refused, nothing is sent.
			if (op.sendsCode && !isEmpty(def.sendGuard)) {
				const pages = resolvePublicPages(RED, def.sendGuard);
				if (typeof pages === 'string')
					throw new ConfigError(`The send guard this node uses is missing: open the node and choose one under "Send guard", or none.`);
				const refused = await guardSend(pages, {
					provider: provider.id,
					operation: op.id,
					identifier: sendIdentifier(op, params, reference as Record<string, unknown> | undefined),
					client: messageClient(msg, pages.trustedProxies),
					account: String(def.config ?? ''),
				});
				if (refused) {
					msg.payload = refused.result;
					node.status(resultStatus(refused.result));
					send([null, msg]);
					return;
				}
			}
			// Wait for a slot of the account before the timeout starts: time spent queued is not the provider's.
			if (account.limiter.waiting > 0 || account.limiter.inFlight >= account.limiter.maxConcurrent) {
				node.status(waitingStatus(account.limiter.waiting + 1));
			}
			const release = await account.limiter.acquire(node);
			let result;
			try {
				node.status(REQUESTING);
				result = await runOperation(provider, op, params, account.credentials, account.transport, {
					includeRaw,
					timeoutMs: timeout,
					reference,
					wait,
				});
			} finally {
				release();
			}
			msg.payload = result;
			node.status(resultStatus(result));
			send(result.ok ? [msg, null] : [null, msg]);
		}

		// A redeployed or stopped node ends its waiting messages with done(err): nothing is dropped silently.
		node.on('close', () => {
			for (const stop of [...pauses]) stop();
			const config = def.config ? (RED.nodes.getNode(String(def.config)) as { otpflowAccount?: Account } | null) : null;
			config?.otpflowAccount?.limiter.cancel(
				node,
				new LimiterClosed(`${defaultLabel(provider, op)} was redeployed or stopped before this message was sent: send it again.`),
			);
		});

		node.on('input', (msg, send, done) => {
			const seen: Seen = {};
			const fail = (e: unknown) => {
				// Error text may quote a provider or a JSONata error: scrub secrets and Aadhaar numbers first.
				const secrets = seen.account ? splitCredential(provider, seen.account.credentials).secrets : [];
				const params = seen.params ?? {};
				const redactor = new Redactor(
					[...secrets, ...secretFields.map((n) => params[n])],
					// The configured expression too: evaluation may fail before any value exists.
					aadhaarFields.flatMap((n) => [params[n], def[n]]),
				);
				const message = redactor.text(e instanceof Error ? e.message : String(e));
				const known = e instanceof ConfigError || e instanceof PropertyError || e instanceof LimiterClosed;
				node.status(errorStatus(e instanceof ConfigError ? 'configuration error' : 'error'));
				safeDone(done, new Error(known ? message : `Unexpected error: ${message}`));
			};
			try {
				handle(msg, send, seen)
					.then(() => safeDone(done), fail)
					// Last line of defence: a rejection here would take the whole runtime down.
					.catch(() => safeDone(done, new Error('Unexpected error in an OTP Flow node')));
			} catch (e) {
				fail(e);
			}
		});
	});
}

/** done() itself must not throw out of a promise callback. */
function safeDone(done: DoneFn, err?: Error): void {
	try {
		done(err);
	} catch {
		// Nothing left to report to: the runtime already has the message.
	}
}
