// Tiled GEMM (M > GEMV_MAX_ROWS): each workgroup computes a TILE_M x TILE_N block of
// the output, staging TILE_K-wide slices of lhs and weights through shared memory;
// each invocation owns a TM x TN register block (rows ty + i*THREADS_M, columns
// tx + j*THREADS_N, so neighbouring invocations store neighbouring columns).
layout(local_size_x = WG_SIZE) in;

#define TN 4u
#define THREADS_N (TILE_N / TN)
#define THREADS_M (WG_SIZE / THREADS_N)
#define TM (TILE_M / THREADS_M)
#define TILE_K4 (TILE_K / 4u)

shared K4_T lhsTile[TILE_K4][TILE_M];
shared K4_T weightTile[TILE_K4][TILE_N];

void main() {
  const uint tid = gl_LocalInvocationID.x;
  const uint rowBase = gl_WorkGroupID.y * TILE_M;
  const uint colBase = gl_WorkGroupID.x * TILE_N;
  const uint ty = tid / THREADS_N, tx = tid % THREADS_N;

  ACC_T acc[TM][TN];
  for (uint i = 0u; i < TM; ++i)
    for (uint j = 0u; j < TN; ++j)
      acc[i][j] = ACC_T(0);
#if SCHEME_QB4W
  float facc[TM][TN];
  int rowZp[TM];
  for (uint i = 0u; i < TM; ++i) {
    uint m = rowBase + ty + i * THREADS_M;
    rowZp[i] = m < GEMM_M ? rowZeroPoints[m] : 0;
    for (uint j = 0u; j < TN; ++j)
      facc[i][j] = 0.0;
  }
#endif
#if COLUMN_SUMS
  int colSum[TN];
  for (uint j = 0u; j < TN; ++j)
    colSum[j] = 0;
#endif

  for (uint kq0 = 0u; kq0 < ROW_K4; kq0 += TILE_K4) {
    // k fastest across invocations: consecutive invocations read consecutive words.
    for (uint u = tid; u < TILE_K4 * TILE_M; u += WG_SIZE)
      lhsTile[u % TILE_K4][u / TILE_K4] = loadLhs4(rowBase + u / TILE_K4, kq0 + u % TILE_K4);
    for (uint u = tid; u < TILE_K4 * TILE_N; u += WG_SIZE)
      weightTile[u % TILE_K4][u / TILE_K4] = loadWeights4(colBase + u / TILE_K4, kq0 + u % TILE_K4);
    barrier();
    for (uint kq = 0u; kq < TILE_K4; ++kq) {
      K4_T a[TM], b[TN];
      for (uint i = 0u; i < TM; ++i)
        a[i] = lhsTile[kq][ty + i * THREADS_M];
      for (uint j = 0u; j < TN; ++j)
        b[j] = weightTile[kq][tx + j * THREADS_N];
      for (uint i = 0u; i < TM; ++i)
        for (uint j = 0u; j < TN; ++j)
          acc[i][j] = mac4(acc[i][j], a[i], b[j]);
#if COLUMN_SUMS
      for (uint j = 0u; j < TN; ++j)
        colSum[j] += weightSum4(b[j]);
#endif
#if SCHEME_QB4W
      uint kEnd = 4u * (kq0 + kq + 1u);
      if (kEnd % BLOCK_SIZE == 0u && kEnd <= GEMM_K) {
        for (uint i = 0u; i < TM; ++i)
          for (uint j = 0u; j < TN; ++j) {
            facc[i][j] = foldBlock(facc[i][j], acc[i][j], rowZp[i],
                                   min(colBase + tx + j * THREADS_N, GEMM_N - 1u),
                                   kEnd / BLOCK_SIZE - 1u);
            acc[i][j] = 0;
          }
      }
#endif
    }
    barrier();
  }

  for (uint i = 0u; i < TM; ++i) {
    uint m = rowBase + ty + i * THREADS_M;
    for (uint j = 0u; j < TN; ++j) {
      uint n = colBase + tx + j * THREADS_N;
      if (m < GEMM_M && n < GEMM_N) {
#if SCHEME_QB4W
        storeResult(m, n, facc[i][j]);
#elif COLUMN_SUMS
        storeResult(m, n, acc[i][j] - LHS_ZP * colSum[j]);
#else
        storeResult(m, n, acc[i][j]);
#endif
      }
    }
  }
}
