/**
 * The committed examples and templates are exactly what scripts/generate-examples.js makes from the
 * current node descriptions, so they cannot drift from the nodes.
 */
import { ROOT, generator, model } from './support';

const FIX = 'Run `npm run build && node scripts/generate-examples.js` and commit the result.';

describe('generated examples and templates', () => {
	const files: Map<string, string> = generator.generateAll(model());

	it('covers every operation of every provider in both runtimes', () => {
		const m = model();
		for (const p of m.providers) {
			expect(files.has(`examples/${p.slug}/00-full-chain.json`)).toBe(true);
			expect(files.has(`templates/n8n/${p.slug}-chain.json`)).toBe(true);
			p.operations.forEach((op: { id: string }, i: number) => {
				const kebab = m.names.kebab(op.id);
				expect(files.has(`examples/${p.slug}/${String(i + 1).padStart(2, '0')}-${kebab}.json`)).toBe(true);
				expect(files.has(`templates/n8n/${p.slug}-${kebab}.json`)).toBe(true);
			});
		}
		expect(files.has('templates/n8n/credentials.sandbox.json')).toBe(true);
	});

	it('is deterministic', () => {
		const again: Map<string, string> = generator.generateAll(model());
		expect([...again.entries()]).toEqual([...files.entries()]);
	});

	it('matches the committed files (no missing, changed or stale file)', () => {
		const diff = generator.compare(ROOT, files);
		const problems = [
			...diff.missing.map((f: string) => `missing: ${f}`),
			...diff.changed.map((f: string) => `out of date: ${f}`),
			...diff.stale.map((f: string) => `no longer generated: ${f}`),
		];
		if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${FIX}`);
	});

	it('writes 2-space JSON with a trailing newline', () => {
		for (const content of files.values()) {
			expect(content.endsWith('}\n') || content.endsWith(']\n')).toBe(true);
			expect(content).toBe(`${JSON.stringify(JSON.parse(content), null, 2)}\n`);
		}
	});

	it('never puts a secret into a Node-RED example', () => {
		const m = model();
		const secrets: string[] = [];
		for (const p of m.providers) {
			const creds = generator.configCredentials(m, p, generator.DEFAULT_SANDBOX_URL);
			secrets.push(...(Object.values(creds) as string[]));
		}
		expect(secrets.length).toBeGreaterThan(0);
		for (const [file, content] of files) {
			if (!file.startsWith('examples/')) continue;
			const flow = JSON.parse(content);
			for (const node of flow) {
				expect(node.credentials).toBeUndefined();
				for (const [key, value] of Object.entries(node)) {
					// Comments may name the public sandbox secret for the user to type; node settings never hold it.
					if (node.type === 'comment' && (key === 'info' || key === 'name')) continue;
					for (const s of secrets) expect(JSON.stringify(value)).not.toContain(s);
				}
			}
		}
	});
});
