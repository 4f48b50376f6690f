// kiln-vulkan-app: embeds a Kiln model in the application's own Vulkan pipeline.
//
//   kiln-vulkan-app model.vgf expected.npy [--device=<name>] [--tolerance=<t>]
//   kiln-vulkan-app model.vgf --write-input=x.npy [--device=<name>]
//
// The application creates its device and buffers and records one command buffer:
// its own compute pass producing the model input, Kiln's dispatches running the model
// on those buffers (kiln::rt::recordInto), and its own transfer command copying the
// output to a host buffer; it submits that, waits, and checks the result against
// expected.npy. --write-input instead saves the input its compute pass produced, so
// a reference (`kiln-run --backend=cpu --input=x.npy`) can be made for the check.

#include "AppDevice.h"
#include "Compare.h"
#include "InputProducer.h"

#include "kiln/runtime/Npy.h"
#include "kiln/runtime/VulkanInterop.h"

#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

namespace {

struct Options {
  std::string model, expected, writeInput, device;
  double tolerance = 1e-5;
};

Options parse(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char *flag) -> const char * {
      size_t n = std::strlen(flag);
      return arg.compare(0, n, flag) == 0 ? argv[i] + n : nullptr;
    };
    if (const char *v = value("--device="))
      o.device = v;
    else if (const char *v = value("--tolerance="))
      o.tolerance = std::stod(v);
    else if (const char *v = value("--write-input="))
      o.writeInput = v;
    else if (arg.rfind("--", 0) == 0)
      throw std::runtime_error("unknown option '" + arg + "'");
    else if (o.model.empty())
      o.model = arg;
    else if (o.expected.empty())
      o.expected = arg;
    else
      throw std::runtime_error("unexpected argument '" + arg + "'");
  }
  if (o.model.empty() || o.expected.empty() == o.writeInput.empty())
    throw std::runtime_error("usage: kiln-vulkan-app model.vgf (expected.npy | --write-input=x.npy) "
                             "[--device=<name>] [--tolerance=<t>]");
  return o;
}

/// Makes the producer's writes visible to the transfer that copies them out (after
/// Kiln's commands, their final barrier already does).
void computeToTransferBarrier(VkCommandBuffer cmd) {
  VkMemoryBarrier barrier{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
  barrier.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT;
  barrier.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT;
  vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0,
                       1, &barrier, 0, nullptr, 0, nullptr);
}

void requireF32(const kiln::rt::TensorInfo &t, const char *role) {
  if (t.dtype != kiln::rt::DType::F32)
    throw std::runtime_error(std::string("this example feeds and reads f32 tensors; the model's ") +
                             role + " '" + t.name + "' is " + kiln::rt::dtypeName(t.dtype));
}

int run(const Options &o) {
  AppDevice app(o.device);
  auto opened = kiln::rt::openOnDevice(o.model, app.kilnDevice());
  if (!opened)
    throw std::runtime_error(opened.status().message());
  kiln::rt::Session &session = **opened;
  if (session.inputs().size() != 1 || session.outputs().size() != 1)
    throw std::runtime_error("this example runs models with one input and one output");
  const kiln::rt::TensorInfo &in = session.inputs()[0], &out = session.outputs()[0];
  requireF32(in, "input");
  requireF32(out, "output");
  std::printf("%s on '%s'\n", o.model.c_str(), app.name().c_str());

  // The application's buffers: input and output stay on the device, Kiln reads and
  // writes them in place; only the staging buffer is host-visible.
  const VkBufferUsageFlags usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT;
  AppBuffer input = app.createBuffer(in.byteSize, usage, false);
  AppBuffer output = app.createBuffer(out.byteSize, usage, false);
  const AppBuffer &source = o.writeInput.empty() ? output : input;
  AppBuffer staging = app.createBuffer(source.size, VK_BUFFER_USAGE_TRANSFER_DST_BIT, true);
  for (kiln::Status s : {kiln::rt::bindInputBuffer(session, 0, input.buffer),
                         kiln::rt::bindOutputBuffer(session, 0, output.buffer)})
    if (!s.isOk())
      throw std::runtime_error(s.message());

  // One command buffer, one submission: Kiln's recorded commands start with a barrier
  // that orders the producer's writes before the model and end with one that makes
  // the output visible to the copy.
  InputProducer producer(app.device(), input.buffer, uint32_t(in.byteSize / sizeof(float)));
  app.submit([&](VkCommandBuffer cmd) {
    producer.record(cmd);                 // 1. the application writes the input
    if (o.writeInput.empty())             // 2. the model
      if (kiln::Status s = kiln::rt::recordInto(session, cmd); !s.isOk())
        throw std::runtime_error(s.message());
    computeToTransferBarrier(cmd);        // 3. the application copies the result out
    VkBufferCopy region{0, 0, source.size};
    vkCmdCopyBuffer(cmd, source.buffer, staging.buffer, 1, &region);
  });
  app.waitIdle();

  const auto *values = static_cast<const float *>(staging.mapped);
  if (!o.writeInput.empty()) {
    kiln::rt::NpyArray x;
    x.shape = in.shape;
    x.data.assign(static_cast<const uint8_t *>(staging.mapped),
                  static_cast<const uint8_t *>(staging.mapped) + in.byteSize);
    if (kiln::Status s = kiln::rt::writeNpy(o.writeInput, x); !s.isOk())
      throw std::runtime_error(s.message());
    std::printf("wrote the input to %s\n", o.writeInput.c_str());
    return 0;
  }
  return matchesExpected(values, out.byteSize / sizeof(float), o.expected, o.tolerance) ? 0 : 1;
}

} // namespace

int main(int argc, char **argv) {
  try {
    return run(parse(argc, argv));
  } catch (const std::exception &e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
