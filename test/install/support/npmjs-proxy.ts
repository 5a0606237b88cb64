/**
 * Makes https://registry.npmjs.org be the local registry, for the processes given its
 * environment only. n8n (community edition) always installs from registry.npmjs.org (a custom
 * registry is a licensed feature), so n8n is started with HTTPS_PROXY set to this proxy, which
 * answers `CONNECT registry.npmjs.org:443` with TLS of its own (a leaf certificate from a CA made
 * here with openssl, trusted through NODE_EXTRA_CA_CERTS / npm's cafile) and forwards each request
 * to verdaccio over plain HTTP. Every other host is refused (403) and recorded.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsHttpServer } from 'node:https';
import type { Socket } from 'node:net';
import { join } from 'node:path';

export const NPMJS_HOST = 'registry.npmjs.org';

export interface NpmjsProxy {
	/** http://127.0.0.1:<port>, for HTTPS_PROXY. */
	url: string;
	/** The CA's certificate (PEM file), for NODE_EXTRA_CA_CERTS and npm's cafile. */
	caFile: string;
	/** `host:port` of every refused CONNECT (and plain-HTTP request), in order. */
	refused: string[];
	/** `METHOD /path -> status` of every request forwarded to the local registry. */
	forwarded: string[];
	/** The environment that sends a Node process's (and its npm's) HTTPS through the proxy. */
	env: () => NodeJS.ProcessEnv;
	close: () => Promise<void>;
}

/** A throwaway CA and a leaf for registry.npmjs.org signed by it (Debian's openssl CLI). */
function makeCertificates(dir: string): { caFile: string; key: Buffer; cert: Buffer } {
	mkdirSync(dir, { recursive: true });
	const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
	writeFileSync(join(dir, 'ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n');
	writeFileSync(
		join(dir, 'leaf.ext'),
		`basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:${NPMJS_HOST}\n` +
			'authorityKeyIdentifier=keyid\n',
	);
	openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.csr', '-subj', '/CN=n8n-nodes-komoju install-test CA');
	openssl('x509', '-req', '-in', 'ca.csr', '-signkey', 'ca.key', '-days', '2', '-extfile', 'ca.ext', '-out', 'ca.crt');
	openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', `/CN=${NPMJS_HOST}`);
	openssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'leaf.ext', '-out', 'leaf.crt');
	return { caFile: join(dir, 'ca.crt'), key: readFileSync(join(dir, 'leaf.key')), cert: readFileSync(join(dir, 'leaf.crt')) };
}

export async function startNpmjsProxy(dir: string, registryUrl: string): Promise<NpmjsProxy> {
	const { caFile, key, cert } = makeCertificates(dir);
	const target = new URL(registryUrl);
	const refused: string[] = [];
	const forwarded: string[] = [];
	const sockets = new Set<Socket>();

	// The registry sees the public host and https, so the tarball URLs it hands out are
	// https://registry.npmjs.org/…, which come back through this proxy.
	const forward = (req: IncomingMessage, res: ServerResponse) => {
		const upstream = request(
			{
				host: target.hostname,
				port: target.port,
				method: req.method,
				path: req.url,
				headers: { ...req.headers, host: NPMJS_HOST, 'x-forwarded-proto': 'https' },
			},
			(answer) => {
				forwarded.push(`${req.method} ${req.url} -> ${answer.statusCode}`);
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		upstream.on('error', (error) => {
			forwarded.push(`${req.method} ${req.url} -> ${error.message}`);
			res.writeHead(502).end();
		});
		req.pipe(upstream);
	};
	const tls = createTlsHttpServer({ key, cert }, forward);

	const proxy = createServer((req, res) => {
		refused.push(`http ${req.headers.host ?? req.url}`);
		res.writeHead(403).end('refused by the install test proxy');
	});
	proxy.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	proxy.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
		socket.on('error', () => undefined);
		if (req.url !== `${NPMJS_HOST}:443`) {
			refused.push(req.url ?? '?');
			socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
			return;
		}
		socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
		if (head.length) socket.unshift(head);
		tls.emit('connection', socket);
	});
	await new Promise<void>((resolve, reject) => {
		proxy.once('error', reject);
		proxy.listen(0, '127.0.0.1', () => resolve());
	});
	const address = proxy.address();
	const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

	return {
		url,
		caFile,
		refused,
		forwarded,
		env: () => ({
			HTTPS_PROXY: url,
			https_proxy: url,
			HTTP_PROXY: url,
			http_proxy: url,
			NO_PROXY: '127.0.0.1,localhost',
			no_proxy: '127.0.0.1,localhost',
			NODE_EXTRA_CA_CERTS: caFile,
			// npm trusts only its `cafile` when one is set (this machine's global npmrc sets one).
			npm_config_cafile: caFile,
		}),
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => proxy.close(() => resolve()));
			tls.close();
		},
	};
}
