#version 450
// The benchmark's naive baseline (never part of a compiled model): one invocation per
// output, no tiling, no shared memory, every operand read straight from its buffer.
// y[m,n] = Σ_k x[m,k]·w[n,k] in the operand types of a scheme, chosen by a define:
//   F32: fp32 x and w;  I8: int8 x and w;  I4: int8 x, w as [N,K/2] nibbles (q + 8).
// The shape comes from a constant buffer, so one module serves every shape.
#extension GL_EXT_shader_explicit_arithmetic_types_int8 : require
#extension GL_EXT_shader_8bit_storage : require
layout(local_size_x = 64) in;

#if defined(F32)
layout(set = 0, binding = 0) readonly buffer X { float x[]; };
layout(set = 0, binding = 1) readonly buffer W { float w[]; };
#elif defined(I8)
layout(set = 0, binding = 0) readonly buffer X { int8_t x[]; };
layout(set = 0, binding = 1) readonly buffer W { int8_t w[]; };
#else
layout(set = 0, binding = 0) readonly buffer X { int8_t x[]; };
layout(set = 0, binding = 1) readonly buffer W { uint8_t w[]; };
#endif
layout(set = 0, binding = 2) readonly buffer Shape { uint shape[4]; }; // M, N, K, 0
layout(set = 0, binding = 3) writeonly buffer Y { float y[]; };

void main() {
  uint M = shape[0], N = shape[1], K = shape[2];
  uint i = gl_GlobalInvocationID.x;
  if (i >= M * N)
    return;
  uint m = i / N, n = i % N;
#if defined(F32)
  float acc = 0.0;
  for (uint k = 0; k < K; ++k)
    acc += x[m * K + k] * w[n * K + k];
  y[i] = acc;
#elif defined(I8)
  int acc = 0;
  for (uint k = 0; k < K; ++k)
    acc += int(x[m * K + k]) * int(w[n * K + k]);
  y[i] = float(acc);
#else
  int acc = 0;
  for (uint k = 0; k < K; k += 2) {
    uint b = uint(w[(n * K + k) / 2]);
    acc += int(x[m * K + k]) * (int(b & 15u) - 8) + int(x[m * K + k + 1]) * (int(b >> 4) - 8);
  }
  y[i] = float(acc);
#endif
}
