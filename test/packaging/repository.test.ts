/**
 * Each n8n package's own repository (packaging/repository.js): what a release writes into otpflow/<folder>, how it is
 * pushed, and the checks `npm run lint` runs on it (packaging/rules, packaging/scan.js). Needs `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ESLint } from 'eslint';
import { parse } from 'yaml';
import { PROVIDERS } from '../../nodes/providers';

interface Manifest {
	name: string;
	version: string;
	repository?: { type?: string; url?: string; directory?: unknown };
	n8n?: { nodes: string[]; credentials: string[] };
}
const packaging = require('../../packaging') as {
	ROOT: string;
	STAGE: string;
	folders(): string[];
	manifest(folder: string): Manifest;
	contents(folder: string): { files: string[] };
	codexFor(pkg: Manifest, text: string): string;
};
const repository = require('../../packaging/repository') as {
	TEMPLATES: string;
	n8nFolders(): string[];
	repositoryUrl(folder: string): string;
	sources(pkg: Manifest): string[];
	writeRepository(folder: string, out: string, options?: { withPackage?: boolean }): string;
	repositoryProblems(dir: string, folder: string): string[];
	pushRepository(dir: string, remote: string, tag: string, options?: { message?: string }): { pushed: boolean; tag: string; commit?: string };
	remoteOf(folder: string, env: Record<string, string | undefined>): string;
	listFiles(dir: string): string[];
};
const rules = require('../../packaging/rules') as {
	manifestConfig(files?: string[]): object;
	lintManifest(dir: string): Promise<{ errorCount: number; messages: string[] }>;
};
const { problemCounts } = require('../../packaging/scan') as { problemCounts(output: string): { errors: number; warnings: number } };

const root = packaging.ROOT;
const n8nFolders = repository.n8nFolders();
const temporary: string[] = [];
function tmp(label: string): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `otpflow-${label}-`));
	temporary.push(dir);
	return dir;
}
afterAll(() => {
	for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});
const writeJson = (file: string, value: unknown) => {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
};
function git(args: string[], cwd: string): string {
	const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
	return r.stdout.trim();
}

describe("each n8n package's repository", () => {
	test('the six n8n packages each have one, named after the package folder; the Node-RED package and the sandbox do not', () => {
		expect(n8nFolders).toEqual(['n8n-nodes-aopay', 'n8n-nodes-bos', 'n8n-nodes-capillary', 'n8n-nodes-iserveu', 'n8n-nodes-otpflow', 'n8n-nodes-summitai']);
		expect(repository.repositoryUrl('n8n-nodes-bos')).toBe('git+https://github.com/otpflow/n8n-nodes-bos.git');
		expect(() => repository.writeRepository('node-red-otpflow', tmp('nr'))).toThrow(/is not an n8n package: it is published from this repository/);
	});

	test.each(n8nFolders)('%s: its sources are the TypeScript behind every compiled file the package ships, with their icons and codex', (folder) => {
		const sources = repository.sources(packaging.manifest(folder));
		const shipped = packaging
			.contents(folder)
			.files.map((f) => path.relative(root, f).split(path.sep).join('/'))
			.map((f) => f.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
		expect(sources.filter((f) => !shipped.includes(f))).toEqual([]); // nothing the package does not ship
		expect(shipped.filter((f) => !sources.includes(f))).toEqual([]); // and nothing left out
		expect(sources.filter((f) => !/^(nodes|credentials|icons)\//.test(f))).toEqual([]);
	});

	test.each(PROVIDERS.map((p) => p.slug))("n8n-nodes-%s: its repository's sources hold that provider alone", (slug) => {
		const sources = repository.sources(packaging.manifest(`n8n-nodes-${slug}`));
		const providerFolders = new Set(sources.filter((f) => f.startsWith('nodes/providers/')).map((f) => f.split('/')[2]));
		expect(providerFolders.size).toBe(1);
		expect(sources.filter((f) => f.startsWith('credentials/'))).toHaveLength(1);
	});

	test.each(n8nFolders)(
		'%s: the package at the root (manifest, README, LICENSE, dist/), the sources, the lint config and the publishing workflow',
		(folder) => {
			const dir = repository.writeRepository(folder, tmp(folder));
			const files = repository.listFiles(dir);
			const staged = repository.listFiles(path.join(packaging.STAGE, folder));
			expect(files.filter((f) => !staged.includes(f) && !repository.sources(packaging.manifest(folder)).includes(f)).sort()).toEqual([
				'.github/workflows/publish.yml',
				'.gitignore',
				'eslint.config.mjs',
			]);
			expect(staged.every((f) => files.includes(f))).toBe(true);
			expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))).toEqual(packaging.manifest(folder));
			// `n8n-node lint` in strict mode refuses any other eslint.config.mjs than the CLI's own template.
			expect(fs.readFileSync(path.join(dir, 'eslint.config.mjs'), 'utf8')).toBe("import { config } from '@n8n/node-cli/eslint';\n\nexport default config;\n");
			expect(repository.repositoryProblems(dir, folder)).toEqual([]);
		},
	);

	test.each(n8nFolders)('%s: each codex file, shipped and in the sources, names the node type this package registers', (folder) => {
		const pkg = packaging.manifest(folder);
		const dir = repository.writeRepository(folder, tmp(`${folder}-codex`));
		for (const node of pkg.n8n!.nodes) {
			const [NodeClass] = Object.values(require(path.join(root, node)) as Record<string, new () => { description: { name: string } }>);
			const { name } = new NodeClass().description;
			for (const codex of [node, node.replace(/^dist\//, '')].map((f) => path.join(dir, f.replace(/\.js$/, '.json')))) {
				expect(JSON.parse(fs.readFileSync(codex, 'utf8')).node).toBe(`${pkg.name}.${name}`);
			}
		}
	});

	test.each(n8nFolders)('%s: npm publishes from its root exactly the staged package that the tests checked', (folder) => {
		const dir = repository.writeRepository(folder, tmp(`${folder}-pack`));
		const packed = (cwd: string) => {
			const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd, encoding: 'utf8' });
			return (JSON.parse(r.stdout.slice(r.stdout.indexOf('[')))[0].files as { path: string }[]).map((f) => f.path).sort();
		};
		expect(packed(dir)).toEqual(packed(path.join(packaging.STAGE, folder)));
	});
});

describe('what keeps n8n from finding the package at the root', () => {
	function written(folder: string, change: (pkg: Manifest) => Manifest = (pkg) => pkg) {
		const dir = repository.writeRepository(folder, tmp(`${folder}-broken`), { withPackage: false });
		writeJson(path.join(dir, 'package.json'), change(packaging.manifest(folder)));
		return dir;
	}

	test('another repository than its own fails: provenance would name one repository and the manifest another', () => {
		const dir = written('n8n-nodes-capillary', (pkg) => ({ ...pkg, repository: { type: 'git', url: 'git+https://github.com/otpflow/otpflow.git' } }));
		expect(repository.repositoryProblems(dir, 'n8n-nodes-capillary')).toEqual([
			'n8n-nodes-capillary/package.json: repository.url is "git+https://github.com/otpflow/otpflow.git", not its own repository git+https://github.com/otpflow/n8n-nodes-capillary.git',
		]);
	});

	test('a second package.json below the root fails, naming it; none at the root fails too', () => {
		const dir = written('n8n-nodes-summitai');
		writeJson(path.join(dir, 'packages', 'n8n-nodes-summitai', 'package.json'), packaging.manifest('n8n-nodes-summitai'));
		expect(repository.repositoryProblems(dir, 'n8n-nodes-summitai')).toEqual([
			'n8n-nodes-summitai/packages/n8n-nodes-summitai/package.json: a second package.json in the repository; the manifest belongs at the root only',
		]);
		fs.rmSync(path.join(dir, 'package.json'));
		expect(repository.repositoryProblems(dir, 'n8n-nodes-summitai')).toEqual(['n8n-nodes-summitai: no package.json at the root of its repository']);
	});
});

describe("our copy of n8n's no-monorepo rule", () => {
	const lint = async (manifest: unknown, filePath = 'package.json') => {
		const eslint = new ESLint({
			cwd: root,
			overrideConfigFile: true,
			allowInlineConfig: false,
			overrideConfig: [rules.manifestConfig(['**/*.json'])] as never,
		});
		const [result] = await eslint.lintText(JSON.stringify(manifest, null, 2), { filePath: path.join(root, filePath) });
		return result.messages.map((m) => ({ rule: m.ruleId, line: m.line, message: m.message }));
	};

	test('a repository.directory is an error at its line, naming the directory', async () => {
		expect(await lint({ name: 'n8n-nodes-x', repository: { type: 'git', url: 'git+https://github.com/o/r.git', directory: 'packages/x' } })).toEqual([
			{
				rule: 'otpflow-n8n/no-monorepo',
				line: 6,
				message:
					'repository.directory is "packages/x": n8n verifies a community package only at the root of its own repository, so a package in a monorepo folder cannot be verified.',
			},
		]);
	});

	test('a directory that is not a string is an error too', async () => {
		expect(await lint({ repository: { directory: ['packages', 'x'] } })).toHaveLength(1);
	});

	test('passes without repository, with a repository string or without directory, and with the root as directory', async () => {
		for (const manifest of [
			{ name: 'n8n-nodes-x' },
			{ repository: 'github:o/r' },
			{ repository: { type: 'git', url: 'git+https://github.com/o/r.git' } },
			...['.', './', './.'].map((directory) => ({ repository: { directory } })),
		]) {
			expect(await lint(manifest)).toEqual([]);
		}
	});

	test('reads package.json only', async () => {
		expect(await lint({ repository: { directory: 'packages/x' } }, 'other.json')).toEqual([]);
	});

	test("every n8n package's manifest passes it; the manifest it used to have fails it, naming the file", async () => {
		for (const folder of n8nFolders) expect(await rules.lintManifest(path.join(root, 'packages', folder))).toEqual({ errorCount: 0, messages: [] });
		const dir = tmp('monorepo-manifest');
		const pkg = packaging.manifest('n8n-nodes-iserveu');
		writeJson(path.join(dir, 'package.json'), { ...pkg, repository: { ...pkg.repository, directory: 'packages/n8n-nodes-iserveu' } });
		const { errorCount, messages } = await rules.lintManifest(dir);
		expect(errorCount).toBe(1);
		expect(messages[0]).toMatch(
			new RegExp(`^${path.join(dir, 'package.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ repository\\.directory is "packages/n8n-nodes-iserveu"`),
		);
	});
});

