/** The part of node-red-node-test-helper these tests use (it ships no types). */
declare module 'node-red-node-test-helper' {
	interface TestNode {
		on(event: 'input', listener: (msg: Record<string, unknown>) => void): void;
		receive(msg: Record<string, unknown>): void;
	}
	interface NodeTestHelper {
		init(runtimePath?: string, userSettings?: Record<string, unknown>): void;
		load(nodes: unknown, flow: unknown[], credentials?: Record<string, unknown>): Promise<void>;
		unload(): Promise<void>;
		getNode(id: string): TestNode;
		startServer(): Promise<void>;
		stopServer(): Promise<void>;
		log(): { args: unknown[][] };
	}
	const helper: NodeTestHelper;
	export = helper;
}
