## -*- texinfo -*-
## statarb_mc_portfolio (R, w, opts): Monte Carlo of a daily-rebalanced portfolio's wealth paths.
##   R     n × k asset simple returns (rows = days), w  k × 1 weights.
##   opts  struct: method "block" (moving-block bootstrap of whole rows, keeping the cross-section)
##         or "gbm" (multivariate geometric Brownian motion with the sample mean and covariance of the
##         log returns); simulations, horizon (days), blockSize, seed, keepPaths.
## Returns struct: finalWealth (sims × 1), annualReturn, annualVolatility, maxDrawdown (compounded,
## ≤ 0), and paths (horizon × keepPaths wealth paths).
function out = statarb_mc_portfolio (R, w, opts)
  if (nargin < 3)
    opts = struct ();
  endif
  method = getfield_or (opts, "method", "block");
  sims = getfield_or (opts, "simulations", 1000);
  horizon = getfield_or (opts, "horizon", rows (R));
  block = getfield_or (opts, "blockSize", 20);
  seed = getfield_or (opts, "seed", 42);
  keep = min (getfield_or (opts, "keepPaths", 20), sims);
  w = w(:);
  if (columns (R) != numel (w))
    error ("statarb:mc", "statarb_mc_portfolio: R has %d assets but w has %d weights", columns (R), numel (w));
  endif
  if (any (! isfinite (R(:))))
    error ("statarb:mc", "statarb_mc_portfolio: R contains NaN or Inf; drop missing rows first");
  endif
  rand ("seed", seed);
  randn ("seed", seed);
  n = rows (R);
  port = zeros (horizon, sims);
  switch (method)
    case "block"
      if (block > n)
        error ("statarb:mc", "statarb_mc_portfolio: blockSize %d exceeds the %d days of data", block, n);
      endif
      pr = R * w;
      nb = ceil (horizon / block);
      starts = floor (rand (nb, sims) * (n - block + 1)) + 1;
      idx = reshape (bsxfun (@plus, permute (starts, [3, 1, 2]), (0:block - 1)'), nb * block, sims);
      port = pr(idx(1:horizon, :));
    case "gbm"
      X = log1p (R);
      mu = mean (X, 1)';
      S = cov (X);
      L = chol (S + 1e-14 * eye (columns (R)), "lower");
      for s = 1:sims
        Z = randn (horizon, columns (R));
        x = bsxfun (@plus, Z * L', mu');
        port(:, s) = expm1 (x) * w;
      endfor
    otherwise
      error ("statarb:mc", "statarb_mc_portfolio: method must be \"block\" or \"gbm\", got \"%s\"", method);
  endswitch
  wealth = cumprod (1 + port, 1);
  peak = max (cummax (wealth, 1), 1);
  dd = wealth ./ peak - 1;
  out.finalWealth = wealth(end, :)';
  out.annualReturn = (wealth(end, :)' .^ (252 / horizon)) - 1;
  out.annualVolatility = std (port, 0, 1)' * sqrt (252);
  out.maxDrawdown = min (min (dd, [], 1), 0)';
  out.paths = wealth(:, 1:keep);
endfunction

function v = getfield_or (s, name, default)
  if (isstruct (s) && isfield (s, name) && ! isempty (s.(name)))
    v = s.(name);
  else
    v = default;
  endif
endfunction
