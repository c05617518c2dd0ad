/**
 * lib/stats: matrices and linear algebra (column-major `Matrix`), OLS (statsmodels conventions,
 * nonrobust or Newey-West HAC), PCA, ADF / Engle-Granger / Johansen tests with MacKinnon p-values,
 * OU / half-life / hedge-ratio estimators, distributions and a seeded PRNG.
 *
 * One home per numerical concept (DESIGN.md): the seeded generator (`random.ts`), Cholesky and the
 * row-major dense kernels (`dense.ts`, also behind `cholesky(Matrix)`), the normal cdf/quantile
 * (`distributions.ts`), quantiles and selection (`descriptive.ts`), and the symmetric eigen-decomposition
 * (`eigh`: native Eigen when built, TypeScript otherwise) live here and nowhere else.
 */
export { Matrix, matrix, toMatrix, toSeries, matmul, matvec, crossprod, gram } from "./matrix.js";
export type { MatrixLike, SeriesLike } from "./matrix.js";
export {
  cholesky,
  solve,
  inverse,
  determinant,
  luDecompose,
  qrDecompose,
  lstsq,
  solveLower,
  solveLowerTransposed,
  choleskySolveSPD,
} from "./linalg.js";
export type { LUDecomposition, QRDecomposition } from "./linalg.js";
export { choleskyInPlace, choleskyInPlaceOrThrow, choleskySemidefinite, choleskySolveInPlace, solveSPD, solveDense } from "./dense.js";
export type { CholeskyOptions } from "./dense.js";
export { eigh } from "./eigen.js";
export type { EighResult, EighOptions } from "./eigen.js";
export { hasNativeLinalg, nativePcaKernels, nativeWindowEigen, nativeResidualFits, NATIVE_LINALG_MISSING } from "./native-linalg.js";
export type { PcaKernels, NativeResidualFits } from "./native-linalg.js";
export { nativeRankWeights, type RankWeightsKernel, nativeAsofJoin, type AsofJoinKernel, nativeDuckRead, type DuckReadKernel, outputBuffer } from "./native-linalg.js";
export { ols, fDistSf } from "./ols.js";
export type { OLSOptions, OLSResult, OLSCovType, Regressors } from "./ols.js";
export { pca } from "./pca.js";
export type { PCAOptions, PCAResult } from "./pca.js";
export { adf } from "./adf.js";
export { olsSummary, adfSummary, pcaSummary, cointSummary, johansenSummary } from "./summary.js";
export type { OLSSummaryFields, ADFSummaryFields, PCASummaryFields, CointSummaryFields, JohansenSummaryFields } from "./summary.js";
export type { ADFOptions, ADFResult, ADFRegression, ADFAutolag, CriticalValues } from "./adf.js";
export { coint } from "./coint.js";
export type { CointOptions, CointResult } from "./coint.js";
export { johansen } from "./johansen.js";
export type { JohansenOptions, JohansenResult } from "./johansen.js";
export { mackinnonPValue, mackinnonCriticalValues } from "./mackinnon.js";
export type { MacKinnonRegression } from "./mackinnon.js";
export { hedgeRatio, halfLife, ouFit, ouSScore, ouSScores } from "./ou.js";
export type { HedgeRatioOptions, OUFitOptions, OUFit } from "./ou.js";
export {
  normalPdf,
  normalCdf,
  normalSf,
  normalPpf,
  logGamma,
  logBeta,
  incompleteBeta,
  studentTCdf,
  studentTSf,
  studentTPdf,
  studentTPpf,
  studentTTwoSided,
} from "./distributions.js";
export { createRng, seededUniform } from "./random.js";
export type { RandomGenerator } from "./random.js";
export {
  mean,
  variance,
  stdDev,
  nanMean,
  nanStd,
  dropNaN,
  quantile,
  quantileSorted,
  quantileInPlace,
  selectInPlace,
  smallestValues,
  smallestValuesIfFinite,
  typedLength,
  quantileLerp,
  completeCases,
  skewness,
  kurtosis,
  covariance,
  correlation,
  covMatrix,
  corrMatrix,
} from "./descriptive.js";
export type { QuantileMethod, QuantileOptions } from "./descriptive.js";
export { sharpeDifferenceTest } from "./sharpe-difference.js";
export type { SharpeDifferenceOptions, SharpeDifferenceResult } from "./sharpe-difference.js";
export { syntheticPairsMarket } from "./synthetic-market.js";
export type { SyntheticMarket, SyntheticMarketOptions } from "./synthetic-market.js";
