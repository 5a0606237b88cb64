/** Test-only node and credential types that exercise the harness (not part of the package). */
import {
	NodeConnectionTypes,
	type IAuthenticateGeneric,
	type ICredentialType,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type NodeApiError,
} from 'n8n-workflow';

export const ECHO_NODE_TYPE = 'harnessTest.echo';

export class EchoApi implements ICredentialType {
	name = 'echoApi';
	displayName = 'Echo API';
	properties: INodeProperties[] = [
		{ displayName: 'User', name: 'user', type: 'string', default: '' },
		{ displayName: 'Password', name: 'password', type: 'string', typeOptions: { password: true }, default: '' },
		{ displayName: 'API Version', name: 'apiVersion', type: 'string', default: '2025-01-28' },
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
	];
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			auth: { username: '={{$credentials.user}}', password: '={{$credentials.password}}' },
			headers: { 'X-Echo-Version': '={{$credentials.apiVersion}}' },
		},
	};
}

/** POSTs `{ amount, executionId }` to `<baseUrl><path>` per item and outputs the response. */
export class Echo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Echo',
		name: 'echo',
		group: ['transform'],
		version: 1,
		description: 'Echo test node',
		defaults: { name: 'Echo' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'echoApi', required: true }],
		properties: [
			{ displayName: 'Path', name: 'path', type: 'string', default: '/echo' },
			{ displayName: 'Amount', name: 'amount', type: 'number', default: 0 },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const { baseUrl } = await this.getCredentials<{ baseUrl: string }>('echoApi');
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'echoApi', {
					method: 'POST',
					url: `${baseUrl}${this.getNodeParameter('path', i) as string}`,
					body: { amount: this.getNodeParameter('amount', i), executionId: this.getExecutionId() },
					json: true,
				})) as IDataObject;
				out.push({ json: response, pairedItem: { item: i } });
			} catch (error) {
				if (!this.continueOnFail()) throw error;
				const { message, description, httpCode } = error as NodeApiError;
				out.push({
					json: { error: message, description, httpCode },
					error: error as NodeApiError,
					pairedItem: { item: i },
				});
			}
		}
		return [out];
	}
}
