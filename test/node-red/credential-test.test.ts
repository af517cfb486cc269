/**
 * The account dialog's Test button, end to end in a real Node-RED runtime: POST /otpflow/<slug>/test runs the
 * provider's credential test against the sandbox and answers { ok, message } without a secret in it or in any log.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SANDBOX_ACCOUNTS, type Sandbox } from '../../sandbox';
import aopayNodes from '../../node-red/aopay';
import bosNodes from '../../node-red/bos';
import capillaryNodes from '../../node-red/capillary';
import iserveuNodes from '../../node-red/iserveu';
import summitaiNodes from '../../node-red/summitai';
import { answerCredentialTest, STORED_PASSWORD } from '../../node-red/credential-test';
import type { NodeAPI } from '../../node-red/types';
import { dumpAll, helper, nodeRedRuntime } from './harness';

const WRONG = 'wrong-secret-do-not-leak';
const A = SANDBOX_ACCOUNTS;
const SECRETS = [A.bos.accessToken, A.aopay.accessToken, A.iserveu.clientSecret, A.summitai.apiKey, A.summitai.password, WRONG];

let sandbox: Sandbox;
nodeRedRuntime((s) => (sandbox = s));

interface Case {
	slug: string;
	module: unknown;
	/** The account's non-secret values, as the dialog posts them. */
	props: () => Record<string, string>;
	/** The right secrets; the first is the one replaced by WRONG. */
	secrets: Record<string, string>;
	/** What a wrong secret (Capillary: a wrong brand, it has no secret) must say. */
	refused: RegExp;
}

const CASES: Case[] = [
	{
		slug: 'bos',
		module: bosNodes,
		props: () => ({ baseUrl: sandbox.baseUrls.bos, registrationId: A.bos.registrationId, companyCode: A.bos.companyCode }),
		secrets: { accessToken: A.bos.accessToken },
		refused: /^BOS rejected the access token, RegistrationID or CompanyCode$/,
	},
	{
		slug: 'aopay',
		module: aopayNodes,
		props: () => ({ baseUrl: sandbox.baseUrls.aopay, registrationId: A.aopay.registrationId, companyCode: A.aopay.companyCode }),
		secrets: { accessToken: A.aopay.accessToken },
		refused: /^AOPay rejected the access token/,
	},
	{
		slug: 'iserveu',
		module: iserveuNodes,
		props: () => ({ baseUrl: sandbox.baseUrls.iserveu, clientId: A.iserveu.clientId }),
		secrets: { clientSecret: A.iserveu.clientSecret },
		refused: /^iServeU rejected the client ID or secret$/,
	},
	{
		slug: 'summitai',
		module: summitaiNodes,
		props: () => ({ baseUrl: sandbox.baseUrls.summitai, authType: 'APIKEY' }),
		secrets: { apiKey: A.summitai.apiKey },
		refused: /^SummitAI rejected the API key$/,
	},
];

/** Deploys one config node (id 'acct') with these stored secrets, the way the editor's deploy leaves it. */
async function deploy(c: { slug: string; module: unknown }, props: Record<string, string>, stored: Record<string, string> = {}) {
	await helper.load(c.module, [{ id: 'acct', type: `otpflow-${c.slug}-config`, name: 'test account', ...props }], { acct: stored });
}

async function post(slug: string, body: unknown) {
	const answer = await helper.request().post(`/otpflow/${slug}/test`).send(body);
	expect(answer.status).toBe(200);
	return answer.body as { ok: boolean; message: string };
}

afterEach(async () => {
	const logged = dumpAll(helper.log().args);
	await helper.unload();
	for (const secret of SECRETS) expect(logged).not.toContain(secret);
});

describe.each(CASES)('$slug account Test', (c) => {
	it('answers ok for the right secret', async () => {
		await deploy(c, c.props());
		expect(await post(c.slug, { id: 'new-node', credentials: { ...c.props(), ...c.secrets } })).toEqual({ ok: true, message: 'Connection successful' });
	});

	it('answers not ok for a wrong secret, saying so without the secret', async () => {
		await deploy(c, c.props());
		const [name] = Object.keys(c.secrets);
		const answer = await post(c.slug, { id: 'new-node', credentials: { ...c.props(), ...c.secrets, [name]: WRONG } });
		expect(answer.ok).toBe(false);
		expect(answer.message).toMatch(c.refused);
		for (const secret of SECRETS) expect(answer.message).not.toContain(secret);
	});

	it("uses the deployed account's stored secret where the dialog shows the stored-password placeholder or nothing", async () => {
		await deploy(c, c.props(), c.secrets);
		const placeholders = Object.fromEntries(Object.keys(c.secrets).map((k) => [k, STORED_PASSWORD]));
		expect(await post(c.slug, { id: 'acct', credentials: { ...c.props(), ...placeholders } })).toMatchObject({ ok: true });
		const blanks = Object.fromEntries(Object.keys(c.secrets).map((k) => [k, '']));
		expect(await post(c.slug, { id: 'acct', credentials: { ...c.props(), ...blanks } })).toMatchObject({ ok: true });
		// A typed secret wins over the stored one.
		const [name] = Object.keys(c.secrets);
		expect(await post(c.slug, { id: 'acct', credentials: { ...c.props(), ...c.secrets, [name]: WRONG } })).toMatchObject({ ok: false, message: c.refused });
	});
});

