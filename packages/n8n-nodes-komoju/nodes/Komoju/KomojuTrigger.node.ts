import {
	NodeConnectionTypes,
	NodeOperationError,
	type ICredentialTestFunctions,
	type ICredentialsDecrypted,
	type IDataObject,
	type IHookFunctions,
	type INodeCredentialTestResult,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { scrubCardData } from './helpers/redact';
import { checkDelivery, rememberRecords, withRecentRecords } from './triggers/dedupe';
import { ALL_EVENTS, eventOptions, isSelectedEvent } from './triggers/events';
import { verifySignature } from './triggers/signature';

const CREDENTIAL = 'komojuWebhookApi';

// KOMOJU events are small JSON documents; anything far bigger is not from KOMOJU.
const MAX_BODY_BYTES = 1024 * 1024;

function firstHeader(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

function parseEvent(rawBody: Buffer): IDataObject | undefined {
	try {
		const event: unknown = JSON.parse(rawBody.toString('utf8'));
		if (typeof event !== 'object' || event === null || Array.isArray(event)) return undefined;
		return typeof (event as IDataObject).type === 'string' ? (event as IDataObject) : undefined;
	} catch {
		return undefined;
	}
}

async function readSecret(this: IHookFunctions | IWebhookFunctions): Promise<string> {
	const credentials = await this.getCredentials(CREDENTIAL);
	return typeof credentials.webhookSecret === 'string' ? credentials.webhookSecret : '';
}

// There is no accept-everything mode: without a secret the workflow cannot be activated.
async function assertSecretConfigured(this: IHookFunctions): Promise<void> {
	let secret: string;
	try {
		secret = await readSecret.call(this);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), error as Error, {
			description: 'Select a KOMOJU Webhook API credential holding the webhook’s secret token.',
		});
	}
	if (secret === '') {
		throw new NodeOperationError(this.getNode(), 'The KOMOJU webhook secret is empty', {
			description:
				'Copy the secret token of this webhook from the KOMOJU dashboard (Manage → Webhooks) into the KOMOJU Webhook API credential. Unsigned deliveries are never accepted.',
		});
	}
}

function reject(this: IWebhookFunctions, status: 400 | 401, message: string): IWebhookResponseData {
	this.getResponseObject().status(status).json({ message });
	// The response is already written and no workflowData is returned, so nothing runs.
	return { noWebhookResponse: true };
}

/** What the webhook credential's Test found for a well-formed secret: only its form was checked. */
export const WEBHOOK_SECRET_NOT_CONTACTED =
	'Only the form of the secret was checked (not empty, no spaces around it); KOMOJU was not contacted, because it has no API that checks a webhook secret. To confirm it, send a ping from the KOMOJU dashboard (Manage → Webhooks) to this trigger’s URL.';

export class KomojuTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'KOMOJU Trigger',
		name: 'komojuTrigger',
		icon: { light: 'file:../../icons/komoju.svg', dark: 'file:../../icons/komoju.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when KOMOJU sends a signed webhook event',
		defaults: { name: 'KOMOJU Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'komojuWebhookApi', required: true, testedBy: 'komojuWebhookSecretTest' },
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				// Without it n8n 2.40 answers accepted deliveries with the text "firstEntryJson".
				responseData: 'noData',
				path: 'komoju',
			},
		],
		properties: [
			{
				displayName:
					'KOMOJU has no API for webhooks: in the KOMOJU dashboard (Manage → Webhooks) create a webhook with this node’s Production URL and the secret token stored in the credential, and subscribe it to the events below, then publish the workflow. While you build it, “Execute step” listens on the Test URL instead: point a second KOMOJU webhook there to see a delivery in the editor.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: eventOptions,
				default: [ALL_EVENTS],
				description:
					'Events that start the workflow. Others are acknowledged and ignored. "*" means every event except ping.',
			},
		],
	};

	methods = {
		credentialTest: {
			// Nothing at KOMOJU can check a webhook secret, so only what is knowable locally is checked.
			async komojuWebhookSecretTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const secret = credential.data?.webhookSecret;
				if (typeof secret !== 'string' || secret === '') {
					return { status: 'Error', message: 'Enter the webhook’s secret token.' };
				}
				if (secret.trim() !== secret) {
					return {
						status: 'Error',
						message: 'The secret starts or ends with spaces. Paste it exactly as KOMOJU shows it.',
					};
				}
				// n8n 2.40 shows any OK as "Connection tested successfully" and drops this message, so the
				// credential's notice says beforehand what was checked. An error here would tell the user
				// a correct secret is wrong.
				return { status: 'OK', message: WEBHOOK_SECRET_NOT_CONTACTED };
			},
		},
	};

	// KOMOJU webhooks live in its dashboard only, so there is nothing to register or remove.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				await assertSecretConfigured.call(this);
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				await assertSecretConfigured.call(this);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const rawBody = this.getRequestObject().rawBody;
		if (!Buffer.isBuffer(rawBody) || rawBody.length === 0 || rawBody.length > MAX_BODY_BYTES) {
			return reject.call(this, 400, 'Expected a KOMOJU event of at most 1 MiB');
		}

		// An error thrown from here would still record a (failed) execution in n8n, so a credential
		// that cannot be read is answered like a wrong signature.
		const secret = await readSecret.call(this).catch(() => '');
		const headers = this.getHeaderData();
		if (!verifySignature(rawBody, headers['x-komoju-signature'], secret)) {
			return reject.call(this, 401, 'Invalid or missing X-Komoju-Signature');
		}

		const event = parseEvent(rawBody);
		if (event === undefined) {
			return reject.call(this, 400, 'Expected a KOMOJU event as a JSON object with a type');
		}

		const type = event.type as string;
		const events = this.getNodeParameter('events', []) as string[];
		if (!isSelectedEvent(events, type)) {
			return { webhookResponse: { received: true, ignored: 'event not selected' } };
		}

		const deliveryId = firstHeader(headers['x-komoju-id']);
		const staticData = this.getWorkflowStaticData('node');
		const triggerKey = `${this.getWorkflow().id ?? ''}:${this.getNode().id}`;
		const { duplicate, records } = checkDelivery(
			withRecentRecords(triggerKey, staticData.deliveries),
			{ deliveryId, eventId: typeof event.id === 'string' ? event.id : undefined },
			Date.now(),
		);
		// Assigned as a new array so n8n notices the change and saves it.
		staticData.deliveries = records as unknown as IDataObject[];
		rememberRecords(triggerKey, records);
		if (duplicate) {
			return { webhookResponse: { received: true, ignored: 'duplicate delivery' } };
		}

		const delivery: IDataObject = {
			id: deliveryId ?? null,
			event: firstHeader(headers['x-komoju-event']) ?? null,
			signatureVerified: true,
		};
		return { workflowData: [[{ json: { ...scrubCardData(event), delivery } }]] };
	}
}
