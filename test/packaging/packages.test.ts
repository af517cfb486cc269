/**
 * The published packages (packages/<folder>/package.json, staged by the build into dist/packages/): each one holds
 * what its users need and nothing of the others, and agrees with the provider descriptions.
 */
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { PROVIDERS } from '../../nodes/providers';
import { STATUSES } from '../../nodes/core';

const packaging = require('../../packaging') as {
	ROOT: string;
	STAGE: string;
	folders(): string[];
	manifest(folder: string): Manifest;
	kind(pkg: Manifest): 'n8n' | 'node-red' | 'tool';
	contents(folder: string, pkg?: Manifest): { files: string[]; external: string[] };
};

interface Manifest {
	name: string;
	version: string;
	private?: boolean;
	license: string;
	keywords: string[];
	author?: { name?: string; email?: string };
	files: string[];
	dependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	bin?: Record<string, string>;
	main?: string;
	homepage: string;
	bugs: { url: string };
	repository: { type: string; url: string; directory?: string };
	n8n?: { n8nNodesApiVersion: number; strict: boolean; nodes: string[]; credentials: string[] };
	'node-red'?: { version: string; nodes: Record<string, string> };
}

const root = packaging.ROOT;
const rootPkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const folders = packaging.folders();
const manifests = folders.map((folder) => ({ folder, pkg: packaging.manifest(folder) }));
const n8nPackages = manifests.filter((m) => packaging.kind(m.pkg) === 'n8n');
const allN8n = packaging.manifest('n8n-nodes-otpflow');
const nodeRed = packaging.manifest('node-red-otpflow');
const sandbox = packaging.manifest('sandbox');
const source = (dist: string) => path.join(root, dist.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
/** The repository-relative path of a staged file, e.g. dist/nodes/providers/cibil/call.js. */
const staged = (folder: string) => packaging.contents(folder).files.map((f) => path.relative(root, f).split(path.sep).join('/'));

describe('the packages', () => {
	test('are eight: n8n with every provider, one n8n package per provider, Node-RED, the sandbox', () => {
		expect(folders).toEqual([
			'n8n-nodes-aopay',
			'n8n-nodes-bos',
			'n8n-nodes-capillary',
			'n8n-nodes-iserveu',
			'n8n-nodes-otpflow',
			'n8n-nodes-summitai',
			'node-red-otpflow',
			'sandbox',
		]);
		expect(rootPkg.private).toBe(true);
	});

	test.each(manifests)('$folder: same version as the workspace, MIT, an author with an e-mail, this repository as homepage', ({ pkg }) => {
		expect(pkg.version).toBe(rootPkg.version);
		expect(pkg.license).toBe('MIT');
		expect(pkg.author?.name).toBeTruthy();
		expect(pkg.author?.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
		expect(pkg.homepage).toBe(rootPkg.homepage);
		expect(pkg.bugs).toEqual(rootPkg.bugs);
		expect(pkg.private).toBeUndefined();
		expect(pkg.files[0]).toBe('dist');
	});

	test.each(n8nPackages)('$folder: published from the root of its own repository, otpflow/$folder (no repository.directory)', ({ folder, pkg }) => {
		expect(pkg.repository).toEqual({ type: 'git', url: `git+https://github.com/otpflow/${folder}.git` });
	});

	test.each(manifests.filter((m) => packaging.kind(m.pkg) !== 'n8n'))('$folder: published from its folder of this repository', ({ folder, pkg }) => {
		expect(pkg.repository).toEqual({ ...rootPkg.repository, directory: `packages/${folder}` });
	});

	test.each(n8nPackages)('$folder: what n8n verifies: the name pattern, the keyword, no runtime dependency, only n8n-workflow as peer', ({ pkg }) => {
		expect(pkg.name).toMatch(/^@otpflow\/n8n-nodes-[a-z]+$/);
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.dependencies).toBeUndefined();
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(pkg.n8n).toMatchObject({ n8nNodesApiVersion: 1, strict: true });
		for (const file of [...pkg.n8n!.nodes, ...pkg.n8n!.credentials]) expect(fs.existsSync(source(file))).toBe(true);
	});

	test('the all-provider n8n package declares one node and one credential per provider', () => {
		expect(allN8n.n8n!.nodes).toHaveLength(PROVIDERS.length);
		expect(allN8n.n8n!.credentials).toHaveLength(PROVIDERS.length);
		for (const provider of PROVIDERS) {
			const credential = allN8n.n8n!.credentials.find((f) => fs.readFileSync(source(f), 'utf8').includes(`name = '${provider.credential.name}'`));
			expect(credential).toBeDefined();
		}
	});

	test('each provider has its own n8n package with exactly its node and credential (one service per package)', () => {
		for (const provider of PROVIDERS) {
			const pkg = packaging.manifest(`n8n-nodes-${provider.slug}`);
			expect(pkg.n8n!.nodes).toHaveLength(1);
			expect(pkg.n8n!.credentials).toHaveLength(1);
			expect(allN8n.n8n!.nodes).toContain(pkg.n8n!.nodes[0]);
			expect(fs.readFileSync(source(pkg.n8n!.credentials[0]), 'utf8')).toContain(`name = '${provider.credential.name}'`);
		}
	});

	test('the Node-RED package: one module per provider and one for the journeys, axios its only dependency, a supported Node-RED range', () => {
		expect(nodeRed.name).toMatch(/^@otpflow\/node-red-/);
		expect(nodeRed.keywords).toContain('node-red');
		expect(nodeRed['node-red']!.version).toMatch(/^>=\d/);
		expect(Object.keys(nodeRed['node-red']!.nodes).sort()).toEqual([...PROVIDERS.map((p) => `otpflow-${p.slug}`), 'otpflow-journeys'].sort());
		expect(Object.keys(nodeRed.dependencies ?? {})).toEqual(['axios']);
		expect(nodeRed.dependencies!.axios).toBe(rootPkg.devDependencies.axios);
		expect(nodeRed.files).toContain('examples');
	});

	test('the sandbox package has the otpflow-sandbox command and no dependency', () => {
		expect(sandbox.bin).toEqual({ 'otpflow-sandbox': 'dist/sandbox/cli.js' });
		expect(sandbox.dependencies).toBeUndefined();
		expect(fs.readFileSync(path.join(root, 'sandbox', 'cli.ts'), 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
	});
});

describe('what each built package carries', () => {
	test('n8n packages carry no Node-RED, sandbox, journey or generator code, and require nothing but Node and n8n-workflow', () => {
		for (const { folder } of n8nPackages) {
			const files = staged(folder);
			expect(files.filter((f) => !/^dist\/(nodes|credentials|icons)\//.test(f))).toEqual([]);
			expect(
				packaging.contents(folder).external.filter((name) => name !== 'n8n-workflow' && !name.startsWith('node:') && !builtinModules.includes(name)),
			).toEqual([]);
		}
	});

	test.each(PROVIDERS.map((p) => [p.slug, p] as const))('the %s n8n package carries only its own provider', (slug) => {
		const files = staged(`n8n-nodes-${slug}`);
		const providerFolders = new Set(files.filter((f) => f.startsWith('dist/nodes/providers/')).map((f) => f.split('/')[3]));
		expect(providerFolders.size).toBe(1);
		expect(files.some((f) => f.startsWith('dist/nodes/providers/index'))).toBe(false);
		const icons = files.filter((f) => f.startsWith('dist/icons/'));
		expect(icons.length).toBe(2); // light and dark
	});

	test('the Node-RED package carries the editor HTML, help and icon of every module, and no n8n code', () => {
		const files = staged('node-red-otpflow');
		for (const p of PROVIDERS) {
			expect(files).toContain(`dist/node-red/${p.slug}.js`);
			expect(files).toContain(`dist/node-red/${p.slug}.html`);
			expect(files).toContain(`dist/node-red/locales/en-US/${p.slug}.html`);
			expect(files.some((f) => f.startsWith('dist/node-red/icons/'))).toBe(true);
		}
		expect(files.filter((f) => /^dist\/(nodes\/n8n|credentials|sandbox)\//.test(f))).toEqual([]);
	});

	test('the sandbox package carries the sandbox only', () => {
		expect(staged('sandbox').filter((f) => !f.startsWith('dist/sandbox/') && !f.startsWith('dist/nodes/'))).toEqual([]);
	});

	test('a package that would need an undeclared dependency fails the build, naming it and the file', () => {
		const broken = { ...allN8n, n8n: { ...allN8n.n8n!, nodes: [...allN8n.n8n!.nodes, nodeRed['node-red']!.nodes['otpflow-bos']] } };
		expect(() => packaging.contents('n8n-nodes-otpflow', broken)).toThrow(
			/would need packages its manifest does not declare: axios \(required by dist\/node-red\/transport\.js\)/,
		);
	});

	test('every staged package has its manifest, README and LICENSE', () => {
		for (const folder of folders) {
			for (const file of ['package.json', 'README.md', 'LICENSE']) expect(fs.existsSync(path.join(packaging.STAGE, folder, file))).toBe(true);
			expect(JSON.parse(fs.readFileSync(path.join(packaging.STAGE, folder, 'package.json'), 'utf8'))).toEqual(packaging.manifest(folder));
		}
	});
});

describe('package READMEs', () => {
	const readmeOf = (folder: string) => fs.readFileSync(path.join(packaging.STAGE, folder, 'README.md'), 'utf8');

	test.each(folders)('%s: its own README, with its name, how to install it and no link into files the package does not carry', (folder) => {
		const text = readmeOf(folder);
		const { name } = packaging.manifest(folder);
		expect(text.startsWith(`# ${name}\n`)).toBe(true);
		expect(text).toContain(name.includes('sandbox') ? `npx ${name}` : `npm install ${name}`);
		expect(text).not.toMatch(/\]\((?!https?:|mailto:)[^)]+\)|<img src="(?!https?:)/);
	});

	test('a provider package names its own provider and operations, and none of the others', () => {
		for (const provider of PROVIDERS) {
			const text = readmeOf(`n8n-nodes-${provider.slug}`);
			expect(text).toContain(`| ${provider.label} | ${provider.operations.map((op) => op.name).join(' · ')} |`);
			for (const other of PROVIDERS.filter((p) => p !== provider)) expect(text).not.toContain(`| ${other.label} |`);
		}
	});

	test('the result contract and the sandbox accounts come from the repository README, word for word', () => {
		expect(readmeOf('n8n-nodes-otpflow')).toContain(readme.slice(readme.indexOf('## The result every node returns'), readme.indexOf('### Statuses')));
		expect(readmeOf('sandbox')).toContain('| Capillary | `http://127.0.0.1:4010/capillary` |');
	});
});

describe('n8n credentials', () => {
	test('name their documentation as a literal (n8n reads it without running code) equal to the provider description', () => {
		for (const provider of PROVIDERS) {
			const file = allN8n.n8n!.credentials.find((f) => fs.readFileSync(source(f), 'utf8').includes(`name = '${provider.credential.name}'`))!;
			expect(fs.readFileSync(source(file), 'utf8')).toContain(`documentationUrl = '${provider.credential.documentationUrl}';`);
		}
	});
});

describe('README', () => {
	test('names every provider operation, every status and every package', () => {
		for (const provider of PROVIDERS) for (const op of provider.operations) expect(readme).toContain(op.name);
		for (const status of STATUSES) expect(readme).toContain(`\`${status}\``);
		for (const { pkg } of manifests) expect(readme).toContain(pkg.name);
	});
});
