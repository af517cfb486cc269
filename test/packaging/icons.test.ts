/** Every provider is recognisable at a glance: its own icon in n8n (light and dark) and in Node-RED's palette. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PROVIDERS } from '../../nodes/providers';

const root = path.join(__dirname, '..', '..');
const icons = path.join(root, 'icons');
const digest = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

const sets = {
	'n8n light': (slug: string) => path.join(icons, `${slug}.svg`),
	'n8n dark': (slug: string) => path.join(icons, `${slug}.dark.svg`),
	'Node-RED': (slug: string) => path.join(icons, 'node-red', `${slug}.svg`),
};

describe.each(Object.entries(sets))('%s icons', (_set, file) => {
	test('one per provider, an SVG with a view box', () => {
		for (const p of PROVIDERS) {
			const text = fs.readFileSync(file(p.icon), 'utf8');
			expect(text).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* viewBox="0 0 \d+ \d+"/);
		}
	});

	test('no two providers share an icon', () => {
		const hashes = PROVIDERS.map((p) => digest(file(p.icon)));
		expect(new Set(hashes).size).toBe(PROVIDERS.length);
	});
});

test("n8n's light and dark icons differ for every provider", () => {
	for (const p of PROVIDERS) expect(digest(sets['n8n light'](p.icon))).not.toBe(digest(sets['n8n dark'](p.icon)));
});
