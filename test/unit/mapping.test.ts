import { NodeApiError } from 'n8n-workflow';

import { defaultIdempotencyKey, IDEMPOTENCY_ROOT_KEY, idempotencyRoot } from '../../packages/n8n-nodes-komoju/nodes/Komoju/helpers/idempotency';
import { cardPaymentDetails, normaliseSecureToken, toSnakeCaseFields } from '../../packages/n8n-nodes-komoju/nodes/Komoju/helpers/mappers';
import { redactCardNumbers } from '../../packages/n8n-nodes-komoju/nodes/Komoju/helpers/redact';
import { apiPath } from '../../packages/n8n-nodes-komoju/nodes/Komoju/transport';
import {
	hintForStatus,
	komojuApiError,
	komojuConnectionError,
	parseKomojuError,
} from '../../packages/n8n-nodes-komoju/nodes/Komoju/transport/errors';
import { testNode } from './node.fixture';

const node = testNode;

describe('request mapping', () => {
	it('builds payment_details with KOMOJU’s names and drops empty extras', () => {
		expect(
			cardPaymentDetails({
				number: '4100000000005000',
				month: 8,
				year: 2030,
				verificationValue: '123',
				name: 'Taro Yamada',
				email: '',
				extra: toSnakeCaseFields({ givenName: 'Taro', billingAddressLine1: ' 1-2-3 ', billingAddressCity: '' }),
			}),
		).toEqual({
			type: 'credit_card',
			number: '4100000000005000',
			month: 8,
			year: 2030,
			verification_value: '123',
			name: 'Taro Yamada',
			given_name: 'Taro',
			billing_address_line1: '1-2-3',
		});
	});

	it('encodes every path segment', () => {
		expect(apiPath('secure_tokens', 'a/b c?d')).toBe('/secure_tokens/a%2Fb%20c%3Fd');
		expect(apiPath('secure_tokens', '..')).toBe('/secure_tokens/..');
	});
});

describe('response mapping', () => {
	it('renames the older secure_token key to id', () => {
		const token = normaliseSecureToken({ secure_token: 'tok1', verification_status: 'OK' });
		expect(token).toEqual({ id: 'tok1', verification_status: 'OK' });
	});

	it('keeps id when present and masks the 3DS cryptogram', () => {
		const token = normaliseSecureToken({
			id: 'tok2',
			verification_status: 'OK',
			three_ds_auth_result: { transStatus: 'Y', authenticationValue: 'AAABBB=' },
		});
		expect(token.id).toBe('tok2');
		expect(token.three_ds_auth_result).toEqual({ transStatus: 'Y', authenticationValue: '[redacted]' });
	});
});

describe('idempotency keys', () => {
	const scope = { instanceId: 'i', workflowId: 'w', idempotencyRoot: 'r42', nodeId: 'n', runIndex: 0 };

	it('are stable for the same item of the same run, and short enough for KOMOJU', () => {
		const key = defaultIdempotencyKey(scope, 3);
		expect(key).toBe(defaultIdempotencyKey({ ...scope }, 3));
		expect(key.length).toBeLessThanOrEqual(100);
		expect(key).toMatch(/^n8n-[0-9a-f]{64}$/);
	});

	it('differ by item, run, execution, node, workflow and instance', () => {
		const base = defaultIdempotencyKey(scope, 0);
		const variants = [
			defaultIdempotencyKey(scope, 1),
			defaultIdempotencyKey({ ...scope, runIndex: 1 }, 0),
			defaultIdempotencyKey({ ...scope, idempotencyRoot: 'r43' }, 0),
			defaultIdempotencyKey({ ...scope, nodeId: 'm' }, 0),
			defaultIdempotencyKey({ ...scope, workflowId: 'v' }, 0),
			defaultIdempotencyKey({ ...scope, instanceId: 'j' }, 0),
		];
		expect(new Set([base, ...variants]).size).toBe(7);
	});

	it('fall back to a random key without an execution', () => {
		const a = defaultIdempotencyKey({ ...scope, idempotencyRoot: '' }, 0);
		expect(a).not.toBe(defaultIdempotencyKey({ ...scope, idempotencyRoot: '' }, 0));
	});

	describe('the execution’s idempotency root', () => {
		const customData = (limitReached = false) => {
			const entries = new Map<string, string>();
			return {
				entries,
				get: (key: string) => entries.get(key),
				set: (key: string, value: string) => {
					if (!limitReached) entries.set(key, value);
				},
			};
		};

		it('is random, kept in the execution’s custom data, and read back from it (as in a retried execution)', () => {
			const data = customData();
			const root = idempotencyRoot(data, '7', 1000);
			expect(root).toMatch(/^[0-9a-f]{32}$/);
			expect(data.entries.get(IDEMPOTENCY_ROOT_KEY)).toBe(root);
			expect(idempotencyRoot(data, '8', 2000)).toBe(root);
		});

		it('differs between two executions with the same id (two instances, or a reset database)', () => {
			expect(idempotencyRoot(customData(), '1', 1000)).not.toBe(idempotencyRoot(customData(), '1', 1000));
		});

		it('falls back to the execution id and start time when n8n keeps no more custom data', () => {
			expect(idempotencyRoot(customData(true), '7', 1000)).toBe('execution-7-1000');
			const throwing = { get: () => undefined, set: () => { throw new Error('manual mode'); } };
			expect(idempotencyRoot(throwing, '7', 1000)).toBe('execution-7-1000');
			expect(idempotencyRoot(undefined, '', undefined)).toBe('');
		});
	});
});

