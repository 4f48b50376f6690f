// GEMM operands, accumulation and epilogues for one scheme (the preamble defines
// exactly one SCHEME_* as 1). The kernel (gemm_register_tiles.comp) computes in groups
// of 4 k values, a "k4": one vec4 (float schemes), one ivec4 (integer schemes,
// portable variant) or one uint of 4 packed int8 (SDot variant, k ascending from the
// low byte). It loads K in chunks of TILE_K values (below); loaders of the 4-value
// chunk return zeros past K, so a K that is not a multiple of 4 adds nothing.
// Binding layout: vgf/include/kiln/vgf/KernelDescriptor.h.

#if SCHEME_PF32 || SCHEME_PF16
#define FLOAT_GEMM 1
#define K4_T vec4
#define ACC_T float
#else
#define FLOAT_GEMM 0
#define ACC_T int
#if USE_SDOT
#define K4_T uint
#else
#define K4_T ivec4
#endif
#endif

// qb4w folds each weight block into a float sum; the others finish from ACC_T.
#if SCHEME_QB4W
#define RESULT_T float
#else
#define RESULT_T ACC_T
#endif


// Element k of a row starting at `base`, or `zero` past the end of the row: the
// scalar path for rows whose start is not aligned for vector loads.
#define ROW_ELEMENT(buf, base, k, zero) ((k) < GEMM_K ? buf[(base) + (k)] : (zero))

ivec4 unpackInt8x4(uint w) {
  int s = int(w);
  return ivec4(bitfieldExtract(s, 0, 8), bitfieldExtract(s, 8, 8), bitfieldExtract(s, 16, 8),
               bitfieldExtract(s, 24, 8));
}

uint packInt8x4(ivec4 v) {
  uvec4 b = uvec4(v) & 0xFFu;
  return b.x | (b.y << 8) | (b.z << 16) | (b.w << 24);
}

// A packed k4 in the form this variant computes with.
K4_T packedToK4(uint w) {
#if USE_SDOT
  return w;
#else
  return unpackInt8x4(w);
#endif
}

#if USE_SDOT
// OpSDot (SPV_KHR_integer_dot_product) with PackedVectorFormat4x8Bit; capabilities
// DotProduct (6019) and DotProductInput4x8BitPacked (6018). glslang 12 has no
// GL_EXT_integer_dot_product, so the instruction is declared directly
// (GL_EXT_spirv_intrinsics, enabled by the preamble).
spirv_instruction(extensions = ["SPV_KHR_integer_dot_product"], capabilities = [6019, 6018], id = 4450)
int sdot4x8(uint a, uint b, spirv_literal int format);
#endif

// acc + a . b over one k4, in ascending k: the scalar kernels' order, so pf16 (whose
// products are exact in fp32) gives the scalar result bit for bit.
ACC_T mac4(ACC_T acc, K4_T a, K4_T b) {
#if USE_SDOT
  return acc + sdot4x8(a, b, 0);
#else
  acc += a.x * b.x;
  acc += a.y * b.y;
  acc += a.z * b.z;
  acc += a.w * b.w;
  return acc;
#endif
}

// ---- bindings 0 and 1: lhs [M,K] and weights [N,K], one K chunk at a time ----
// The kernel walks K in chunks of TILE_K values (CHUNK_K4 k4s). On lavapipe every
// load whose address differs between invocations runs as a loop over the SIMD lanes
// with one scalar load per component, so a chunk is read with the widest load its
// alignment allows: a uvec4 of 16 int8 (TILE_K = 16) or 32 int4 values (TILE_K = 32),
// a uint of 8 int4 values (TILE_K = 8), otherwise one k4. chooseGemmTiling only picks
// a TILE_K > 4 when K (and the qb4w block) is a multiple of it, so only the k4 path
// meets the end of a row; its loaders return zeros past K.
#define CHUNK_K4 (TILE_K / 4u)
#define CHUNKS ((GEMM_K + TILE_K - 1u) / TILE_K)
#define WIDE_INT8 (!FLOAT_GEMM && CHUNK_VALUES % 16 == 0)

