/** What the iServeU DMT Lite calls share: one base path (the status enquiry has its own), a POST with a JSON body, the client's own parameters. */
import { joinUrl, type OperationInput, type Params } from '../../core';

const PATH = 'common/dmt-lite/unified';

/** A POST to a path below the account's base URL, without the fields left out. */
export const postTo = (input: OperationInput, path: string, body: Record<string, unknown>) => ({
	method: 'POST' as const,
	url: joinUrl(input.account.baseUrl, path),
	body: Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)),
});

export const post = (input: OperationInput, call: string, body: Record<string, unknown>) => postTo(input, `${PATH}/${call}`, body);

export const pickClientParams = (p: Params) => ({ paramA: p.paramA, paramB: p.paramB, paramC: p.paramC });
