/**
 * Each credential type's `test` request, run the way n8n's "Test credential" button runs it
 * (packages/cli CredentialsTester: a temporary declarative node executed by n8n-core's RoutingNode,
 * baseURL expression resolved against the credential, `authenticate` applied, then the rules).
 */
import { SANDBOX_ACCOUNTS, startSandbox, type Sandbox } from '../../sandbox';
import { credentialTestFunction } from '../../nodes/n8n';
import { AoPay } from '../../nodes/AoPay/AoPay.node';
import { Bos } from '../../nodes/Bos/Bos.node';
import { aopay, bos } from '../../nodes/providers';
import { captureServer } from '../support/capture';
import { testCredential, testCredentialWithFunction } from './harness';
import { CREDENTIAL_TYPES, sandboxCredentials } from './otpflow';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
	await sandbox.close();
});

afterEach(() => sandbox.reset());

/** Each credential type with the field that holds its secret (Capillary has none: its brand is the check). */
// An HTTP 401 reaches the tester as n8n-core 2.11.1's NodeApiError without `cause.response`, so n8n reports
// the error's own message rather than the rule's.
const CASES: Array<{ type: string; wrong: Record<string, string>; refusal: string }> = [
	{ type: 'iServeUDmtApi', wrong: { clientSecret: 'wrong-secret' }, refusal: 'Authorization failed - please check your credentials' },
	{ type: 'summitAiApi', wrong: { apiKey: 'wrong-key' }, refusal: 'SummitAI rejected the API key' },
	{ type: 'capillaryAuthEngineApi', wrong: { brand: 'NoSuchBrand' }, refusal: 'Capillary rejected the brand or host' },
];

describe('credential tests as n8n runs them', () => {
	const elsewhere = captureServer('127.0.0.2');

	it.each(CASES)('$type: the sandbox credential passes the test', async ({ type }) => {
		const result = await testCredential(CREDENTIAL_TYPES[type], sandboxCredentials(sandbox)[type]);
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
	});

	it.each(CASES)('$type: a wrong secret fails the test', async ({ type, wrong, refusal }) => {
		const result = await testCredential(CREDENTIAL_TYPES[type], { ...sandboxCredentials(sandbox)[type], ...wrong });
		expect(result).toEqual({ status: 'Error', message: refusal });
	});

	it('summitAiApi: username and password (FORM) pass the test, a wrong password fails it', async () => {
		const form = {
			baseUrl: sandbox.baseUrls.summitai,
			authType: 'FORM',
			userName: SANDBOX_ACCOUNTS.summitai.userName,
			password: SANDBOX_ACCOUNTS.summitai.password,
		};
		expect(await testCredential(CREDENTIAL_TYPES.summitAiApi, form)).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(await testCredential(CREDENTIAL_TYPES.summitAiApi, { ...form, password: 'wrong' })).toEqual({
			status: 'Error',
			message: 'SummitAI rejected the username or password',
		});
	});

	it('a base URL with a trailing slash still reaches the provider', async () => {
		const data = { ...sandboxCredentials(sandbox).iServeUDmtApi, baseUrl: `${sandbox.baseUrls.iserveu}/` };
		expect(await testCredential(CREDENTIAL_TYPES.iServeUDmtApi, data)).toEqual({ status: 'OK', message: 'Connection successful!' });
	});

	it('an unreachable host fails the test with the network error code', async () => {
		const data = { ...sandboxCredentials(sandbox).iServeUDmtApi, baseUrl: 'http://127.0.0.1:9' };
		expect(await testCredential(CREDENTIAL_TYPES.iServeUDmtApi, data)).toEqual({ status: 'Error', message: expect.stringMatching(/ECONNREFUSED|refused/i) });
	});

	it.each([302, 307])('a %s redirect to another host fails every test and takes no secret there', async (status) => {
		for (const [type, credential] of Object.entries(sandboxCredentials(sandbox))) {
			sandbox.faults.add({ kind: 'redirect', status, location: `${elsewhere.url}/` });
			const result = CREDENTIAL_TYPES[type].test
				? await testCredential(CREDENTIAL_TYPES[type], credential)
				: await testCredentialWithFunction(credentialTestFunction(type === 'bosCibilApi' ? bos : aopay), CREDENTIAL_TYPES[type], credential);
			expect({ type, status: result.status }).toEqual({ type, status: 'Error' });
		}
		expect(elsewhere.requests).toEqual([]);
	});

	it('no test request delivers an OTP to anyone', async () => {
		for (const type of Object.keys(CREDENTIAL_TYPES)) {
			if (CREDENTIAL_TYPES[type].test) await testCredential(CREDENTIAL_TYPES[type], sandboxCredentials(sandbox)[type]);
		}
		for (const provider of [bos, aopay]) {
			await testCredentialWithFunction(
				credentialTestFunction(provider),
				CREDENTIAL_TYPES[`${provider.id}CibilApi`],
				sandboxCredentials(sandbox)[`${provider.id}CibilApi`],
			);
		}
		expect(sandbox.inbox.size).toBe(0);
	});
});

