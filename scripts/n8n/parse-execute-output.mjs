// Extracts the run JSON from the stdout of `n8n execute --id=<id> --rawOutput`.
// n8n prints it through its logger between other log lines, pretty-printed: it starts at
// the first line that is exactly "{" and ends at the next line that is exactly "}".
//
// CLI: node parse-execute-output.mjs <stdout-file> [n8n-exit-code]
//   prints the other lines to stderr and the run as one JSON line to stdout;
//   exits 0 if the run's status is "success", 1 if it is not, 2 if there is no run JSON.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export function parseExecuteOutput(text) {
	const lines = text.split('\n');
	const start = lines.indexOf('{');
	const end = start < 0 ? -1 : lines.indexOf('}', start);
	if (end < 0) return { run: null, logs: text };
	return {
		run: JSON.parse(lines.slice(start, end + 1).join('\n')),
		logs: [...lines.slice(0, start), ...lines.slice(end + 1)].join('\n'),
	};
}

/** Output items of a node's first run, first output: [{ json, pairedItem }, ...]. */
export function nodeItems(run, nodeName) {
	return run?.data?.resultData?.runData?.[nodeName]?.[0]?.data?.main?.[0] ?? null;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const [file, exitCode = ''] = process.argv.slice(2);
	const { run, logs } = parseExecuteOutput(readFileSync(file, 'utf8'));
	process.stderr.write(logs.endsWith('\n') ? logs : logs + '\n');
	if (!run) {
		console.error(`No run JSON in the output of n8n execute (exit code ${exitCode || '?'})`);
		process.exit(2);
	}
	// n8n 2.40.7 exits without disposing its isolated-vm expression engine and sometimes
	// segfaults (exit 139) after printing a complete result: the JSON is what counts.
	console.log(JSON.stringify(run));
	process.exit(run.status === 'success' ? 0 : 1);
}
