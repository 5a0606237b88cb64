import {
	NodeConnectionTypes,
	NodeOperationError,
	type IConnections,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

export const ITEMS_NODE_TYPE = 'harness.items';

/**
 * Start node without a trigger: emits the JSON objects in its `items` parameter (a JSON array
 * string, an array, or an expression), one item each. WorkflowExecute feeds a start node one
 * empty item, so every emitted item gets `pairedItem: { item: 0 }`.
 */
export class ItemsNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Items',
		name: ITEMS_NODE_TYPE,
		group: ['input'],
		version: 1,
		description: 'Emits fixed items (test harness only)',
		defaults: { name: 'Items' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as unknown;
		const items = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
		if (!Array.isArray(items)) {
			throw new NodeOperationError(this.getNode(), '"items" must be a JSON array');
		}
		return [items.map((json) => ({ json: json as IDataObject, pairedItem: { item: 0 } }))];
	}
}

/** The harness's own node types, merged into every run. */
export const helperNodeTypes: Record<string, INodeType> = { [ITEMS_NODE_TYPE]: new ItemsNode() };

/** An "Items" workflow node emitting `items`. */
export function itemsNode(items: IDataObject[], name = 'Items'): INode {
	return {
		id: `harness-${name}`,
		name,
		type: ITEMS_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { items: JSON.stringify(items) },
	};
}

/** Main-output connections along a chain of node names: chain('Items', 'KOMOJU', 'Next'). */
export function chain(...names: string[]): IConnections {
	const connections: IConnections = {};
	for (let i = 0; i + 1 < names.length; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}