// 16- and 8-byte loads. lavapipe's per-lane loop costs per component, not per byte,
// so the 64-bit variant (LOAD64, shaderInt64) reads 16 bytes as two uint64 components
// and 8 bytes as one: the same bytes in half the scalar loads (docs/codegen.md).
#if LOAD64
#define WORDS4_T u64vec2
#define WORDS2_T uint64_t
uvec4 words4(u64vec2 v) { return uvec4(unpackUint2x32(v.x), unpackUint2x32(v.y)); }
uvec2 words2(uint64_t v) { return unpackUint2x32(v); }
#else
#define WORDS4_T uvec4
#define WORDS2_T uvec2
uvec4 words4(uvec4 v) { return v; }
uvec2 words2(uvec2 v) { return v; }
#endif

#if FLOAT_GEMM
#if K_ALIGNED4
layout(std430, set = 0, binding = 0) readonly buffer Lhs { WORDS4_T lhs[]; };
vec4 fetchLhs4(uint m, uint kq) { return uintBitsToFloat(words4(lhs[m * (GEMM_K / 4u) + kq])); }
#else
layout(std430, set = 0, binding = 0) readonly buffer Lhs { float lhs[]; };
vec4 fetchLhs4(uint m, uint kq) {
  uint base = m * GEMM_K, k = 4u * kq;
  return vec4(ROW_ELEMENT(lhs, base, k, 0.0), ROW_ELEMENT(lhs, base, k + 1u, 0.0),
              ROW_ELEMENT(lhs, base, k + 2u, 0.0), ROW_ELEMENT(lhs, base, k + 3u, 0.0));
}
#endif
void loadLhsChunk(uint m, uint c, out K4_T a[CHUNK_K4]) {
  vec4 v = fetchLhs4(m, c);
#if SCHEME_PF16
  // pf16 activations are fp16 values (TOSA CAST f32 -> f16 rounds to nearest even).
  v = vec4(roundToHalf(v.x), roundToHalf(v.y), roundToHalf(v.z), roundToHalf(v.w));
#endif
  a[0] = v;
}
#else // int8 activations
#if WIDE_INT8
layout(std430, set = 0, binding = 0) readonly buffer Lhs { WORDS4_T lhs[]; };
#elif K_ALIGNED4
layout(std430, set = 0, binding = 0) readonly buffer Lhs { uint lhs[]; };
uint fetchLhsPacked(uint m, uint kq) { return lhs[m * (GEMM_K / 4u) + kq]; }
#else
layout(std430, set = 0, binding = 0) readonly buffer Lhs { int8_t lhs[]; };
uint fetchLhsPacked(uint m, uint kq) {
  uint base = m * GEMM_K, k = 4u * kq;
  const int8_t zero = int8_t(0);
  return packInt8x4(ivec4(ROW_ELEMENT(lhs, base, k, zero), ROW_ELEMENT(lhs, base, k + 1u, zero),
                          ROW_ELEMENT(lhs, base, k + 2u, zero),
                          ROW_ELEMENT(lhs, base, k + 3u, zero)));
}
#endif
// A packed lhs k4 (k4 index kq of the row) in the form this variant computes with.
K4_T lhsK4(uint packed, uint kq) {
#if SCHEME_PQS8 && !USE_SDOT
  // The portable pqs8 kernel subtracts the input zero point as it loads (the values
  // no longer fit in int8); padding past K must stay 0.
  ivec4 valid = ivec4(lessThan(uvec4(4u * kq) + uvec4(0u, 1u, 2u, 3u), uvec4(GEMM_K)));
  return unpackInt8x4(packed) - LHS_ZP * valid;
#else
  return packedToK4(packed);
#endif
}
void loadLhsChunk(uint m, uint c, out K4_T a[CHUNK_K4]) {
#if WIDE_INT8
  for (uint v = 0u; v < CHUNK_K4 / 4u; ++v) {
    uvec4 w = words4(lhs[(m * GEMM_K + c * TILE_K) / 16u + v]);
    for (uint i = 0u; i < 4u; ++i)
      a[4u * v + i] = lhsK4(w[i], c * CHUNK_K4 + 4u * v + i);
  }
#else
  for (uint i = 0u; i < CHUNK_K4; ++i)
    a[i] = lhsK4(fetchLhsPacked(m, c * CHUNK_K4 + i), c * CHUNK_K4 + i);
#endif
}
#endif

