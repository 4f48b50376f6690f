// y = 3 x from int8 storage to int32 (Int8 and StorageBuffer8BitAccess capabilities).
#version 450
#extension GL_EXT_shader_8bit_storage : require
#extension GL_EXT_shader_explicit_arithmetic_types_int8 : require
layout(local_size_x = 16) in;
layout(set = 0, binding = 0) readonly buffer X { int8_t x[]; };
layout(set = 0, binding = 1) writeonly buffer Y { int y[]; };
void main() {
  uint i = gl_GlobalInvocationID.x;
  y[i] = int(x[i]) * 3;
}
