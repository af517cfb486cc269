/** The release workflow (.github/workflows/release.yml) cannot run here: its syntax and its promises are checked instead. */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const { versionProblems } = require('../../packaging/release') as { versionProblems(tag: string): string[] };

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

	test('publishes only from a version tag, after the tests, every package, with provenance', () => {
		const job = workflow.jobs.publish;
		expect(job.needs).toBe('test');
		expect(job.if).toBe("startsWith(github.ref, 'refs/tags/v')");
		expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
		const script = runs(job);
		expect(script).toContain('node packaging/release.js check "${GITHUB_REF_NAME}"');
		expect(script).toContain('npm run packages -- dist/tarballs');
		expect(script).toMatch(/for tarball in dist\/tarballs\/\*\.tgz; do\s+npm publish "\$tarball" --provenance --access public/);
		expect(script.indexOf('release.js check')).toBeLessThan(script.indexOf('npm publish'));
		const publish = job.steps.find((s) => s.run?.includes('npm publish'));
		expect(publish?.env?.NODE_AUTH_TOKEN).toBe('${{ secrets.NPM_TOKEN }}');
	});

	test('every script the workflow calls exists', () => {
		const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
		expect(pkg.scripts.packages).toBe('node packaging/pack.js');
		expect(pkg.scripts.build).toBeDefined();
		for (const file of ['.ci/run', 'packaging/release.js', 'packaging/pack.js']) expect(fs.existsSync(path.join(root, file))).toBe(true);
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
