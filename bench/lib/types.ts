/** One run's measurements: bench.ts fills them, report.ts renders them (kept apart so neither imports the other). */
export interface NodeRun {
	label: string;
	items: number;
	/** The node's executionTime (ms). */
	nodeMs: number;
	wallMs: number;
	status: string;
	outputItems: number;
	errorItems: number;
	nodeError?: string;
	idleRssMb: number;
	peakRssMb: number;
	hwmBeforeMb: number;
	hwmAfterMb: number;
	cpuMs: number;
	/** 1-minute load average when the run started and when it ended (the machine is shared). */
	loads: [number, number];
}

export interface RawRun {
	label: string;
	concurrency: number;
	items: number;
	ms: number;
	statuses: Record<string, number>;
	errors: number;
}

export interface CreateCount {
	label: string;
	requests: number;
	statuses: Record<string, number>;
	itemsWithToken: number;
	itemsWithoutToken: number;
	duplicates: number;
	maxTokensPerItem: number;
}
