#version 450
// The application's own producer: writes the model input on the GPU, so the data
// reaches Kiln without touching host memory. x[i] = ((7i mod 23) - 11) / 16: small
// values that are exact in fp32, so any device produces the same bits.
layout(local_size_x = 64) in;
layout(set = 0, binding = 0) writeonly buffer Input { float x[]; };
layout(push_constant) uniform Count { uint count; };

void main() {
  uint i = gl_GlobalInvocationID.x;
  if (i < count)
    x[i] = float(int((i * 7u) % 23u) - 11) * 0.0625;
}
