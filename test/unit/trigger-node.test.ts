import { createHmac } from 'crypto';
import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type ICredentialTestFunctions,
	type IDataObject,
	type IHookFunctions,
	type IWebhookFunctions,
} from 'n8n-workflow';

import { KomojuTrigger } from '../../packages/n8n-nodes-komoju/nodes/Komoju/KomojuTrigger.node';
import { testNode } from './node.fixture';

const secret = 'whsec_test_secret';
const sign = (raw: Buffer) => createHmac('sha256', secret).update(raw).digest('hex');
const event = (id: string, type = 'payment.captured') =>
	Buffer.from(JSON.stringify({ id, type, resource: 'event', data: { id: 'pay_1' }, created_at: 'x' }));

interface Delivery {
	body: Buffer;
	headers?: Record<string, string>;
}

let workflowCount = 0;

/**
 * A stand-in for n8n's webhook context: just the calls the trigger makes. Each context is a
 * workflow of its own, as the trigger also remembers deliveries per workflow in the process.
 */
function webhookContext(staticData: IDataObject, events: string[] = ['*'], key = secret, workflowId = `wf_${++workflowCount}`) {
	const written: { status?: number; body?: unknown } = {};
	const call = (delivery: Delivery) =>
		({
			getNode: () => testNode,
			getWorkflow: () => ({ id: workflowId, active: true }),
			getCredentials: async () => ({ webhookSecret: key }),
			getRequestObject: () => ({ rawBody: delivery.body }),
			getResponseObject: () => ({
				status(code: number) {
					written.status = code;
					return { json: (body: unknown) => (written.body = body) };
				},
			}),
			getHeaderData: () => delivery.headers ?? {},
			getNodeParameter: () => events,
			getWorkflowStaticData: () => staticData,
		}) as unknown as IWebhookFunctions;
	return { call, written };
}

const signed = (body: Buffer, id = 'dlv_1'): Delivery => ({
	body,
	headers: { 'x-komoju-signature': sign(body), 'x-komoju-id': id, 'x-komoju-event': 'payment.captured' },
});

describe('KomojuTrigger.webhook', () => {
	const trigger = new KomojuTrigger();

	it('starts one item with the event and the verified delivery', async () => {
		const { call, written } = webhookContext({});
		const result = await trigger.webhook.call(call(signed(event('ev_1'))));
		expect(written.status).toBeUndefined();
		expect(result.workflowData).toEqual([
			[
				{
					json: {
						id: 'ev_1',
						type: 'payment.captured',
						resource: 'event',
						data: { id: 'pay_1' },
						created_at: 'x',
						delivery: { id: 'dlv_1', event: 'payment.captured', signatureVerified: true },
					},
				},
			],
		]);
	});

	it('emits no card number or CVC, even if a delivery carries them', async () => {
		const { call } = webhookContext({});
		const body = Buffer.from(
			JSON.stringify({
				id: 'ev_9',
				type: 'payment.captured',
				resource: 'event',
				data: { id: 'pay_9', payment_details: { type: 'credit_card', number: '4111111111111111', verification_value: '321', last_four_digits: '1111' } },
			}),
		);
		const result = await trigger.webhook.call(call(signed(body, 'dlv_9')));
		const json = result.workflowData?.[0][0].json as IDataObject;
		expect((json.data as IDataObject).payment_details).toEqual({ type: 'credit_card', last_four_digits: '1111' });
	});

	it.each([
		['unsigned', { body: event('ev_1') }],
		['wrongly signed', { body: event('ev_1'), headers: { 'x-komoju-signature': sign(event('ev_2')) } }],
	])('answers 401 and starts nothing when %s', async (_label, delivery) => {
		const { call, written } = webhookContext({});
		const result = await trigger.webhook.call(call(delivery));
		expect(written.status).toBe(401);
		expect(result).toEqual({ noWebhookResponse: true });
	});

	it('answers 401 when the secret is empty, even for a body "signed" with it', async () => {
		const body = event('ev_1');
		const { call, written } = webhookContext({}, ['*'], '');
		const headers = { 'x-komoju-signature': createHmac('sha256', '').update(body).digest('hex') };
		expect(await trigger.webhook.call(call({ body, headers }))).toEqual({ noWebhookResponse: true });
		expect(written.status).toBe(401);
	});

	it('answers 401 when the credential cannot be read', async () => {
		const { call, written } = webhookContext({});
		const context = call(signed(event('ev_1')));
		context.getCredentials = async () => {
			throw new Error('Credential not found');
		};
		expect(await trigger.webhook.call(context)).toEqual({ noWebhookResponse: true });
		expect(written.status).toBe(401);
	});

	it.each([
		['not JSON', Buffer.from('hello')],
		['a JSON array', Buffer.from('[]')],
		['JSON without a type', Buffer.from('{"id":"ev_1"}')],
		['over 1 MiB', Buffer.from(`{"type":"ping","pad":"${'x'.repeat(1024 * 1024)}"}`)],
		['empty', Buffer.alloc(0)],
	])('answers 400 and starts nothing for a signed body that is %s', async (_label, body) => {
		const { call, written } = webhookContext({});
		expect(await trigger.webhook.call(call(signed(body)))).toEqual({ noWebhookResponse: true });
		expect(written.status).toBe(400);
	});

	it('acknowledges unselected events and ping without starting anything', async () => {
		const { call } = webhookContext({}, ['payment.failed']);
		expect((await trigger.webhook.call(call(signed(event('ev_1'))))).workflowData).toBeUndefined();
		const all = webhookContext({});
		const ping = await trigger.webhook.call(all.call(signed(event('ev_p', 'ping'))));
		expect(ping).toEqual({ webhookResponse: { received: true, ignored: 'event not selected' } });
	});

	it('starts ping when it is selected', async () => {
		const { call } = webhookContext({}, ['ping']);
		expect((await trigger.webhook.call(call(signed(event('ev_p', 'ping'))))).workflowData).toHaveLength(1);
	});

	it('starts a redelivery only once and keeps the record in static data', async () => {
		const staticData: IDataObject = {};
		const { call } = webhookContext(staticData);
		expect((await trigger.webhook.call(call(signed(event('ev_1'))))).workflowData).toBeDefined();
		const again = await trigger.webhook.call(call(signed(event('ev_1'))));
		expect(again).toEqual({ webhookResponse: { received: true, ignored: 'duplicate delivery' } });
		expect(staticData.deliveries).toEqual([
			expect.objectContaining({ deliveryId: 'dlv_1', eventId: 'ev_1' }),
		]);
		expect((await trigger.webhook.call(call(signed(event('ev_2'), 'dlv_2')))).workflowData).toBeDefined();
	});

	it('still skips a redelivery whose record n8n overwrote with an older copy of the static data', async () => {
		const staticData: IDataObject = {};
		const { call } = webhookContext(staticData);
		await trigger.webhook.call(call(signed(event('ev_1'), 'dlv_1')));
		const afterFirst = structuredClone(staticData.deliveries);
		await trigger.webhook.call(call(signed(event('ev_2'), 'dlv_2')));
		// What n8n 2.40.7 does when the execution started by ev_2 ends: it saves the copy it loaded before.
		staticData.deliveries = afterFirst;
		const again = await trigger.webhook.call(call(signed(event('ev_2'), 'dlv_2')));
		expect(again).toEqual({ webhookResponse: { received: true, ignored: 'duplicate delivery' } });
		expect((staticData.deliveries as IDataObject[]).map((record) => record.eventId)).toEqual(['ev_1', 'ev_2']);
	});
});