describe('CIBIL credential tests (GET with a JSON body)', () => {
	const BRANDS = [
		{ type: 'bosCibilApi', provider: bos, name: 'BOS' },
		{ type: 'aopayCibilApi', provider: aopay, name: 'AOPay' },
	];

	// n8n runs a declarative credential test through httpRequest, which deletes the body of a GET, so the
	// CIBIL credentials are tested by a node method instead (nodes/n8n/credential-test.ts).
	it.each(BRANDS)('$type: has no declarative test; its node names the test function and provides it', async ({ type, provider }) => {
		expect(CREDENTIAL_TYPES[type].test).toBeUndefined();
		const node = provider.id === 'bos' ? new Bos() : new AoPay();
		const declared = node.description.credentials?.find((c) => c.name === type);
		expect(declared?.testedBy).toBe('cibilCredentialTest');
		const fn = node.methods.credentialTest.cibilCredentialTest;
		expect(await testCredentialWithFunction(fn, CREDENTIAL_TYPES[type], sandboxCredentials(sandbox)[type])).toEqual({
			status: 'OK',
			message: 'Connection successful',
		});
	});

	it.each(BRANDS)('$type: as a node credentialTest method (legacy request sends the GET body) the sandbox credential passes', async ({ type, provider }) => {
		const result = await testCredentialWithFunction(credentialTestFunction(provider), CREDENTIAL_TYPES[type], sandboxCredentials(sandbox)[type]);
		expect(result).toEqual({ status: 'OK', message: 'Connection successful' });
	});

	it.each(BRANDS)('$type: as a node credentialTest method a wrong access token, RegistrationID or CompanyCode fails', async ({ type, provider, name }) => {
		const fn = credentialTestFunction(provider);
		const good = sandboxCredentials(sandbox)[type];
		for (const wrong of [{ accessToken: 'wrong-token' }, { registrationId: 'XYZ-1' }, { companyCode: 'CMP0000' }] as Array<Record<string, string>>) {
			expect(await testCredentialWithFunction(fn, CREDENTIAL_TYPES[type], { ...good, ...wrong })).toEqual({
				status: 'Error',
				message: `${name} rejected the access token, RegistrationID or CompanyCode`,
			});
		}
	});

	it('as a node credentialTest method an unreachable host fails with the network error code', async () => {
		const data = { ...sandboxCredentials(sandbox).bosCibilApi, baseUrl: 'http://127.0.0.1:9/api/BOS/CibilScore/' };
		expect(await testCredentialWithFunction(credentialTestFunction(bos), CREDENTIAL_TYPES.bosCibilApi, data)).toEqual({
			status: 'Error',
			message: 'The test request failed: ECONNREFUSED. Check the base URL.',
		});
	});
});
