/**
 * Single use of Send and Wait's states (nodes/core/claim.ts): only the latest state acts, once; an older one and the
 * same one twice (also at the same moment) are refused, and a refused claim never costs the person their latest state.
 */
import { claimState, isLatest, MemoryCounterStore, type CounterStore } from '../../nodes/core';

const T0 = Date.UTC(2026, 11, 7, 10, 0, 0);
const W = 20 * 60000;

describe('claims', () => {
	it('the latest state acts once; the state it hands back is the next latest', async () => {
		const store = new MemoryCounterStore();
		expect(await isLatest(store, 'run', 1, T0)).toBe(true);
		expect(await claimState(store, 'run', 1, W, T0)).toEqual({ ok: true, seq: 2 });
		expect(await isLatest(store, 'run', 1, T0)).toBe(false);
		expect(await isLatest(store, 'run', 2, T0)).toBe(true);
		// The same state again (a replay or a double submit): refused, and the latest state still acts.
		expect(await claimState(store, 'run', 1, W, T0)).toEqual({ ok: false });
		expect(await claimState(store, 'run', 2, W, T0)).toEqual({ ok: true, seq: 3 });
		// The older states after a resend: refused.
		for (const older of [1, 2]) expect(await claimState(store, 'run', older, W, T0)).toEqual({ ok: false });
	});

	it('of two posts of one state at the same moment, one acts, and the state it hands back still acts', async () => {
		const store = new MemoryCounterStore();
		const both = await Promise.all([claimState(store, 'run', 1, W, T0), claimState(store, 'run', 1, W, T0)]);
		expect(both.filter((c) => c.ok)).toEqual([{ ok: true, seq: 2 }]);
		expect(await claimState(store, 'run', 2, W, T0)).toEqual({ ok: true, seq: 3 });
	});

	it("runs are apart: one run's claims never touch another's", async () => {
		const store = new MemoryCounterStore();
		expect((await claimState(store, 'a', 1, W, T0)).ok).toBe(true);
		expect((await claimState(store, 'b', 1, W, T0)).ok).toBe(true);
	});

	it('a claim lives as long as its window: long enough when the window outlasts the wait', async () => {
		const store = new MemoryCounterStore();
		await claimState(store, 'run', 1, W, T0);
		expect((await claimState(store, 'run', 1, W, T0 + W - 1)).ok).toBe(false);
	});

	it('a store that cannot be asked refuses (fail closed)', async () => {
		const down: CounterStore = { hit: async () => ({ storeFailure: 'The counter store did not answer' }), peek: async () => ({ storeFailure: 'x' }) };
		expect(await claimState(down, 'run', 1, W, T0)).toEqual({ ok: false, storeFailure: 'The counter store did not answer' });
		expect(await isLatest(down, 'run', 1, T0)).toEqual({ storeFailure: 'x' });
	});
});
