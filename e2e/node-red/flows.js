'use strict';
/**
 * The deployed copy of the shipped example flows: every examples/<slug>/*.json, one tab per provider
 * (the examples of one provider share their account node and `flow.<slug>Reference`, as they do when a
 * user imports them into one tab), base URLs moved to the running sandbox, the sandbox secrets added as
 * the account nodes' credentials, and "tap" nodes added beside every operation node's two outputs and a
 * Catch node per tab, which post what they see to the test's collector. The example files are only read.
 */
const fs = require('node:fs');
const path = require('node:path');
const ROOT = path.resolve(__dirname, '..', '..');

/** examples/journeys/ holds whole web-page journeys, not provider examples: e2e/journeys/node-red.js runs them. */
const JOURNEYS_DIR = 'journeys';

function readExamples(examplesDir) {
	const out = [];
	for (const slug of fs.readdirSync(examplesDir).sort()) {
		const dir = path.join(examplesDir, slug);
		if (slug === JOURNEYS_DIR || !fs.statSync(dir).isDirectory()) continue;
		for (const file of fs
			.readdirSync(dir)
			.filter((f) => f.endsWith('.json'))
			.sort()) {
			out.push({ slug, file, nodes: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) });
		}
	}
	return out;
}

/** Our node types, from this repository's build (names.ts is the source of truth; packages carry no provider registry). */
function nodeTypes() {
	const { PROVIDERS } = require(path.join(ROOT, 'dist', 'nodes', 'providers'));
	const names = require(path.join(ROOT, 'dist', 'node-red', 'names'));
	const providers = PROVIDERS.map((p) => ({
		spec: p,
		slug: p.slug,
		id: p.id,
		configType: names.configType(p),
		ops: p.operations.map((op) => ({ id: op.id, type: names.operationType(p, op) })),
	}));
	return { providers, all: providers.flatMap((p) => [p.configType, ...p.ops.map((o) => o.type)]) };
}

/** Password fields of the provider's credential, filled from the sandbox's fixed accounts. */
function sandboxCredentials(provider, accounts) {
	const account = accounts[provider.id] || {};
	const creds = {};
	for (const f of provider.spec.credential.fields) {
		if (f.type === 'password' && account[f.name] !== undefined) creds[f.name] = String(account[f.name]);
	}
	return creds;
}

function rewriteUrls(node, sandboxUrl) {
	for (const [k, v] of Object.entries(node)) {
		if (typeof v === 'string') node[k] = v.replace(/http:\/\/127\.0\.0\.1:\d+/g, sandboxUrl);
	}
}

/** A Function node running `func`. */
function functionNode({ id, z, name, func, wires, outputs = 1, x = 0, y = 0 }) {
	return { id, type: 'function', z, name, func, outputs, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], x, y, wires };
}

/** An HTTP Request node POSTing msg.payload (JSON) to `url`; its answer goes nowhere. */
function postNode({ id, z, name, url, persist = false, x = 0, y = 0 }) {
	return {
		id,
		type: 'http request',
		z,
		name,
		method: 'POST',
		ret: 'txt',
		paytoqs: 'ignore',
		url,
		tls: '',
		persist,
		proxy: '',
		insecureHTTPParser: false,
		authType: '',
		senderr: false,
		headers: [],
		x,
		y,
		wires: [[]],
	};
}

function tapFunction(tag) {
	return `msg.payload = Object.assign(${JSON.stringify(tag)}, { result: msg.payload, otp: msg.otp, error: msg.error });\nmsg.headers = { 'content-type': 'application/json' };\nreturn msg;`;
}

/**
 * Returns { flows, index } where index.examples lists per example file its injects and operation nodes,
 * and flows is the array to POST to /flows (config nodes carry `credentials`).
 */
