import fs from 'node:fs';
import path from 'node:path';
import { AGENT_NODE, AGENT_TEMPLATES, N8N_AGENT_DIR, OPENAI_CREDENTIAL, n8nAgentFiles, toolName } from '../../journeys/n8n-agents';
import { n8nNodeTypes } from '../../generate/n8n-types';
import { JOURNEYS } from '../../journeys';

const ROOT = path.resolve(__dirname, '..', '..');
type Json = any;

describe('AI agent templates (templates/n8n/agents)', () => {
	const files = n8nAgentFiles();

	it('has one template per guarded action, at least Capillary and SummitAI, as committed', () => {
		expect(Object.keys(files).sort()).toEqual(AGENT_TEMPLATES.map((t) => `${N8N_AGENT_DIR}/${t.journey}.json`).sort());
		const providers = AGENT_TEMPLATES.map((t) => JOURNEYS.find((j) => j.id === t.journey)!.provider.id);
		expect(providers).toEqual(expect.arrayContaining(['capillary', 'summitai']));
		for (const [file, wf] of Object.entries(files)) expect(JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'))).toEqual(JSON.parse(JSON.stringify(wf)));
	});

	describe.each(AGENT_TEMPLATES.map((t) => [t.journey, t] as const))('%s', (journey, template) => {
		const wf: Json = files[`${N8N_AGENT_DIR}/${journey}.json`];
		const node = (name: string): Json => wf.nodes.find((n: Json) => n.name === name);
		const provider = JOURNEYS.find((j) => j.id === journey)!.provider;
		const verify = node(AGENT_NODE.verify);
		const action = node(template.action.name);

		it("uses our node's tool variant with Send and Wait for Code in Your App mode, with a time limit", () => {
			expect(verify.type).toBe(`${n8nNodeTypes().get(provider.credential.name)!.type}Tool`);
			expect(verify.parameters.operation).toBe('sendAndWait');
			expect(verify.parameters.waitResponseMode).toBe('app');
			expect(verify.parameters.options.waitMinutes).toBeGreaterThan(0);
			expect(verify.webhookId).toMatch(/^[0-9a-f-]{36}$/);
			expect(Object.keys(verify.credentials)).toEqual([provider.credential.name]);
		});

		it('sends the code to the customer on record: every field comes from the trigger, none from the model', () => {
			const expressions = Object.values(verify.parameters).filter((v): v is string => typeof v === 'string' && v.startsWith('='));
			expect(expressions.length).toBeGreaterThan(0);
			for (const e of expressions) {
				expect(e).toContain(`$('${AGENT_NODE.trigger}').item.json.body.customer[`);
				expect(e).not.toMatch(/\$fromAI|\$json/);
			}
		});

		it("lets the model fill only the action's own value; the customer is the one on record", () => {
			const body: string = action.parameters.jsonBody;
			expect(action.type).toBe('n8n-nodes-base.httpRequestTool');
			expect([...body.matchAll(/\$fromAI\('([^']+)'/g)].map((m) => m[1])).toEqual([template.action.arg.key]);
			expect(body).toContain(`customer: $('${AGENT_NODE.trigger}').item.json.body.customer`);
		});

		it('tells the agent to call the action only after verified, and to explain any other status', () => {
			const system: string = node(AGENT_NODE.agent).parameters.options.systemMessage;
			expect(system).toContain(`first call ${toolName(AGENT_NODE.verify)}`);
			expect(system).toContain(`Call ${toolName(template.action.name)} only when ${toolName(AGENT_NODE.verify)} returned status "verified"`);
			for (const status of ['invalid_otp', 'expired', 'max_attempts']) expect(system).toContain(status);
			expect(verify.parameters.toolDescription).toMatch(/status verified/);
		});

		it('wires the model and both tools into the agent, the agent into the reply, and answers the app with codeUrl first', () => {
			expect(wf.connections[AGENT_NODE.model]).toEqual({ ai_languageModel: [[{ node: AGENT_NODE.agent, type: 'ai_languageModel', index: 0 }]] });
			for (const tool of [AGENT_NODE.verify, template.action.name])
				expect(wf.connections[tool]).toEqual({ ai_tool: [[{ node: AGENT_NODE.agent, type: 'ai_tool', index: 0 }]] });
			expect(wf.connections[AGENT_NODE.trigger].main[0][0].node).toBe(AGENT_NODE.respond);
			expect(wf.connections[AGENT_NODE.respond].main[0][0].node).toBe(AGENT_NODE.agent);
			expect(wf.connections[AGENT_NODE.agent].main[0][0].node).toBe(AGENT_NODE.reply);
			expect(node(AGENT_NODE.trigger).parameters.responseMode).toBe('responseNode');
			expect(node(AGENT_NODE.respond).parameters.responseBody).toContain('codeUrl: $execution.resumeUrl');
			expect(node(AGENT_NODE.model).credentials).toEqual({ openAiApi: OPENAI_CREDENTIAL });
			expect(node(AGENT_NODE.model).parameters.responsesApiEnabled).toBe(false);
		});
	});
});
