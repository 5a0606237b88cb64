/** KOMOJU's test cards (sandbox/README.md lists what the sandbox does with each). */
export const CARDS = {
	frictionlessOk: '4100000000000100',
	challengeOk: '4100000000005000',
	frictionlessFail: '4100000000500000',
	challengeFail: '4100000000300005',
	/** "Regular success" card: created as SKIPPED, no 3DS. */
	regular: '4111111111111111',
	insufficientFunds: '4123111111111000',
};

/** An expiry year that stays valid for a few years of test runs. */
export const FUTURE_YEAR = new Date().getUTCFullYear() + 3;
