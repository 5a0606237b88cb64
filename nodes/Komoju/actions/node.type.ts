import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ExecutionScope } from '../helpers/interfaces';

/** One item in, one KOMOJU object (or several) out. The router does the rest. */
export type OperationExecute = (
	this: IExecuteFunctions,
	itemIndex: number,
	scope: ExecutionScope,
) => Promise<IDataObject | IDataObject[]>;

export interface Operation {
	description: INodeProperties[];
	execute: OperationExecute;
}

export type KomojuNodeMap = {
	customer: 'create' | 'delete' | 'get' | 'getAll' | 'update';
	event: 'get' | 'getAll';
	payment: 'cancel' | 'capture' | 'create' | 'get' | 'getAll' | 'refund' | 'update';
	secureToken: 'create' | 'get';
	session: 'cancel' | 'create' | 'get';
	token: 'create';
};

export type KomojuResource = keyof KomojuNodeMap;

export type OperationRegistry = {
	[R in KomojuResource]: Record<KomojuNodeMap[R], Operation>;
};
