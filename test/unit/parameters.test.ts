import { deepFreeze, holdsExpression } from '../../packages/n8n-nodes-komoju/nodes/Komoju/helpers/parameters';

describe('holdsExpression', () => {
	it('finds an expression at any depth, and nothing in plain values', () => {
		expect(holdsExpression({ timeout: 5000, idempotencyKey: 'order-7', nested: [{ a: 'x' }] })).toBe(false);
		expect(holdsExpression(undefined)).toBe(false);
		expect(holdsExpression('={{ $json.id }}')).toBe(true);
		expect(holdsExpression({ maxRetries: 3, locator: { __rl: true, mode: 'id', value: '={{ $json.id }}' } })).toBe(true);
		expect(holdsExpression({ list: [1, ['=x']] })).toBe(true);
		// "=" inside a plain string is not an expression: n8n marks one only by its first character.
		expect(holdsExpression({ idempotencyKey: 'a=b' })).toBe(false);
	});
});

describe('deepFreeze', () => {
	it('freezes nested objects and arrays, and returns the same value', () => {
		const value = { a: { b: [1, { c: 2 }] } };
		expect(deepFreeze(value)).toBe(value);
		expect(Object.isFrozen(value.a.b[1])).toBe(true);
		expect(() => {
			(value.a.b as unknown[]).push(3);
		}).toThrow(TypeError);
	});
});
