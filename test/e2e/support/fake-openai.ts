/**
 * A scripted stand-in for OpenAI's API (Responses and Chat Completions, no streaming), so n8n's
 * AI Agent can run the AI example without a model. It behaves like a model that always uses the
 * first tool it is given: when the last user message contains a 25-character secure token id,
 * it calls the tool with `{ secure_token_id }`; once the tool's result is in the conversation,
 * it answers with the verification_status it read there. Every request body is appended to
 * `requestsFile` (one JSON per line).
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const TOKEN_ID = /\b[a-z0-9]{25}\b/;

export function answerFor(toolOutput: string): string {
	let status: string | undefined;
	let id: string | undefined;
	try {
		const parsed = JSON.parse(toolOutput);
		const token = Array.isArray(parsed) ? parsed[0] : parsed;
		status = token?.verification_status;
		id = token?.id;
	} catch {
		status = /"verification_status"\s*:\s*"([A-Z_]+)"/.exec(toolOutput)?.[1];
		id = /"id"\s*:\s*"([a-z0-9]+)"/.exec(toolOutput)?.[1];
	}
	return status ? `Secure token ${id} has verification_status ${status}.` : `The tool answered: ${toolOutput}`;
}

function textOf(content: Json): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) return content.map((part) => part?.text ?? '').join('');
	return '';
}

interface Turn {
	kind: 'tool-call' | 'answer';
	toolName?: string;
	arguments?: string;
	text?: string;
}

/** Decides the next turn from the conversation, whatever the API's format. */
function nextTurn(messages: Array<{ role: string; content: string }>, toolResult: string | null, toolName?: string, argName = 'secure_token_id'): Turn {
	if (toolResult !== null) return { kind: 'answer', text: answerFor(toolResult) };
	const lastUser = [...messages].reverse().find((message) => message.role === 'user')?.content ?? '';
	const id = TOKEN_ID.exec(lastUser)?.[0];
	if (id && toolName) return { kind: 'tool-call', toolName, arguments: JSON.stringify({ [argName]: id }) };
	return { kind: 'answer', text: 'Please give me the secure token ID.' };
}

function firstStringProperty(parameters: Json): string | undefined {
	return Object.keys(parameters?.properties ?? {})[0];
}

const usage = { input_tokens: 10, output_tokens: 5, total_tokens: 15, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } };

function responsesApi(body: Json, n: number): Json {
	const input: Json[] = Array.isArray(body.input) ? body.input : [{ role: 'user', content: body.input }];
	const messages = input.filter((entry) => entry.role).map((entry) => ({ role: entry.role, content: textOf(entry.content) }));
	const results = input.filter((entry) => entry.type === 'function_call_output');
	const tool = (body.tools ?? []).find((t: Json) => t.type === 'function');
	const turn = nextTurn(
		messages,
		results.length ? String(results[results.length - 1].output) : null,
		tool?.name,
		firstStringProperty(tool?.parameters),
	);
	const output =
		turn.kind === 'tool-call'
			? [{ type: 'function_call', id: `fc_${n}`, call_id: `call_${n}`, name: turn.toolName, arguments: turn.arguments, status: 'completed' }]
			: [{ type: 'message', id: `msg_${n}`, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: turn.text, annotations: [] }] }];
	return {
		id: `resp_${n}`,
		object: 'response',
		created_at: Math.floor(Date.now() / 1000),
		status: 'completed',
		model: body.model,
		output,
		parallel_tool_calls: true,
		tools: [],
		error: null,
		incomplete_details: null,
		text: { format: { type: 'text' } },
		usage,
	};
}

function chatCompletions(body: Json, n: number): Json {
	const messages: Json[] = body.messages ?? [];
	const results = messages.filter((message) => message.role === 'tool');
	const tool = (body.tools ?? []).find((t: Json) => t.type === 'function')?.function;
	const turn = nextTurn(
		messages.map((message) => ({ role: message.role, content: textOf(message.content) })),
		results.length ? textOf(results[results.length - 1].content) : null,
		tool?.name,
		firstStringProperty(tool?.parameters),
	);
	const message =
		turn.kind === 'tool-call'
			? { role: 'assistant', content: null, tool_calls: [{ id: `call_${n}`, type: 'function', function: { name: turn.toolName, arguments: turn.arguments } }] }
			: { role: 'assistant', content: turn.text };
	return {
		id: `chatcmpl-${n}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: body.model,
		choices: [{ index: 0, message, finish_reason: turn.kind === 'tool-call' ? 'tool_calls' : 'stop' }],
		usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
	};
}

export async function startFakeOpenAi(requestsFile: string): Promise<{ url: string; close: () => Promise<void> }> {
	writeFileSync(requestsFile, '');
	let n = 0;
	const server = createServer((req: IncomingMessage, res: ServerResponse) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			n += 1;
			const raw = Buffer.concat(chunks).toString('utf8');
			let body: Json = {};
			try {
				body = raw ? JSON.parse(raw) : {};
			} catch {
				body = { unparsed: raw };
			}
			appendFileSync(requestsFile, `${JSON.stringify({ method: req.method, path: req.url, authorization: req.headers.authorization ?? null, body })}\n`);
			const send = (status: number, payload: Json) => {
				res.writeHead(status, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify(payload));
			};
			const path = (req.url ?? '').split('?')[0];
			if (body.stream) return send(400, { error: { message: 'the fake OpenAI does not stream', type: 'invalid_request_error' } });
			if (req.method === 'POST' && path.endsWith('/responses')) return send(200, responsesApi(body, n));
			if (req.method === 'POST' && path.endsWith('/chat/completions')) return send(200, chatCompletions(body, n));
			if (req.method === 'GET' && path.endsWith('/models')) return send(200, { object: 'list', data: [{ id: 'gpt-5-mini', object: 'model', owned_by: 'fake' }] });
			return send(404, { error: { message: `fake OpenAI: no ${req.method} ${path}`, type: 'invalid_request_error' } });
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (!address || typeof address === 'string') throw new Error('fake OpenAI has no port');
	return {
		url: `http://127.0.0.1:${address.port}/v1`,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

export interface OpenAiRequest {
	method: string;
	path: string;
	authorization: string | null;
	body: Json;
}

export function readOpenAiRequests(requestsFile: string): OpenAiRequest[] {
	if (!existsSync(requestsFile)) return [];
	return readFileSync(requestsFile, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map((line) => JSON.parse(line) as OpenAiRequest);
}
