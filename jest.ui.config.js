/**
 * The browser test of the editor's texts (issue 13, point 4): `npm run test:ui`
 * (= `npm run build && jest -c jest.ui.config.js`). The real n8n 2.40.7 of the e2e run
 * (test/e2e/global-setup.ts: the packed package, the sandbox, `n8n start`), driven by headless
 * Debian chromium through playwright-core (test/ui/support/editor.ts).
 */
const { realProcessSuite } = require('./test/jest-suite');

module.exports = realProcessSuite({
	folder: 'ui',
	suffix: 'ui',
	setupFolder: 'e2e',
	// Each test opens the editor afresh; the first page load after n8n start compiles nothing but is the slowest.
	testTimeout: 120000,
	slowTestThreshold: 60,
});
