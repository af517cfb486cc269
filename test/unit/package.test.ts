/** The package's declarations agree with the provider descriptions, so nothing is registered twice or forgotten. */
import fs from 'node:fs';
import path from 'node:path';
import { PROVIDERS } from '../../nodes/providers';
import { STATUSES } from '../../nodes/core';

const root = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

describe('package declarations', () => {
	test('is accepted by both ecosystems: n8n name pattern, keywords, MIT, no upper bound on Node-RED', () => {
		expect(pkg.name).toMatch(/^@[a-z0-9-]+\/n8n-nodes-/);
		expect(pkg.keywords).toEqual(expect.arrayContaining(['n8n-community-node-package', 'node-red']));
		expect(pkg.license).toBe('MIT');
		expect(pkg['node-red'].version).toMatch(/^>=\d/);
		expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
	});

	test('declares one n8n credential and node and one Node-RED module per provider, all of which exist in source', () => {
		expect(pkg.n8n.credentials).toHaveLength(PROVIDERS.length);
		expect(pkg.n8n.nodes).toHaveLength(PROVIDERS.length);
		expect(Object.keys(pkg['node-red'].nodes).sort()).toEqual(PROVIDERS.map((p) => `otpflow-${p.slug}`).sort());
		const source = (dist: string) => path.join(root, dist.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
		for (const file of [...pkg.n8n.credentials, ...pkg.n8n.nodes, ...Object.values<string>(pkg['node-red'].nodes)]) {
			expect(fs.existsSync(source(file))).toBe(true);
		}
	});

	test('each n8n credential class is the one its provider names', () => {
		for (const provider of PROVIDERS) {
			const file = pkg.n8n.credentials.find((f: string) => {
				const text = fs.readFileSync(path.join(root, f.replace(/^dist\//, '').replace(/\.js$/, '.ts')), 'utf8');
				return text.includes(`name = '${provider.credential.name}'`);
			});
			expect(file).toBeDefined();
		}
	});

	test('only runtime dependency is axios (for Node-RED); n8n-workflow is an optional peer', () => {
		expect(Object.keys(pkg.dependencies)).toEqual(['axios']);
		expect(pkg.peerDependenciesMeta['n8n-workflow'].optional).toBe(true);
	});
});

describe('README', () => {
	test('names every provider operation and every status', () => {
		for (const provider of PROVIDERS) for (const op of provider.operations) expect(readme).toContain(op.name);
		for (const status of STATUSES) expect(readme).toContain(`\`${status}\``);
	});
});
