/**
 * Runs workflows through n8n-core's real engine (WorkflowExecute) over real HTTP.
 *
 *   const result = await runWorkflow({
 *     nodes: [itemsNode([{ amount: 100 }]), { ...komojuNode }],
 *     connections: chain('Items', 'KOMOJU'),
 *     nodeTypes: { 'n8n-nodes-komoju.komoju': new Komoju() },
 *     credentialTypes: { komojuApi: new KomojuApi() },
 *     credentials: { komojuApi: { secretKey: 'sk_test', baseUrl: sandbox.url } },
 *   });
 *   result.resultOf('KOMOJU');  // output items
 *   result.error;               // n8n's record of a workflow-stopping node error
 *
 * Importing this module sets N8N_USER_FOLDER (temp dir), N8N_ENCRYPTION_KEY and N8N_LOG_LEVEL.
 */
import './env';

import { randomInt } from 'node:crypto';
import { ExecutionLifecycleHooks, ExternalSecretsProxy, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type ExecutionError,
	type ExecutionStatus,
	type ICredentialType,
	type IConnections,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunData,
	type IRunExecutionData,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
	type IWorkflowSettings,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { HarnessCredentialsHelper, type HarnessCredentials } from './credentials-helper';
import { helperNodeTypes } from './helper-nodes';

export { HarnessCredentialsHelper, type HarnessCredentials } from './credentials-helper';
export { ITEMS_NODE_TYPE, ItemsNode, chain, helperNodeTypes, itemsNode } from './helper-nodes';

export interface RunWorkflowOptions {
	/** Copied before use: n8n writes parameter defaults into the nodes it runs. */
	nodes: INode[];
	connections: IConnections;
	/** Node types by type name (the INode `type`), e.g. 'n8n-nodes-komoju.komoju'. */
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	credentialTypes?: Record<string, ICredentialType>;
	/**
	 * Credential data keyed by credential id or credential type name (id wins). A node whose
	 * type declares a credential and that has no `credentials` entry for it gets
	 * `{ id: <type name>, name: <type name> }` when data for that type name is given.
	 */
	credentials?: HarnessCredentials;
	/** Default: a random numeric string, like n8n's ids. Visible to nodes as getExecutionId(). */
	executionId?: string;
	/** Name of the node to start from. Default: the only node without incoming connections. */
	startNode?: string;
	/** Default 'manual' (what "Execute workflow" in the editor uses). */
	mode?: WorkflowExecuteMode;
	/** Merged over `{ executionOrder: 'v1' }`. */
	settings?: IWorkflowSettings;
	/**
	 * The execution's custom data to start with, as n8n's Executions → Retry carries it over from
	 * the failed execution (the run starts from the start node, like a retry of the whole run).
	 */
	customData?: Record<string, string>;
}

/** An error as it left a node's execute(), before n8n copies it into a plain object. */
export interface ThrownError {
	node: string;
	error: unknown;
}

export interface WorkflowRunResult {
	executionId: string;
	status: ExecutionStatus;
	run: IRun;
	runData: IRunData;
	/** Set when a node error stopped the workflow. A plain-object copy (name, message, description, httpCode, context, node…). */
	error?: ExecutionError;
	/** Every error thrown out of a node's execute(), in order (one per failed try). Original instances. */
	thrown: ThrownError[];
	/** The execution's custom data when it ended (what a retry of it would start with). */
	customData: Record<string, string>;
	/** How many times the run loaded and decrypted a credential. */
	credentialDecryptions: number;
	/** Output items of one run of a node; throws if the node has no such run. */
	resultOf(nodeName: string, runIndex?: number, outputIndex?: number): INodeExecutionData[];
}

export async function runWorkflow(opts: RunWorkflowOptions): Promise<WorkflowRunResult> {
	const executionId = opts.executionId ?? String(randomInt(100_000, 1_000_000_000));
	const mode = opts.mode ?? 'manual';
	const workflowId = 'harness-workflow';
	const thrown: ThrownError[] = [];
	const nodeTypes = createNodeTypes({ ...helperNodeTypes, ...opts.nodeTypes }, thrown);
	const credentials = opts.credentials ?? {};
	const nodes = attachCredentials(structuredClone(opts.nodes), nodeTypes, credentials);
	const settings: IWorkflowSettings = { executionOrder: 'v1', ...opts.settings };

	const workflow = new Workflow({
		id: workflowId,
		name: 'harness',
		nodes,
		connections: opts.connections,
		active: false,
		nodeTypes,
		settings,
	});
	const startNode = workflow.getNode(opts.startNode ?? findStartNode(nodes, opts.connections));
	if (!startNode) throw new Error(`harness: start node "${opts.startNode}" not found`);

	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: workflowId,
		name: 'harness',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections: opts.connections,
		settings,
	});
	const credentialsHelper = new HarnessCredentialsHelper(opts.credentialTypes ?? {}, credentials);
	const additionalData = createAdditionalData({
		credentialsHelper,
		hooks,
		executionId,
		workflowId,
	});

	const run = opts.customData
		? await new WorkflowExecute(
				additionalData,
				mode,
				createRunExecutionData({
					executionData: { nodeExecutionStack: [{ node: startNode, data: { main: [[{ json: {} }]] }, source: null }] },
					resultData: { runData: {}, metadata: { ...opts.customData } } as Partial<IRunExecutionData['resultData']>,
				} as Parameters<typeof createRunExecutionData>[0]),
			).processRunExecutionData(workflow)
		: await new WorkflowExecute(additionalData, mode).run({ workflow, startNode });
	const { runData, error } = run.data.resultData;

	return {
		executionId,
		status: run.status,
		run,
		runData,
		error,
		thrown,
		customData: { ...(run.data.resultData.metadata ?? {}) } as Record<string, string>,
		credentialDecryptions: credentialsHelper.decryptions,
		resultOf(nodeName, runIndex = 0, outputIndex = 0) {
			const task = runData[nodeName]?.[runIndex];
			if (!task) {
				const ran = Object.keys(runData).join(', ') || 'none';
				throw new Error(`harness: node "${nodeName}" has no run ${runIndex} (nodes that ran: ${ran})`);
			}
			return task.data?.main?.[outputIndex] ?? [];
		},
	};
}

