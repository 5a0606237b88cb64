/**
 * The compatibility matrix (`npm run test:compat`): the smoke of smoke.compat.ts against each
 * n8n version of versions.ts, installed into ~/.cache/n8n-nodes-komoju once per version by
 * global-setup.ts. The sandbox's contract check judges every request, as in the e2e.
 */
const { realProcessSuite } = require('../jest-suite');

module.exports = realProcessSuite({
	folder: 'compat',
	suffix: 'compat',
	setupFolder: 'compat',
	// Each test waits for n8n (webhooks, executions) with bounded polls; none decides on timing.
	testTimeout: 120000,
	slowTestThreshold: 60,
});
