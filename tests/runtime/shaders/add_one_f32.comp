// y = x + 1: the portable module of the variant test.
#version 450
layout(local_size_x = 16) in;
layout(set = 0, binding = 0) readonly buffer X { float x[]; };
layout(set = 0, binding = 1) writeonly buffer Y { float y[]; };
void main() {
  uint i = gl_GlobalInvocationID.x;
  y[i] = x[i] + 1.0;
}
