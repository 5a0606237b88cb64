import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { router } from './actions/router';
import { nodeProperties } from './actions/resources';
import { getPaymentMethods, getPaymentTypes } from './methods/loadOptions';

export class Komoju implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'KOMOJU',
		name: 'komoju',
		icon: { light: 'file:../../icons/komoju.svg', dark: 'file:../../icons/komoju.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Take payments with KOMOJU: 3D Secure, cards, konbini, bank transfer, PayPay and Japan’s other methods; refunds, subscriptions, settlements and chargebacks',
		defaults: { name: 'KOMOJU' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'komojuApi', required: true }],
		properties: nodeProperties(),
	};

	methods = { loadOptions: { getPaymentMethods, getPaymentTypes } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
