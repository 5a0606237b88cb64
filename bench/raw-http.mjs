/**
 * The raw-HTTP floor: a plain Node script, node:http with a keep-alive agent, sending the same
 * requests as the KOMOJU node at a fixed concurrency. Run as its own process (like n8n), so it
 * does not share a CPU core's event loop with the sandbox.
 *
 *   node bench/raw-http.mjs <json config file>
 *   config: { baseUrl, secretKey, apiVersion, concurrency, requests: [{ method, path, body? }] }
 * Prints one JSON line: { ms, count, statuses: { "200": n, ... }, errors }.
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { baseUrl, secretKey, apiVersion, concurrency, requests } = config;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const auth = `Basic ${Buffer.from(`${secretKey}:`).toString('base64')}`;
const statuses = {};
let errors = 0;

function send({ method, path, body }) {
	return new Promise((resolve) => {
		const payload = body === undefined ? undefined : JSON.stringify(body);
		const request = http.request(
			`${baseUrl}/api/v1${path}`,
			{
				method,
				agent,
				headers: {
					Authorization: auth,
					Accept: 'application/json',
					'X-KOMOJU-API-VERSION': apiVersion,
					...(payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
				},
			},
			(response) => {
				const chunks = [];
				response.on('data', (chunk) => chunks.push(chunk));
				response.on('end', () => {
					JSON.parse(Buffer.concat(chunks).toString('utf8')); // parse like a client would
					statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
					resolve();
				});
			},
		);
		request.on('error', () => {
			errors++;
			resolve();
		});
		request.end(payload);
	});
}

let next = 0;
async function worker() {
	while (next < requests.length) await send(requests[next++]);
}

const started = performance.now();
await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
const ms = performance.now() - started;
agent.destroy();
process.stdout.write(`${JSON.stringify({ ms, count: requests.length, statuses, errors })}\n`);
