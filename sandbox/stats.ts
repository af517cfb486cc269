/**
 * Provider requests as a load test sees them from the provider's side: how many are in flight now (arrived,
 * answer not yet finished), the most at once since the last reset, and how many arrived. Control routes
 * (/_sandbox) are not counted. Read with GET /_sandbox/stats, reset with DELETE /_sandbox/stats.
 */
export interface StatsSnapshot {
	inFlight: number;
	peakInFlight: number;
	requests: number;
	/** Requests that arrived, by "METHOD /path" (the abuse suites prove a refused request reached no provider route). */
	byRoute: Record<string, number>;
}

export class Stats {
	private inFlight = 0;
	private peak = 0;
	private requests = 0;
	private byRoute = new Map<string, number>();

	/** Counts a request in; the returned function counts it out (once, however often it is called). */
	begin(route = ''): () => void {
		this.requests++;
		if (route !== '') this.byRoute.set(route, (this.byRoute.get(route) ?? 0) + 1);
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
		return { inFlight: this.inFlight, peakInFlight: this.peak, requests: this.requests, byRoute: Object.fromEntries(this.byRoute) };
	}

	/** The peak starts again from what is in flight now: those requests are still open. */
	reset(): void {
		this.peak = this.inFlight;
		this.requests = 0;
		this.byRoute.clear();
	}
}
