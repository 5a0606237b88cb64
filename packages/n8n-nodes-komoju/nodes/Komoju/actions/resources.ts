import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import type { Operation, Resource } from './operation';
import { balance } from './balance/Balance.resource';
import { balanceTransaction } from './balanceTransaction/BalanceTransaction.resource';
import { barcode } from './barcode/Barcode.resource';
import { chargeback } from './chargeback/Chargeback.resource';
import { customer } from './customer/Customer.resource';
import { event } from './event/Event.resource';
import { payment } from './payment/Payment.resource';
import { paymentMethod } from './paymentMethod/PaymentMethod.resource';
import { secureToken } from './secureToken/SecureToken.resource';
import { session } from './session/Session.resource';
import { settlement } from './settlement/Settlement.resource';
import { subscription } from './subscription/Subscription.resource';
import { token } from './token/Token.resource';

/**
 * Every resource the node offers, under the value the Resource dropdown gives it. The node's
 * fields and the router's dispatch are both derived from this one registry.
 */
export const resources = {
	balance,
	balanceTransaction,
	barcode,
	chargeback,
	customer,
	event,
	payment,
	paymentMethod,
	secureToken,
	session,
	settlement,
	subscription,
	token,
} satisfies Record<string, Resource>;

export type KomojuResource = keyof typeof resources;

const DEFAULT_RESOURCE: KomojuResource = 'secureToken';

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

function resourceProperties(resourceName: string, resource: Resource): INodeProperties[] {
	const operations = Object.entries(resource.operations);
	// n8n's lint reads a default only as a literal, a call or a plain name (not a member expression).
	const defaultOperation = resource.defaultOperation;
	return [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resourceName] } },
			options: operations.map(([value, operation]) => ({ ...operation.option, value })).sort(byName),
			default: defaultOperation,
		},
		...operations.flatMap(([operationName, operation]) =>
			updateDisplayOptions({ show: { resource: [resourceName], operation: [operationName] } }, operation.properties),
		),
	];
}

/** The node's fields: the Resource dropdown, then each resource's Operation dropdown and fields. */
export function nodeProperties(): INodeProperties[] {
	const entries: Array<[string, Resource]> = Object.entries(resources);
	return [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: entries.map(([value, resource]) => ({ name: resource.displayName, value })).sort(byName),
			default: DEFAULT_RESOURCE,
		},
		...entries.flatMap(([name, resource]) => resourceProperties(name, resource)),
	];
}

/** The operation the node's Resource and Operation name, or undefined when there is none. */
export function findOperation(resourceName: string, operationName: string): { operation: Operation; resource: Resource } | undefined {
	const resource: Resource | undefined = (resources as Record<string, Resource>)[resourceName];
	const operation = resource && Object.prototype.hasOwnProperty.call(resource.operations, operationName) ? resource.operations[operationName] : undefined;
	return operation ? { operation, resource } : undefined;
}
