# statarb R statistics (sourced into "statarb:bridge" by bridges/r/stats.ts).
# Johansen (urca::ca.jo), ADF (urca::ur.df), GARCH(1,1) (tseries::garch) and performance statistics.
# Every function takes plain vectors/matrices (sent as binary float64) and returns a named list.

need <- function(pkg, deb) {
  if (!requireNamespace(pkg, quietly = TRUE)) stop(sprintf("the R package %s is missing: install the Debian package %s (bash scripts/setup)", pkg, deb), call. = FALSE)
}

as_data_matrix <- function(x) {
  if (is.data.frame(x)) x <- as.matrix(x[vapply(x, is.numeric, NA)])
  if (is.null(dim(x))) stop("expected a matrix or data.frame of series", call. = FALSE)
  storage.mode(x) <- "double"
  if (is.null(colnames(x))) colnames(x) <- paste0("x", seq_len(ncol(x)))
  x
}

# Johansen trace and max-eigenvalue tests. urca orders statistics from r <= n-1 down to r = 0;
# they are returned here for r = 0 .. n-1 (statsmodels' order).
statarb_johansen <- function(x, ecdet = "none", K = 2L, spec = "transitory") {
  need("urca", "r-cran-urca")
  x <- as_data_matrix(x)
  tr <- urca::ca.jo(x, type = "trace", ecdet = ecdet, K = as.integer(K), spec = spec)
  ev <- urca::ca.jo(x, type = "eigen", ecdet = ecdet, K = as.integer(K), spec = spec)
  n <- ncol(x)
  rev_rows <- function(m) m[rev(seq_len(nrow(m))), , drop = FALSE]
  list(
    trace = rev(unname(tr@teststat)),
    maxEig = rev(unname(ev@teststat)),
    eigenvalues = unname(tr@lambda[seq_len(n)]),
    traceCrit = unname(rev_rows(tr@cval)),
    maxEigCrit = unname(rev_rows(ev@cval)),
    eigenvectors = unname(tr@V[seq_len(n), seq_len(n), drop = FALSE]),
    nobs = nrow(tr@Z0),
    ecdet = ecdet, K = as.integer(K), spec = spec
  )
}

# ADF test with urca::ur.df: type "none" / "drift" / "trend", fixed lags or AIC/BIC selection.
statarb_adf <- function(x, type = "drift", lags = 1L, selectlags = "Fixed") {
  need("urca", "r-cran-urca")
  r <- urca::ur.df(as.double(x), type = type, lags = as.integer(lags), selectlags = selectlags)
  cv <- r@cval[1, ]
  list(
    statistic = unname(r@teststat[1, 1]),
    statistics = unname(r@teststat[1, ]),
    criticalValues = list(`1%` = unname(cv[[1]]), `5%` = unname(cv[[2]]), `10%` = unname(cv[[3]])),
    usedLag = length(grep("z.diff.lag", rownames(r@testreg$coefficients), fixed = TRUE)),
    nobs = as.integer(r@testreg$df[[1]] + r@testreg$df[[2]]),
    type = type
  )
}

# GARCH(1,1) by quasi-maximum likelihood (tseries::garch).
statarb_garch <- function(x) {
  need("tseries", "r-cran-tseries")
  x <- as.double(x)
  fit <- tseries::garch(x, order = c(1L, 1L), trace = FALSE)
  co <- coef(fit)
  se <- sqrt(diag(fit$vcov))
  h <- fit$fitted.values[, 1]
  list(
    omega = unname(co[["a0"]]), alpha = unname(co[["a1"]]), beta = unname(co[["b1"]]),
    se = unname(as.double(se)),
    logLik = as.double(logLik(fit)),
    conditionalVolatility = as.double(h),
    nobs = as.integer(fit$n.used)
  )
}

# Performance statistics with empyrical's definitions (DESIGN.md numerical conventions).
statarb_performance <- function(r, periods = 252, rf = 0) {
  r <- as.double(r)
  ok <- r[!is.na(r)]
  ex <- ok - rf
  wealth <- cumprod(1 + ok)
  peak <- cummax(c(1, wealth))[-1]
  dd <- wealth / pmax(peak, 1) - 1
  mdd <- min(0, dd)
  years <- length(r) / periods
  cagr <- prod(1 + ok)^(1 / years) - 1
  down <- sqrt(mean(pmin(ok, 0)^2)) * sqrt(periods)
  list(
    annualReturn = cagr,
    annualVolatility = sd(ok) * sqrt(periods),
    sharpeRatio = mean(ex) / sd(ex) * sqrt(periods),
    sortinoRatio = mean(ok) * periods / down,
    maxDrawdown = mdd,
    calmarRatio = if (mdd < 0) cagr / abs(mdd) else NaN,
    skewness = mean((ok - mean(ok))^3) / mean((ok - mean(ok))^2)^1.5,
    excessKurtosis = mean((ok - mean(ok))^4) / mean((ok - mean(ok))^2)^2 - 3,
    historicalVaR95 = -unname(quantile(ok, 0.05, type = 7))
  )
}
