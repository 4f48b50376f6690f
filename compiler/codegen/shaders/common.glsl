// Helpers shared by every Kiln kernel. The preamble (ShaderPreamble.cpp) has already
// defined #version, the extensions and the kernel's constants.

// fp16 bits -> fp32, exact for every fp16 value. Written out because unpackHalf2x16
// may flush fp16 subnormals, and weights of small magnitude are subnormal in fp16.
float halfBitsToFloat(uint h) {
  uint sign = (h & 0x8000u) << 16;
  uint e = (h >> 10) & 0x1Fu;
  uint f = h & 0x3FFu;
  if (e == 0u) {
    float v = float(f) * 5.9604644775390625e-8; // f * 2^-24: exact, always a normal fp32
    return sign != 0u ? -v : v;
  }
  if (e == 31u)
    return uintBitsToFloat(sign | 0x7F800000u | (f << 13));
  return uintBitsToFloat(sign | ((e + 112u) << 23) | (f << 13));
}

// Rounds an fp32 value to the nearest fp16 value (ties to even), returned widened to
// fp32; beyond the largest finite fp16 value it becomes an infinity, as TOSA CAST
// and reference/Float.cpp do. Done with integer bits and exact scalings because a
// Vulkan float conversion does not promise a rounding mode.
float roundToHalf(float x) {
  if (isnan(x))
    return x;
  if (abs(x) < 6.103515625e-05) // below 2^-14 fp16 is subnormal, quantum 2^-24
    return roundEven(x * 16777216.0) * 5.9604644775390625e-8;
  uint b = floatBitsToUint(x);
  b += 0xFFFu + ((b >> 13) & 1u); // round the 13 dropped mantissa bits to even
  b &= 0xFFFFE000u;
  float r = uintBitsToFloat(b);
  return abs(r) > 65504.0 ? uintBitsToFloat((b & 0x80000000u) | 0x7F800000u) : r;
}
