/** The part of node-red-node-test-helper these tests use (it ships no types). */
declare module 'node-red-node-test-helper' {
	interface TestNode {
		on(event: 'input', listener: (msg: Record<string, unknown>) => void): void;
		receive(msg: Record<string, unknown>): void;
	}
	/** supertest against the runtime's admin app: a request is a thenable. */
	interface AdminCall extends PromiseLike<{ status: number; body: any }> {
		send(body: unknown): AdminCall;
		set(header: string, value: string): AdminCall;
	}
	interface NodeTestHelper {
		request(): { post(path: string): AdminCall; get(path: string): AdminCall };
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