describe('error mapping', () => {
	it('reads KOMOJU’s error object and the bare-string form', () => {
		expect(
			parseKomojuError({ error: { code: 'missing_parameter', message: 'A required parameter (amount) is missing', param: 'amount' } }),
		).toEqual({ code: 'missing_parameter', message: 'A required parameter (amount) is missing', param: 'amount' });
		expect(parseKomojuError({ error: 'card declined' })).toEqual({ message: 'card declined' });
		expect(parseKomojuError('<html>')).toEqual({});
	});

	it('turns a 422 into a NodeApiError naming code, parameter and item', () => {
		const error = komojuApiError(
			node,
			422,
			{ error: { code: 'invalid_parameter', message: 'The parameter return_url is invalid', param: 'return_url' } },
			4,
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('422');
		expect(error.message).toBe('KOMOJU: The parameter return_url is invalid');
		expect(error.description).toBe(
			'KOMOJU error code: invalid_parameter · parameter: return_url · Check the value of "return_url".',
		);
		expect(error.context).toMatchObject({ itemIndex: 4, komojuCode: 'invalid_parameter', param: 'return_url' });
	});

	it('explains a 401 as a key problem', () => {
		const error = komojuApiError(node, 401, { error: { code: 'unauthorized', message: 'Unauthorized' } }, 0);
		expect(error.description).toMatch(/secret key \(not the publishable key\)/);
		expect(error.description).toMatch(/test keys only work with test data/);
	});

	it('describes a non-JSON error page without echoing it', () => {
		const error = komojuApiError(node, 502, '<html>Bad gateway</html>', 0);
		expect(error.message).toBe('KOMOJU answered HTTP 502 with a body that is not KOMOJU’s JSON');
	});

	it('never repeats a card number KOMOJU might echo', () => {
		const error = komojuApiError(node, 422, { error: { message: 'Card 4100000000005000 is invalid' } }, 0);
		expect(error.message).toBe('KOMOJU: Card ••••5000 is invalid');
	});

	it('has a hint for every status a person can act on', () => {
		for (const status of [400, 401, 402, 403, 404, 409, 422, 429, 500, 503]) {
			expect(hintForStatus(status, {})).toBeTruthy();
		}
	});

	it('describes connection failures in plain words', () => {
		const error = komojuConnectionError(node, 'ECONNRESET', 'socket hang up', 4, 1);
		expect(error.message).toBe('Could not reach KOMOJU: the connection closed before KOMOJU answered');
		expect(error.description).toMatch(/network error: ECONNRESET · tried 4 times/);
		expect(error.context.itemIndex).toBe(1);
	});

	it('redacts card numbers in free text', () => {
		expect(redactCardNumbers('4100 0000 0000 5000 and 378282246310005')).toBe('••••5000 and ••••0005');
		expect(redactCardNumbers('order 12345 on 2026-11-29')).toBe('order 12345 on 2026-11-29');
		expect(redactCardNumbers('card4111111111111111x')).toBe('card••••1111x');
	});

	it('redacts 12 to 19 digits in any written form, and leaves 11', () => {
		expect(redactCardNumbers('6011 0009 9013 9424 123')).toBe('••••4123');
		expect(redactCardNumbers('4100-0000-0000-5000')).toBe('••••5000');
		expect(redactCardNumbers('first 4100000000005000, then 4123 1111 1111 1000.')).toBe('first ••••5000, then ••••1000.');
		expect(redactCardNumbers('id 123456789012 ok')).toBe('id ••••9012 ok');
		expect(redactCardNumbers('order 12345678901 on 2026-11-29')).toBe('order 12345678901 on 2026-11-29');
	});
});
