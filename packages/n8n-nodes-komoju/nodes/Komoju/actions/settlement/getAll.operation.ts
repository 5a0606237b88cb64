import { timeRangeListOperation } from '../list.shared';

export const { option, properties, execute } = timeRangeListOperation(
	{
		name: 'Get Many',
		description:
			'List settlements (KOMOJU’s payouts to you), newest first, optionally within a creation time range; one item per settlement. Read-only.',
		action: 'Get many settlements',
	},
	'settlements',
);
