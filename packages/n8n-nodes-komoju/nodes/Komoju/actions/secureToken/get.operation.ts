import {
	NodeOperationError,
	type INode,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { requestOptionsCollection } from '../options.shared';
import type { KomojuSecureToken } from '../../helpers/interfaces';
import { normaliseSecureToken } from '../../helpers/mappers';
import { requireId, requireWholeNumber } from '../../helpers/validation';
import { apiPath, komojuApiRequest, pollWhile, type RequestSettings } from '../../transport';
import type { ItemContext, Operation } from '../operation';

/** The status of a token whose customer has not finished authenticating yet. */
const PENDING_STATUS = 'NEEDS_VERIFY';

/** The statuses with which KOMOJU lets a secure token pay. */
const PAYABLE_STATUSES = ['OK', 'SKIPPED'];

function requirePayable(node: INode, itemIndex: number, token: KomojuSecureToken): KomojuSecureToken {
	if (PAYABLE_STATUSES.includes(token.verification_status)) return token;
	const status = String(token.verification_status);
	const hint =
		status === PENDING_STATUS
			? 'The customer has not finished 3D Secure at the authentication_url yet. Wait for the return to the Return URL, or use Wait for Final Status.'
			: 'The card failed or could not complete 3D Secure. Ask the customer for another card and create a new secure token.';
	throw new NodeOperationError(node, `Secure token ${token.id} is not verified: verification_status is ${status}`, {
		itemIndex,
		description: hint,
	});
}

export const option: Operation['option'] = {
	name: 'Get',
	description:
		'Get a secure token and its verification_status (OK once the customer has authenticated), optionally waiting until it is final',
	action: 'Get a secure token',
};

export const properties: INodeProperties[] = [
	{
		displayName: 'Secure Token',
		name: 'secureTokenId',
		type: 'resourceLocator',
		required: true,
		default: { mode: 'id', value: '' },
		description:
			'The ID returned by Create. KOMOJU also adds it to the return URL as secure_token_id, but that value passes through the customer’s browser: prefer the one from Create’s output.',
		modes: [
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				// n8n names a node added from the nodes panel after its action.
				placeholder: "e.g. {{ $('Create a secure token').item.json.id }}",
			},
		],
	},
	requestOptionsCollection([
		{
			displayName: 'Fail If Not Verified',
			name: 'failIfNotVerified',
			type: 'boolean',
			default: false,
			description:
				'Whether to stop with an error (or an error item, with Continue On Fail) unless verification_status is OK or SKIPPED, the two statuses a payment accepts',
		},
		{
			displayName: 'Wait for Final Status',
			name: 'waitForFinalStatus',
			type: 'boolean',
			default: false,
			description:
				'Whether to poll KOMOJU until verification_status is no longer NEEDS_VERIFY. When Wait Timeout runs out, the node returns the last status instead of failing.',
		},
		{
			displayName: 'Wait Timeout (Seconds)',
			name: 'waitTimeout',
			type: 'number',
			// Offered only once Wait for Final Status is on (a sibling inside this Options collection).
			displayOptions: { show: { waitForFinalStatus: [true] } },
			default: 120,
			typeOptions: { minValue: 1, maxValue: 3600, numberPrecision: 0 },
			description: 'With Wait for Final Status: the longest time to keep polling one token',
		},
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollInterval',
			type: 'number',
			// Offered only once Wait for Final Status is on (a sibling inside this Options collection).
			displayOptions: { show: { waitForFinalStatus: [true] } },
			default: 5,
			typeOptions: { minValue: 1, maxValue: 300, numberPrecision: 0 },
			description: 'With Wait for Final Status: the pause between two checks',
		},
	]),
];

async function fetchToken(
	this: IExecuteFunctions,
	id: string,
	settings: RequestSettings,
): Promise<KomojuSecureToken> {
	const body = await komojuApiRequest.call(
		this,
		{ method: 'GET', path: apiPath('secure_tokens', id) },
		settings,
	);
	return normaliseSecureToken(body);
}

export async function execute(this: IExecuteFunctions, item: ItemContext): Promise<IDataObject> {
	const { itemIndex } = item;
	const node = this.getNode();
	const id = requireId(
		node,
		itemIndex,
		this.getNodeParameter('secureTokenId', itemIndex, '', { extractValue: true }),
		'Secure Token ID',
	);
	const settings = item.settings;

	const waitForFinalStatus = Boolean(item.options.waitForFinalStatus);
	const timeoutMs =
		requireWholeNumber(node, itemIndex, item.options.waitTimeout ?? 120, 'Wait Timeout (Seconds)', 1, 3600) * 1000;
	const intervalMs =
		requireWholeNumber(node, itemIndex, item.options.pollInterval ?? 5, 'Poll Interval (Seconds)', 1, 300) * 1000;

	const failIfNotVerified = Boolean(item.options.failIfNotVerified);
	const token = await pollWhile(
		async () => await fetchToken.call(this, id, settings),
		(last) => waitForFinalStatus && last.verification_status === PENDING_STATUS,
		timeoutMs,
		() => intervalMs,
	);
	return failIfNotVerified ? requirePayable(node, itemIndex, token) : token;
}
