/**
 * A scripted OpenAI-compatible chat model on 127.0.0.1, for n8n's OpenAI Chat Model node (its credential's Base URL
 * points here): `POST /v1/chat/completions`, plain or streamed (server-sent events), and `GET /v1/models`.
 *
 * The script is a real agent's first move and its last, decided only from what n8n sends:
 *   1. no tool result yet: call the verify tool (the tool whose name starts with "Verify"), or, when the only tool
 *      is the gated action (a human-in-the-loop gate in front of it), call that;
 *   2. the verify tool's result says `verified`: call the action tool (the other one);
 *   3. any other verify result: answer the customer with that result's status and message, and call nothing;
 *   4. the action's result: answer that it is done; a refusal by n8n's human-in-the-loop gate: that it is not.
 * Every request is kept (`requests`), so a test reads exactly which tool results reached the model.
 * It stops by itself after `maxLifetimeMs`; every request is answered or ended within a few seconds.
 */
'use strict';

const http = require('node:http');

const HOST = '127.0.0.1';

function parseJson(text) {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** What the last tool result said: the JSON object n8n handed the model (itself, or the first item of a list). */
function toolResult(content) {
	const text = typeof content === 'string' ? content : Array.isArray(content) ? content.map((c) => c.text || '').join('') : '';
	const value = parseJson(text);
	const first = Array.isArray(value) ? value[0] : value;
	return { text, json: first && typeof first === 'object' ? first : undefined };
}

/** The next move of the script: `{ tool, args }` or `{ text }`. */
function decide(body) {
	const tools = (body.tools || []).map((t) => t.function || t);
	const names = tools.map((t) => t.name);
	const verify = names.find((n) => /^verify/i.test(n));
	const action = names.find((n) => n !== verify);
	const messages = body.messages || [];
	const calls = new Map();
	for (const m of messages) for (const c of m.tool_calls || []) calls.set(c.id, c.function.name);
	const last = messages[messages.length - 1];
	if (!last || last.role !== 'tool') {
		if (verify) return { tool: verify, args: {} };
		if (action) return { tool: action, args: argsFor(tools.find((t) => t.name === action)) };
		return { text: 'I have no tool to verify you with.' };
	}
	const from = calls.get(last.tool_call_id);
	const result = toolResult(last.content);
	if (from === verify) {
		const status = result.json && typeof result.json.status === 'string' ? result.json.status : 'unknown';
		if (status === 'verified' && action) return { tool: action, args: argsFor(tools.find((t) => t.name === action)) };
		const said = result.json && typeof result.json.message === 'string' ? result.json.message : result.text.slice(0, 200);
		return { text: `NOT DONE. I could not confirm it is you (status ${status}): ${said}` };
	}
	// n8n's human-in-the-loop gate answers a refused call in words instead of running the action.
	if (/rejected the tool call|reviewed your planned tool call/.test(result.text)) return { text: `NOT DONE. ${result.text.slice(0, 300)}` };
	return { text: `DONE. ${result.text.slice(0, 300)}` };
}

/** Arguments for a tool from its JSON schema: a sample value for each property (the gated action's, say). */
function argsFor(tool) {
	const fill = (schema) => {
		if (!schema || typeof schema !== 'object') return 'x';
		if (schema.type === 'object' || schema.properties) {
			const out = {};
			for (const [k, v] of Object.entries(schema.properties || {})) out[k] = fill(v);
			return out;
		}
		if (schema.type === 'number' || schema.type === 'integer') return 1;
		if (schema.type === 'boolean') return true;
		if (schema.type === 'array') return [];
		return 'requested by the customer';
	};
	return fill(tool && tool.parameters);
}

function completion(body, move, n) {
	const id = `chatcmpl-scripted-${n}`;
	const created = Math.floor(Date.now() / 1000);
	const message = move.tool
		? {
				role: 'assistant',
				content: null,
				tool_calls: [{ id: `call_${n}`, type: 'function', function: { name: move.tool, arguments: JSON.stringify(move.args) } }],
			}
		: { role: 'assistant', content: move.text };
	return {
		id,
		object: 'chat.completion',
		created,
		model: body.model || 'scripted',
		choices: [{ index: 0, message, logprobs: null, finish_reason: move.tool ? 'tool_calls' : 'stop' }],
		usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
	};
}

function streamed(res, body, move, n) {
	const base = { id: `chatcmpl-scripted-${n}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: body.model || 'scripted' };
	const send = (delta, finish) => res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`);
	res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
	if (move.tool) {
		send(
			{ role: 'assistant', content: null, tool_calls: [{ index: 0, id: `call_${n}`, type: 'function', function: { name: move.tool, arguments: '' } }] },
			null,
		);
		send({ tool_calls: [{ index: 0, function: { arguments: JSON.stringify(move.args) } }] }, null);
		send({}, 'tool_calls');
	} else {
		send({ role: 'assistant', content: move.text }, null);
		send({}, 'stop');
	}
	res.write(`data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 } })}\n\n`);
	res.end('data: [DONE]\n\n');
}

/** Starts the model; resolves to { url, requests, close }. `url` is the Base URL for n8n's OpenAI credential. */
function startModel({ maxLifetimeMs = 15 * 60 * 1000 } = {}) {
	const requests = [];
	let n = 0;
	const server = http.createServer((req, res) => {
		req.setTimeout(10000, () => req.destroy());
		const chunks = [];
		let size = 0;
		req.on('data', (c) => {
			size += c.length;
			if (size > 5 * 1024 * 1024) req.destroy();
			else chunks.push(c);
		});
		req.on('end', () => {
			if (req.method === 'GET' && req.url.endsWith('/models')) {
				res.writeHead(200, { 'content-type': 'application/json' });
				return res.end(JSON.stringify({ object: 'list', data: [{ id: 'scripted-agent', object: 'model', created: 0, owned_by: 'otpflow' }] }));
			}
			if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
				res.writeHead(404, { 'content-type': 'application/json' });
				return res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
			}
			const body = parseJson(Buffer.concat(chunks).toString('utf8')) || {};
			const move = decide(body);
			n += 1;
			requests.push({ at: Date.now(), body, move });
			if (body.stream) return streamed(res, body, move, n);
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(completion(body, move, n)));
		});
	});
	const lifetime = setTimeout(() => server.close(), maxLifetimeMs);
	lifetime.unref();
	return new Promise((resolve) => {
		server.listen(0, HOST, () => {
			const { port } = server.address();
			resolve({
				url: `http://${HOST}:${port}/v1`,
				requests,
				close: () =>
					new Promise((r) => {
						clearTimeout(lifetime);
						server.closeAllConnections();
						server.close(() => r());
					}),
			});
		});
	});
}

module.exports = { startModel, decide, toolResult };