#if SCHEME_PF32
#if K_ALIGNED4
layout(std430, set = 0, binding = 1) readonly buffer Weights { WORDS4_T weights[]; };
vec4 fetchWeights4(uint n, uint kq) {
  return uintBitsToFloat(words4(weights[n * (GEMM_K / 4u) + kq]));
}
#else
layout(std430, set = 0, binding = 1) readonly buffer Weights { float weights[]; };
vec4 fetchWeights4(uint n, uint kq) {
  uint base = n * GEMM_K, k = 4u * kq;
  return vec4(ROW_ELEMENT(weights, base, k, 0.0), ROW_ELEMENT(weights, base, k + 1u, 0.0),
              ROW_ELEMENT(weights, base, k + 2u, 0.0), ROW_ELEMENT(weights, base, k + 3u, 0.0));
}
#endif
#elif SCHEME_PF16
#if K_ALIGNED4
layout(std430, set = 0, binding = 1) readonly buffer Weights { WORDS2_T weights[]; };
vec4 fetchWeights4(uint n, uint kq) {
  uvec2 w = words2(weights[n * (GEMM_K / 4u) + kq]);
  return vec4(halfBitsToFloat(w.x & 0xFFFFu), halfBitsToFloat(w.x >> 16),
              halfBitsToFloat(w.y & 0xFFFFu), halfBitsToFloat(w.y >> 16));
}
#else
layout(std430, set = 0, binding = 1) readonly buffer Weights { uint16_t weights[]; };
vec4 fetchWeights4(uint n, uint kq) {
  uint base = n * GEMM_K, k = 4u * kq;
  const uint16_t zero = uint16_t(0);
  return vec4(halfBitsToFloat(uint(ROW_ELEMENT(weights, base, k, zero))),
              halfBitsToFloat(uint(ROW_ELEMENT(weights, base, k + 1u, zero))),
              halfBitsToFloat(uint(ROW_ELEMENT(weights, base, k + 2u, zero))),
              halfBitsToFloat(uint(ROW_ELEMENT(weights, base, k + 3u, zero))));
}
#endif
#elif SCHEME_QB4W
// Two's complement nibbles, k = 2j in the low nibble of byte j of the row. K is a
// multiple of the block size and the block size of 4, so a k4 is 2 whole bytes.
#if CHUNK_VALUES % 32 == 0
layout(std430, set = 0, binding = 1) readonly buffer Weights { WORDS4_T weights[]; };
#elif K_ALIGNED8
layout(std430, set = 0, binding = 1) readonly buffer Weights { uint weights[]; };
#else
layout(std430, set = 0, binding = 1) readonly buffer Weights { uint8_t weights[]; };
#endif
// The k4 held in the low 16 bits of `nibbles`, in the form this variant computes with.
K4_T nibblesToK4(uint nibbles) {
  int s = int(nibbles);
  ivec4 v = ivec4(bitfieldExtract(s, 0, 4), bitfieldExtract(s, 4, 4), bitfieldExtract(s, 8, 4),
                  bitfieldExtract(s, 12, 4));
#if USE_SDOT
  return packInt8x4(v);
#else
  return v;
#endif
}
#else // int8 weights (qc8w schemes)
#if WIDE_INT8
layout(std430, set = 0, binding = 1) readonly buffer Weights { WORDS4_T weights[]; };
#elif K_ALIGNED4
layout(std430, set = 0, binding = 1) readonly buffer Weights { uint weights[]; };
uint fetchWeightsPacked(uint n, uint kq) { return weights[n * (GEMM_K / 4u) + kq]; }
#else
layout(std430, set = 0, binding = 1) readonly buffer Weights { int8_t weights[]; };
uint fetchWeightsPacked(uint n, uint kq) {
  uint base = n * GEMM_K, k = 4u * kq;
  const int8_t zero = int8_t(0);
  return packInt8x4(ivec4(ROW_ELEMENT(weights, base, k, zero),
                          ROW_ELEMENT(weights, base, k + 1u, zero),
                          ROW_ELEMENT(weights, base, k + 2u, zero),
                          ROW_ELEMENT(weights, base, k + 3u, zero)));
}
#endif
#endif

