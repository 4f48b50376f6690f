// y = x + 2 in fp16 arithmetic (the Float16 capability, so it needs shaderFloat16):
// the variant module; a different constant than add_one_f32 shows which one ran.
#version 450
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : require
layout(local_size_x = 16) in;
layout(set = 0, binding = 0) readonly buffer X { float x[]; };
layout(set = 0, binding = 1) writeonly buffer Y { float y[]; };
void main() {
  uint i = gl_GlobalInvocationID.x;
  y[i] = float(float16_t(x[i]) + float16_t(2.0));
}
