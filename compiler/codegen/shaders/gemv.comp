// GEMV (M <= GEMV_MAX_ROWS, e.g. M = 1 decode): each invocation owns one output column
// for all M rows and reduces over K in ascending order, reading its weight row
// directly (every weight is used M times only, so staging it would not pay); the
// few lhs rows are staged through shared memory TILE_K at a time. On lavapipe the 8
// lanes of a subgroup are the SIMD lanes of one CPU thread, so one column per lane
// needs no cross-lane reduction.
layout(local_size_x = WG_SIZE) in;

#define TILE_K4 (TILE_K / 4u)

shared K4_T lhsTile[GEMM_M][TILE_K4];

void main() {
  const uint tid = gl_LocalInvocationID.x;
  const uint n = gl_WorkGroupID.x * WG_SIZE + tid;
  const uint weightRow = min(n, GEMM_N - 1u); // spare invocations repeat the last column

  ACC_T acc[GEMM_M];
  for (uint r = 0u; r < GEMM_M; ++r)
    acc[r] = ACC_T(0);
#if SCHEME_QB4W
  float facc[GEMM_M];
  int rowZp[GEMM_M];
  for (uint r = 0u; r < GEMM_M; ++r) {
    facc[r] = 0.0;
    rowZp[r] = rowZeroPoints[r];
  }
#endif
#if COLUMN_SUMS
  int colSum = 0;
#endif

  for (uint kq0 = 0u; kq0 < ROW_K4; kq0 += TILE_K4) {
    for (uint u = tid; u < GEMM_M * TILE_K4; u += WG_SIZE)
      lhsTile[u / TILE_K4][u % TILE_K4] = loadLhs4(u / TILE_K4, kq0 + u % TILE_K4);
    barrier();
    const uint kqEnd = min(TILE_K4, ROW_K4 - kq0);
    for (uint kq = 0u; kq < kqEnd; ++kq) {
      K4_T b = loadWeights4(weightRow, kq0 + kq);
      for (uint r = 0u; r < GEMM_M; ++r)
        acc[r] = mac4(acc[r], lhsTile[r][kq], b);
#if COLUMN_SUMS
      colSum += weightSum4(b);
#endif
#if SCHEME_QB4W
      uint kEnd = 4u * (kq0 + kq + 1u);
      if (kEnd % BLOCK_SIZE == 0u) {
        for (uint r = 0u; r < GEMM_M; ++r) {
          facc[r] = foldBlock(facc[r], acc[r], rowZp[r], weightRow, kEnd / BLOCK_SIZE - 1u);
          acc[r] = 0;
        }
      }
#endif
    }
    barrier();
  }

  if (n < GEMM_N) {
    for (uint r = 0u; r < GEMM_M; ++r) {
#if SCHEME_QB4W
      storeResult(r, n, facc[r]);
#elif COLUMN_SUMS
      storeResult(r, n, acc[r] - LHS_ZP * colSum);
#else
      storeResult(r, n, acc[r]);
#endif
    }
  }
}
