import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

export class KomojuApi implements ICredentialType {
	name = 'komojuApi';

	displayName = 'KOMOJU API';

	icon: Icon = { light: 'file:../icons/komoju.svg', dark: 'file:../icons/komoju.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-komoju/n8n-nodes-komoju?tab=readme-ov-file#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'Your KOMOJU secret key, from the KOMOJU dashboard (its API keys page; test and live keys are listed separately). Use the test secret key to try things out; it never moves real money.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://komoju.com',
			description:
				'Where KOMOJU is reached. Keep the default unless you go through a proxy or use a local KOMOJU sandbox.',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: '2025-01-28',
			placeholder: '2025-01-28',
			description:
				'Sent as the X-KOMOJU-API-VERSION header so responses keep the same shape. Leave empty to use the version set on the key in the KOMOJU dashboard.',
		},
	];

	// Basic auth with the secret key as username and an empty password, as KOMOJU documents. A
	// function rather than n8n's generic block: the generic one is an expression n8n evaluates on
	// every request, which the benchmark measured at about a quarter of a request's CPU time.
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => ({
		...requestOptions,
		auth: { username: String(credentials.secretKey ?? ''), password: '' },
	});

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/api/v1/payments',
			method: 'GET',
			qs: { per_page: 1 },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'KOMOJU rejected the key. Use the secret key (not the publishable key) from the KOMOJU dashboard, and check the Base URL.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'This key may not read payments: it is probably the publishable key (pk_…). Use the secret key (sk_…) from the KOMOJU dashboard.',
				},
			},
		],
	};
}