// Chunk c of weight row n (for SDot, K4_T is the packed word weightSum4 takes).
void loadWeightChunk(uint n, uint c, out K4_T w[CHUNK_K4]) {
#if FLOAT_GEMM
  w[0] = fetchWeights4(n, c);
#elif SCHEME_QB4W && CHUNK_VALUES % 32 == 0
  for (uint v = 0u; v < CHUNK_K4 / 8u; ++v) {
    uvec4 nib = words4(weights[(n * GEMM_K + c * TILE_K) / 32u + v]);
    for (uint i = 0u; i < 4u; ++i) {
      w[8u * v + 2u * i] = nibblesToK4(nib[i] & 0xFFFFu);
      w[8u * v + 2u * i + 1u] = nibblesToK4(nib[i] >> 16);
    }
  }
#elif SCHEME_QB4W && CHUNK_VALUES % 8 == 0
  for (uint v = 0u; v < CHUNK_K4 / 2u; ++v) {
    uint nib = weights[(n * GEMM_K + c * TILE_K) / 8u + v];
    w[2u * v] = nibblesToK4(nib & 0xFFFFu);
    w[2u * v + 1u] = nibblesToK4(nib >> 16);
  }
#elif SCHEME_QB4W
  uint byteOffset = n * (GEMM_K / 2u) + 2u * c;
#if K_ALIGNED8
  w[0] = nibblesToK4((weights[byteOffset >> 2] >> ((byteOffset & 2u) * 8u)) & 0xFFFFu);
#else
  w[0] = nibblesToK4(uint(weights[byteOffset]) | (uint(weights[byteOffset + 1u]) << 8));
#endif
#elif WIDE_INT8
  for (uint v = 0u; v < CHUNK_K4 / 4u; ++v) {
    uvec4 packed = words4(weights[(n * GEMM_K + c * TILE_K) / 16u + v]);
    for (uint i = 0u; i < 4u; ++i)
      w[4u * v + i] = packedToK4(packed[i]);
  }
#else
  for (uint i = 0u; i < CHUNK_K4; ++i)
    w[i] = packedToK4(fetchWeightsPacked(n, c * CHUNK_K4 + i));
#endif
}

#if COLUMN_SUMS
// The SDot pqs8 kernel multiplies raw int8 values and corrects with
// lhsZeroPoint * sum_k w[n,k] at the end; this is one k4 of that sum.
int weightSum4(uint packedWeights) { return sdot4x8(0x01010101u, packedWeights, 0); }
#endif

// ---- bindings 2..8: per-channel and per-row parameters ----
#if SCHEME_QB4W && FOLD_BLOCKS == 4
layout(std430, set = 0, binding = 2) readonly buffer WeightScales { WORDS4_T weightScales[]; };
layout(std430, set = 0, binding = 4) readonly buffer WeightSums { WORDS4_T weightSums[]; };
#elif SCHEME_QC8W || SCHEME_QB4W
layout(std430, set = 0, binding = 2) readonly buffer WeightScales { float weightScales[]; };
layout(std430, set = 0, binding = 4) readonly buffer WeightSums { int weightSums[]; };
#endif
#if SCHEME_QB4W
// qb4w's weight sums and scales [N, K/bs]: the kernel takes those of FOLD_BLOCKS
// consecutive blocks of a column at once, with one 16-byte load each when that is 4
// (the number of blocks a multiple of 4, so the loads are aligned), instead of two
// per-lane scalar loads per block, as many as the block's nibbles took with LOAD64.
struct BlockParams {
  ivec4 sums;
  vec4 scales;
};
BlockParams loadBlockParams(uint n, uint g) {
#if FOLD_BLOCKS == 4
  uint i = (n * GROUPS + g) / 4u;
  return BlockParams(ivec4(words4(weightSums[i])), uintBitsToFloat(words4(weightScales[i])));
#else
  uint i = n * GROUPS + g;
  return BlockParams(ivec4(weightSums[i]), vec4(weightScales[i]));
#endif
}
#endif
#if SCHEME_QC8W || SCHEME_QB4W
layout(std430, set = 0, binding = 5) readonly buffer RowScales { float rowScales[]; };
layout(std430, set = 0, binding = 6) readonly buffer RowZeroPoints { int rowZeroPoints[]; };
#endif
#if HAS_BIAS && SCHEME_PQS8
layout(std430, set = 0, binding = 3) readonly buffer Bias { int bias[]; }; // added to the int32 accumulator
#elif HAS_BIAS
layout(std430, set = 0, binding = 3) readonly buffer Bias { float bias[]; };
#endif
#if SCHEME_PQS8
layout(std430, set = 0, binding = 7) readonly buffer Multipliers { int multipliers[]; };
layout(std430, set = 0, binding = 8) readonly buffer Shifts { int shifts[]; };
layout(std430, set = 0, binding = 9) writeonly buffer Output { int8_t outputs[]; };
#else
layout(std430, set = 0, binding = 9) writeonly buffer Output { float outputs[]; };
#endif

