import { DEFAULT_CONCURRENCY, requestOptionsCollection } from '../../nodes/Komoju/actions/common.descriptions';
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
