// Dequantize: y = (f32(x) - f32(ZERO_POINT)) * SCALE, the TOSA sequence CAST, SUB, MUL,
// unfused so that every backend rounds the same way.
layout(local_size_x = WG_SIZE) in;

layout(std430, set = 0, binding = 0) readonly buffer Input { int8_t inputs[]; };
layout(std430, set = 0, binding = 1) writeonly buffer Output { float outputs[]; };

void main() {
  for (uint i = gl_GlobalInvocationID.x; i < COUNT; i += WG_SIZE * WORKGROUPS) {
    precise float y = (float(int(inputs[i])) - float(ZERO_POINT)) * SCALE;
    outputs[i] = y;
  }
}
