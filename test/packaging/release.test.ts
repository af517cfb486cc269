/** The release workflow (.github/workflows/release.yml) cannot run here: its syntax and its promises are checked instead. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

const { versionProblems, publishedHere } = require('../../packaging/release') as { versionProblems(tag: string): string[]; publishedHere(): string[] };
const { n8nFolders, TEMPLATES } = require('../../packaging/repository') as { n8nFolders(): string[]; TEMPLATES: string };
const { folders } = require('../../packaging') as { folders(): string[] };

const root = path.join(__dirname, '..', '..');
const text = fs.readFileSync(path.join(root, '.github', 'workflows', 'release.yml'), 'utf8');

interface Step {
	uses?: string;
	run?: string;
	with?: Record<string, unknown>;
	env?: Record<string, string>;
}
interface Job {
	needs?: string;
	if?: string;
	'timeout-minutes'?: number;
	permissions?: Record<string, string>;
	steps: Step[];
}
const workflow = parse(text) as { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, Job> };
const runs = (job: Job) =>
	job.steps
		.map((s) => s.run)
		.filter(Boolean)
		.join('\n');

describe('the release workflow', () => {
	test('is valid YAML with a test job and a publish job', () => {
		expect(Object.keys(workflow.jobs)).toEqual(['test', 'publish']);
		expect(workflow.on).toHaveProperty('pull_request');
		expect((workflow.on.push as { tags: string[] }).tags).toEqual(['v*']);
		expect(workflow.permissions).toEqual({ contents: 'read' });
	});

	test('tests with exactly what CI runs here, on Node 20, with the runtime cache kept between runs, within 90 minutes', () => {
		const job = workflow.jobs.test;
		expect(runs(job)).toBe('bash .ci/run');
		expect(job.steps.find((s) => s.uses?.startsWith('actions/setup-node'))?.with?.['node-version']).toBe(20);
		expect(job.steps.find((s) => s.uses?.startsWith('actions/cache'))?.with?.path).toBe('~/.cache/otpflow');
		expect(job['timeout-minutes']).toBeLessThanOrEqual(90);
		for (const file of (job.steps.find((s) => s.uses?.startsWith('actions/cache'))?.with?.key as string).match(/'[^']+'/g) ?? []) {
			expect(fs.existsSync(path.join(root, file.slice(1, -1)))).toBe(true);
		}
	});

	test('releases only from a version tag, after the tests, with the OIDC token provenance needs, once the tag is checked', () => {
		const job = workflow.jobs.publish;
		expect(job.needs).toBe('test');
		expect(job.if).toBe("startsWith(github.ref, 'refs/tags/v')");
		expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
		const script = runs(job);
		expect(script).toContain('node packaging/release.js check "${GITHUB_REF_NAME}"');
		for (const later of ['repository.js write', 'repository.js push', 'npm run packages', 'npm publish']) {
			expect(script.indexOf('release.js check')).toBeLessThan(script.indexOf(later));
		}
	});

	test("writes each n8n package's own repository from this commit and pushes it with the tag, its workflow publishing it", () => {
		const job = workflow.jobs.publish;
		const script = runs(job);
		expect(script).toContain('node packaging/repository.js write dist/repositories');
		expect(script).toContain('node packaging/repository.js push dist/repositories "${GITHUB_REF_NAME}"');
		expect(script.indexOf('repository.js write')).toBeLessThan(script.indexOf('repository.js push'));
		const push = job.steps.find((s) => s.run?.includes('repository.js push'));
		expect(push?.env).toEqual({ RELEASE_REPOSITORIES_TOKEN: '${{ secrets.RELEASE_REPOSITORIES_TOKEN }}' });
		// That repository's workflow: one publish, with provenance (test/packaging/repository.test.ts reads it in full).
		const own = fs.readFileSync(path.join(TEMPLATES, 'publish.yml'), 'utf8');
		expect(own.match(/npm publish/g)).toEqual(['npm publish']);
		expect(own).toContain('npm publish --provenance --access public');
	});

	test('publishes the other packages from here, packed alone, each once, with provenance', () => {
		const job = workflow.jobs.publish;
		const script = runs(job);
		expect(script).toContain('npm run packages -- dist/tarballs --published-here');
		expect(script).toMatch(/for tarball in dist\/tarballs\/\*\.tgz; do\s+npm publish "\$tarball" --provenance --access public/);
		expect(script.match(/npm publish/g)).toEqual(['npm publish']);
		const publish = job.steps.find((s) => s.run?.includes('npm publish'));
		expect(publish?.env?.NODE_AUTH_TOKEN).toBe('${{ secrets.NPM_TOKEN }}');
	});

	test('every package is published exactly once: the n8n packages from their own repositories, the rest from here', () => {
		expect(publishedHere()).toEqual(['node-red-otpflow', 'sandbox']);
		expect(publishedHere().filter((f) => n8nFolders().includes(f))).toEqual([]);
		expect([...publishedHere(), ...n8nFolders()].sort()).toEqual(folders());
	});

	test('packing for the publish step leaves the n8n packages out (needs the build)', () => {
		const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-here-'));
		try {
			const r = spawnSync(process.execPath, [path.join(root, 'packaging', 'pack.js'), dest, '--published-here'], { encoding: 'utf8' });
			expect(r.status).toBe(0);
			const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
			expect(fs.readdirSync(dest).sort()).toEqual([`otpflow-node-red-otpflow-${version}.tgz`, `otpflow-sandbox-${version}.tgz`]);
		} finally {
			fs.rmSync(dest, { recursive: true, force: true });
		}
	});

	test('every script the workflow calls exists', () => {
		const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
		expect(pkg.scripts.packages).toBe('node packaging/pack.js');
		expect(pkg.scripts.build).toBeDefined();
		for (const file of ['.ci/run', 'packaging/release.js', 'packaging/pack.js', 'packaging/repository.js'])
			expect(fs.existsSync(path.join(root, file))).toBe(true);
	});
});

describe('the tag check before publishing', () => {
	test('passes for v + the version every package carries', () => {
		const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
		expect(versionProblems(`v${version}`)).toEqual([]);
	});

	test('fails for any other tag, saying what it expected', () => {
		expect(versionProblems('v99.0.0')).toEqual([expect.stringMatching(/^the tag v99\.0\.0 is not v\d+\.\d+\.\d+, the workspace's version$/)]);
	});
});
