/**
 * Adding a provider touches its own description and nothing in the core, the adapters or the generators: a
 * fictitious sixth provider (test/fixtures/acme-provider.ts) runs, unchanged, through the core, an n8n node built
 * the way each provider's node file builds one, and a Node-RED module built the way each provider's entry does,
 * with its editor HTML generated. Its "provider" is a small local server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ICredentialType, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { runOperation } from '../../nodes/core';
import { credentialAuthenticate, credentialProperties, credentialTest, executeProvider, nodeDescription } from '../../nodes/n8n';
import { providerHtml } from '../../node-red/editor/html';
import { providerModule } from '../../node-red/register';
import { AxiosTransport } from '../../node-red/transport';
import { acme } from '../fixtures/acme-provider';
import { node, runWorkflow, startNode, testCredential } from '../n8n/harness';
import { helper, loadNode, only } from '../node-red/harness';

const API_KEY = 'acme-secret-key';
const sent: Array<{ path: string; key: string | undefined; body: Record<string, unknown> }> = [];
let server: http.Server;
let baseUrl = '';

beforeAll(async () => {
	server = http.createServer((req, res) => {
		let text = '';
		req.on('data', (c) => (text += c));
		req.on('end', () => {
			const body = JSON.parse(text || '{}');
			sent.push({ path: req.url ?? '', key: req.headers['x-api-key'] as string | undefined, body });
			const ok = req.headers['x-api-key'] === API_KEY;
			const answer = req.url === '/send' ? { ok, txn: 'T-1' } : { ok: ok && body.code === '4321' };
			res.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify(answer));
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	await helper.startServer();
});
afterAll(async () => {
	await helper.stopServer();
	server.closeAllConnections();
	await new Promise((r) => server.close(r));
});
beforeEach(() => (sent.length = 0));

test('the core runs it: send, then check with only the code and the reference', async () => {
	const transport = new AxiosTransport((r) => acme.credential.authenticate({ apiKey: API_KEY }, r));
	const credentials = { baseUrl, apiKey: API_KEY };
	const sentCode = await runOperation(acme, acme.operations[0], { mobile: '9876543210' }, credentials, transport);
	expect(sentCode).toMatchObject({ ok: true, status: 'otp_sent', provider: 'acme', reference: { mobile: '9876543210', txn: 'T-1' }, next: 'checkCode' });
	const checked = await runOperation(acme, acme.operations[1], { otp: '4321' }, credentials, transport, { reference: sentCode.reference });
	expect(checked).toMatchObject({ ok: true, status: 'verified' });
	expect(await runOperation(acme, acme.operations[1], { otp: '4321' }, credentials, transport)).toMatchObject({
		status: 'invalid_request',
		message: expect.stringContaining('send one first with Send Code'),
	});
	transport.destroy();
});

test('n8n runs it as a node and tests its credential, with the adapters unchanged', async () => {
	class Acme implements INodeType {
		description: INodeTypeDescription = { ...nodeDescription(acme, 'acme'), icon: 'file:acme.svg', usableAsTool: true };
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			return executeProvider.call(this, acme);
		}
	}
	const credentialType: ICredentialType = {
		name: acme.credential.name,
		displayName: acme.credential.label,
		properties: credentialProperties(acme.credential),
		authenticate: credentialAuthenticate(acme.credential),
		test: credentialTest(acme.credential),
	};
	const r = await runWorkflow({
		nodeTypes: { 'test.acme': new Acme() },
		credentialTypes: { acmeApi: credentialType },
		credentials: { acmeApi: { baseUrl, apiKey: API_KEY } },
		workflow: {
			nodes: [
				startNode(),
				node('Send', 'test.acme', { operation: 'sendCode', mobile: '9876543210' }),
				node('Check', 'test.acme', { operation: 'checkCode', otp: '4321' }),
			],
			connections: {
				Start: { main: [[{ node: 'Send', type: 'main', index: 0 }]] },
				Send: { main: [[{ node: 'Check', type: 'main', index: 0 }], []] },
			},
		},
	});
	expect(r.outputs.Check?.[0]?.map((i) => i.json.status)).toEqual(['verified']);
	expect(sent.map((s) => [s.path, s.key])).toEqual([
		['/send', API_KEY],
		['/check', API_KEY],
	]);
	expect(await testCredential(credentialType, { baseUrl, apiKey: API_KEY })).toEqual({ status: 'OK', message: 'Connection successful!' });
	expect(await testCredential(credentialType, { baseUrl, apiKey: 'wrong' })).toMatchObject({ status: 'Error' });
});

test('Node-RED runs it as palette nodes with a config node, and its editor HTML is generated', async () => {
	const module = providerModule(acme);
	const check = await loadNode(module, {
		type: 'otpflow-acme-check-code',
		props: { otp: 'code', otpType: 'msg' },
		account: { type: 'otpflow-acme-config', props: { baseUrl }, credentials: { apiKey: API_KEY } },
	});
	const msg = only(await check.run({ code: '4321', payload: { reference: { txn: 'T-1' } } }), 'success');
	expect(msg.payload).toMatchObject({ status: 'verified', provider: 'acme' });
	await helper.unload();
	const html = providerHtml(acme);
	for (const type of ['otpflow-acme-config', 'otpflow-acme-send-code', 'otpflow-acme-check-code']) expect(html).toContain(`RED.nodes.registerType("${type}"`);
});
