/** Our n8n node types, found through package.json's n8n section as n8n finds them; shared by the template and journey generators. */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './write';

export interface NodeType {
	/** `<package name>.<node name>` */
	type: string;
	version: number;
}

interface NodeClass {
	new (): { description: { name: string; version: number | number[]; credentials?: Array<{ name: string }> } };
}

/** Our n8n node type per credential name. */
export function n8nNodeTypes(): Map<string, NodeType> {
	// The all-provider n8n package: the templates are written for it.
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'packages', 'n8n-nodes-otpflow', 'package.json'), 'utf8')) as {
		name: string;
		n8n: { nodes: string[] };
	};
	const types = new Map<string, NodeType>();
	for (const file of pkg.n8n.nodes) {
		// dist/nodes/<P>/<P>.node.js is ../nodes/<P>/<P>.node beside this folder, compiled or not: never dist/ from source.
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const mod = require(path.join(__dirname, '..', file.replace(/^dist\//, '').replace(/\.js$/, ''))) as Record<string, unknown>;
		for (const Cls of Object.values(mod)) {
			if (typeof Cls !== 'function') continue;
			const description = new (Cls as NodeClass)().description;
			const version = Array.isArray(description.version) ? Math.max(...description.version) : description.version;
			for (const c of description.credentials ?? []) types.set(c.name, { type: `${pkg.name}.${description.name}`, version });
		}
	}
	return types;
}
