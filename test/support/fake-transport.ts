import type { HttpRequest, HttpResponse, Transport } from '../../nodes/core';

/** Records requests and answers with a canned response: for unit tables only (real HTTP is tested against the sandbox). */
export class FakeTransport implements Transport {
	readonly sent: HttpRequest[] = [];
	constructor(private readonly answer: (req: HttpRequest) => HttpResponse | Promise<HttpResponse> = () => json(200, {})) {}
	async send(request: HttpRequest): Promise<HttpResponse> {
		this.sent.push(request);
		return this.answer(request);
	}
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
	return { status, headers: { 'content-type': 'application/json', ...headers }, text: JSON.stringify(body) };
}

/** A local refusal: nothing sent, invalid_request, exactly `field` named with its rule. */
export function expectRejectedLocally(
	outcome: { result: { ok: boolean; status: string; retryable: boolean; message: string; errors?: Array<{ field: string }> }; transport: FakeTransport },
	field: string,
	rule: string,
): void {
	expect(outcome.transport.sent).toHaveLength(0);
	expect(outcome.result).toMatchObject({ ok: false, status: 'invalid_request', retryable: false });
	expect(outcome.result.errors?.map((e) => e.field)).toEqual([field]);
	expect(outcome.result.message).toContain(`(${field})`);
	expect(outcome.result.message).toContain(rule);
}
