/**
 * OTP Flow sandbox: a local HTTP emulator of BOS, AOPay, iServeU, SummitAI and Capillary,
 * with an inbox (what the customer would have received) and fault injection.
 * It never runs unless started, and only ever listens on 127.0.0.1.
 *
 *   const sandbox = await startSandbox();
 *   // point a credential at sandbox.baseUrls.iserveu, read codes from sandbox.inbox
 *   await sandbox.close();
 */
import { PROVIDER_IDS, SANDBOX_ACCOUNTS, providerBaseUrls, type ProviderId } from './accounts';
import { VirtualClock } from './clock';
import { resolveConfig, type SandboxConfig } from './config';
import { Faults } from './faults';
import { Inbox } from './inbox';
import { createCapillary } from './providers/capillary';
import { createCibil } from './providers/cibil';
import type { ProviderContext } from './providers/common';
import { createIserveu } from './providers/iserveu';
import { createSummitai } from './providers/summitai';
import { digits } from './random';
import { SandboxServer } from './server';
import { Stats } from './stats';
import { CounterStoreStandIn } from './counter-store';

export { SANDBOX_ACCOUNTS, PROVIDER_IDS, providerBaseUrls };
export type { ProviderId };
export { DEFAULT_CONFIG, type SandboxConfig } from './config';
export { Faults, FAULT_KINDS, type Fault, type FaultKind, type FaultSpec } from './faults';
export { Inbox, type InboxFilter, type InboxMessage, type Channel } from './inbox';
export { Stats, type StatsSnapshot } from './stats';
export { CounterStoreStandIn, SANDBOX_STORE_TOKEN } from './counter-store';

export interface SandboxOptions {
	/** Default 0: any free port. */
	port?: number;
	/** Only 127.0.0.1 is allowed: the sandbox accepts fixed, public credentials. */
	host?: '127.0.0.1';
	/** ms clock, default Date.now; `advance()` adds to it. */
	now?: () => number;
	/** Stop by itself after this many ms (CLI `--max-lifetime`). Default: run until close(). */
	maxLifetimeMs?: number;
	/** Shorter limits for tests; see SandboxConfig for the defaults. */
	config?: Partial<SandboxConfig>;
}

export interface Sandbox {
	/** http://127.0.0.1:PORT */
	url: string;
	port: number;
	/** The base URL to put in each provider's credential. */
	baseUrls: Record<ProviderId, string> & Record<string, string>;
	config: Readonly<SandboxConfig>;
	inbox: Inbox;
	faults: Faults;
	/** Provider requests in flight, their peak since the last reset, and their count by route. */
	stats: Stats;
	/** The shared counter store's stand-in at /_store (token SANDBOX_STORE_TOKEN). */
	store: CounterStoreStandIn;
	/** Its URL, for the send guard's counter store setting. */
	storeUrl: string;
	/** Clears every session, OTP, customer, inbox message and fault, and the clock offset. */
	reset(): void;
	/** Moves the virtual clock forward. */
	advance(seconds: number): void;
	/** The virtual time, ms. */
	now(): number;
	close(): Promise<void>;
	/** Resolves once the sandbox has stopped (close() or maxLifetimeMs). */
	closed: Promise<void>;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
	const host = opts.host ?? '127.0.0.1';
	if (host !== '127.0.0.1') throw new Error('The sandbox only listens on 127.0.0.1');
	const config = resolveConfig(opts.config);
	const clock = new VirtualClock(opts.now ?? Date.now);
	const inbox = new Inbox(
		() => clock.now(),
		() => config.inboxLimit,
	);
	const faults = new Faults();
	const stats = new Stats();
	const store = new CounterStoreStandIn();
	const ctx: ProviderContext = {
		now: () => clock.now(),
		config,
		inbox,
		newOtp: () => config.fixedOtp ?? digits(6),
	};
	const providers = [createIserveu(ctx), createCapillary(ctx), createCibil(ctx, 'bos'), createCibil(ctx, 'aopay'), createSummitai(ctx)];
	const reset = () => {
		for (const p of providers) p.reset();
		inbox.clear();
		faults.clear();
		stats.reset();
		store.clear();
		clock.reset();
	};

	const server = new SandboxServer({ config, clock, inbox, faults, providers, stats, store, reset });
	const port = await server.listen(opts.port ?? 0, host);

	let lifetime: NodeJS.Timeout | undefined;
	let markClosed!: () => void;
	const closed = new Promise<void>((resolve) => (markClosed = resolve));
	const close = async () => {
		if (lifetime) clearTimeout(lifetime);
		await server.close();
		markClosed();
	};
	if (opts.maxLifetimeMs !== undefined) {
		lifetime = setTimeout(() => void close(), opts.maxLifetimeMs);
		lifetime.unref();
	}

	return {
		url: server.url,
		port,
		baseUrls: providerBaseUrls(server.url),
		config,
		inbox,
		faults,
		stats,
		store,
		storeUrl: `${server.url}/_store`,
		reset,
		advance: (seconds: number) => clock.advance(seconds),
		now: () => clock.now(),
		close,
		closed,
	};
}