describe('KomojuTrigger activation', () => {
	const methods = new KomojuTrigger().webhookMethods.default;
	const hook = (getCredentials: () => Promise<IDataObject>) =>
		({ getNode: () => testNode, getCredentials }) as unknown as IHookFunctions;

	it('activates with a secret; there is nothing to register at KOMOJU', async () => {
		const context = hook(async () => ({ webhookSecret: secret }));
		expect(await methods.checkExists.call(context)).toBe(false);
		expect(await methods.create.call(context)).toBe(true);
		expect(await methods.delete.call(context)).toBe(true);
	});

	it('refuses to activate without a secret', async () => {
		const context = hook(async () => ({ webhookSecret: '' }));
		await expect(methods.checkExists.call(context)).rejects.toThrow(NodeOperationError);
		await expect(methods.create.call(context)).rejects.toThrow('The KOMOJU webhook secret is empty');
	});

	it('refuses to activate without a credential', async () => {
		const context = hook(async () => {
			throw new Error('Node does not have any credentials set');
		});
		await expect(methods.create.call(context)).rejects.toThrow(NodeOperationError);
	});
});

describe('KomojuTrigger credential test', () => {
	const test = new KomojuTrigger().methods.credentialTest.komojuWebhookSecretTest;
	const run = async (webhookSecret: unknown) =>
		await test.call({} as ICredentialTestFunctions, {
			id: '1',
			name: 'KOMOJU webhook',
			type: 'komojuWebhookApi',
			data: { webhookSecret } as ICredentialDataDecryptedObject,
		});

	// n8n 2.40 shows an OK result as "Connection tested successfully" whatever its message says; the
	// credential's notice says beforehand that only the form is checked (descriptions.test.ts).
	it('accepts a well-formed secret, saying that only its form was checked and KOMOJU was not contacted', async () => {
		expect(await run(secret)).toEqual({ status: 'OK', message: expect.stringContaining('KOMOJU was not contacted') });
		expect((await run(secret)).message).toContain('ping');
	});

	it.each(['', ' padded ', undefined])('refuses %p', async (value) => {
		expect((await run(value)).status).toBe('Error');
	});
});
