/**
 * How big a node looks on each editor's canvas, estimated from its label, so the generators can lay flows out without
 * overlaps and test/examples/geometry.test.ts can check they did. Nothing here knows our node types.
 *
 * Node-RED (@node-red/editor-client, view.js calculateNodeDimensions): x, y are the node's centre; width
 * max(100, 20·⌈(label width + 50 + (inputs > 0 ? 7 : 0)) / 20⌉), height max(30, 6 + 24·lines, 15·outputs); the label is
 * 14px Helvetica Neue / Arial. A comment shows only its name (its `info` is in the sidebar).
 *
 * n8n (canvas v2): position is the node's top-left corner; a node is a 100×100 square that grows 32px per output or
 * input beyond two, its name is printed centred below it (about two 14px lines); a sticky note is `width` × `height`
 * from its position and shows its Markdown content inside.
 */

/** Helvetica/Arial advance widths per 1000 em for printable ASCII (32…126), from the standard Helvetica metrics. */
const HELVETICA = [
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584,
	556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278,
	469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260,
	334, 584,
];

/** Fallback fonts (DejaVu Sans, Liberation Sans) run a little wider than Helvetica: estimates are padded by this. */
const FONT_SLACK = 1.1;

/** The width in px of one line of text at `size` px. */
export function textWidth(text: string, size = 14): number {
	let units = 0;
	for (const ch of text) {
		const code = ch.codePointAt(0)!;
		units += code >= 32 && code <= 126 ? HELVETICA[code - 32] : 1000; // arrows, dots and the rest: one em, to be safe
	}
	return (units * size * FONT_SLACK) / 1000;
}

export interface Box {
	left: number;
	top: number;
	right: number;
	bottom: number;
}

export const overlaps = (a: Box, b: Box, margin = 0) =>
	a.left < b.right + margin && b.left < a.right + margin && a.top < b.bottom + margin && b.top < a.bottom + margin;

// ---------------------------------------------------------------------------------------------------
// Node-RED
// ---------------------------------------------------------------------------------------------------

export const NODE_RED_GRID = 20;

/** The side of Node-RED's default workspace (RED.view space_width / space_height). */
export const NODE_RED_CANVAS = 8000;

/** Core node types with no input port. */
const NO_INPUT = new Set(['inject', 'http in', 'comment', 'catch', 'status', 'complete', 'link in', 'tab', 'group']);

interface NodeRedLike {
	type: string;
	name?: unknown;
	x?: number;
	y?: number;
	wires?: unknown[];
	[key: string]: unknown;
}

/** The label Node-RED prints on a node: its name, or what the core node shows without one. */
export function nodeRedLabel(node: NodeRedLike): string {
	if (typeof node.name === 'string' && node.name !== '') return node.name;
	if (node.type === 'http in') return `[${String(node.method)}] ${String(node.url ?? '')}`;
	if (node.type === 'http response') return `http${node.statusCode ? ` (${String(node.statusCode)})` : ''}`;
	return node.type;
}

/** Width and height of a Node-RED node as the editor draws it. */
export function nodeRedSize(node: NodeRedLike): { w: number; h: number } {
	const lines = nodeRedLabel(node).split('\\n');
	const label = Math.max(...lines.map((l) => textWidth(l)));
	const inputs = NO_INPUT.has(node.type) ? 0 : 1;
	const w = Math.max(100, NODE_RED_GRID * Math.ceil((label + 50 + (inputs > 0 ? 7 : 0)) / NODE_RED_GRID));
	const h = Math.max(30, 6 + 24 * lines.length, 15 * (node.wires?.length ?? 0));
	return { w, h };
}

export function nodeRedBox(node: NodeRedLike & { x: number; y: number }): Box {
	const { w, h } = nodeRedSize(node);
	return { left: node.x - w / 2, top: node.y - h / 2, right: node.x + w / 2, bottom: node.y + h / 2 };
}

// ---------------------------------------------------------------------------------------------------
// n8n
// ---------------------------------------------------------------------------------------------------

export const N8N_NODE = 100;
/** Room for a node's name below it: two 14px lines. */
export const N8N_LABEL = 44;
export const N8N_STICKY = 'n8n-nodes-base.stickyNote';

interface N8nLike {
	name: string;
	type: string;
	position: [number, number];
	parameters: Record<string, unknown>;
}

/** The ports on the taller side of a node (its inputs or outputs), from the workflow's connections and its parameters. */
export function n8nPorts(node: N8nLike, connections: Record<string, { main: unknown[][] }>): number {
	const outputs = connections[node.name]?.main?.length ?? 1;
	const rules = (node.parameters.rules as { values?: unknown[] } | undefined)?.values?.length;
	const fallback = (node.parameters.options as { fallbackOutput?: unknown } | undefined)?.fallbackOutput;
	const declared = rules === undefined ? 0 : rules + (fallback === 'extra' ? 1 : 0);
	return Math.max(1, outputs, declared);
}

/** The node's square and its name below it; a sticky note's rectangle. */
export function n8nBox(node: N8nLike, connections: Record<string, { main: unknown[][] }> = {}): Box {
	const [x, y] = node.position;
	if (node.type === N8N_STICKY) {
		const w = Number(node.parameters.width ?? 240);
		const h = Number(node.parameters.height ?? 160);
		return { left: x, top: y, right: x + w, bottom: y + h };
	}
	const h = N8N_NODE + Math.max(0, n8nPorts(node, connections) - 2) * 32;
	const label = Math.max(N8N_NODE, textWidth(node.name));
	const centre = x + N8N_NODE / 2;
	return { left: centre - label / 2, top: y, right: centre + label / 2, bottom: y + h + N8N_LABEL };
}

/**
 * The height a sticky note needs for its Markdown at `width`: 14px text on 21px lines, headings 28px, 16px padding, a
 * blank line between paragraphs. Lines wrap at word boundaries.
 */
export function stickyHeight(content: string, width: number): number {
	const inner = width - 32;
	let height = 32;
	for (const raw of content.split('\n')) {
		const heading = /^#{1,6}\s/.test(raw);
		const text = raw.replace(/^#{1,6}\s/, '').replace(/\*\*|`/g, '');
		if (text.trim() === '') {
			height += 10;
			continue;
		}
		const size = heading ? 20 : 14;
		let lines = 1;
		let line = 0;
		for (const word of text.split(/\s+/)) {
			const w = textWidth(`${word} `, size);
			if (line > 0 && line + w > inner) {
				lines++;
				line = 0;
			}
			line += w;
		}
		height += lines * (heading ? 28 : 21) + (heading ? 8 : 4);
	}
	return height;
}
