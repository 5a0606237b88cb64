/**
 * The install test (`npm run test:install`): the package published to a local registry and
 * installed the way users install it: through n8n's community-package installer (the editor's
 * REST calls, n8n's registry.npmjs.org served by the local registry through a proxy), and with
 * npm into ~/.n8n/nodes as the README says; plus the n8n scanner's lint legs. The sandbox's
 * contract check judges every request, as in the e2e.
 */
const { realProcessSuite } = require('../jest-suite');

module.exports = realProcessSuite({
	folder: 'install',
	suffix: 'install',
	setupFolder: 'install',
	// Every wait is a bounded poll of something observable (npm, n8n, the sandbox); none decides on timing.
	testTimeout: 180000,
	slowTestThreshold: 120,
});
