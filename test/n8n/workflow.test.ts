/**
 * Behaviour every OTP Flow node shares in the n8n engine: one result per item on the right output,
 * workflow-author mistakes, continueOnFail, provider faults, use as an AI agent tool, and no secret leaks.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { SANDBOX_ACCOUNTS, type FaultSpec } from '../../sandbox';
import { PROVIDERS } from '../../nodes/providers';
import { testAadhaar } from '../support/aadhaar';
import { captureServer } from '../support/capture';
import { untrustedHttps } from '../support/tls';
import { node, runWorkflow, startNode, type RunResult } from './harness';
import { CREDENTIAL_TYPES, everything, nodeTypes, otp, out, paired, readInbox, sandboxCredentials, typeOf, type Step, sandboxSuite } from './otpflow';

const MOBILE = '9876543210';
const USERNAME = SANDBOX_ACCOUNTS.iserveu.username;
const AADHAAR = testAadhaar();
const SECRETS = [
	SANDBOX_ACCOUNTS.iserveu.clientSecret,
	SANDBOX_ACCOUNTS.bos.accessToken,
	SANDBOX_ACCOUNTS.aopay.accessToken,
	SANDBOX_ACCOUNTS.summitai.apiKey,
	SANDBOX_ACCOUNTS.summitai.password,
	AADHAAR,
];

// Timeout faults hold the socket at most 3 s; the nodes give up after 1 s.
const suite = sandboxSuite(SECRETS, { port: 0, config: { faultMaxHoldMs: 3000 } });
const { run } = suite;

/** A fault queued for every request to a provider: still queued afterwards means nothing was sent. */
function tripwire(provider: string): () => boolean {
	suite.sandbox.faults.add({ provider, kind: 'status', status: 500, times: 1 });
	return () => suite.sandbox.faults.list().some((f) => f.provider === provider && f.status === 500);
}

const getCustomer = (parameters: IDataObject = {}) =>
	otp('Get Customer', 'iServeU', 'getCustomer', { mobileNumber: '={{ $json.mobile }}', username: USERNAME, ...parameters });

describe('several input items', () => {
	it('gives exactly one output item per input item, on the right output, paired with its input index', async () => {
		const r = await run([getCustomer()], [{ mobile: MOBILE }, { mobile: '12345' }, { mobile: '9123456780' }, { mobile: 'phone' }, { mobile: '8144094480' }]);
		expect(r.error).toBeUndefined();
		expect(out(r, 'Get Customer', 0).map((j) => (j.reference as IDataObject).customerMobileNumber)).toEqual([MOBILE, '9123456780', '8144094480']);
		expect(paired(r, 'Get Customer', 0)).toEqual([{ item: 0 }, { item: 2 }, { item: 4 }]);
		expect(paired(r, 'Get Customer', 1)).toEqual([{ item: 1 }, { item: 3 }]);
		for (const bad of out(r, 'Get Customer', 1)) {
			expect(bad).toMatchObject({ ok: false, status: 'invalid_request', retryable: false, providerStatus: {} });
			expect(bad.errors).toEqual([{ field: 'mobileNumber', message: expect.stringContaining('10-digit Indian mobile number') }]);
			expect(bad.message).toMatch(/^Nothing was sent\. .*mobileNumber/);
		}
	});

	it('sends nothing for an item that fails validation', async () => {
		const untouched = tripwire('iserveu');
		const r = await run([getCustomer()], [{ mobile: '12345' }, { mobile: '0000000000' }]);
		expect(out(r, 'Get Customer', 1).map((j) => j.status)).toEqual(['invalid_request', 'invalid_request']);
		expect(untouched()).toBe(true);
	});

	it('masks an invalid Aadhaar number: it names the field without quoting the number', async () => {
		const bad = `${AADHAAR.slice(0, 11)}${(Number(AADHAAR[11]) + 1) % 10}`;
		const r = await run(
			[otp('Send OTP', 'iServeU', 'sendOtp', { otpType: '1', customerMobileNumber: MOBILE, username: USERNAME, ovdData: '={{ $json.aadhaar }}' })],
			[{ aadhaar: bad }, { aadhaar: AADHAAR }],
		);
		expect(out(r, 'Send OTP', 1)).toEqual([expect.objectContaining({ status: 'invalid_request', errors: [expect.objectContaining({ field: 'ovdData' })] })]);
		expect(out(r, 'Send OTP', 0)).toEqual([expect.objectContaining({ status: 'otp_sent' })]);
		expect(paired(r, 'Send OTP', 1)).toEqual([{ item: 0 }]);
		expect(everything(r)).not.toContain(bad);
	});
});

