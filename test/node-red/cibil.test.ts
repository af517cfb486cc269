/**
 * BOS and AOPay CIBIL Score nodes in a real Node-RED runtime against the sandbox. Both brands run the same
 * table: one implementation, two brands, each with its own config node, palette nodes and account.
 */
import { SANDBOX_ACCOUNTS, type Sandbox } from '../../sandbox';
import aopayNodes from '../../node-red/aopay';
import bosNodes from '../../node-red/bos';
import { faultTable, fixed, helper, leakCheckedLoader, nodeRedRuntime, only, recordingProxy, type Loaded, type Msg, type NodeSetup } from './harness';

const MOBILE = '9413812345';
const WRONG_TOKEN = 'wrong-cibil-token-do-not-leak';

let sandbox: Sandbox;
nodeRedRuntime((s) => (sandbox = s));

const BRANDS = [
	{ id: 'bos' as const, name: 'BOS', module: bosNodes, ...SANDBOX_ACCOUNTS.bos },
	{ id: 'aopay' as const, name: 'AOPay', module: aopayNodes, ...SANDBOX_ACCOUNTS.aopay },
];

describe.each(BRANDS)('$name CIBIL Score nodes', (brand) => {
	const type = (op: string) => `otpflow-${brand.id}-${op}`;
	const secrets = [brand.accessToken, WRONG_TOKEN];

	// Every test: the access token is in no output, error, status or log line.
	const loadChecked = leakCheckedLoader(brand.module, secrets);

	function account(credentials: Record<string, unknown> = { accessToken: brand.accessToken }, props: Record<string, unknown> = {}): NodeSetup['account'] {
		return {
			type: `otpflow-${brand.id}-config`,
			props: {
				baseUrl: sandbox.baseUrls[brand.id],
				registrationId: brand.registrationId,
				companyCode: brand.companyCode,
				...props,
			},
			credentials,
		};
	}

	function load(op: string, props: Record<string, unknown> = {}, acct = account()): Promise<Loaded> {
		return loadChecked({ type: type(op), props, account: acct });
	}

	/** A fault queued for every request to this brand: still queued afterwards means no request was made. */
	function tripwire() {
		sandbox.faults.add({ provider: brand.id, kind: 'status', status: 500, times: 1 });
		return () => sandbox.faults.list().filter((f) => f.provider === brand.id).length === 1;
	}

	function lastStatus(): unknown {
		const args = (helper.getNode('op') as unknown as { status: { args: unknown[][] } }).status.args;
		return args[args.length - 1]?.[0];
	}

	const customer = {
		first_name: 'Asha',
		middle_name: '',
		last_name: 'Rao',
		pancard: 'ABCDE1234F',
		date_of_birth: '1990-04-23',
		email_id: 'asha@example.com',
		mobile_number: MOBILE,
	};

	/** Register Customer's fields; the order id is read from msg.orderId so one node can register many customers. */
	const registerProps = (overrides: Record<string, string> = {}) => ({
		...fixed({ ...customer, ...overrides }),
		order_id: 'orderId',
		order_idType: 'msg',
	});

	let orders = 0;
	const orderId = () => `ORD-${brand.id}-${++orders}`;

	/** Registers a customer through the node and returns the Register result message. */
	async function register(overrides: Record<string, string> = {}): Promise<Msg> {
		const node = await load('register-customer', registerProps(overrides));
		return only(await node.run({ orderId: orderId(), topic: 'cibil' }), 'success');
	}

	/** Register → Generate OTP, every chained field at its default; returns Generate's message and the code sent. */
	async function generated(overrides: Record<string, string> = {}): Promise<{ sent: Msg; code: string }> {
		const registered = await register(overrides);
		const generate = await load('generate-otp');
		const sent = only(await generate.run(registered), 'success');
		const code = sandbox.inbox.latest(brand.id, MOBILE)?.otp ?? '';
		expect(code).toMatch(/^\d{6}$/);
		return { sent, code };
	}

	const wrongCode = (right: string) => (right === '111111' ? '222222' : '111111');

	describe('each node on its own', () => {
		it('registers a customer: completed with the cibil_id, the order id and the merchant transaction id', async () => {
			const node = await load('register-customer', registerProps());
			const msg = only(await node.run({ orderId: 'ORD-1', topic: 'signup', _custom: { keep: 1 } }), 'success');
			expect(msg.payload).toEqual({
				ok: true,
				status: 'completed',
				provider: brand.id,
				operation: 'registerCustomer',
				message: 'Customer registered successfully',
				reference: {
					orderId: 'ORD-1',
					cibilId: expect.stringMatching(/^[1-9]\d{6,8}$/),
					cibilStatus: 'Pending',
					nextApiCall: 'GenerateOTP',
					merchantTransId: expect.stringMatching(/^SPCBL\d{16}[A-Za-z0-9]{9}$/),
				},
				retryable: false,
				next: 'generateOtp',
				providerStatus: { httpStatus: 200, code: 'SPC-200', text: 'Customer registered successfully' },
			});
			expect(msg.topic).toBe('signup');
			expect(msg._custom).toEqual({ keep: 1 });
			expect(lastStatus()).toEqual({ fill: 'green', shape: 'dot', text: 'completed' });
		});

		it('generates an OTP: otp_sent with the question keys, resend flags and the masked mobile', async () => {
			const registered = await register();
			const generate = await load('generate-otp', fixed({ cibil_id: registered.payload.reference.cibilId }));
			// No previous step: payload.reference is there but empty (see the chained-defaults tests below).
			const msg = only(await generate.run({ topic: 'otp', payload: { reference: {} } }), 'success');
			expect(msg.payload).toMatchObject({
				ok: true,
				status: 'otp_sent',
				operation: 'generateOtp',
				message: 'The One Time Password is sent to 94138****. Please enter the One Time Password.',
				next: 'submitOtp',
				reference: {
					cibilId: registered.payload.reference.cibilId,
					cibilStatus: 'Pending',
					questionKey: expect.stringMatching(/^\d{10}$/),
					answerKey: expect.stringMatching(/^\d{10}$/),
					resendEligible: true,
					skipEligible: false,
					lastChanceQuestion: false,
					maskedDestination: '94138****',
					merchantTransId: expect.stringMatching(/^SPCBL/),
				},
				providerStatus: { httpStatus: 200, code: 'SPC-200' },
			});
			expect(msg.topic).toBe('otp');
			expect(sandbox.inbox.latest(brand.id, MOBILE)?.text).toMatch(/^\d{6} is your One Time Password/);
		});

		it('submits the right OTP with keys given explicitly: verified, next getCreditHistory', async () => {
			const { sent, code } = await generated();
			const ref = sent.payload.reference;
			const submit = await load('submit-otp', fixed({ cibil_id: ref.cibilId, otp: code, question_key: ref.questionKey, answer_key: ref.answerKey }));
			const msg = only(await submit.run({ payload: { reference: {} } }), 'success');
			expect(msg.payload).toMatchObject({
				ok: true,
				status: 'verified',
				operation: 'submitOtp',
				next: 'getCreditHistory',
				reference: { cibilId: ref.cibilId, cibilStatus: 'Success', returningCustomer: false, questionKey: ref.questionKey },
			});
		});

		it('fetches the credit history with explicit ids: completed with the numeric score and report date', async () => {
			const { sent, code } = await generated();
			const submit = await load('submit-otp', fixed({ otp: code }));
			only(await submit.run(sent), 'success');
			const ref = sent.payload.reference;
			const history = await load('get-credit-history', { ...fixed({ cibil_id: ref.cibilId, client_order_id: ref.orderId }), includeRaw: true });
			const msg = only(await history.run({}), 'success');
			expect(msg.payload).toMatchObject({
				ok: true,
				status: 'completed',
				operation: 'getCreditHistory',
				reference: { cibilId: ref.cibilId, orderId: ref.orderId, cibilStatus: 'Success', reportDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
			});
			const score = msg.payload.reference.cibilScore;
			expect(typeof score).toBe('number');
			expect(score).toBeGreaterThanOrEqual(300);
			expect(score).toBeLessThanOrEqual(900);
			expect(msg.payload.message).toBe(`CIBIL score ${score}`);
			expect(msg.payload.raw.result.accounts).toHaveLength(2);
		});
	});

	describe('Register → Generate OTP → Submit OTP → Get Credit History chain', () => {
		it('reaches the score with only the code supplied; every chained field reads msg.payload.reference', async () => {
			const registered = await register();
			expect(registered.topic).toBe('cibil');

			const generate = await load('generate-otp');
			const sent = only(await generate.run({ ...registered, _custom: 'kept' }), 'success');
			expect(sent.payload.reference).toMatchObject({ cibilId: registered.payload.reference.cibilId, orderId: registered.payload.reference.orderId });
			const code = sandbox.inbox.latest(brand.id, MOBILE)?.otp;
			expect(code).toMatch(/^\d{6}$/);

			// Only the OTP is configured: cibil_id, question_key and answer_key come from Generate's reference.
			const submit = await load('submit-otp', { otp: 'code', otpType: 'msg' });
			const verified = only(await submit.run({ ...sent, code }), 'success');
			expect(verified.payload).toMatchObject({ status: 'verified', next: 'getCreditHistory' });
			expect(verified.payload.reference.orderId).toBe(registered.payload.reference.orderId);

			const history = await load('get-credit-history');
			const report = only(await history.run(verified), 'success');
			expect(report.payload).toMatchObject({
				ok: true,
				status: 'completed',
				reference: { cibilId: registered.payload.reference.cibilId, orderId: registered.payload.reference.orderId, cibilStatus: 'Success' },
			});
			expect(report.payload.reference.cibilScore).toEqual(expect.any(Number));
			expect(report.topic).toBe('cibil');
			expect(report._custom).toBe('kept');
		});

		it('reports a slow report as pending on Submit and Get Credit History, then completes with the score', async () => {
			const { sent, code } = await generated({ first_name: 'Pending' });
			const submit = await load('submit-otp', fixed({ otp: code }));
			const accepted = only(await submit.run(sent), 'failure');
			expect(accepted.payload).toMatchObject({
				ok: false,
				status: 'pending',
				message: 'Report generation in progress',
				next: 'getCreditHistory',
				retryable: true,
				reference: { cibilId: sent.payload.reference.cibilId, cibilStatus: 'InProgress', nextApiCall: 'GetCreditHistory' },
				providerStatus: { httpStatus: 200, code: 'SPC-202' },
			});
			expect(lastStatus()).toEqual({ fill: 'yellow', shape: 'ring', text: 'pending' });

			const history = await load('get-credit-history');
			const first = only(await history.run(accepted), 'failure');
			expect(first.payload).toMatchObject({ status: 'pending', next: 'getCreditHistory', reference: { cibilStatus: 'InProgress' } });
			expect(first.payload.reference.cibilScore).toBeUndefined();
			expect(lastStatus()).toEqual({ fill: 'yellow', shape: 'ring', text: 'pending' });

			// The pending result carries everything the retry needs: feed it straight back.
			const second = only(await history.run(first), 'success');
			expect(second.payload).toMatchObject({ ok: true, status: 'completed', reference: { cibilStatus: 'Success', cibilScore: expect.any(Number) } });
		});
	});

	describe('Wait for the Final Result', () => {
		it('one Get Credit History waits through the pending answer and completes', async () => {
			const { sent, code } = await generated({ first_name: 'Pending' });
			const accepted = only(await (await load('submit-otp', fixed({ otp: code }))).run(sent), 'failure');
			const history = await load('get-credit-history', {
				waitForResult: true,
				waitForResultType: 'bool',
				waitIntervalSeconds: '1',
				waitIntervalSecondsType: 'num',
			});
			const started = Date.now();
			const report = only(await history.run(accepted), 'success');
			expect(report.payload).toMatchObject({ status: 'completed', reference: { cibilScore: expect.any(Number) } });
			expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		});

		it('a node stopped while it waits ends the wait at once, with the pending answer', async () => {
			const { sent, code } = await generated({ first_name: 'Pending' });
			const accepted = only(await (await load('submit-otp', fixed({ otp: code }))).run(sent), 'failure');
			await load('get-credit-history', { waitForResult: true, waitForResultType: 'bool', waitIntervalSeconds: '30', waitIntervalSecondsType: 'num' });
			const op = helper.getNode('op');
			const out: Msg[] = [];
			helper.getNode('failure').on('input', (m: Msg) => out.push(m));
			op.receive(accepted);
			await new Promise((r) => setTimeout(r, 300));
			const started = Date.now();
			await (op as unknown as { close(removed: boolean): Promise<void> }).close(false);
			await new Promise((r) => setTimeout(r, 200));
			expect(Date.now() - started).toBeLessThan(2000);
			expect(out.map((m) => m.payload.status)).toEqual(['pending']);
		});
	});

	describe('OTP failures and resend', () => {
		it('sends a wrong OTP to the failure output as invalid_otp with the attempts remaining', async () => {
			const { sent, code } = await generated();
			const submit = await load('submit-otp', fixed({ otp: wrongCode(code) }));
			const msg = only(await submit.run({ ...sent, topic: 'wrong' }), 'failure');
			expect(msg.payload).toMatchObject({
				ok: false,
				status: 'invalid_otp',
				message: `${brand.name}: Invalid OTP`,
				retryable: true,
				attemptsRemaining: 2,
				providerStatus: { httpStatus: 200, code: 'SPC-401', text: 'Invalid OTP' },
			});
			expect(msg.topic).toBe('wrong');
			expect(lastStatus()).toEqual({ fill: 'red', shape: 'ring', text: 'invalid_otp' });
			// The right code still works afterwards.
			const retry = await load('submit-otp', fixed({ otp: code }));
			expect(only(await retry.run(sent), 'success').payload.status).toBe('verified');
		});

		it('reports max_attempts once the wrong codes are used up', async () => {
			const { sent, code } = await generated();
			const submit = await load('submit-otp', fixed({ otp: wrongCode(code) }));
			const left = [];
			for (const _ of [1, 2, 3]) left.push(only(await submit.run({ ...sent }), 'failure').payload);
			expect(left.map((p) => [p.status, p.attemptsRemaining])).toEqual([
				['invalid_otp', 2],
				['invalid_otp', 1],
				['max_attempts', undefined],
			]);
			expect(left[2].message).toBe(`${brand.name}: Maximum OTP attempts exceeded (generate a new OTP, or start again later)`);
		});

		it('reports an OTP submitted after its validity as expired', async () => {
			const { sent, code } = await generated();
			sandbox.advance(sandbox.config.cibilOtpValiditySeconds + 1);
			const submit = await load('submit-otp', fixed({ otp: code }));
			const msg = only(await submit.run(sent), 'failure');
			expect(msg.payload).toMatchObject({ status: 'expired', message: `${brand.name}: OTP expired (generate a new OTP)`, providerStatus: { code: 'SPC-408' } });
		});

		it('resends by running Generate OTP again: new keys and code, resendEligible until the limit', async () => {
			const registered = await register();
			const generate = await load('generate-otp');
			// Each run gets its own copy: a node replaces msg.payload on the message it was given.
			const first = only(await generate.run({ ...registered }), 'success');
			const firstCode = sandbox.inbox.latest(brand.id, MOBILE)?.otp;
			const second = only(await generate.run({ ...registered }), 'success');
			const secondCode = sandbox.inbox.latest(brand.id, MOBILE)?.otp;
			const third = only(await generate.run({ ...registered }), 'success');
			expect([first, second, third].map((m) => m.payload.reference.resendEligible)).toEqual([true, true, false]);
			expect(second.payload.reference.questionKey).not.toBe(first.payload.reference.questionKey);
			expect(sandbox.inbox.list({ provider: brand.id, to: MOBILE })).toHaveLength(3);

			// Past the limit: the provider refuses, and the node says so.
			const fourth = only(await generate.run({ ...registered }), 'failure');
			expect(fourth.payload).toMatchObject({
				status: 'max_attempts',
				message: expect.stringContaining('Resend limit reached'),
				providerStatus: { code: '207' },
			});

			// Only the newest question counts: an earlier question's keys are refused, even with its own code.
			expect(secondCode).not.toBe(undefined);
			const stale = await load('submit-otp', fixed({ otp: firstCode ?? '' }));
			const refused = only(await stale.run(first), 'failure');
			expect(refused.payload).toMatchObject({
				status: 'invalid_request',
				message: `${brand.name}: Invalid question_key or answer_key (each code and its keys work once: if this one was already submitted, generate a new OTP)`,
			});
			const latestCode = sandbox.inbox.latest(brand.id, MOBILE)?.otp ?? '';
			const fresh = await load('submit-otp', fixed({ otp: latestCode }));
			expect(only(await fresh.run(third), 'success').payload.status).toBe('verified');
		});
	});

	/**
	 * BUG (node-red/evaluate.ts): a chained field's default reads msg.payload.reference.<id>, and Node-RED's
	 * getMessageProperty throws when msg.payload or msg.payload.reference is missing. The node then fails the
	 * message with done(err) ("could not be read from msg") instead of treating the value as empty: an optional
	 * field (Order ID passed on) breaks a correctly configured node, and a missing required id is a catchable
	 * error rather than invalid_request naming the field. `it.failing` until the adapter is fixed: then make them `it`.
	 */
	describe('chained defaults when no previous step feeds the node', () => {
		it('generates an OTP for an explicit cibil_id from a message without payload.reference', async () => {
			const registered = await register();
			const generate = await load('generate-otp', fixed({ cibil_id: registered.payload.reference.cibilId }));
			const msg = only(await generate.run({ topic: 'fresh' }), 'success');
			expect(msg.payload).toMatchObject({ status: 'otp_sent', reference: { cibilId: registered.payload.reference.cibilId } });
			expect(msg.payload.reference.orderId).toBeUndefined();
		});

		it('says to run the previous step first when nothing is chained in, and sends nothing', async () => {
			const untouched = tripwire();
			const history = await load('get-credit-history');
			const msg = only(await history.run({ payload: 'not a result' }), 'failure');
			expect(msg.payload.status).toBe('invalid_request');
			expect(msg.payload.errors.map((e: { field: string }) => e.field)).toEqual(['reference']);
			expect(msg.payload.message).toContain('Nothing to continue from: run Submit OTP first');
			expect(untouched()).toBe(true);
		});

		it('with a reference that lacks the ids, names the missing fields', async () => {
			const history = await load('get-credit-history');
			const msg = only(await history.run({ payload: { reference: { cibilStatus: 'Success' } } }), 'failure');
			expect(msg.payload.errors.map((e: { field: string }) => e.field)).toEqual(['cibil_id', 'client_order_id']);
		});
	});

	describe('credentials and provider refusals', () => {
		it('reports a wrong access token as auth_failed from the HTTP 401 body', async () => {
			const registered = await register();
			const generate = await load('generate-otp', { includeRaw: true }, account({ accessToken: WRONG_TOKEN }));
			const msg = only(await generate.run(registered), 'failure');
			expect(msg.payload).toMatchObject({
				ok: false,
				status: 'auth_failed',
				retryable: false,
				message: expect.stringContaining('Invalid access token or registration'),
				providerStatus: { httpStatus: 401 },
			});
			expect(msg.payload.raw).toEqual({ responsecode: 401, status: false, message: 'Invalid access token or registration' });
			expect(sandbox.inbox.size).toBe(0);
		});

		it('reports a RegistrationID of the wrong form as invalid_request and sends nothing', async () => {
			const untouched = tripwire();
			const node = await load('register-customer', registerProps(), account(undefined, { registrationId: 'not an id' }));
			const msg = only(await node.run({ orderId: orderId() }), 'failure');
			expect(msg.payload).toMatchObject({ status: 'invalid_request', message: expect.stringMatching(/^Nothing was sent\. The credential's Registration ID/) });
			expect(untouched()).toBe(true);
		});

		it.each([
			['an unknown cibil_id on Generate OTP', 'generate-otp', () => fixed({ cibil_id: '12345' }), 'Invalid cibil_id'],
			[
				'a client_order_id the customer was not registered with',
				'get-credit-history',
				(cibilId: string) => fixed({ cibil_id: cibilId, client_order_id: 'ORD-OTHER' }),
				'Invalid client_order_id',
			],
		])('maps the {code:"207", status:"False"} answer to %s to invalid_request with the description', async (_what, op, props, description) => {
			const registered = await register();
			const node = await load(op, props(registered.payload.reference.cibilId));
			const msg = only(await node.run({ topic: '207', payload: { reference: {} } }), 'failure');
			expect(msg.payload).toMatchObject({
				ok: false,
				status: 'invalid_request',
				message: `${brand.name}: ${description}`,
				retryable: false,
				providerStatus: { httpStatus: 200, code: '207', text: description },
			});
			expect(msg.topic).toBe('207');
		});

		it('maps a duplicate order id on registration to invalid_request with the description', async () => {
			const node = await load('register-customer', registerProps());
			only(await node.run({ orderId: 'ORD-SAME' }), 'success');
			const msg = only(await node.run({ orderId: 'ORD-SAME' }), 'failure');
			expect(msg.payload).toMatchObject({ status: 'invalid_request', message: `${brand.name}: Duplicate order_id`, providerStatus: { code: '207' } });
		});
	});

	describe('bad input: invalid_request naming the field, nothing sent', () => {
		const cases: Array<[string, string, Record<string, string>, string, RegExp]> = [
			['cibil_id zero', 'generate-otp', { cibil_id: '0' }, 'cibil_id', /^CIBIL ID \(cibil_id\) must be a positive whole number$/],
			['cibil_id with letters', 'generate-otp', { cibil_id: '12a45' }, 'cibil_id', /must be a positive whole number/],
			['cibil_id negative', 'get-credit-history', { cibil_id: '-5', client_order_id: 'ORD-1' }, 'cibil_id', /must be a positive whole number/],
			[
				'a PAN in the wrong form',
				'register-customer',
				{ ...customer, order_id: 'ORD-1', pancard: 'ABCD1234F' },
				'pancard',
				/^PAN \(pancard\) must be a PAN like ABCDE1234F/,
			],
			[
				'a date of birth in the future',
				'register-customer',
				{ ...customer, order_id: 'ORD-1', date_of_birth: '2999-01-01' },
				'date_of_birth',
				/^Date of Birth \(date_of_birth\) must be a real past date as YYYY-MM-DD or DD\/MM\/YYYY$/,
			],
			[
				'a date of birth that is not a real date',
				'register-customer',
				{ ...customer, order_id: 'ORD-1', date_of_birth: '1990-02-30' },
				'date_of_birth',
				/must be a real past date/,
			],
			[
				'a date of birth in another format',
				'register-customer',
				{ ...customer, order_id: 'ORD-1', date_of_birth: '1990/04/23' },
				'date_of_birth',
				/must be a real past date/,
			],
			[
				'an email without a domain',
				'register-customer',
				{ ...customer, order_id: 'ORD-1', email_id: 'asha@' },
				'email_id',
				/^Email \(email_id\) must be an email address/,
			],
			[
				'a 5-digit mobile number',
				'register-customer',
				{ ...customer, order_id: 'ORD-1', mobile_number: '94138' },
				'mobile_number',
				/^Mobile Number \(mobile_number\) must be a 10-digit Indian mobile number/,
			],
			[
				'an OTP with letters',
				'submit-otp',
				{ cibil_id: '1234567', otp: '12ab56', question_key: '1111111111', answer_key: '2222222222' },
				'otp',
				/^OTP \(otp\) must be 4 to 8 digits$/,
			],
			[
				'an empty client_order_id and no reference',
				'get-credit-history',
				{ cibil_id: '1234567' },
				'reference',
				/^Nothing to continue from: run Submit OTP first/,
			],
		];

		it.each(cases)('rejects %s', async (_what, op, values, field, message) => {
			const untouched = tripwire();
			const node = await load(op, fixed(values));
			const msg = only(await node.run({ topic: 'bad', payload: { reference: {} } }), 'failure');
			expect(msg.payload).toMatchObject({ ok: false, status: 'invalid_request', retryable: false, providerStatus: {} });
			expect(msg.payload.errors).toEqual([{ field, message: expect.stringMatching(message) }]);
			expect(msg.payload.message).toMatch(/^Nothing was sent\./);
			expect(msg.topic).toBe('bad');
			expect(untouched()).toBe(true);
			expect(sandbox.inbox.size).toBe(0);
		});
	});

	describe('on the wire', () => {
		it('sends every call as GET with a JSON body carrying the account ids, as documented', async () => {
			const proxy = await recordingProxy(sandbox.url);
			try {
				const viaProxy = account(undefined, { baseUrl: sandbox.baseUrls[brand.id].replace(sandbox.url, proxy.url) });
				let msg: Msg = { orderId: 'ORD-WIRE' };
				const register = await load('register-customer', registerProps(), viaProxy);
				msg = only(await register.run(msg), 'success');
				const generate = await load('generate-otp', {}, viaProxy);
				msg = only(await generate.run(msg), 'success');
				const submit = await load('submit-otp', { otp: 'code', otpType: 'msg' }, viaProxy);
				msg = only(await submit.run({ ...msg, code: sandbox.inbox.latest(brand.id, MOBILE)?.otp }), 'success');
				const history = await load('get-credit-history', {}, viaProxy);
				only(await history.run(msg), 'success');

				const base = sandbox.baseUrls[brand.id].slice(sandbox.url.length);
				expect(proxy.requests.map((r) => `${r.method} ${r.path}`)).toEqual(
					['registeration', 'GenerateOTP', 'SubmitOTP', 'GetCreditHistory'].map((call) => `GET ${base}${call}`),
				);
				const bodies = proxy.requests.map((r) => JSON.parse(r.body));
				for (const [i, r] of proxy.requests.entries()) {
					expect(r.contentType).toBe('application/json');
					expect(bodies[i]).toMatchObject({ access_token: brand.accessToken, RegistrationID: brand.registrationId, CompanyCode: brand.companyCode });
				}
				const cibilId = Number(msg.payload.reference.cibilId);
				expect(bodies[0]).toMatchObject({ order_id: 'ORD-WIRE', ...customer, date_of_birth: '23/04/1990' });
				// cibil_id travels as documented: a JSON number, but a string for SubmitOTP.
				expect(bodies[1]).toMatchObject({ cibil_id: cibilId });
				expect(bodies[2]).toMatchObject({
					cibil_id: String(cibilId),
					otp: expect.stringMatching(/^\d{6}$/),
					question_key: expect.any(String),
					answer_key: expect.any(String),
				});
				expect(bodies[3]).toMatchObject({ cibil_id: cibilId, client_order_id: 'ORD-WIRE' });
			} finally {
				await proxy.close();
			}
		});
	});

	describe('messages and faults', () => {
		it('answers several messages arriving together with exactly one output each, keeping each message', async () => {
			const node = await load('register-customer', registerProps());
			const out = await node.runAll([
				{ _msgid: 'good', orderId: 'ORD-A', topic: 'a' },
				{ _msgid: 'bad', orderId: '', topic: 'b' },
				{ _msgid: 'dup', orderId: 'ORD-B', topic: 'c' },
				{ _msgid: 'again', orderId: 'ORD-B', topic: 'd' },
			]);
			expect(out.caught).toHaveLength(0);
			const byId = Object.fromEntries([
				...out.success.map((m) => [m._msgid, ['success', m.payload.status, m.topic]]),
				...out.failure.map((m) => [m._msgid, ['failure', m.payload.status, m.topic]]),
			]);
			expect(out.success.length + out.failure.length).toBe(4);
			expect(byId.good).toEqual(['success', 'completed', 'a']);
			expect(byId.bad).toEqual(['failure', 'invalid_request', 'b']);
			// ORD-B twice: whichever arrives second is a duplicate order id.
			expect([byId.dup[1], byId.again[1]].sort()).toEqual(['completed', 'invalid_request']);
		});

		const faults = faultTable(9);

		it.each(faults)('maps %s to the failure output and keeps working', async (_name, fault, expected) => {
			const node = await load('register-customer', { ...registerProps(), timeout: 0.3 });
			sandbox.faults.add({ provider: brand.id, ...fault });
			const failed = only(await node.run({ orderId: orderId(), topic: 'fault' }), 'failure');
			expect(failed.payload).toMatchObject({ ok: false, operation: 'registerCustomer', ...expected });
			expect(failed.topic).toBe('fault');
			expect(lastStatus()).toEqual({ fill: 'red', shape: 'ring', text: expected.status });
			expect(only(await node.run({ orderId: orderId() }), 'success').payload.status).toBe('completed');
		});
	});
});
