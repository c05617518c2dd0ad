// eigh's tridiagonal divide and conquer (eigh_dc.cc): LAPACK dstedc's COMPZ = 'I' path with its
// merges' secular equations and rank-one eigenvectors in vector arithmetic.
#pragma once
#include <cstdint>

// eighTridiagonalDC's "not handled" result: the caller runs LAPACK's dstedc on the same (d, e).
constexpr int64_t kDcNotHandled = -1;

// Every eigenvalue (ascending, into d) and unit eigenvector (columns of the n × n z, leading
// dimension ldz) of the symmetric tridiagonal (d, e: n − 1 off-diagonal entries; both overwritten),
// as dstedc('I', …) computes them, to rounding. work: lwork ≥ 1 + 5n + n² doubles; iwork: liwork ≥
// 3 + 5n. Returns 0, LAPACK's info (> 0: a merge failed), or kDcNotHandled (n ≤ 25, a negligible
// off-diagonal entry, a norm outside 1e±140, a short workspace) before touching anything.
int64_t eighTridiagonalDC(int64_t n, double* d, double* e, double* z, int64_t ldz, double* work, int64_t lwork, int64_t* iwork,
                          int64_t liwork);
