/**
 * The committed examples and templates are exactly what generate/examples.ts makes from the
 * current node descriptions, so they cannot drift from the nodes.
 */
import { kebab } from '../../node-red/names';
import { PROVIDERS } from '../../nodes/providers';
import { generator } from './support';

const FIX = 'Run `npm run build && npm run examples` and commit the result.';

describe('generated examples and templates', () => {
	const files = generator.generateAll();

	it('covers every operation of every provider in both runtimes', () => {
		for (const p of PROVIDERS) {
			expect(files.has(`examples/${p.slug}/${generator.CHAIN_TITLE}.json`)).toBe(true);
			expect(files.has(`templates/n8n/${p.slug}-chain.json`)).toBe(true);
			p.operations.forEach((op, i) => {
				expect(files.has(`examples/${p.slug}/${String(i + 1).padStart(2, '0')} - ${op.name}.json`)).toBe(true);
				expect(files.has(`templates/n8n/${p.slug}-${kebab(op.id)}.json`)).toBe(true);
			});
		}
		expect(files.has('templates/n8n/credentials.sandbox.json')).toBe(true);
	});

	it('is deterministic', () => {
		const again = generator.generateAll();
		expect([...again.entries()]).toEqual([...files.entries()]);
	});

	it('matches the committed files (no missing, changed or stale file)', () => {
		const problems = generator.outdated(files);
		if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${FIX}`);
	});

	it('writes 2-space JSON with a trailing newline', () => {
		for (const content of files.values()) {
			expect(content.endsWith('}\n') || content.endsWith(']\n')).toBe(true);
			expect(content).toBe(`${JSON.stringify(JSON.parse(content), null, 2)}\n`);
		}
	});

	it('never puts a secret into a Node-RED example', () => {
		const secrets: string[] = [];
		for (const p of PROVIDERS) secrets.push(...Object.values(generator.configCredentials(p, generator.DEFAULT_SANDBOX_URL)));
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