describe('workflow-author mistakes', () => {
	it('a required field left empty in the node: n8n refuses to run the workflow (parameter issues) and nothing is sent', async () => {
		// n8n-core's WorkflowExecute checks every node reachable from the start for required parameters
		// (checkReadyForExecution) before running anything: the node's own check is the second line of defence.
		const untouched = tripwire('iserveu');
		await expect(run([getCustomer({ username: '' })], [{ mobile: MOBILE }])).rejects.toMatchObject({ name: 'WorkflowHasIssuesError' });
		expect(untouched()).toBe(true);
	});

	it('a verify step with no reference says to send a code first: a data problem (Failure), not a node error, nothing sent', async () => {
		// Verify Beneficiary's Reference defaults to {{ $json.reference }}: without a previous step it resolves to nothing.
		const untouched = tripwire('iserveu');
		const r = await run([otp('Verify', 'iServeU', 'verifyBeneficiary', { otp: '123456' })], [{}]);
		expect(r.error).toBeUndefined();
		expect(out(r, 'Verify', 1)).toEqual([
			expect.objectContaining({
				status: 'invalid_request',
				message: expect.stringContaining('No code was sent for this reference yet: send one first with Send OTP'),
				errors: [expect.objectContaining({ field: 'reference' })],
			}),
		]);
		expect(untouched()).toBe(true);
	});

	it('no credential set on the node is a NodeOperationError for the node, and nothing is sent', async () => {
		const untouched = tripwire('iserveu');
		const r = await run([getCustomer()], [{ mobile: MOBILE }], {});
		expect(r.status).toBe('error');
		expect(r.errors['Get Customer']).toMatchObject({ name: 'NodeOperationError', message: expect.stringMatching(/credentials/i) });
		expect(r.error).toMatchObject({ node: expect.objectContaining({ name: 'Get Customer' }) });
		expect(untouched()).toBe(true);
	});

	it('with continueOnFail (On Error: Continue) a missing credential is recorded for the node and the workflow carries on', async () => {
		// n8n's own handling of a node that throws under continueOnFail: the error is kept on the node's run,
		// the input items pass through on output 0, and the next node runs.
		const r = await run([{ ...getCustomer(), extra: { onError: 'continueRegularOutput' } }, readInbox('iserveu', MOBILE, 'Next')], [{ mobile: MOBILE }], {});
		expect(r.errors['Get Customer']).toMatchObject({ name: 'NodeOperationError', message: 'Node does not have any credentials set' });
		expect(r.executionOrder).toEqual(['Start', 'Get Customer', 'Next']);
		expect(r.outputs['Get Customer'][0].map((i) => i.json)).toEqual([{ mobile: MOBILE }]);
	});

	const brokenExpression = getCustomer({ mobileNumber: "={{ $json.mobile ?? $('No Such Node').item.json.mobile }}" });

	it('an expression that fails for one item stops the node, naming the item', async () => {
		const r = await run([brokenExpression], [{ mobile: MOBILE }, {}]);
		expect(r.status).toBe('error');
		expect(r.errors['Get Customer']).toMatchObject({
			name: 'NodeOperationError',
			message: "Referenced node doesn't exist",
			context: expect.objectContaining({ itemIndex: 1 }),
		});
	});

	it('with continueOnFail an expression that fails for one item sends that item to Failure and the others on', async () => {
		const r = await run([{ ...brokenExpression, extra: { onError: 'continueRegularOutput' } }], [{ mobile: MOBILE }, {}, { mobile: '9123456780' }]);
		expect(r.status).toBe('success');
		expect(out(r, 'Get Customer', 0).map((j) => j.status)).toEqual(['completed', 'completed']);
		expect(paired(r, 'Get Customer', 0)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(out(r, 'Get Customer', 1)).toEqual([
			{
				ok: false,
				status: 'invalid_request',
				provider: 'iserveu',
				operation: 'getCustomer',
				message: "This item could not be read: Referenced node doesn't exist",
				reference: {},
				retryable: false,
				providerStatus: {},
				error: "Referenced node doesn't exist",
			},
		]);
		expect(paired(r, 'Get Customer', 1)).toEqual([{ item: 1 }]);
	});
});

describe('provider faults', () => {
	// Another loopback host where a redirect points: whatever reaches it would be a leak.
	const elsewhere = captureServer('127.0.0.2');
	const FAULTS: Array<{ fault: Omit<FaultSpec, 'provider'>; status: string; extra?: IDataObject }> = [
		{
			fault: { kind: 'timeout' },
			status: 'network_error',
			extra: { message: expect.stringContaining('within 1 s'), retryable: true, providerStatus: { text: 'timeout' } },
		},
		{ fault: { kind: 'reset' }, status: 'network_error', extra: { message: expect.stringContaining('reset before it answered'), retryable: true } },
		// A 200 whose body arrives a byte every 300 ms: the timeout is a deadline for the whole answer.
		{
			fault: { kind: 'drip', intervalMs: 300 },
			status: 'network_error',
			extra: { message: expect.stringContaining('No complete answer from the provider within 1 s'), retryable: true },
		},
		{
			fault: { kind: 'status', status: 503 },
			status: 'provider_error',
			extra: { providerStatus: expect.objectContaining({ httpStatus: 503 }), retryable: true },
		},
		{ fault: { kind: 'html' }, status: 'provider_error', extra: { retryable: true } },
		{ fault: { kind: 'malformed' }, status: 'provider_error', extra: { retryable: true } },
		{
			fault: { kind: 'rate_limit', retryAfter: 7 },
			status: 'rate_limited',
			extra: { retryAfterSeconds: 7, retryable: true, providerStatus: expect.objectContaining({ httpStatus: 429 }) },
		},
		{
			fault: { kind: 'status', status: 401 },
			status: 'auth_failed',
			extra: { retryable: false, providerStatus: expect.objectContaining({ httpStatus: 401 }) },
		},
	];
	// The secrets travel in headers (iServeU), in a GET body (BOS) and in a POST body (SummitAI): none may follow a redirect.
	const REDIRECTS = [302, 307, 308].map((status) => ({
		status,
		fault: (): Omit<FaultSpec, 'provider'> => ({ kind: 'redirect', status, location: `${elsewhere.url}/` }),
	}));

	const providers: Array<{ label: string; provider: string; step: Step; items: IDataObject[] }> = [
		{ label: 'iServeU (POST, httpRequest)', provider: 'iserveu', step: getCustomer({ options: { timeoutSeconds: 1 } }), items: [{ mobile: MOBILE }] },
		{
			label: 'BOS (GET with body, legacy request)',
			provider: 'bos',
			step: otp('Get Customer', 'bos', 'generateOtp', { cibil_id: '102277100', options: { timeoutSeconds: 1 } }),
			items: [{}],
		},
		{
			label: 'SummitAI (API key in the body)',
			provider: 'summitai',
			step: otp('Get Customer', 'summitAi', 'generateOtp', { DomainId: '1', UserID: '967', LoginUID: '967', UserName: 'abcd', options: { timeoutSeconds: 1 } }),
			items: [{}],
		},
	];

	describe.each(providers)('$label', ({ provider, step, items }) => {
		it.each(FAULTS)('$fault.kind $fault.status → $status on Failure, the workflow finishes', async ({ fault, status, extra }) => {
			suite.sandbox.faults.add({ provider, ...fault });
			const started = Date.now();
			const r = await run([step], items);
			expect(r.status).toBe('success');
			expect(out(r, 'Get Customer', 0)).toEqual([]);
			expect(out(r, 'Get Customer', 1)).toEqual([expect.objectContaining({ ok: false, status, ...(extra ?? {}) })]);
			expect(paired(r, 'Get Customer', 1)).toEqual([{ item: 0 }]);
			expect(Date.now() - started).toBeLessThan(2500); // a 1 s timeout, whatever the fault
		});

		it.each(REDIRECTS)('a $status redirect to another host is not followed: provider_error naming the host, nothing sent there', async ({ fault }) => {
			suite.sandbox.faults.add({ provider, ...fault() });
			const r = await run([step], items);
			expect(out(r, 'Get Customer', 1)).toEqual([
				expect.objectContaining({
					ok: false,
					status: 'provider_error',
					retryable: false,
					message: expect.stringContaining(`redirected the request to ${elsewhere.host}`),
				}),
			]);
			expect(elsewhere.requests).toEqual([]);
		});
	});

	it('a fault on one item leaves the other items alone', async () => {
		suite.sandbox.faults.add({ provider: 'iserveu', kind: 'status', status: 503, times: 1 });
		const r = await run([getCustomer()], [{ mobile: MOBILE }, { mobile: '9123456780' }]);
		expect(out(r, 'Get Customer', 1).map((j) => j.status)).toEqual(['provider_error']);
		expect(out(r, 'Get Customer', 0).map((j) => j.status)).toEqual(['completed']);
		expect(paired(r, 'Get Customer', 1)).toEqual([{ item: 0 }]);
		expect(paired(r, 'Get Customer', 0)).toEqual([{ item: 1 }]);
	});

	it.each([
		['iServeU (httpRequest)', 'iServeUDmtApi', getCustomer()],
		['BOS (legacy request)', 'bosCibilApi', otp('Get Customer', 'bos', 'generateOtp', { cibil_id: '102277100' })],
	])('%s: an untrusted certificate is a network_error that says so, not retryable', async (_label, type, step) => {
		const tls = await untrustedHttps();
		try {
			const credentials = sandboxCredentials(suite.sandbox);
			credentials[type] = { ...credentials[type], baseUrl: tls.url };
			const r = await run([step], [{ mobile: MOBILE }], credentials);
			expect(out(r, 'Get Customer', 1)).toEqual([
				expect.objectContaining({ status: 'network_error', retryable: false, message: expect.stringContaining('certificate is not trusted') }),
			]);
		} finally {
			await tls.close();
		}
	});

	it('an unreachable provider is a network_error on Failure', async () => {
		const credentials = sandboxCredentials(suite.sandbox);
		credentials.iServeUDmtApi = { ...credentials.iServeUDmtApi, baseUrl: 'http://127.0.0.1:9' };
		const r = await run([getCustomer()], [{ mobile: MOBILE }], credentials);
		expect(out(r, 'Get Customer', 1)).toEqual([
			expect.objectContaining({ status: 'network_error', message: expect.stringContaining('refused the connection') }),
		]);
	});
});

/**
 * An agent in the style of n8n's Tools Agent V3: it asks the engine to run the tool node (an EngineRequest),
 * then reads what n8n hands back, which is the tool node's first output only (ai_tool[0]).
 */
class FakeAgent implements INodeType {
	description = {
		displayName: 'Fake Agent',
		name: 'fakeAgent',
		group: ['transform'],
		version: 1,
		description: 'Calls a tool node through an engine request, like Tools Agent V3',
		defaults: { name: 'Agent' },
		inputs: ['main', { type: 'ai_tool', displayName: 'Tools' }],
		outputs: ['main'],
		properties: [
			{ displayName: 'Tool Node', name: 'toolNode', type: 'string', default: '' },
			{ displayName: 'Tool Input', name: 'toolInput', type: 'json', default: '{}' },
		],
	} as unknown as INodeType['description'];

	async execute(
		this: IExecuteFunctions,
		response?: { actionResponses?: Array<{ data: { data?: { ai_tool?: INodeExecutionData[][] }; error?: { message: string } } }> },
	) {
		if (!response?.actionResponses?.length) {
			return {
				actions: [
					{
						actionType: 'ExecutionNodeAction',
						nodeName: this.getNodeParameter('toolNode', 0) as string,
						input: JSON.parse(this.getNodeParameter('toolInput', 0) as string),
						type: 'ai_tool',
						id: 'call_1',
						metadata: { itemIndex: 0 },
					},
				],
				metadata: {},
			} as never;
		}
		const r = response.actionResponses[0];
		// nodes-langchain utils/agent-execution/buildSteps.ts reads data.ai_tool[0]
		return [[{ json: { observation: r.data.data?.ai_tool?.[0]?.map((i) => i.json) ?? null, error: r.data.error?.message ?? null } }]];
	}
}

describe('as an AI agent tool', () => {
	async function asTool(toolInput: IDataObject, parameters: IDataObject): Promise<RunResult> {
		const result = await runWorkflow({
			nodeTypes: nodeTypes(suite.sandbox, { 'harness.fakeAgent': new FakeAgent() }),
			credentialTypes: CREDENTIAL_TYPES,
			credentials: sandboxCredentials(suite.sandbox),
			workflow: {
				nodes: [
					startNode(),
					node('Agent', 'harness.fakeAgent', { toolNode: 'Look Up Customer', toolInput: JSON.stringify(toolInput) }),
					node('Look Up Customer', typeOf('iServeU', true), { operation: 'getCustomer', ...parameters }),
				],
				connections: {
					Start: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
					'Look Up Customer': { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] },
				},
			},
		});
		suite.track(result);
		return result;
	}

	it('the agent sees a success', async () => {
		const r = await asTool({ mobile: MOBILE }, { mobileNumber: '={{ $json.mobile }}', username: USERNAME });
		expect(r.error).toBeUndefined();
		expect(out(r, 'Agent', 0)[0]).toEqual({
			observation: [expect.objectContaining({ ok: true, status: 'completed', reference: expect.objectContaining({ customerMobileNumber: MOBILE }) })],
			error: null,
		});
	});

	it('the agent sees a failure too: running as "<name>Tool" the node puts failures on output 0', async () => {
		const r = await asTool({ mobile: '12345' }, { mobileNumber: '={{ $json.mobile }}', username: USERNAME });
		expect(r.error).toBeUndefined();
		expect(out(r, 'Agent', 0)[0]).toEqual({
			observation: [expect.objectContaining({ ok: false, status: 'invalid_request', errors: [expect.objectContaining({ field: 'mobileNumber' })] })],
			error: null,
		});
	});

	it('the agent sees a provider failure (rate limited) on output 0 as well', async () => {
		suite.sandbox.faults.add({ provider: 'iserveu', kind: 'rate_limit', retryAfter: 5 });
		const r = await asTool({ mobile: MOBILE }, { mobileNumber: '={{ $json.mobile }}', username: USERNAME });
		expect(out(r, 'Agent', 0)[0].observation).toEqual([expect.objectContaining({ ok: false, status: 'rate_limited', retryAfterSeconds: 5 })]);
	});

	it('a required field left empty in a tool node is caught by the node itself: NodeOperationError naming the field, nothing sent', async () => {
		// The engine's pre-run parameter check follows main connections only; a tool hangs off ai_tool, so here
		// the node's own check is what stops the mistake (n8n 2.11.1 then ends the execution with that error).
		const untouched = tripwire('iserveu');
		const r = await asTool({ mobile: MOBILE }, { mobileNumber: '={{ $json.mobile }}', username: '' });
		expect(r.status).toBe('error');
		expect(r.errors['Look Up Customer']).toMatchObject({
			name: 'NodeOperationError',
			message: 'Username is required',
			description: 'Enter a value for "Username" or map it from the input with an expression.',
		});
		expect(untouched()).toBe(true);
	});

	it('the same node type used in a normal workflow keeps Success and Failure apart', async () => {
		const r = await run([getCustomer()], [{ mobile: '12345' }]);
		expect(out(r, 'Get Customer', 0)).toEqual([]);
		expect(out(r, 'Get Customer', 1)).toHaveLength(1);
	});
});

describe('coverage of this suite', () => {
	it('knows every operation of every provider (each has its chain test in iserveu, cibil and capillary-summitai)', () => {
		// A new operation changes this list: add its happy path to the provider's n8n test, then update the list.
		expect(Object.fromEntries(PROVIDERS.map((p) => [p.id, p.operations.map((o) => o.id)]))).toEqual({
			bos: ['registerCustomer', 'generateOtp', 'submitOtp', 'getCreditHistory'],
			aopay: ['registerCustomer', 'generateOtp', 'submitOtp', 'getCreditHistory'],
			iserveu: ['getCustomer', 'sendOtp', 'registerCustomer', 'verifyBeneficiary', 'transactionStatus'],
			summitai: ['findUser', 'generateOtp', 'validateOtp'],
			capillary: ['generateToken', 'generateOtp', 'validateOtp', 'regenerateToken', 'validatePassword', 'expireToken', 'forgotPassword'],
		});
	});
});
