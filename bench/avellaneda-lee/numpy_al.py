"""
The Avellaneda & Lee (2010) PCA strategy (15 eigenportfolios of the 252-day correlation matrix, 60-day
OU fits, centred s-scores, open |s| > 1.25 / close long s > -0.50 / close short s < 0.75, kappa > 252/30,
hedges fixed at entry, 2 % of equity per position, same-close fills, 5 bp a side) in numpy: the peer of
bench/avellaneda-lee/bench.ts, which times it beside statarb's runAvellanedaLee on the same prices.
Reads {"prices": [[...] per asset]} (JSON) from argv[1]; prints JSON {net, seconds, cpu}.
"""
import json, resource, sys, time
import numpy as np

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

def signals(R, t, W=252, L=60, K=15, kmin=252 / 30):
    win = R[t - W + 1:t + 1]
    mu, sd = win.mean(0), win.std(0, ddof=1)
    Y = (win - mu) / sd
    val, vec = np.linalg.eigh(Y @ Y.T / (W - 1))            # Gram path: n > W
    u, lam = vec[:, ::-1][:, :K], val[::-1][:K]
    Q = ((Y.T @ u) / np.sqrt((W - 1) * lam) / sd[:, None]).T  # K x n eigenportfolios
    r = R[t - L + 1:t + 1]
    X = np.hstack([np.ones((L, 1)), r @ Q.T])
    B = np.linalg.lstsq(X, r, rcond=None)[0]
    x = np.cumsum(r - X @ B, axis=0)
    x0, x1 = x[:-1], x[1:]
    m0, m1 = x0.mean(0), x1.mean(0)
    b = ((x0 - m0) * (x1 - m1)).sum(0) / ((x0 - m0) ** 2).sum(0)
    a = m1 - b * m0
    z = x1 - a - b * x0
    ok = (b > 0) & (b < 1)
    bb = np.where(ok, b, 0.5)
    kappa = np.where(ok, -np.log(bb) * 252, np.nan)
    m = np.where(ok, a / (1 - bb), np.nan)
    seq = np.where(ok, np.sqrt(z.var(0) / (1 - bb * bb)), np.nan)
    s = np.where(ok & (kappa > kmin), (x[-1] - (m - np.nanmean(m))) / seq, np.nan)
    return s, B[1:], Q

def step(pos, s):
    fin = np.isfinite(s)
    s = np.where(fin, s, 0.0)
    flat = np.where(s < -1.25, 1.0, np.where(s > 1.25, -1.0, 0.0))
    new = np.where(pos > 0, np.where(s > -0.5, 0.0, 1.0), np.where(pos < 0, np.where(s < 0.75, 0.0, -1.0), flat))
    return np.where(fin, new, 0.0)

def run(P, cost=0.0005, size=0.02, W=252):
    T, n = P.shape
    R = np.vstack([np.full((1, n), np.nan), P[1:] / P[:-1] - 1])
    pos, legs = np.zeros(n), {}
    held, net = np.zeros(n), []
    for t in range(W, T):
        s, beta, Q = signals(R, t)
        new = step(pos, s)
        for j in np.nonzero(new != pos)[0]:
            legs.pop(j, None)
            if new[j] != 0:
                leg = -new[j] * (beta[:, j] @ Q)
                leg[j] += new[j]
                legs[j] = leg
        pos = new
        target = size * (sum(legs.values()) if legs else np.zeros(n))
        g = float(held @ R[t]) if t > W else 0.0
        drifted = held * (1 + R[t]) / (1 + g) if t > W else held
        c = cost * np.abs(target - drifted).sum()
        net.append((1 + g) * (1 - c) - 1)
        held = target
    return np.array(net)

if __name__ == "__main__":
    P = np.array(json.load(open(sys.argv[1]))["prices"], dtype=float).T
    c0, t0 = cpu(), time.perf_counter()
    net = run(P)
    print(json.dumps({"net": net.tolist(), "seconds": time.perf_counter() - t0, "cpu": cpu() - c0}))
