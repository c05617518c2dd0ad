## -*- texinfo -*-
## statarb_mv_qp (mu, Sigma, opts): constrained mean-variance weights with core Octave's `qp`.
##   minimise  (gamma/2) w' Sigma w - mu' w   subject to  sum(w) = 1,  lb <= w <= ub
## opts: riskAversion (gamma, default 1), lb (default 0: long only), ub (default 1), target (a required
## expected return mu' w = target, optional). Octave's `quadprog` lives in the optim package (not
## installed here); `qp` is core Octave and solves the same problem.
## Returns struct: weights, objective, expectedReturn, variance, info (qp's info.info code: 0 = ok).
function out = statarb_mv_qp (mu, Sigma, opts)
  if (nargin < 3)
    opts = struct ();
  endif
  mu = mu(:);
  k = numel (mu);
  if (! isequal (size (Sigma), [k, k]))
    error ("statarb:qp", "statarb_mv_qp: Sigma must be %d × %d to match mu", k, k);
  endif
  g = getopt (opts, "riskAversion", 1);
  lb = getopt (opts, "lb", 0) .* ones (k, 1);
  ub = getopt (opts, "ub", 1) .* ones (k, 1);
  A = ones (1, k);
  b = 1;
  if (isfield (opts, "target") && ! isempty (opts.target))
    A = [A; mu'];
    b = [b; opts.target];
  endif
  H = g * (Sigma + Sigma') / 2;
  x0 = ones (k, 1) / k;
  [w, obj, info] = qp (x0, H, -mu, A, b, lb, ub);
  if (info.info != 0)
    error ("statarb:qp", "statarb_mv_qp: qp did not solve the problem (info %d: %s)", info.info, qp_reason (info.info));
  endif
  out.weights = w;
  out.objective = obj;
  out.expectedReturn = mu' * w;
  out.variance = w' * Sigma * w;
  out.iterations = info.solveiter;
endfunction

function v = getopt (s, name, default)
  if (isfield (s, name) && ! isempty (s.(name)))
    v = s.(name);
  else
    v = default;
  endif
endfunction

function r = qp_reason (code)
  switch (code)
    case 1
      r = "the problem is not convex; local solution";
    case 2
      r = "the problem is not convex and unbounded";
    case 3
      r = "maximum number of iterations reached";
    case 6
      r = "the problem is infeasible";
    otherwise
      r = "unknown";
  endswitch
endfunction
