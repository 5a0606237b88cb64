import { apiPath } from '../../transport';
import { idProperty } from '../fields.shared';
import { objectOperation } from '../object.shared';

export const { option, properties, execute } = objectOperation({
	option: {
		name: 'Get',
		description:
			'Get one KOMOJU event by ID: its type (e.g. payment.captured) and the object it is about in data. Read-only.',
		action: 'Get an event',
	},
	idField: idProperty('eventId', 'Event ID', 'The ID of the KOMOJU event, e.g. from Event → Get Many or a webhook delivery'),
	request: (id) => ({ method: 'GET', path: apiPath('events', id) }),
});
