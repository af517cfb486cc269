/**
 * Single use of a sealed state (Send and Wait for Code). Every state carries its run's id and its place `seq` in the
 * run; a request that acts on a state first claims it: it counts the state's own key in the counter store and may act
 * only when that count is 1 (the first use), and the state it hands back carries seq + 1. States are issued only by
 * using the one before, so every state but the latest has been used: an older state, a state already used and the
 * second of two concurrent posts of one state are all refused, and showing a page (read only) is allowed only for a
 * state nobody has used yet.
 *
 * Why a key per state rather than one counter per run that must equal seq + 1: with one counter, a refused claim (a
 * double submit's loser, a replay) still counts, and the state the winner handed back stops being the latest: a
 * double click would lock the person out of their run. Per-state keys leave the latest state untouched.
 *
 * Across processes the claims hold when they share the store. In n8n every request to a waiting run is answered by the
 * process that serves /webhook-waiting (the main in queue mode) and the first state is issued without a claim, so even
 * "This Process (In Memory)" is strict for one main; several mains or webhook processors need the shared store.
 */
import { createHash } from 'crypto';
import { isStoreFailure, type CounterStore, type StoreFailure } from './guard';

export const claimKey = (run: string, seq: number) => `otpflow:claim:${createHash('sha256').update(run).digest('base64url').slice(0, 22)}:${seq}`;

export type Claim = { ok: true; seq: number } | { ok: false; storeFailure?: string };

/** Claims the state `seq` of `run` for one request: ok with the seq of the state to hand back, or refused. */
export async function claimState(store: CounterStore, run: string, seq: number, windowMs: number, now: number): Promise<Claim> {
	const counted = await store.hit(claimKey(run, seq), windowMs, now);
	if (isStoreFailure(counted)) return { ok: false, storeFailure: counted.storeFailure };
	return counted.count === 1 ? { ok: true, seq: seq + 1 } : { ok: false };
}

/** Whether state `seq` of `run` is still unused, i.e. the latest (read only: showing a page uses nothing). */
export async function isLatest(store: CounterStore, run: string, seq: number, now: number): Promise<boolean | StoreFailure> {
	const count = await store.peek(claimKey(run, seq), now);
	return isStoreFailure(count) ? count : count === 0;
}
