#version 450
// The compute shader of `kiln-vgf sample`: out[i] = a[i] + b[i] + k[i] over int32, where
// k is the container's constant (bound as a storage buffer, Kiln's native weights mode).
layout(local_size_x = 64) in;
layout(set = 0, binding = 0) readonly buffer A { int a[]; };
layout(set = 0, binding = 1) readonly buffer B { int b[]; };
layout(set = 0, binding = 2) writeonly buffer Out { int result[]; };
layout(set = 0, binding = 3) readonly buffer K { int k[]; };
layout(push_constant) uniform Params { uint count; };

void main() {
  uint i = gl_GlobalInvocationID.x;
  if (i < count)
    result[i] = a[i] + b[i] + k[i];
}
