/**
 * The sandbox's notion of "now": an injectable base clock plus an offset that
 * `advance()` moves forward, so tests can expire OTPs without waiting.
 */
export class VirtualClock {
	private offsetMs = 0;

	constructor(private readonly base: () => number = Date.now) {}

	now(): number {
		return this.base() + this.offsetMs;
	}

	advance(seconds: number): void {
		if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
			throw new RangeError('advance(seconds) needs a finite, non-negative number');
		}
		this.offsetMs += seconds * 1000;
	}

	reset(): void {
		this.offsetMs = 0;
	}
}
