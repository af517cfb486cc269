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
	/** When the code stops working (ISO-8601, virtual clock), where the provider said so. */
	expiresAt?: string;
	/** The code was accepted by the provider's verify step: it cannot be used again. */
	used: boolean;
	/** The code was not used and its validity has passed. */
	expired: boolean;
}

/** What a provider emulation keeps of an OTP it sent (providers/common.ts OtpRecord): read when the inbox is listed. */
export interface OtpState {
	expiresAt: number;
	used?: boolean;
}

type Delivered = Omit<InboxMessage, 'used' | 'expired' | 'expiresAt'>;

export interface InboxFilter {
	provider?: string;
	to?: string;
}

export class Inbox {
	private messages: Array<{ msg: Delivered; state?: OtpState }> = []; // oldest first
	private seq = 0;

	constructor(
		private readonly now: () => number,
		private readonly limit: () => number,
	) {}

	/** Files a message; `state` is the provider's record of the code, so the inbox can say whether it was used or expired. */
	deliver(msg: Omit<Delivered, 'id' | 'at'>, state?: OtpState): InboxMessage {
		const entry = { msg: { id: `msg-${++this.seq}`, at: new Date(this.now()).toISOString(), ...msg }, state };
		this.messages.push(entry);
		const excess = this.messages.length - this.limit();
		if (excess > 0) this.messages.splice(0, excess);
		return this.view(entry);
	}

	private view({ msg, state }: { msg: Delivered; state?: OtpState }): InboxMessage {
		const used = state?.used === true;
		const expired = !used && state !== undefined && this.now() >= state.expiresAt;
		return { ...msg, ...(state ? { expiresAt: new Date(state.expiresAt).toISOString() } : {}), used, expired };
	}

	/** Newest first. Empty filter fields match everything. */
	list(filter: InboxFilter = {}): InboxMessage[] {
		return this.messages
			.filter(({ msg: m }) => (!filter.provider || m.provider === filter.provider) && (!filter.to || m.to === filter.to))
			.reverse()
			.map((e) => this.view(e));
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