// ---- epilogues (numerics.md; unfused, in the reference's order) ----
#if FLOAT_GEMM || SCHEME_QC8W || SCHEME_QB4W
float clampOutput(float y) { return min(max(y, CLAMP_MIN), CLAMP_MAX); }
#endif

#if FLOAT_GEMM
void storeResult(uint m, uint n, float acc) {
  precise float y = acc;
#if HAS_BIAS
  y = y + bias[n];
#endif
  y = clampOutput(y);
#if SCHEME_PF16
  y = roundToHalf(y); // the one rounding of a pf16 result, stored widened
#endif
  outputs[m * GEMM_N + n] = y;
}
#elif SCHEME_QC8W
void storeResult(uint m, uint n, int acc) {
  int iacc = acc - rowZeroPoints[m] * weightSums[n];
  precise float y = (float(iacc) * weightScales[n]) * rowScales[m];
#if HAS_BIAS
  y = y + bias[n];
#endif
  outputs[m * GEMM_N + n] = clampOutput(y);
}
#elif SCHEME_QB4W
// facc + f32(block accumulator - zp * block weight sum) * block scale, for block b
// of `p`.
float foldBlock(float facc, int acc, int rowZeroPoint, BlockParams p, uint b) {
  precise float f = facc + float(acc - rowZeroPoint * p.sums[b]) * p.scales[b];
  return f;
}
void storeResult(uint m, uint n, float facc) {
  precise float y = facc * rowScales[m];
#if HAS_BIAS
  y = y + bias[n];
#endif
  outputs[m * GEMM_N + n] = clampOutput(y);
}
#else // SCHEME_PQS8
// TOSA apply_scale_32, SINGLE_ROUND: (value * multiplier + 2^(shift-1)) >> shift with
// a 64-bit intermediate, built from 32-bit halves so the module needs no shaderInt64.
// multiplier >= 0 and 2 <= shift <= 62 (the compiler's RESCALE parameters).
int applyScale32(int value, int multiplier, int shift) {
  int hi;
  uint lo;
  imulExtended(value, multiplier, hi, lo);
  uint roundLo = shift <= 32 ? 1u << uint(shift - 1) : 0u;
  uint roundHi = shift > 32 ? 1u << uint(shift - 33) : 0u;
  uint carry;
  lo = uaddCarry(lo, roundLo, carry);
  hi += int(roundHi + carry);
  if (shift < 32)
    return int((lo >> uint(shift)) | (uint(hi) << uint(32 - shift)));
  return hi >> (shift - 32); // arithmetic: the 64-bit value's sign
}
void storeResult(uint m, uint n, int acc) {
#if HAS_BIAS
  acc += bias[n];
#endif
  int scaled = applyScale32(acc, multipliers[n], shifts[n]);
  // + output zero point, saturated to int8 (clamping first cannot overflow).
  int q = clamp(scaled, -128 - OUT_ZP, 127 - OUT_ZP) + OUT_ZP;
  outputs[m * GEMM_N + n] = int8_t(clamp(q, OUT_MIN, OUT_MAX));
}
#endif
