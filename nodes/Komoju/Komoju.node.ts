import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { router } from './actions/router';
import * as customer from './actions/customer/Customer.resource';
import * as event from './actions/event/Event.resource';
import * as payment from './actions/payment/Payment.resource';
import * as secureToken from './actions/secureToken/SecureToken.resource';
import * as session from './actions/session/Session.resource';
import * as token from './actions/token/Token.resource';
import { getPaymentTypes } from './methods/loadOptions';

export class Komoju implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'KOMOJU',
		name: 'komoju',
		icon: { light: 'file:komoju.svg', dark: 'file:komoju.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Take payments with KOMOJU: 3D Secure tokens, payments, refunds, customers, hosted sessions and events',
		defaults: { name: 'KOMOJU' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'komojuApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Customer', value: 'customer' },
					{ name: 'Event', value: 'event' },
					{ name: 'Payment', value: 'payment' },
					{ name: 'Secure Token', value: 'secureToken' },
					{ name: 'Session', value: 'session' },
					{ name: 'Token', value: 'token' },
				],
				default: 'secureToken',
			},
			...customer.description,
			...event.description,
			...payment.description,
			...secureToken.description,
			...session.description,
			...token.description,
		],
	};

	methods = { loadOptions: { getPaymentTypes } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
