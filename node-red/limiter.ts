/**
 * One account's bound on the provider: at most `maxConcurrent` requests in flight and, when set, at most
 * `perSecond` started in any second. Messages wait in arrival order; none is dropped. Closing (a redeploy or a
 * shutdown) ends every waiting message with an error, so each still ends with done(err) and Catch sees it.
 * OTP providers rate-limit and put SMS gateways behind their APIs: a burst of 1,000 messages must not become
 * 1,000 requests at once.
 */

interface Waiter {
	owner: object;
	grant: (release: () => void) => void;
	refuse: (error: Error) => void;
}

export class LimiterClosed extends Error {}

export class Limiter {
	private active = 0;
	private readonly queue: Waiter[] = [];
	/** Start times within the last second, for the per-second bound. */
	private readonly started: number[] = [];
	private timer?: NodeJS.Timeout;
	private closed?: Error;

	constructor(
		readonly maxConcurrent: number,
		readonly perSecond = 0,
		private readonly now: () => number = Date.now,
	) {}

	/** Messages waiting for a slot. */
	get waiting(): number {
		return this.queue.length;
	}

	get inFlight(): number {
		return this.active;
	}

	/** Resolves with a release function once the caller may send; rejects when the limiter closes first. */
	acquire(owner: object): Promise<() => void> {
		if (this.closed) return Promise.reject(this.closed);
		return new Promise((grant, refuse) => {
			this.queue.push({ owner, grant, refuse });
			this.pump();
		});
	}

	/** Refuses the waiting messages of one owner (an operation node being stopped). */
	cancel(owner: object, error: Error): void {
		for (let i = this.queue.length - 1; i >= 0; i--) {
			if (this.queue[i].owner === owner) this.queue.splice(i, 1)[0].refuse(error);
		}
	}

	/** Refuses everything waiting and everything that asks later. */
	close(error: Error): void {
		this.closed = error;
		if (this.timer) clearTimeout(this.timer);
		for (const waiter of this.queue.splice(0)) waiter.refuse(error);
	}

	private pump(): void {
		while (this.queue.length > 0 && this.active < this.maxConcurrent) {
			if (this.perSecond > 0) {
				const now = this.now();
				while (this.started.length > 0 && now - this.started[0] >= 1000) this.started.shift();
				if (this.started.length >= this.perSecond) {
					this.wakeAt(this.started[0] + 1000 - now);
					return;
				}
				this.started.push(now);
			}
			const waiter = this.queue.shift()!;
			this.active++;
			let released = false;
			waiter.grant(() => {
				if (released) return;
				released = true;
				this.active--;
				this.pump();
			});
		}
	}

	private wakeAt(ms: number): void {
		if (this.timer) return;
		this.timer = setTimeout(
			() => {
				this.timer = undefined;
				this.pump();
			},
			Math.max(1, ms),
		);
		this.timer.unref?.();
	}
}
