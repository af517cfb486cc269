/** What every iServeU DMT Lite call shares: one base path, a POST with a JSON body, the client's own parameters. */
import { joinUrl, type OperationInput, type Params } from '../../core';

const PATH = 'common/dmt-lite/unified';

export const post = (input: OperationInput, call: string, body: Record<string, unknown>) => ({
	method: 'POST' as const,
	url: joinUrl(input.account.baseUrl, `${PATH}/${call}`),
	body: Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)),
});

export const pickClientParams = (p: Params) => ({ paramA: p.paramA, paramB: p.paramB, paramC: p.paramC });
