// GEMM for every M (decode and prefill): each invocation computes a TM x TN register
// tile of the output, TM = TILE_M rows (all of the workgroup's rows) and TN columns
// strided by WG_SIZE (colBase + j * WG_SIZE), reading both operands straight from
// their buffers one K chunk (TILE_K values, loaded as wide as alignment allows) at a
// time and accumulating every output in ascending k.
//
// Why no shared memory (docs/codegen.md has the measurements): on lavapipe the
// invocations of a workgroup are SIMD lanes of one CPU thread, every load or store
// whose address differs between lanes is a loop over the lanes, shared memory
// included, and each barrier() switches coroutines. Staging through shared memory
// therefore adds a store and a second load per value instead of saving traffic; what
// cuts the cost is reuse in registers (each weight chunk feeds TM rows, each lhs
// chunk TN columns) and few, wide loads.
layout(local_size_x = WG_SIZE) in;

#define TM TILE_M
#define TN (TILE_N / WG_SIZE)

// qb4w walks K block by block and folds each block into a float sum after its last
// chunk: nested loops instead of a test on every chunk, which would run on every
// SIMD lane every time (lavapipe executes both sides of a branch under a mask). The
// block parameters (weight sums and scales) of FOLD_BLOCKS blocks are loaded at once.
#if SCHEME_QB4W
#define OUTER_STEPS GROUPS
#define CHUNKS_PER_STEP (BLOCK_SIZE / TILE_K)
#else
#define OUTER_STEPS 1u
#define CHUNKS_PER_STEP CHUNKS
#endif

void main() {
  const uint rowBase = gl_WorkGroupID.y * TM;
  const uint colBase = gl_WorkGroupID.x * TILE_N + gl_LocalInvocationID.x;
  // Rows and columns past the edge repeat the last one (their results are not
  // stored), so the loads need no bounds checks.
  uint rows[TM], cols[TN];
  for (uint i = 0u; i < TM; ++i)
    rows[i] = min(rowBase + i, GEMM_M - 1u);
  for (uint j = 0u; j < TN; ++j)
    cols[j] = min(colBase + j * WG_SIZE, GEMM_N - 1u);

  ACC_T acc[TM][TN];
  for (uint i = 0u; i < TM; ++i)
    for (uint j = 0u; j < TN; ++j)
      acc[i][j] = ACC_T(0);
#if SCHEME_QB4W
  float facc[TM][TN];
  int rowZp[TM];
  for (uint i = 0u; i < TM; ++i) {
    rowZp[i] = rowZeroPoints[rows[i]];
    for (uint j = 0u; j < TN; ++j)
      facc[i][j] = 0.0;
  }
#endif
#if COLUMN_SUMS
  int colSum[TN];
  for (uint j = 0u; j < TN; ++j)
    colSum[j] = 0;
#endif

  for (uint group = 0u; group < OUTER_STEPS; group += uint(FOLD_BLOCKS)) {
#if SCHEME_QB4W
    BlockParams params[TN];
    for (uint j = 0u; j < TN; ++j)
      params[j] = loadBlockParams(cols[j], group);
#endif
    for (uint b = 0u; b < uint(FOLD_BLOCKS); ++b) {
      const uint step = group + b;
      for (uint s = 0u; s < CHUNKS_PER_STEP; ++s) {
        const uint c = step * CHUNKS_PER_STEP + s;
        K4_T w[TN][CHUNK_K4];
        for (uint j = 0u; j < TN; ++j)
          loadWeightChunk(cols[j], c, w[j]);
        for (uint i = 0u; i < TM; ++i) {
          K4_T a[CHUNK_K4];
          loadLhsChunk(rows[i], c, a);
          for (uint j = 0u; j < TN; ++j)
            for (uint q = 0u; q < CHUNK_K4; ++q)
              acc[i][j] = mac4(acc[i][j], a[q], w[j][q]);
        }
#if COLUMN_SUMS
        for (uint j = 0u; j < TN; ++j)
          for (uint q = 0u; q < CHUNK_K4; ++q)
            colSum[j] += weightSum4(w[j][q]);
#endif
      }
#if SCHEME_QB4W
      for (uint i = 0u; i < TM; ++i)
        for (uint j = 0u; j < TN; ++j) {
          facc[i][j] = foldBlock(facc[i][j], acc[i][j], rowZp[i], params[j], b);
          acc[i][j] = 0;
        }
#endif
    }
  }

  for (uint i = 0u; i < TM; ++i) {
    const uint m = rowBase + i;
    for (uint j = 0u; j < TN; ++j) {
      const uint n = colBase + j * WG_SIZE;
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