describe('pushing a release into a repository', () => {
	function release(files: Record<string, string>) {
		const dir = tmp('tree');
		for (const [rel, text] of Object.entries(files)) {
			fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
			fs.writeFileSync(path.join(dir, rel), text);
		}
		return dir;
	}
	function bareRemote() {
		const remote = path.join(tmp('remote'), 'n8n-nodes-bos.git');
		git(['init', '--quiet', '--bare', remote], os.tmpdir());
		return remote;
	}
	const treeAt = (remote: string, ref: string) => git(['ls-tree', '-r', '--name-only', ref], remote).split('\n');

	test('the first release creates main with one commit holding the tree, tagged with the version', () => {
		const remote = bareRemote();
		const r = repository.pushRepository(release({ 'package.json': '{}\n', 'dist/a.js': 'a\n' }), remote, 'v0.1.0', { message: 'Release v0.1.0' });
		expect(r).toMatchObject({ pushed: true, tag: 'v0.1.0' });
		expect(git(['rev-parse', 'main'], remote)).toBe(r.commit);
		expect(git(['rev-parse', 'v0.1.0^{commit}'], remote)).toBe(r.commit);
		expect(git(['log', '--format=%s', 'main'], remote)).toBe('Release v0.1.0');
		expect(treeAt(remote, 'v0.1.0')).toEqual(['dist/a.js', 'package.json']);
	});

	test('the next release is a commit on top with exactly the new tree: removed files are gone', () => {
		const remote = bareRemote();
		repository.pushRepository(release({ 'package.json': '{}\n', 'dist/a.js': 'a\n' }), remote, 'v0.1.0');
		repository.pushRepository(release({ 'package.json': '{"v":2}\n', 'dist/b.js': 'b\n' }), remote, 'v0.2.0');
		expect(git(['log', '--format=%s', 'main'], remote).split('\n')).toEqual(['Release v0.2.0', 'Release v0.1.0']);
		expect(treeAt(remote, 'v0.2.0')).toEqual(['dist/b.js', 'package.json']);
		expect(treeAt(remote, 'v0.1.0')).toEqual(['dist/a.js', 'package.json']);
	});

	test('a re-run with the same tree changes nothing; the same tag with other contents is refused', () => {
		const remote = bareRemote();
		repository.pushRepository(release({ 'package.json': '{}\n' }), remote, 'v0.1.0');
		const before = git(['rev-parse', 'main'], remote);
		expect(repository.pushRepository(release({ 'package.json': '{}\n' }), remote, 'v0.1.0')).toEqual({ pushed: false, tag: 'v0.1.0' });
		expect(git(['rev-parse', 'main'], remote)).toBe(before);
		expect(() => repository.pushRepository(release({ 'package.json': '{"changed":true}\n' }), remote, 'v0.1.0')).toThrow(
			/already has v0\.1\.0 with other contents: a released version is never replaced/,
		);
	});

	test('a push that fails says why without the token its address carries', () => {
		const push = () =>
			repository.pushRepository(release({ 'package.json': '{}\n' }), 'https://x-access-token:s3cr3t-t0k@127.0.0.1:1/otpflow/n8n-nodes-bos.git', 'v0.1.0');
		expect(push).toThrow(/failed in/);
		expect(push).not.toThrow(/s3cr3t-t0k/);
	});

	test('pushes to GitHub with the token, or to a local folder in tests, and refuses to start without either', () => {
		expect(repository.remoteOf('n8n-nodes-bos', { RELEASE_REPOSITORIES_TOKEN: 't0k' })).toBe('https://x-access-token:t0k@github.com/otpflow/n8n-nodes-bos.git');
		expect(repository.remoteOf('n8n-nodes-bos', { RELEASE_REPOSITORY_BASE: '/tmp/r/' })).toBe('/tmp/r/n8n-nodes-bos.git');
		expect(() => repository.remoteOf('n8n-nodes-bos', {})).toThrow(/RELEASE_REPOSITORIES_TOKEN is not set/);
	});
});

