import type { IDataObject } from 'n8n-workflow';

/** KOMOJU's error body: `{"error": {...}}`, where `error` is sometimes a bare string. */
export interface KomojuErrorBody {
	error?:
		| string
		| {
				code?: string;
				message?: string;
				param?: string | null;
				details?: unknown;
		  };
}

export interface KomojuSecureToken extends IDataObject {
	id: string;
	verification_status: string;
	authentication_url?: string;
	created_at?: string;
}

/** What one operation needs to know about the run it is part of. */
export interface ExecutionScope {
	instanceId: string;
	workflowId: string;
	/** Names this execution for idempotency keys; the same in its retries (see idempotencyRoot). */
	idempotencyRoot: string;
	nodeId: string;
	runIndex: number;
}
