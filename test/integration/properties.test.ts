/**
 * Random input through the whole node (n8n-core's engine, real HTTP, the sandbox): every item
 * becomes a request KOMOJU accepts or refuses, or a per-item input error — in its place, never a
 * crash, never an unencoded path, never a card number in what the node leaves behind.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { CARDS, everythingVisible, FUTURE_YEAR, runKomoju, type Sandbox, useSandbox } from './komoju.fixtures';

const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

const awkward = fc.oneof(
	fc.string({ maxLength: 40 }),
	fc.string({ unit: 'grapheme', maxLength: 40 }),
	fc.integer(),
	fc.double(),
	fc.constantFrom('.', '..', 'a/b', 'a b', '%2F', '?x', '#y', '', null, '1050', '10.5', 'JPY', 'usd'),
);

const orderItem = fc.record({
	amount: fc.oneof(fc.integer({ min: -5, max: 100_000 }), awkward),
	currency: fc.oneof(fc.constantFrom('JPY', 'USD', 'EUR', 'KRW'), awkward),
	number: fc.oneof(fc.constantFrom(CARDS.regular, CARDS.insufficientFunds, '4111 1111 1111 1111'), awkward),
	month: fc.oneof(fc.integer({ min: 0, max: 13 }), awkward),
	cvc: fc.oneof(fc.constantFrom('123', '12', '12345'), awkward),
	paymentId: awkward,
});

describe('random input through the KOMOJU node', () => {
	it('Payment Create: each item is a payment or an error item in its place; no card number anywhere', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(orderItem, { minLength: 1, maxLength: 4 }), async (items) => {
				sandbox.reset();
				const result = await runKomoju(
					sandbox,
					{
						resource: 'payment',
						operation: 'create',
						amount: '={{ $json.amount }}',
						currency: '={{ $json.currency }}',
						paymentSource: 'card',
						cardNumber: '={{ $json.number }}',
						expiryMonth: '={{ $json.month }}',
						expiryYear: FUTURE_YEAR,
						verificationValue: '={{ $json.cvc }}',
					},
					{ items: items as unknown as IDataObject[], settings: { onError: 'continueRegularOutput' } },
				);
				expect(result.status).toBe('success');
				const output = result.resultOf('KOMOJU');
				expect(output.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
				for (const { json } of output) {
					if ('error' in json) expect(typeof json.error).toBe('string');
					else expect(json).toMatchObject({ resource: 'payment', status: 'captured' });
				}
				const visible = everythingVisible(result);
				for (const number of [CARDS.regular, CARDS.insufficientFunds]) expect(visible).not.toContain(number.slice(2));
			}),
			{ numRuns: 25 },
		);
	});

	it('Payment Refund: any id reaches KOMOJU as one encoded path segment, or is refused before sending', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(orderItem, { minLength: 1, maxLength: 4 }), async (items) => {
				sandbox.reset();
				const result = await runKomoju(
					sandbox,
					{ resource: 'payment', operation: 'refund', paymentId: '={{ $json.paymentId }}' },
					{ items: items as unknown as IDataObject[], settings: { onError: 'continueRegularOutput' } },
				);
				expect(result.resultOf('KOMOJU')).toHaveLength(items.length);
				for (const request of sandbox.requests.filter((recorded) => recorded.kind === 'api')) {
					expect(request.method).toBe('POST');
					expect(request.path).toMatch(/^\/api\/v1\/payments\/[^/]+\/refund$/);
					expect(request.status).toBe(404);
				}
			}),
			{ numRuns: 25 },
		);
	});
});
