import type { INodePropertyOptions } from 'n8n-workflow';

export const ALL_EVENTS = '*';

// KOMOJU's documented webhook events (doc.komoju.com/docs/webhooks).
const EVENT_TYPES: Array<[value: string, description: string]> = [
	['customer.created', 'A customer was created'],
	['customer.deleted', 'A customer was deleted'],
	['customer.updated', 'A customer was updated'],
	['payment.authorized', 'A payment was authorized and awaits capture'],
	['payment.cancelled', 'A payment was cancelled'],
	['payment.captured', 'A payment was captured'],
	['payment.expired', 'A payment expired before it was completed'],
	['payment.failed', 'A payment failed'],
	['payment.marked.as.fraud', 'A payment was marked as fraud (platform model)'],
	['payment.refund.created', 'A refund was created for a payment'],
	['payment.refunded', 'A payment was fully refunded'],
	['payment.updated', 'A payment changed'],
	['ping', 'The test delivery KOMOJU sends when a webhook is created'],
	['refund_request.updated', 'A refund request changed (platform model)'],
	['settlement.created', 'A settlement was created'],
	['subscription.captured', 'A subscription charge was captured'],
	['subscription.created', 'A subscription was created'],
	['subscription.deleted', 'A subscription was deleted'],
	['subscription.failed', 'A subscription charge failed'],
	['subscription.suspended', 'A subscription was suspended'],
];

/** "payment.refund.created" → "Payment Refund Created", as the editor lists it; the value stays KOMOJU's type. */
function readableEventName(type: string): string {
	return type
		.split(/[._]/)
		.map((word) => word[0].toUpperCase() + word.slice(1))
		.join(' ');
}

export const eventOptions: INodePropertyOptions[] = [
	{ name: 'All Events', value: ALL_EVENTS, description: 'Every event except ping' },
	...EVENT_TYPES.map(([value, description]) => ({ name: readableEventName(value), value, description: `${description} (${value})` })),
];

/**
 * Whether an event of `type` should start the workflow. "All" leaves out `ping`, the
 * dashboard's setup check, so creating a webhook never fires a real workflow by itself.
 */
export function isSelectedEvent(selected: string[], type: string): boolean {
	if (selected.includes(type)) return true;
	return type !== 'ping' && selected.includes(ALL_EVENTS);
}
