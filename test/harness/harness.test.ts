import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeApiError, type ICredentialType, type INode } from 'n8n-workflow';

import { chain, itemsNode, runWorkflow, type RunWorkflowOptions } from './index';
import { ECHO_NODE_TYPE, Echo, EchoApi } from './echo.fixtures';

interface SeenRequest {
	method: string;
	url: string;
	headers: IncomingHttpHeaders;
	body: unknown;
}
type Reply = { status: number; body: unknown };

let server: Server;
let baseUrl: string;
let seen: SeenRequest[];
let reply: (req: SeenRequest, index: number) => Reply;

beforeAll(async () => {
	server = createServer((req, res) => {
		let raw = '';
		req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
		req.on('end', () => {
			const request = {
				method: req.method ?? '',
				url: req.url ?? '',
				headers: req.headers,
				body: raw ? (JSON.parse(raw) as unknown) : undefined,
			};
			seen.push(request);
			const { status, body } = reply(request, seen.length - 1);
			res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
	seen = [];
	reply = (req) => ({ status: 200, body: { received: req.body, path: req.url } });
});

function echoNode(overrides: Partial<INode> = {}): INode {
	return {
		id: 'echo-1',
		name: 'Echo',
		type: ECHO_NODE_TYPE,
		typeVersion: 1,
		position: [200, 0],
		parameters: { amount: '={{ $json.amount * 100 }}' },
		...overrides,
	};
}

function run(echo: INode, items = [{ amount: 1 }, { amount: 2 }, { amount: 3 }], extra: Partial<RunWorkflowOptions> = {}) {
	return runWorkflow({
		nodes: [itemsNode(items), echo],
		connections: chain('Items', 'Echo'),
		nodeTypes: { [ECHO_NODE_TYPE]: new Echo() },
		credentialTypes: { echoApi: new EchoApi() },
		credentials: { echoApi: { user: 'sk_test_123', password: '', baseUrl } },
		...extra,
	});
}

test('evaluates expressions per item, pairs items, applies generic Basic auth and passes the execution id', async () => {
	const result = await run(echoNode(), undefined, { executionId: '4242' });

	expect(result.status).toBe('success');
	expect(result.error).toBeUndefined();
	expect(seen.map((r) => r.body)).toEqual([
		{ amount: 100, executionId: '4242' },
		{ amount: 200, executionId: '4242' },
		{ amount: 300, executionId: '4242' },
	]);
	const basic = `Basic ${Buffer.from('sk_test_123:').toString('base64')}`;
	for (const request of seen) {
		expect(request).toMatchObject({ method: 'POST', url: '/echo' });
		expect(request.headers.authorization).toBe(basic);
		// Default of a credential property the test did not set, resolved through $credentials.
		expect(request.headers['x-echo-version']).toBe('2025-01-28');
	}
	const output = result.resultOf('Echo');
	expect(output.map((item) => item.json.received)).toEqual(seen.map((r) => r.body));
	expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	expect(result.resultOf('Items')).toHaveLength(3);
});

test('a 404 stops the workflow with the NodeApiError n8n-core raises', async () => {
	reply = () => ({ status: 404, body: { error: { code: 'not_found', message: 'Nope' } } });

	const result = await run(echoNode({ parameters: { path: '/missing' } }));

	expect(result.status).toBe('error');
	expect(seen).toHaveLength(1); // stops at the first failing item
	expect(result.error).toMatchObject({
		name: 'NodeApiError',
		httpCode: '404',
		message: 'The resource you are requesting could not be found',
		// NodeApiError takes the description from the response body's error.message.
		description: 'Nope',
		context: { data: { error: { code: 'not_found', message: 'Nope' } } },
		node: { name: 'Echo' },
	});
	expect(result.thrown).toHaveLength(1);
	expect(result.thrown[0].node).toBe('Echo');
	expect(result.thrown[0].error).toBeInstanceOf(NodeApiError);
	expect(result.runData.Echo[0].error).toMatchObject({ name: 'NodeApiError', httpCode: '404' });
});

test('continueOnFail turns failures into error items and keeps going', async () => {
	reply = (req) =>
		(req.body as { amount: number }).amount === 200
			? { status: 422, body: { error: 'bad amount' } }
			: { status: 200, body: { ok: true } };

	const result = await run(echoNode({ continueOnFail: true }));

	expect(result.status).toBe('success');
	expect(seen).toHaveLength(3);
	const output = result.resultOf('Echo');
	expect(output[0].json).toEqual({ ok: true });
	// The node outputs { json: { error, description, httpCode }, error }; because `error` is
	// attached, WorkflowExecute replaces json with { error: message } (real n8n behaviour).
	expect(output[1].json).toEqual({
		error: 'Your request is invalid or could not be processed by the service',
	});
	expect(output[1].error).toMatchObject({ name: 'NodeApiError', httpCode: '422' });
	expect(output[1].pairedItem).toEqual({ item: 1 });
	expect(output[2].json).toEqual({ ok: true });
});

test("onError 'continueErrorOutput' routes error items to the second output", async () => {
	reply = (req) =>
		(req.body as { amount: number }).amount === 100
			? { status: 500, body: {} }
			: { status: 200, body: { ok: true } };

	const result = await run(echoNode({ onError: 'continueErrorOutput' }), [{ amount: 1 }, { amount: 2 }]);

	expect(result.status).toBe('success');
	expect(result.resultOf('Echo', 0, 0).map((i) => i.json)).toEqual([{ ok: true }]);
	const errors = result.resultOf('Echo', 0, 1);
	expect(errors).toHaveLength(1);
	expect(errors[0]).toMatchObject({ error: { httpCode: '500' }, pairedItem: { item: 0 } });
});

test('retryOnFail makes WorkflowExecute run the node again', async () => {
	reply = (_req, index) => (index === 0 ? { status: 503, body: {} } : { status: 200, body: { ok: true } });

	const result = await run(echoNode({ retryOnFail: true, maxTries: 2, waitBetweenTries: 10 }), [{ amount: 1 }]);

	expect(seen).toHaveLength(2);
	expect(result.status).toBe('success');
	expect(result.thrown.map((t) => (t.error as NodeApiError).httpCode)).toEqual(['503']);
	expect(result.resultOf('Echo').map((i) => i.json)).toEqual([{ ok: true }]);
});

test('a 401 makes n8n-core re-authenticate and send the request once more', async () => {
	reply = () => ({ status: 401, body: { error: { code: 'unauthorized', message: 'Bad key' } } });

	const result = await run(echoNode(), [{ amount: 1 }]);

	// httpRequestWithAuthentication retries once after preAuthentication on 401, as in n8n.
	expect(seen).toHaveLength(2);
	expect(result.error).toMatchObject({ name: 'NodeApiError', httpCode: '401' });
});

test('function-type authenticate is called, and credentials can be keyed by id', async () => {
	const bearer: ICredentialType = {
		...new EchoApi(),
		authenticate: async (credentials, options) => ({
			...options,
			headers: { ...options.headers, Authorization: `Bearer ${String(credentials.user)}` },
		}),
	};
	const echo = echoNode({ credentials: { echoApi: { id: 'cred-2', name: 'Second' } } });

	const result = await run(echo, [{ amount: 1 }], {
		credentialTypes: { echoApi: bearer },
		credentials: {
			echoApi: { user: 'by-type', baseUrl },
			'cred-2': { user: 'by-id', baseUrl },
		},
	});

	expect(result.status).toBe('success');
	expect(seen[0].headers.authorization).toBe('Bearer by-id');
});

describe('runWorkflow with the custom data of an earlier execution', () => {
	it('starts the run with that custom data and reports it at the end', async () => {
		const { runWorkflow: run, itemsNode: items } = await import('./index');
		const result = await run({ nodes: [items([{ a: 1 }])], connections: {}, nodeTypes: {}, customData: { kept: 'yes' } });
		expect(result.status).toBe('success');
		expect(result.customData).toEqual({ kept: 'yes' });
		expect(result.resultOf('Items').map((item) => item.json)).toEqual([{ a: 1 }]);
	});
});
