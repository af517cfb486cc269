'use strict';
/**
 * The suite's own workflows, beside the shipped journey templates:
 *   gate   Webhook → HTTP Request to the suite's gate, held until the suite releases it: keeps one worker slot busy,
 *          so the next job must go to the other worker.
 *   bulk   Webhook → the Capillary chain (Generate Token → Generate OTP → read the code from the sandbox inbox →
 *          Validate OTP); anything but verified ends in Stop and Error, so a run's status says whether it verified.
 *   own    A Form Trigger journey of our own (Generate Token → Generate OTP → code page → Validate OTP → done page),
 *          used when templates/n8n/journeys/ is not there.
 * Node parameters of our nodes come from the shipped templates, as e2e/volume does.
 */
const crypto = require('node:crypto');

const GATE_PATH = 'otpflow-queue-gate';
const BULK_PATH = 'otpflow-queue-bulk';
const OWN_FORM_PATH = 'otp-queue-own';

function uuid(...parts) {
	const h = crypto
		.createHash('sha256')
		.update(['otpflow-queue', ...parts].join('/'))
		.digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function node(wf, name, type, typeVersion, parameters, extra = {}) {
	return { parameters, id: uuid(wf, name), name, type, typeVersion, position: [0, 0], ...extra };
}

function link(...names) {
	const connections = {};
	for (let i = 0; i < names.length - 1; i++) connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	return connections;
}

function workflow(id, name, nodes, connections) {
	nodes.forEach((n, i) => {
		n.position = [i * 240, 300];
	});
	return { id, name, nodes, connections, active: false, settings: { executionOrder: 'v1' }, pinData: {}, meta: {}, tags: [] };
}

function webhook(wf, path) {
	return node(
		wf,
		'Webhook',
		'n8n-nodes-base.webhook',
		2,
		{ httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
		{ webhookId: uuid(wf, 'webhook') },
	);
}

function gateWorkflow(gateUrl) {
	const wf = 'otpflowQueueGate';
	return workflow(
		wf,
		'OTP Flow queue e2e: gate (holds a worker)',
		[
			webhook(wf, GATE_PATH),
			node(wf, 'Hold until released', 'n8n-nodes-base.httpRequest', 4.2, { url: `=${gateUrl}/hold/{{ $execution.id }}`, options: { timeout: 120000 } }),
		],
		link('Webhook', 'Hold until released'),
	);
}

/** Our Capillary nodes as the shipped chain template has them (type, version, credential). */
function capillaryNodes(templates) {
	const chain = templates.workflows.find((w) => w.file === 'capillary-chain.json');
	if (!chain) throw new Error('templates/n8n/capillary-chain.json is missing');
	const byName = (name) => chain.workflow.nodes.find((n) => n.name === name);
	return { token: byName('Generate Token'), otp: byName('Generate OTP'), validate: byName('Validate OTP') };
}

function ours(wf, template, name, parameters) {
	return node(wf, name, template.type, template.typeVersion, parameters, { credentials: template.credentials });
}

/** Webhook body { n, mobile }: one customer per run, so no per-customer limit of the sandbox interferes. */
function bulkWorkflow(templates, sandboxUrl) {
	const wf = 'otpflowQueueBulk';
	const c = capillaryNodes(templates);
	const nodes = [
		webhook(wf, BULK_PATH),
		ours(wf, c.token, 'Generate Token', { ...c.token.parameters, identifierValue: '={{ $json.body.mobile }}', deviceId: '=bulk-{{ $json.body.n }}' }),
		ours(wf, c.otp, 'Generate OTP', { ...c.otp.parameters }),
		node(wf, 'Read OTP from Sandbox Inbox', 'n8n-nodes-base.httpRequest', 4.2, {
			url: `=${sandboxUrl}/_sandbox/inbox/latest?provider=capillary&to={{ $('Webhook').item.json.body.mobile }}`,
			options: {},
		}),
		ours(wf, c.validate, 'Validate OTP', { ...c.validate.parameters, reference: "={{ $('Generate OTP').item.json.reference }}", otp: '={{ $json.otp }}' }),
		node(wf, 'Verified', 'n8n-nodes-base.noOp', 1, {}),
		node(wf, 'Not verified', 'n8n-nodes-base.stopAndError', 1, { errorMessage: '={{ $json.status }}: {{ $json.message }}' }),
	];
	const connections = link('Webhook', 'Generate Token', 'Generate OTP', 'Read OTP from Sandbox Inbox', 'Validate OTP', 'Verified');
	for (const step of ['Generate Token', 'Generate OTP', 'Validate OTP']) connections[step].main[1] = [{ node: 'Not verified', type: 'main', index: 0 }];
	return workflow(wf, 'OTP Flow queue e2e: bulk Capillary chain', nodes, connections);
}

/** A small Form journey of our own; `testCase` is what the driver needs to go through it. */
function ownJourney(templates) {
	const wf = 'otpflowQueueOwn1';
	const c = capillaryNodes(templates);
	const form = (name, parameters) => node(wf, name, 'n8n-nodes-base.form', 2.5, parameters, { webhookId: uuid(wf, name) });
	const limit = { limitWaitTime: true, limitType: 'afterTimeInterval', resumeAmount: 10, resumeUnit: 'minutes' };
	const nodes = [
		node(
			wf,
			'Details page',
			'n8n-nodes-base.formTrigger',
			2.5,
			{
				formTitle: 'Sign in with a one-time code',
				formFields: { values: [{ fieldLabel: 'Mobile number', fieldName: 'identifierValue', requiredField: true }] },
				options: { path: OWN_FORM_PATH, appendAttribution: false },
			},
			{ webhookId: uuid(wf, 'trigger') },
		),
		ours(wf, c.token, 'Generate Token', { ...c.token.parameters, identifierValue: "={{ $('Details page').first().json.identifierValue }}" }),
		ours(wf, c.otp, 'Generate OTP', { ...c.otp.parameters }),
		form('Code page', {
			operation: 'page',
			formFields: { values: [{ fieldLabel: 'Code', fieldName: 'code', requiredField: true }] },
			...limit,
			options: { formTitle: 'Enter your code' },
		}),
		ours(wf, c.validate, 'Validate OTP', { ...c.validate.parameters, reference: "={{ $('Generate OTP').item.json.reference }}", otp: '={{ $json.code }}' }),
		form('Done page', { operation: 'completion', completionTitle: 'Signed in', completionMessage: 'You are signed in.', ...limit, options: {} }),
		form('Error page', {
			operation: 'completion',
			completionTitle: 'Sorry, that did not work',
			completionMessage: '={{ $json.message }}',
			...limit,
			options: {},
		}),
	];
	const connections = link('Details page', 'Generate Token', 'Generate OTP', 'Code page', 'Validate OTP', 'Done page');
	for (const step of ['Generate Token', 'Generate OTP', 'Validate OTP']) connections[step].main[1] = [{ node: 'Error page', type: 'main', index: 0 }];
	const sample = '919999999991';
	return {
		workflow: workflow(wf, 'OTP Flow queue e2e: own Capillary form journey', nodes, connections),
		testCase: {
			id: 'own-capillary',
			provider: 'capillary',
			savesSuccess: true,
			path: OWN_FORM_PATH,
			firstValues: [sample],
			codeValues: (code) => [code],
			inboxTo: [sample],
			steps: { before: ['Generate Token'], send: 'Generate OTP', verify: 'Validate OTP', after: undefined },
			pages: { code: 'Enter your code', done: 'Signed in', doneNode: 'Done page' },
		},
	};
}

/**
 * The driver's view of a shipped journey template: the first page's values (the journey's samples, by field name, in
 * the page's order), the code page's, where the code may have gone (every sample typed), and the steps' node names.
 * `journey` is its description from dist/journeys; `stepsOf` from dist/journeys/params.
 */
function journeyCase(shipped, journey, stepsOf) {
	const nodes = shipped.workflow.nodes;
	const trigger = nodes.find((n) => n.type === 'n8n-nodes-base.formTrigger');
	const pageNodes = nodes.filter((n) => n.type === 'n8n-nodes-base.form');
	const codePage = pageNodes.find((n) => n.parameters.operation === 'page' && n.parameters.formFields.values.some((f) => f.fieldName === 'code'));
	if (!trigger || !codePage) throw new Error(`${shipped.file}: no Form Trigger or code page`);
	const asks = [...journey.ask, ...(journey.codeAsk || [])];
	const sampleOf = (name) => {
		const a = asks.find((x) => x.name === name);
		if (!a) throw new Error(`${shipped.file}: no sample for the field ${name}`);
		return a.sample;
	};
	const steps = stepsOf(journey);
	const name = (role) => (steps.find((s) => s.role === role) || {}).op;
	// The done page: the completion page whose title is the journey's.
	const donePage = pageNodes.find((n) => n.parameters.operation === 'completion' && n.parameters.completionTitle === journey.done.title);
	return {
		id: shipped.id,
		provider: journey.provider.id,
		// A journey that asks for something sensitive (an Aadhaar number) may keep no successful runs.
		savesSuccess: (shipped.workflow.settings || {}).saveDataSuccessExecution !== 'none',
		path: trigger.parameters.options.path,
		firstValues: trigger.parameters.formFields.values.map((f) => sampleOf(f.fieldName)),
		codeValues: (code) => codePage.parameters.formFields.values.map((f) => (f.fieldName === 'code' ? code : sampleOf(f.fieldName))),
		inboxTo: [...new Set(journey.ask.map((a) => a.sample))],
		steps: {
			before: steps.filter((s) => s.role === 'before').map((s) => s.op.name),
			send: name('send').name,
			verify: name('verify').name,
			after: name('after') && name('after').name,
		},
		pages: { code: codePage.parameters.options.formTitle, done: journey.done.title, doneNode: donePage && donePage.name },
	};
}

/**
 * The shipped journeys (lib.loadJourneys()) with their descriptions from dist/journeys: { cases (journeyCase's),
 * workflows (their provider URLs pointed at the sandbox) }. `lib` is e2e/n8n/lib.
 */
function journeyCases(lib, sandboxUrl) {
	const dist = (p) => require(require('node:path').join(lib.ROOT, 'dist', 'journeys', p));
	const { JOURNEYS } = dist('index');
	const { stepsOf } = dist('params');
	const workflows = [];
	const cases = lib.loadJourneys().map((s) => {
		const journey = JOURNEYS.find((j) => j.id === s.id);
		if (!journey) throw new Error(`${s.file}: no journey description with id ${s.id}`);
		workflows.push(lib.rewriteUrls(s.workflow, sandboxUrl));
		return journeyCase(s, journey, stepsOf);
	});
	return { cases, workflows };
}

module.exports = { GATE_PATH, BULK_PATH, gateWorkflow, bulkWorkflow, ownJourney, journeyCase, journeyCases };
