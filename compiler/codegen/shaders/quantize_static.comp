// QuantizeStatic: x_q = sat_i8(round_half_even(clamp(x * INV_SCALE, -256, 256)) + ZERO_POINT),
// the TOSA sequence MUL, CLAMP, CAST (ties to even), RESCALE x1.0 + zp (saturating).
layout(local_size_x = WG_SIZE) in;

layout(std430, set = 0, binding = 0) readonly buffer Input { float inputs[]; };
layout(std430, set = 0, binding = 1) writeonly buffer Output { int8_t outputs[]; };

void main() {
  for (uint i = gl_GlobalInvocationID.x; i < COUNT; i += WG_SIZE * WORKGROUPS) {
    precise float v = min(max(inputs[i] * INV_SCALE, -256.0), 256.0);
    int q = int(roundEven(v)) + ZERO_POINT;
    outputs[i] = int8_t(clamp(q, -128, 127));
  }
}
