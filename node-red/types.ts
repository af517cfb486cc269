/**
 * The slice of Node-RED's runtime API these nodes use. Declared here because Node-RED ships no
 * types and @types/node-red is not a dependency; kept minimal so it holds for Node-RED 4 and 5.
 */

export type NodeMessage = Record<string, unknown> & { payload?: unknown; _msgid?: string };

export interface NodeStatus {
	fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
	shape?: 'ring' | 'dot';
	text?: string;
}

export type SendFn = (msg: NodeMessage | Array<NodeMessage | null>) => void;
export type DoneFn = (err?: Error) => void;

/** A node's flow definition: its editor properties, keyed by name. */
export interface NodeDef {
	id: string;
	type: string;
	name?: string;
	[property: string]: unknown;
}

export interface RedNode {
	id: string;
	type: string;
	name?: string;
	credentials?: Record<string, unknown>;
	on(event: 'input', listener: (msg: NodeMessage, send: SendFn, done: DoneFn) => void): void;
	on(event: 'close', listener: (removed: boolean, done: () => void) => void): void;
	status(status: NodeStatus | Record<string, never>): void;
	log(message: string): void;
	warn(message: string): void;
	error(message: string | Error, msg?: NodeMessage): void;
}

/** The slice of an express request and response the admin endpoints use. */
export interface AdminRequest {
	body?: unknown;
}
export interface AdminResponse {
	status(code: number): AdminResponse;
	json(body: unknown): void;
}
export type AdminHandler = (req: AdminRequest, res: AdminResponse, next: (err?: unknown) => void) => void;

export type EvaluateCallback = (err: Error | null | undefined, value?: unknown) => void;

export interface NodeAPI {
	nodes: {
		createNode(node: object, def: NodeDef): void;
		registerType(
			type: string,
			constructor: (this: RedNode, def: NodeDef) => void,
			options?: { credentials?: Record<string, { type: 'text' | 'password' }> },
		): void;
		getNode(id: string): RedNode | null;
		/** A deployed node's stored credentials (decrypted), or undefined. */
		getCredentials?(id: string): Record<string, unknown> | undefined;
	};
	/** The editor's admin HTTP app (express); absent in stand-ins. */
	httpAdmin?: { post(path: string, ...handlers: AdminHandler[]): void };
	auth?: { needsPermission(permission: string): AdminHandler };
	util: {
		evaluateNodeProperty(value: unknown, type: string, node: RedNode, msg: NodeMessage, callback: EvaluateCallback): void;
	};
}
