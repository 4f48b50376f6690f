// QuantizeRows: numerics.md's qai8dx formula for one row per workgroup. The min/max
// reduction is order independent, so the tree below gives the reference's values;
// everything after it is computed by every invocation in the reference's order,
// unfused (precise), with its two roundings: the zero point ties to even, the values
// round half away from zero.
layout(local_size_x = WG_SIZE) in;

layout(std430, set = 0, binding = 0) readonly buffer Input { float inputs[]; };
layout(std430, set = 0, binding = 1) writeonly buffer Output { int8_t outputs[]; };
layout(std430, set = 0, binding = 2) writeonly buffer Scales { float rowScales[]; };
layout(std430, set = 0, binding = 3) writeonly buffer ZeroPoints { int rowZeroPoints[]; };

shared float partialLo[WG_SIZE];
shared float partialHi[WG_SIZE];

float roundHalfAwayFromZero(float v) {
  precise float t = trunc(v);
  precise float d = abs(v - t); // exact: v and t share their integer part
  return d >= 0.5 ? t + sign(v) : t;
}

void main() {
  const uint tid = gl_LocalInvocationID.x;
  const uint base = gl_WorkGroupID.x * ROW_K;
  float lo = 0.0, hi = 0.0;
  for (uint k = tid; k < ROW_K; k += WG_SIZE) {
    float v = inputs[base + k];
    lo = min(lo, v);
    hi = max(hi, v);
  }
  partialLo[tid] = lo;
  partialHi[tid] = hi;
  barrier();
  for (uint s = WG_SIZE / 2u; s > 0u; s >>= 1) {
    if (tid < s) {
      partialLo[tid] = min(partialLo[tid], partialLo[tid + s]);
      partialHi[tid] = max(partialHi[tid], partialHi[tid + s]);
    }
    barrier();
  }
  lo = partialLo[0];
  hi = partialHi[0];

  // Division must be correctly rounded here (docs/codegen.md: an assumption Vulkan
  // only bounds at 2.5 ulp; lavapipe's is exact and the tests check it).
  precise float inv = lo == hi ? 1.0 : 255.0 / (hi - lo);
  precise float scale = inv != 0.0 ? 1.0 / inv : 0.0;
  precise float zfMin = -128.0 + lo * inv;
  precise float zfMax = 127.0 + hi * inv;
  precise float zf = zfMin + zfMax > 0.0 ? -128.0 - lo * inv : 127.0 - hi * inv;
  const int zp = int(roundEven(min(max(zf, -128.0), 127.0)));

  for (uint k = tid; k < ROW_K; k += WG_SIZE) {
    precise float scaled = inputs[base + k] * inv;
    int q = int(roundHalfAwayFromZero(scaled)) + zp;
    outputs[base + k] = int8_t(clamp(q, -128, 127));
  }
  if (tid == 0u) {
    rowScales[gl_WorkGroupID.x] = scale;
    rowZeroPoints[gl_WorkGroupID.x] = zp;
  }
}
