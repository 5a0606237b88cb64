import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { dateTimeQuery, filtersCollection, listObjects, listProperties, timeRangeFilters, timeRangeQuery } from '../list.shared';
import type { ItemContext, Operation } from '../operation';
import { requestOptionsCollection } from '../options.shared';

export const option: Operation['option'] = {
	name: 'Get Many',
	description:
		'List chargebacks, pending ones first, optionally by status, payment, due date or creation time; one item per chargeback. Read-only.',
	action: 'Get many chargebacks',
};

const STATUSES = ['accepted', 'cancelled', 'defended', 'expired', 'lost', 'pending'];

export const properties: INodeProperties[] = [
	...listProperties,
	filtersCollection([
		{
			displayName: 'Due After',
			name: 'dueDateStart',
			type: 'dateTime',
			default: '',
			description: 'Only chargebacks due at or after this time',
		},
		{
			displayName: 'Due Before',
			name: 'dueDateEnd',
			type: 'dateTime',
			default: '',
			description: 'Only chargebacks due at or before this time',
		},
		{
			displayName: 'Payment ID',
			name: 'paymentId',
			type: 'string',
			default: '',
			description: 'Only chargebacks of this payment',
		},
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			default: 'pending',
			options: STATUSES.map((status) => ({ name: status[0].toUpperCase() + status.slice(1), value: status })),
		},
		...timeRangeFilters,
	]),
	requestOptionsCollection(),
];

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject[]> {
	const { itemIndex } = item;
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {
		...timeRangeQuery.call(this, itemIndex, filters),
		...dateTimeQuery.call(this, itemIndex, filters, [
			['dueDateStart', 'due_date_start', 'Due After'],
			['dueDateEnd', 'due_date_end', 'Due Before'],
		]),
	};
	if (filters.status !== undefined) qs.status = filters.status;
	const paymentId = String(filters.paymentId ?? '').trim();
	if (paymentId !== '') qs.payment_id = paymentId;
	return await listObjects.call(this, item, 'chargeback_requests', qs);
}
