import { timeRangeListOperation } from '../list.shared';

export const { option, properties, execute } = timeRangeListOperation(
	{
		name: 'Get Many',
		description: 'List subscriptions, newest first, optionally within a creation time range; one item per subscription. Read-only.',
		action: 'Get many subscriptions',
	},
	'subscriptions',
);
