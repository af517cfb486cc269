/**
 * Provider requests as a load test sees them from the provider's side: how many are in flight now (arrived,
 * answer not yet finished), the most at once since the last reset, and how many arrived. Control routes
 * (/_sandbox) are not counted. Read with GET /_sandbox/stats, reset with DELETE /_sandbox/stats.
 */
export interface StatsSnapshot {
	inFlight: number;
	peakInFlight: number;
	requests: number;
}

export class Stats {
	private inFlight = 0;
	private peak = 0;
	private requests = 0;

	/** Counts a request in; the returned function counts it out (once, however often it is called). */
	begin(): () => void {
		this.requests++;
		this.inFlight++;
		if (this.inFlight > this.peak) this.peak = this.inFlight;
		let ended = false;
		return () => {
			if (ended) return;
			ended = true;
			this.inFlight--;
		};
	}

	snapshot(): StatsSnapshot {
		return { inFlight: this.inFlight, peakInFlight: this.peak, requests: this.requests };
	}

	/** The peak starts again from what is in flight now: those requests are still open. */
	reset(): void {
		this.peak = this.inFlight;
		this.requests = 0;
	}
}
