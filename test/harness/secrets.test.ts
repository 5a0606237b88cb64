import { secretLeaks } from '../secrets';

const CVC = '987';
const CARD = '4111111111111111';

describe('secretLeaks (how the suite looks for card data)', () => {
	it.each<[string, unknown]>([
		['a JSON value', { verification_value: CVC }],
		['a request body kept as JSON text inside an error', { cause: { config: { data: `{"payment_details":{"verification_value":"${CVC}"}}` } } }],
		['words', { message: `KOMOJU refused CVC ${CVC}.` }],
		['a form body', { body: `number=****1111&verification_value=${CVC}&name=Taro` }],
		['a query string', { url: `/api/v1/tokens?cvc=${CVC}` }],
		['the end of a sentence', { message: `The CVC was ${CVC}.` }],
		['a list', { message: `CVCs: ${CVC}, 123` }],
		['a number under a card-data key', { payment_details: { verification_value: 987 } }],
		['an object key', { [CVC]: true }],
		['the message line of a stack', { stack: `Error: bad CVC ${CVC}\n    at f (/x/y.js:10:3)` }],
	])('finds a CVC in %s', (_name, value) => {
		expect(secretLeaks(value, [CVC])).toHaveLength(1);
	});

	it.each<[string, unknown]>([
		['a random id', { id: 'k3987xq0vb1c8d2e5f7g9h0j1' }],
		['a hex idempotency key', { key: 'n8n-3fa85f64a987c4e2b1d0' }],
		['a UUID idempotency key', { key: 'n8n-3fa85f64-5717-4562-b3fc-2c963f66a987' }],
		['a millisecond timestamp', { startedAtMs: 1764598798712, time: '2026-11-29T15:09:35.987Z', start_time: '2026-11-30T00:09:35.987+09:00' }],
		['a decimal or a time part', { note: 'took 1.987 s', at: '12:987', list: '1,987' }],
		['a duration that happens to be the same number', { durationMs: 987, executionTime: 987 }],
		['a byte count', { headers: { 'content-length': '987' } }],
		['a stack frame', { stack: 'Error: refused\n    at send (/work/node_modules/x/index.js:987:12)' }],
	])('does not count the same digits in %s', (_name, value) => {
		expect(secretLeaks(value, [CVC])).toEqual([]);
	});

	it('does not count a four-digit CVC in a UUID group or a date', () => {
		expect(secretLeaks({ key: 'n8n-3fa85f64-1234-4562-b3fc-2c963f66afa6', at: '1234-11-29T00:00:00Z' }, ['1234'])).toEqual([]);
		expect(secretLeaks({ body: 'verification_value=1234' }, ['1234'])).toHaveLength(1);
	});

	it('finds a card number anywhere in a string, and as a number', () => {
		expect(secretLeaks({ a: `x${CARD}y` }, [CARD])).toHaveLength(1);
		expect(secretLeaks({ a: [{ b: Number(CARD) }] }, [CARD])).toHaveLength(1);
		expect(secretLeaks({ a: '****1111' }, [CARD])).toEqual([]);
	});

	it('says where it found each one', () => {
		expect(secretLeaks({ out: [{ error: `CVC ${CVC}` }] }, [CARD, CVC])).toEqual([`$.out[0].error holds ${CVC}: "CVC ${CVC}"`]);
	});
});
