import { DEFAULT_CONCURRENCY, requestOptionsCollection } from '../../nodes/Komoju/actions/options.shared';
import { DEFAULT_REQUEST_SETTINGS } from '../../nodes/Komoju/transport';

describe('the Options collection', () => {
	// n8n's lint wants literal defaults in descriptions: they must still say what the code does.
	it('shows the defaults the code applies when an option is not set', () => {
		const options = requestOptionsCollection([], { idempotency: true }).options as Array<{ name: string; default: unknown }>;
		const byName = Object.fromEntries(options.map((option) => [option.name, option.default]));
		expect(byName).toMatchObject({
			concurrency: DEFAULT_CONCURRENCY,
			maxRetries: DEFAULT_REQUEST_SETTINGS.maxRetries,
			timeout: DEFAULT_REQUEST_SETTINGS.timeoutMs,
			idempotencyKey: '',
		});
	});
});

describe('the node description', () => {
	// Every number KOMOJU takes is whole (amounts in the smallest unit, counts, seconds): the editor
	// must not offer decimals anywhere, nested collections included (a lint autofix once dropped them).
	it('gives every number field numberPrecision 0', async () => {
		const { Komoju } = await import('../../nodes/Komoju/Komoju.node');
		type Field = { name: string; type?: string; typeOptions?: { numberPrecision?: number }; options?: unknown[]; values?: unknown[] };
		const numbers: Array<[string, number | undefined]> = [];
		const walk = (fields: unknown[] | undefined, path: string) => {
			for (const field of (fields ?? []) as Field[]) {
				if (typeof field !== 'object' || field === null || !('name' in field)) continue;
				if (field.type === 'number') numbers.push([`${path}${field.name}`, field.typeOptions?.numberPrecision]);
				walk(field.options, `${path}${field.name}.`);
				walk(field.values, `${path}${field.name}.`);
			}
		};
		walk(new Komoju().description.properties, '');
		expect(numbers.length).toBeGreaterThan(10);
		expect(numbers.filter(([, precision]) => precision !== 0)).toEqual([]);
	});
});