function buildDeployment({ examplesDir, sandboxUrl, collectorUrl, accounts }) {
	const types = nodeTypes();
	const bySlug = Object.fromEntries(types.providers.map((p) => [p.slug, p]));
	const opTypes = new Map(types.providers.flatMap((p) => p.ops.map((o) => [o.type, { provider: p, op: o }])));
	const examples = readExamples(examplesDir);
	const flows = [];
	const ids = new Map();
	const configs = new Map();
	const index = { examples: [], tabs: {}, opTypes, types };
	for (const slug of [...new Set(examples.map((e) => e.slug))]) {
		const tab = `e2e-tab-${slug}`;
		index.tabs[slug] = tab;
		flows.push({ id: tab, type: 'tab', label: `${slug} examples (e2e)`, disabled: false, info: '' });
		flows.push(postNode({ id: `e2e-post-${slug}`, z: tab, name: 'e2e collector', url: collectorUrl, x: 900, y: 2000 }));
		flows.push({
			id: `e2e-catch-${slug}`,
			type: 'catch',
			z: tab,
			name: 'e2e catch',
			scope: null,
			uncaught: false,
			x: 100,
			y: 2000,
			wires: [[`e2e-catchtap-${slug}`]],
		});
		flows.push(
			functionNode({
				id: `e2e-catchtap-${slug}`,
				z: tab,
				name: 'e2e catch tap',
				func: tapFunction({ kind: 'catch', slug }),
				x: 300,
				y: 2000,
				wires: [[`e2e-post-${slug}`]],
			}),
		);
	}
	for (const ex of examples) {
		const provider = bySlug[ex.slug];
		if (!provider) throw new Error(`examples/${ex.slug}/ is not a provider slug (${Object.keys(bySlug).join(', ')})`);
		const entry = { slug: ex.slug, file: ex.file, injects: [], ops: [] };
		for (const original of ex.nodes) {
			const node = JSON.parse(JSON.stringify(original));
			rewriteUrls(node, sandboxUrl);
			if (node.type === provider.configType) {
				const seen = configs.get(node.id);
				if (seen && JSON.stringify(seen) !== JSON.stringify(node))
					throw new Error(`examples/${ex.slug}/${ex.file}: account node ${node.id} differs from the other examples' copy`);
				if (!seen) {
					configs.set(node.id, node);
					flows.push({ ...node, credentials: sandboxCredentials(provider, accounts) });
				}
				continue;
			}
			if (/^otpflow-.*-config$/.test(node.type)) throw new Error(`examples/${ex.slug}/${ex.file}: ${node.type} belongs to another provider`);
			if (ids.has(node.id)) throw new Error(`examples/${ex.slug}/${ex.file}: node id ${node.id} also used in ${ids.get(node.id)}`);
			ids.set(node.id, `${ex.slug}/${ex.file}`);
			node.z = index.tabs[ex.slug];
			if (node.type === 'inject') entry.injects.push({ id: node.id, name: node.name, props: node.props });
			const known = opTypes.get(node.type);
			if (known) {
				entry.ops.push({ id: node.id, type: node.type, opId: known.op.id, name: node.name, wires: node.wires });
				node.wires = node.wires.map((targets, output) => {
					const tapId = `e2e-tap-${node.id}-${output}`;
					flows.push(
						functionNode({
							id: tapId,
							z: node.z,
							name: `e2e tap ${output}`,
							func: tapFunction({ kind: 'result', node: node.id, type: node.type, file: `${ex.slug}/${ex.file}`, output }),
							x: (node.x || 0) + 60,
							y: (node.y || 0) + 40 + output * 20,
							wires: [[`e2e-post-${ex.slug}`]],
						}),
					);
					return [...targets, tapId];
				});
			}
			flows.push(node);
		}
		index.examples.push(entry);
	}
	const usedOps = new Set(index.examples.flatMap((e) => e.ops.map((o) => o.type)));
	index.missingExamples = [...opTypes.keys()].filter((t) => !usedOps.has(t));
	index.nodesById = new Map(flows.map((n) => [n.id, n]));
	return { flows, index };
}

/** Operation nodes reached from an inject through success wires (and non-operation nodes), in order. */
function opChain(index, startId) {
	const out = [];
	const seen = new Set();
	const queue = [startId];
	while (queue.length) {
		const id = queue.shift();
		if (seen.has(id)) continue;
		seen.add(id);
		const node = index.nodesById.get(id);
		if (!node || !node.wires) continue;
		const isOp = index.opTypes.has(node.type);
		if (isOp && id !== startId) out.push(node);
		const next = isOp ? node.wires[0] || [] : node.wires.flat();
		for (const t of next) if (!t.startsWith('e2e-')) queue.push(t);
	}
	return out;
}

module.exports = { readExamples, nodeTypes, buildDeployment, sandboxCredentials, opChain, functionNode, postNode };
