import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

// Kept apart from the KOMOJU API credential: each dashboard webhook has its own secret, and the
// trigger never calls the API, so it should not need the account's secret key.
// KOMOJU has no endpoint that checks a webhook secret; the KOMOJU Trigger node tests it (testedBy).
export class KomojuWebhookApi implements ICredentialType {
	name = 'komojuWebhookApi';

	displayName = 'KOMOJU Webhook API';

	icon: Icon = { light: 'file:../icons/komoju.svg', dark: 'file:../icons/komoju.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-komoju/n8n-nodes-komoju?tab=readme-ov-file#komoju-trigger';

	properties: INodeProperties[] = [
		{
			displayName: 'Webhook Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The secret token of the webhook in the KOMOJU dashboard (Manage → Webhooks). Deliveries whose X-Komoju-Signature does not match it are rejected.',
		},
		{
			displayName:
				'KOMOJU has no API that checks a webhook secret, so this credential’s Test only checks the secret’s form (filled in, no spaces around it) and never contacts KOMOJU, even where n8n then says “Connection tested successfully”. To confirm the secret, send a ping from the KOMOJU dashboard (Manage → Webhooks) to the trigger’s URL.',
			name: 'checkNotice',
			type: 'notice',
			default: '',
		},
	];
}
