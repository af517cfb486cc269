import type { ProviderId } from './accounts';

export type Channel = 'sms' | 'email';

/** What the customer's phone or mailbox would have received. */
export interface InboxMessage {
	id: string;
	provider: ProviderId;
	channel: Channel;
	/** The destination as the provider delivers it: mobile number, email address or user name. */
	to: string;
	otp: string;
	text: string;
	/** ISO-8601, on the sandbox's virtual clock. */
	at: string;
}

export interface InboxFilter {
	provider?: string;
	to?: string;
}

export class Inbox {
	private messages: InboxMessage[] = []; // oldest first
	private seq = 0;

	constructor(
		private readonly now: () => number,
		private readonly limit: () => number,
	) {}

	deliver(msg: Omit<InboxMessage, 'id' | 'at'>): InboxMessage {
		const full: InboxMessage = { id: `msg-${++this.seq}`, at: new Date(this.now()).toISOString(), ...msg };
		this.messages.push(full);
		const excess = this.messages.length - this.limit();
		if (excess > 0) this.messages.splice(0, excess);
		return full;
	}

	/** Newest first. Empty filter fields match everything. */
	list(filter: InboxFilter = {}): InboxMessage[] {
		return this.messages
			.filter((m) => (!filter.provider || m.provider === filter.provider) && (!filter.to || m.to === filter.to))
			.reverse()
			.map((m) => ({ ...m }));
	}

	latest(provider?: string, to?: string): InboxMessage | undefined {
		return this.list({ provider, to })[0];
	}

	clear(): void {
		this.messages = [];
	}

	get size(): number {
		return this.messages.length;
	}
}