describe("the repositories' publishing workflow", () => {
	interface Step {
		uses?: string;
		run?: string;
		with?: Record<string, unknown>;
		env?: Record<string, string>;
	}
	const workflow = parse(fs.readFileSync(path.join(repository.TEMPLATES, 'publish.yml'), 'utf8')) as {
		on: { push: { tags: string[] } };
		permissions: Record<string, string>;
		jobs: Record<string, { permissions: Record<string, string>; steps: Step[] }>;
	};
	const job = workflow.jobs.publish;
	const runs = job.steps.filter((s) => s.run).map((s) => s.run as string);

	test('runs on a version tag only, with read-only contents and the OIDC token provenance needs', () => {
		expect(workflow.on).toEqual({ push: { tags: ['v*'] } });
		expect(workflow.permissions).toEqual({ contents: 'read' });
		expect(Object.keys(workflow.jobs)).toEqual(['publish']);
		expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
		expect(job.steps.find((s) => s.uses?.startsWith('actions/setup-node'))?.with?.['registry-url']).toBe('https://registry.npmjs.org');
	});

	test('checks that the tag names the version, then publishes the package at the root once, with provenance, building nothing', () => {
		expect(runs).toEqual([
			'test "${GITHUB_REF_NAME}" = "v$(node -p \'require("./package.json").version\')"',
			'npm publish --provenance --access public --ignore-scripts',
		]);
		expect(job.steps.find((s) => s.run?.startsWith('npm publish'))?.env).toEqual({ NODE_AUTH_TOKEN: '${{ secrets.NPM_TOKEN }}' });
	});

	test('the tag check passes for v + the version and fails otherwise', () => {
		const dir = tmp('tag');
		writeJson(path.join(dir, 'package.json'), { version: '1.2.3' });
		const check = (tag: string) => spawnSync('bash', ['-c', runs[0]], { cwd: dir, env: { ...process.env, GITHUB_REF_NAME: tag } }).status;
		expect(check('v1.2.3')).toBe(0);
		expect(check('v1.2.4')).toBe(1);
	});
});

describe("reading n8n-node lint's summary", () => {
	test('counts errors and warnings through its colours; none when it prints no summary', () => {
		expect(problemCounts('\x1b[31m\x1b[1m✖ 3 problems (2 errors, 1 warning)\x1b[22m\x1b[39m')).toMatchObject({ errors: 2, warnings: 1 });
		expect(problemCounts('✖ 1 problem (1 error, 0 warnings)')).toMatchObject({ errors: 1, warnings: 0 });
		expect(problemCounts('┌   n8n-node lint  v0.48.3')).toMatchObject({ errors: 0, warnings: 0 });
	});
});
