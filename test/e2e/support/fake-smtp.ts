/**
 * A minimal SMTP server for n8n's Send Email node (nodemailer, no TLS, no auth). Each message is
 * written to `<mailDir>/<n>.eml`; readMails() decodes them for the tests.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';

export async function startFakeSmtp(mailDir: string): Promise<{ port: number; close: () => Promise<void> }> {
	mkdirSync(mailDir, { recursive: true });
	let count = 0;
	const server: Server = createServer((socket) => {
		let buffer = '';
		let data: string[] | null = null;
		let envelope = { from: '', to: [] as string[] };
		const reply = (line: string) => socket.write(`${line}\r\n`);
		socket.setEncoding('utf8');
		socket.on('error', () => undefined);
		reply('220 fake-smtp.test ESMTP');
		socket.on('data', (chunk: string) => {
			buffer += chunk;
			let end: number;
			while ((end = buffer.indexOf('\r\n')) >= 0) {
				const line = buffer.slice(0, end);
				buffer = buffer.slice(end + 2);
				if (data) {
					if (line === '.') {
						count += 1;
						writeFileSync(join(mailDir, `${count}.eml`), data.join('\r\n'));
						writeFileSync(join(mailDir, `${count}.json`), JSON.stringify(envelope));
						data = null;
						envelope = { from: '', to: [] };
						reply(`250 OK queued as ${count}`);
					} else {
						data.push(line.startsWith('..') ? line.slice(1) : line);
					}
					continue;
				}
				const verb = line.split(' ')[0].toUpperCase();
				const argument = /<([^>]*)>/.exec(line)?.[1] ?? '';
				if (verb === 'EHLO') reply('250-fake-smtp.test\r\n250-8BITMIME\r\n250 SMTPUTF8');
				else if (verb === 'HELO') reply('250 fake-smtp.test');
				else if (verb === 'MAIL') {
					envelope.from = argument;
					reply('250 OK');
				} else if (verb === 'RCPT') {
					envelope.to.push(argument);
					reply('250 OK');
				} else if (verb === 'DATA') {
					data = [];
					reply('354 End data with <CR><LF>.<CR><LF>');
				} else if (verb === 'QUIT') {
					reply('221 Bye');
					socket.end();
				} else if (verb === 'RSET' || verb === 'NOOP') reply('250 OK');
				else reply('502 Command not implemented');
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (!address || typeof address === 'string') throw new Error('fake SMTP has no port');
	return {
		port: address.port,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

export interface Mail {
	envelope: { from: string; to: string[] };
	headers: Record<string, string>;
	text: string;
}

function decodeQuotedPrintable(body: string): string {
	const bytes = body
		.replace(/=\r?\n/g, '')
		.replace(/=([0-9A-F]{2})/gi, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
	return Buffer.from(bytes, 'latin1').toString('utf8');
}

function decodeWord(value: string): string {
	return value.replace(/=\?utf-8\?([BQ])\?([^?]*)\?=/gi, (_m, encoding: string, text: string) =>
		encoding.toUpperCase() === 'B'
			? Buffer.from(text, 'base64').toString('utf8')
			: decodeQuotedPrintable(text.replace(/_/g, ' ')),
	);
}

/** The messages received so far, oldest first (single-part text messages). */
export function readMails(mailDir: string): Mail[] {
	const numbers = readdirSync(mailDir)
		.filter((name) => name.endsWith('.eml'))
		.map((name) => Number(name.slice(0, -4)))
		.sort((a, b) => a - b);
	return numbers.map((n) => {
		const raw = readFileSync(join(mailDir, `${n}.eml`), 'utf8');
		const split = raw.indexOf('\r\n\r\n');
		const headers: Record<string, string> = {};
		for (const line of raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
			const colon = line.indexOf(':');
			headers[line.slice(0, colon).toLowerCase()] = decodeWord(line.slice(colon + 1).trim());
		}
		const body = raw.slice(split + 4);
		const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
		const text =
			encoding === 'quoted-printable'
				? decodeQuotedPrintable(body)
				: encoding === 'base64'
					? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
					: body;
		return { envelope: JSON.parse(readFileSync(join(mailDir, `${n}.json`), 'utf8')), headers, text };
	});
}
