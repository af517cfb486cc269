/**
 * The shipped flows look laid out by hand: in every Node-RED example (examples/**, and the tabs `npm start` deploys) and
 * every n8n template (templates/n8n/**) no two nodes overlap, nothing leaves the canvas, comments and sticky notes hold
 * their text, and what the user reads as a title reads as words, not as a file name.
 *
 * Sizes are estimated as each editor computes them (generate/layout.ts). The canvas rule: every box, labels included,
 * lies at x ≥ 0 and y ≥ 0 (Node-RED cannot scroll left of 0; n8n could, but the templates keep to the same rule), and
 * inside Node-RED's 8000 × 8000 workspace.
 */
import { NODE_RED_CANVAS, N8N_STICKY, n8nBox, nodeRedBox, nodeRedLabel, overlaps, stickyHeight, textWidth, type Box } from '../../generate/layout';
import { filesUnder, generator, readJson, type Json } from './support';

/** Boxes closer than this touch. */
const NODE_RED_MARGIN = 10;
const N8N_MARGIN = 20;
/** A comment's name is a title on the canvas; the text belongs in its info (the sidebar). */
const COMMENT_TITLE_PX = 420;
/** Something that reads as a file name, not as words. */
const FILE_NAME = /\b\d\d-[a-z][a-z-]*|\.json\b/i;

interface Placed {
	what: string;
	box: Box;
	/** A Node-RED group and the nodes in it share their space. */
	id?: string;
	group?: string;
}

function clashes(placed: Placed[], margin: number): string[] {
	const out: string[] = [];
	for (let i = 0; i < placed.length; i++) {
		for (let j = i + 1; j < placed.length; j++) {
			const [a, b] = [placed[i], placed[j]];
			if (a.group === b.id || b.group === a.id) continue;
			if (overlaps(a.box, b.box, margin)) out.push(`${a.what} × ${b.what}`);
		}
	}
	return out;
}

function offCanvas(placed: Placed[], max = Infinity): string[] {
	return placed.filter(({ box }) => box.left < 0 || box.top < 0 || box.right > max || box.bottom > max).map((p) => p.what);
}

const nodeRedFiles = filesUnder('examples');
const n8nFiles = filesUnder('templates/n8n').filter((f) => !f.endsWith('credentials.sandbox.json'));

/** Node-RED nodes with a place, by tab (`z`; an example file without tabs is one). */
function byTab(flow: Json[]): Map<string, Placed[]> {
	const tabs = new Map<string, Placed[]>();
	for (const n of flow) {
		if (typeof n.x !== 'number' || typeof n.y !== 'number') continue;
		const box: Box = n.type === 'group' ? { left: n.x, top: n.y, right: n.x + n.w, bottom: n.y + n.h } : nodeRedBox(n);
		const list = tabs.get(n.z ?? '') ?? [];
		list.push({ what: `${n.type} "${nodeRedLabel(n)}"`, box, id: n.id, group: n.g });
		tabs.set(n.z ?? '', list);
	}
	return tabs;
}

function nodeRedProblems(flow: Json[]): string[] {
	const problems: string[] = [];
	for (const placed of byTab(flow).values()) {
		problems.push(...clashes(placed, NODE_RED_MARGIN).map((c) => `overlap: ${c}`));
		problems.push(...offCanvas(placed, NODE_RED_CANVAS).map((w) => `off the canvas: ${w}`));
	}
	for (const c of flow.filter((n) => n.type === 'comment')) {
		const width = textWidth(nodeRedLabel(c));
		if (width > COMMENT_TITLE_PX) problems.push(`comment name too long for the canvas (${Math.round(width)} px): "${c.name}"`);
	}
	return problems;
}

function n8nProblems(wf: Json): string[] {
	const placed: Placed[] = wf.nodes.map((n: Json) => ({ what: `"${n.name}"`, box: n8nBox(n, wf.connections) }));
	const problems = [...clashes(placed, N8N_MARGIN).map((c) => `overlap: ${c}`), ...offCanvas(placed).map((w) => `off the canvas: ${w}`)];
	for (const n of wf.nodes.filter((x: Json) => x.type === N8N_STICKY)) {
		const need = stickyHeight(String(n.parameters.content ?? ''), Number(n.parameters.width));
		if (need > Number(n.parameters.height)) problems.push(`sticky "${n.name}" needs ${Math.round(need)} px, has ${n.parameters.height}`);
	}
	return problems;
}

describe('Node-RED examples: layout', () => {
	it.each(nodeRedFiles)('%s: no overlaps, on the canvas, short comment names', (file) => {
		expect(nodeRedProblems(readJson(file))).toEqual([]);
	});

	it('the tabs npm start deploys: no overlaps, on the canvas', () => {
		expect(nodeRedProblems(generator.seedFlows().flows)).toEqual([]);
	});
});

describe('n8n templates: layout', () => {
	it.each(n8nFiles)('%s: no overlaps, on the canvas, sticky notes fit their text', (file) => {
		expect(n8nProblems(readJson(file))).toEqual([]);
	});
});

describe('titles read as words', () => {
	it('Node-RED tab labels and comment names', () => {
		const flows = [...nodeRedFiles.map((f) => readJson(f) as Json[]), generator.seedFlows().flows];
		const titles = flows.flatMap((flow) => flow.filter((n) => n.type === 'tab' || n.type === 'comment').map((n) => String(n.label ?? n.name)));
		expect(titles.length).toBeGreaterThan(0);
		expect(titles.filter((t) => FILE_NAME.test(t))).toEqual([]);
	});

	it('Node-RED example file names (Import › Examples lists them), numbered in order as Node-RED names its own', () => {
		const names = nodeRedFiles.filter((f) => !generator.JOURNEY_DIRS.some((d) => f.startsWith(`${d}/`))).map((f) => f.split('/').pop()!.replace(/\.json$/, ''));
		expect(names.length).toBeGreaterThan(0);
		expect(names.filter((n) => FILE_NAME.test(n) || !/^\d\d - [A-Z]/.test(n))).toEqual([]);
	});

	it('n8n workflow names', () => {
		const names = n8nFiles.map((f) => String(readJson(f).name));
		expect(names.filter((t) => FILE_NAME.test(t))).toEqual([]);
	});
});