/**
 * INodeTypes over a plain record. Each node type with execute() is wrapped (prototype-linked,
 * so description/methods are unchanged) to record what it throws before n8n flattens it.
 */
function createNodeTypes(
	types: Record<string, INodeType | IVersionedNodeType>,
	thrown: ThrownError[],
): INodeTypes {
	const wrapped = new Map<INodeType, INodeType>();
	const wrap = (type: INodeType): INodeType => {
		const { execute } = type;
		if (!execute) return type;
		let wrapper = wrapped.get(type);
		if (!wrapper) {
			wrapper = Object.create(type, {
				execute: {
					async value(this: unknown, ...args: unknown[]) {
						try {
							return await (execute as (...a: unknown[]) => unknown).apply(this, args);
						} catch (error) {
							// Classic nodes get the context as `this`, class-style n8n nodes as the first argument.
							const context = (hasGetNode(this) ? this : args[0]) as { getNode(): INode };
							thrown.push({ node: context.getNode().name, error });
							throw error;
						}
					},
				},
			}) as INodeType;
			wrapped.set(type, wrapper);
		}
		return wrapper;
	};
	const get = (name: string): INodeType | IVersionedNodeType => {
		const type = types[name];
		if (!type) throw new Error(`harness: unknown node type "${name}"`);
		return type;
	};
	return {
		getByName: get,
		getByNameAndVersion(name, version) {
			const type = get(name);
			return wrap('nodeVersions' in type ? type.getNodeType(version) : type);
		},
		getKnownTypes: () => ({}),
	};
}

function hasGetNode(value: unknown): boolean {
	return typeof (value as { getNode?: unknown } | null)?.getNode === 'function';
}

function attachCredentials(nodes: INode[], nodeTypes: INodeTypes, data: HarnessCredentials): INode[] {
	for (const node of nodes) {
		const declared = nodeTypes.getByNameAndVersion(node.type, node.typeVersion).description.credentials ?? [];
		for (const { name } of declared) {
			if (node.credentials?.[name] || !data[name]) continue;
			node.credentials = { ...node.credentials, [name]: { id: name, name } };
		}
	}
	return nodes;
}

function findStartNode(nodes: INode[], connections: IConnections): string {
	const targets = new Set(
		Object.values(connections).flatMap((byType) =>
			Object.values(byType).flatMap((outputs) => outputs.flatMap((conns) => (conns ?? []).map((c) => c.node))),
		),
	);
	const roots = nodes.filter((node) => !targets.has(node.name) && !node.disabled);
	if (roots.length !== 1) {
		throw new Error(
			`harness: cannot pick a start node among [${roots.map((n) => n.name).join(', ')}]; pass startNode`,
		);
	}
	return roots[0].name;
}

function createAdditionalData(parts: {
	credentialsHelper: HarnessCredentialsHelper;
	hooks: ExecutionLifecycleHooks;
	executionId: string;
	workflowId: string;
}): IWorkflowExecuteAdditionalData {
	const unsupported = (what: string) => async (): Promise<never> => {
		throw new Error(`harness: ${what} is not supported`);
	};
	// Only used to build URLs ($execution.resumeUrl etc.); nothing listens there.
	const base = 'http://localhost:5678';
	return {
		...parts,
		externalSecretsProxy: new ExternalSecretsProxy(),
		currentNodeExecutionIndex: 0,
		variables: {},
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		executeWorkflow: unsupported('executeWorkflow (sub-workflows)'),
		startRunnerTask: unsupported('startRunnerTask (Code node task runners)'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
	};
}