describe('account Test: stored secrets', () => {
	const bos = CASES[0];

	it('proves the stored secret is the one used: a wrong stored secret fails behind the placeholder', async () => {
		await deploy(bos, bos.props(), { accessToken: WRONG });
		expect(await post('bos', { id: 'acct', credentials: { ...bos.props(), accessToken: STORED_PASSWORD } })).toEqual({
			ok: false,
			message: 'BOS rejected the access token, RegistrationID or CompanyCode',
		});
	});

	it('asks for the secret when nothing is stored for the placeholder (a new account, or no id)', async () => {
		await deploy(bos, bos.props(), bos.secrets);
		const expected = { ok: false, message: 'Fill in Access Token (secret) first.' };
		expect(await post('bos', { credentials: { ...bos.props(), accessToken: STORED_PASSWORD } })).toEqual(expected);
		expect(await post('bos', { id: 'never-deployed', credentials: { ...bos.props(), accessToken: '' } })).toEqual(expected);
	});

	it("never lends one provider's stored secret to another provider's test", async () => {
		// An AOPay config node deployed with AOPay's token; the BOS endpoint is asked to test it with BOS values.
		await deploy({ slug: 'aopay', module: [bosNodes, aopayNodes] }, CASES[1].props(), { accessToken: A.bos.accessToken });
		expect(await post('bos', { id: 'acct', credentials: { ...bos.props(), accessToken: STORED_PASSWORD } })).toMatchObject({ ok: false, message: /^Fill in/ });
	});
});

describe('account Test: wiring and transport', () => {
	const bos = CASES[0];

	it('sits behind write permission on the config node type, checked before anything is sent', async () => {
		const permissions: string[] = [];
		const guarded = (RED: { auth: unknown }) => {
			RED.auth = {
				needsPermission: (permission: string) => {
					permissions.push(permission);
					return (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => {
						if (req.headers['x-deny']) {
							res.statusCode = 403;
							res.end();
						} else next();
					};
				},
			};
			(bosNodes as unknown as (red: unknown) => void)(RED);
		};
		await deploy({ slug: 'bos', module: guarded }, bos.props(), bos.secrets);
		expect(permissions).toEqual(['otpflow-bos-config.write']);
		const before = sandbox.stats.snapshot().requests;
		const denied = await helper.request().post('/otpflow/bos/test').set('x-deny', '1').send({ id: 'acct', credentials: bos.props() });
		expect(denied.status).toBe(403);
		expect(sandbox.stats.snapshot().requests).toBe(before);
		expect(await post('bos', { id: 'acct', credentials: { ...bos.props(), accessToken: STORED_PASSWORD } })).toMatchObject({ ok: true });
	});

	it('reports a redirect and does not follow it: the other host receives nothing', async () => {
		let reached = 0;
		const other = http.createServer((_req, res) => {
			reached += 1;
			res.end('{}');
		});
		await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
		try {
			const location = `http://127.0.0.1:${(other.address() as AddressInfo).port}/collect`;
			sandbox.faults.add({ provider: 'bos', kind: 'redirect', status: 307, location });
			await deploy(bos, bos.props(), bos.secrets);
			const answer = await post('bos', { id: 'acct', credentials: { ...bos.props(), accessToken: STORED_PASSWORD } });
			expect(answer.ok).toBe(false);
			expect(answer.message).toMatch(/^BOS CIBIL Score redirected the test to 127\.0\.0\.1:\d+ \(HTTP 307\); redirects are not followed/);
			expect(answer.message).toContain('Check the base URL.');
			expect(reached).toBe(0);
		} finally {
			other.close();
		}
	});

	it('names the network error when nothing listens at the base URL', async () => {
		await deploy(bos, bos.props());
		const answer = await post('bos', { credentials: { ...bos.props(), ...bos.secrets, baseUrl: 'http://127.0.0.1:9/api/' } });
		expect(answer).toEqual({ ok: false, message: expect.stringContaining('(ECONNREFUSED)') });
	});

	it('reports an HTTP status it has no rule for, with what to check', async () => {
		sandbox.faults.add({ provider: 'iserveu', kind: 'status', status: 503 });
		await deploy(CASES[2], CASES[2].props());
		const answer = await post('iserveu', { credentials: { ...CASES[2].props(), ...CASES[2].secrets } });
		expect(answer.ok).toBe(false);
		expect(answer.message).toMatch(/^HTTP 503 from iServeU DMT Lite.*: the provider had a problem/);
	});

	it('refuses a base URL that is not http(s) without sending anything', async () => {
		await deploy(bos, bos.props());
		const answer = await post('bos', { credentials: { ...bos.props(), ...bos.secrets, baseUrl: 'ftp://example.com' } });
		expect(answer).toMatchObject({ ok: false, message: expect.stringMatching(/not an http\(s\) URL/) });
	});

	it('gives up at its deadline with a message saying so', async () => {
		sandbox.faults.add({ provider: 'bos', kind: 'timeout' });
		const RED = { nodes: { getNode: () => null, getCredentials: () => undefined } } as unknown as NodeAPI;
		const started = Date.now();
		const answer = await answerCredentialTest(
			RED,
			(bosNodes as unknown as { provider: never }).provider,
			{ credentials: { ...bos.props(), ...bos.secrets } },
			300,
		);
		expect(Date.now() - started).toBeLessThan(2500);
		expect(answer).toEqual({ ok: false, message: expect.stringMatching(/^BOS CIBIL Score did not answer within 0.3 s: check the base URL/) });
	});

	it('Capillary (no secret): a wrong brand is refused, the right one passes', async () => {
		const props = { baseUrl: `${sandbox.url}/capillary`, brand: A.capillary.brand };
		await deploy({ slug: 'capillary', module: capillaryNodes }, props);
		expect(await post('capillary', { credentials: props })).toEqual({ ok: true, message: 'Connection successful' });
		expect(await post('capillary', { credentials: { ...props, brand: 'NoSuchBrand' } })).toEqual({
			ok: false,
			message: 'Capillary rejected the brand or host',
		});
	});
});
