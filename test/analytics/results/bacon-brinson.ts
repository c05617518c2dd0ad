/**
 * Reference values for the Brinson-Fachler tests.
 *
 * Single period: the three-market example of Carl Bacon, "Practical Portfolio Performance
 * Measurement and Attribution", 2nd ed. (Wiley, 2008), chapter 5 (Brinson-Fachler): portfolio and
 * benchmark weights and returns by market. The effects below are recomputed by hand from the
 * chapter's formulas (the arithmetic is written out so every number can be checked on paper):
 *
 *   R_p = .4·20 + .3·(−5) + .3·6 = 8.3%      R_b = .4·10 + .2·(−4) + .4·8 = 6.4%   active 1.9%
 *   allocation  (w_p − w_b)(R_b,i − R_b):  UK 0·(10 − 6.4) = 0; Japan .1·(−4 − 6.4) = −1.04%;
 *                                           US −.1·(8 − 6.4) = −0.16%          total −1.20%
 *   selection   w_b(R_p,i − R_b,i):        UK .4·10 = 4.00%; Japan .2·(−1) = −0.20%;
 *                                           US .4·(−2) = −0.80%                total  3.00%
 *   interaction (w_p − w_b)(R_p,i − R_b,i): UK 0; Japan .1·(−1) = −0.10%; US −.1·(−2) = 0.20%
 *                                                                              total  0.10%
 *   −1.20 + 3.00 + 0.10 = 1.90 = 8.3 − 6.4 ✓
 */
export const BACON_THREE_MARKETS = {
  input: {
    sectors: ["UK equities", "Japanese equities", "US equities"],
    portfolioWeights: [0.4, 0.3, 0.3],
    benchmarkWeights: [0.4, 0.2, 0.4],
    portfolioReturns: [0.2, -0.05, 0.06],
    benchmarkReturns: [0.1, -0.04, 0.08],
  },
  expected: {
    portfolioReturn: 0.083,
    benchmarkReturn: 0.064,
    allocation: [0, -0.0104, -0.0016],
    selection: [0.04, -0.002, -0.008],
    interaction: [0, -0.001, 0.002],
    totals: { allocation: -0.012, selection: 0.03, interaction: 0.001 },
  },
} as const;

/**
 * Two periods for linking, built from the example above (period 2: the same weights, returns of
 * another quarter). Hand arithmetic of period 2:
 *   R_p = .4·5 + .3·2 + .3·(−3) = 1.7%     R_b = .4·4 + .2·1 + .4·(−1) = 1.4%   active 0.3%
 * Compounded: R_p = 1.083·1.017 − 1 = 10.1411%, R_b = 1.064·1.014 − 1 = 7.8896%,
 * active = 2.2515%, the number every linking method must reproduce exactly.
 */
export const TWO_PERIODS = {
  second: {
    sectors: ["UK equities", "Japanese equities", "US equities"],
    portfolioWeights: [0.4, 0.3, 0.3],
    benchmarkWeights: [0.4, 0.2, 0.4],
    portfolioReturns: [0.05, 0.02, -0.03],
    benchmarkReturns: [0.04, 0.01, -0.01],
  },
  expected: { portfolioReturn: 0.101411, benchmarkReturn: 0.078896, activeReturn: 0.022515 },
} as const;
