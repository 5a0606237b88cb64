import type { INode } from 'n8n-workflow';

/** The node that errors are raised for in unit tests. */
export const testNode: INode = {
	id: 'node-1',
	name: 'KOMOJU',
	type: 'n8n-nodes-komoju.komoju',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
