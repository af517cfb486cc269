/**
 * Every journey, run through the core against the sandbox as a person would go through it: the first page's
 * samples typed in, the steps before the code, the code read from the inbox (the person's phone), the verify step
 * and the one after it. Proves the journey descriptions are complete before any runtime turns them into pages.
 */
import { runOperation, type OtpResult } from '../../nodes/core';
import { AxiosTransport } from '../../node-red/transport';
import { JOURNEYS, OUTCOMES, type Journey } from '../../journeys';
import { sampleParams, sourcesOf, stepsOf } from '../../journeys/params';
import { startSandbox, type Sandbox } from '../../sandbox';
import { sandboxCredentials } from '../n8n/otpflow';

let sandbox: Sandbox;
const transports: AxiosTransport[] = [];
beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, config: { iserveuResendCooldownSeconds: 0 } });
});
afterAll(async () => {
	for (const t of transports) t.destroy();
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

function credentialsOf(journey: Journey) {
	return sandboxCredentials(sandbox)[journey.provider.credential.name];
}

/** The account's authentication added as each runtime's transport adds it. */
function transportOf(journey: Journey): AxiosTransport {
	const t = new AxiosTransport((r) => journey.provider.credential.authenticate(credentialsOf(journey), r));
	transports.push(t);
	return t;
}

/** Runs the journey up to the code page; returns the send step's result. */
async function upToCode(journey: Journey): Promise<OtpResult> {
	let reference: unknown;
	let last: OtpResult | undefined;
	for (const { step, role, op } of stepsOf(journey)) {
		if (role === 'verify' || role === 'after') break;
		last = await runOperation(journey.provider, op, sampleParams(journey, role, step, op, ''), credentialsOf(journey), transportOf(journey), { reference });
		expect({ step: op.id, status: last.status, message: last.message }).toEqual({
			step: op.id,
			status: role === 'send' ? 'otp_sent' : expect.stringMatching(/completed|verified/),
			message: last.message,
		});
		reference = last.reference;
	}
	return last!;
}

async function verify(journey: Journey, sent: OtpResult, code: string): Promise<OtpResult> {
	const [{ step, op }] = stepsOf(journey).filter((s) => s.role === 'verify');
	return runOperation(journey.provider, op, sampleParams(journey, 'verify', step, op, code), credentialsOf(journey), transportOf(journey), {
		reference: sent.reference,
	});
}

describe.each(JOURNEYS.map((j) => [j.id, j] as const))('journey %s', (_id, journey) => {
	it('is well formed: the send step sends a code, the verify step continues it, every ask fills a field', () => {
		const steps = stepsOf(journey);
		const send = steps.find((s) => s.role === 'send')!.op;
		const verifyOp = steps.find((s) => s.role === 'verify')!.op;
		expect(send.sendsCode).toBe(true);
		expect(verifyOp.continues).toBe(send.id);
		for (const ask of [...journey.ask, ...(journey.codeAsk ?? [])]) {
			const filled = steps.some(({ step, role, op }) => Object.values(sourcesOf(journey, role, step, op)).some((s) => s.kind === 'ask' && s.ask === ask));
			expect({ ask: ask.name, filled }).toEqual({ ask: ask.name, filled: true });
		}
		expect(sourcesOf(journey, 'verify', journey.verify, verifyOp)).toHaveProperty([verifyOp.fields.find((f) => f.fromMessage === 'otp')!.name], {
			kind: 'code',
		});
	});

	it('right code: ends on the done page (after polling a pending answer)', async () => {
		const sent = await upToCode(journey);
		const code = sandbox.inbox.list({ provider: journey.provider.id })[0]?.otp;
		expect(code).toMatch(/^\w{4,10}$/);
		let result = await verify(journey, sent, code!);
		expect(OUTCOMES[result.status]).toBe('done');
		if (journey.after) {
			const op = stepsOf(journey).find((s) => s.role === 'after')!.op;
			for (let i = 0; i <= (journey.after.poll?.times ?? 0); i++) {
				result = await runOperation(journey.provider, op, sampleParams(journey, 'after', journey.after, op, ''), credentialsOf(journey), transportOf(journey), {
					reference: result.reference,
				});
				if (OUTCOMES[result.status] !== 'poll') break;
			}
			expect(result.status).toBe('completed');
		}
		for (const name of journey.done.text.match(/\{(\w+)\}/g) ?? []) expect(result.reference).toHaveProperty(name.slice(1, -1));
	});

	it('wrong code: asks for the code again', async () => {
		const sent = await upToCode(journey);
		const code = sandbox.inbox.list({ provider: journey.provider.id })[0]!.otp;
		const wrong = code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
		const result = await verify(journey, sent, wrong);
		expect(result.status).toBe('invalid_otp');
		expect(OUTCOMES[result.status]).toBe('code_again');
	});
});
