// _kiln: the Python binding of Kiln's runtime, over either backend: the Vulkan
// session (kiln/runtime/Session.h) or the CPU executor (kiln/cpu/Executor.h). Bytes
// in, bytes out: the kiln package (kiln/__init__.py) turns them into numpy arrays,
// so this module needs no numpy headers. Every failure raises RuntimeError with
// Kiln's message.

#include "kiln/cpu/Executor.h"
#include "kiln/runtime/Session.h"
#include "kiln/vgf/Decoder.h"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <cstring>
#include <stdexcept>

namespace py = pybind11;
using kiln::rt::TensorInfo;

namespace {

void check(const kiln::Status &status) {
  if (!status.isOk())
    throw std::runtime_error(status.message());
}

/// The value, or RuntimeError with the status' message (prefixed by `context`).
template <typename T> T take(kiln::Expected<T> expected, const std::string &context = "") {
  if (!expected)
    throw std::runtime_error(context + expected.status().message());
  return std::move(*expected);
}

py::list tensorInfos(const std::vector<TensorInfo> &tensors) {
  py::list out;
  for (const TensorInfo &t : tensors)
    out.append(py::dict(py::arg("name") = t.name, py::arg("dtype") = kiln::rt::dtypeName(t.dtype),
                        py::arg("shape") = t.shape, py::arg("byte_size") = t.byteSize));
  return out;
}

/// What the Python Session needs of a backend. run() is called without the GIL.
class Backend {
public:
  virtual ~Backend() = default;
  virtual const std::vector<TensorInfo> &inputs() const = 0;
  virtual const std::vector<TensorInfo> &outputs() const = 0;
  virtual std::string deviceName() const = 0;
  virtual kiln::Status setInput(size_t index, const void *data, size_t size) = 0;
  virtual kiln::Status run() = 0;
  virtual kiln::Status readOutput(size_t index, void *data, size_t size) const = 0;
  /// The timings of the last run as profile() returns them.
  virtual py::dict stats() const = 0;
};

class VulkanBackend final : public Backend {
public:
  explicit VulkanBackend(std::unique_ptr<kiln::rt::Session> session) : session_(std::move(session)) {}
  const std::vector<TensorInfo> &inputs() const override { return session_->inputs(); }
  const std::vector<TensorInfo> &outputs() const override { return session_->outputs(); }
  std::string deviceName() const override { return session_->deviceName(); }
  kiln::Status setInput(size_t index, const void *data, size_t size) override {
    return session_->setInput(index, data, size);
  }
  kiln::Status run() override { return session_->run(&stats_); }
  kiln::Status readOutput(size_t index, void *data, size_t size) const override {
    return session_->readOutput(index, data, size);
  }
  py::dict stats() const override {
    py::list segments;
    for (const kiln::rt::SegmentTiming &t : stats_.segments)
      segments.append(py::dict(py::arg("name") = t.name, py::arg("microseconds") = t.microseconds,
                               py::arg("start_microseconds") = t.startMicroseconds,
                               py::arg("operations") = t.operations, py::arg("bytes") = t.bytes));
    return py::dict(py::arg("segments") = segments, py::arg("wall_microseconds") = stats_.wallMicroseconds);
  }

private:
  std::unique_ptr<kiln::rt::Session> session_;
  kiln::rt::RunStats stats_;
};

/// The CPU executor behind the same set/run/read protocol: inputs are kept until the
/// run, outputs are those of the last run.
class CpuBackend final : public Backend {
public:
  static std::unique_ptr<CpuBackend> open(const std::string &path) {
    auto backend = std::unique_ptr<CpuBackend>(new CpuBackend);
    backend->decoded_ = take(kiln::vgf::decodeVgfFile(path)); // its messages start with the path
    const kiln::vgf::Model &model = backend->decoded_.model;
    backend->inputs_ = take(kiln::rt::modelInputs(model), path + ": ");
    backend->outputs_ = take(kiln::rt::modelOutputs(model), path + ": ");
    backend->model_ = take(kiln::cpu::CpuModel::prepare(model), path + ": ");
    for (const TensorInfo &t : backend->inputs_)
      backend->inputBytes_.emplace_back(t.byteSize);
    return backend;
  }
  const std::vector<TensorInfo> &inputs() const override { return inputs_; }
  const std::vector<TensorInfo> &outputs() const override { return outputs_; }
  std::string deviceName() const override {
    return std::string("CPU (") + kiln::cpu::cpuIsaName(model_->stats().isa) + ", " +
           std::to_string(model_->stats().threads) + " threads)";
  }
  kiln::Status setInput(size_t index, const void *data, size_t size) override {
    KILN_RETURN_IF_ERROR(checkAccess(inputs_, index, size, "input"));
    std::memcpy(inputBytes_[index].data(), data, size);
    return kiln::Status::ok();
  }
  kiln::Status run() override {
    auto start = std::chrono::steady_clock::now();
    auto results = model_->run(inputBytes_);
    if (!results)
      return results.takeStatus();
    wallMicroseconds_ =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
    outputBytes_ = std::move(*results);
    return kiln::Status::ok();
  }
  kiln::Status readOutput(size_t index, void *data, size_t size) const override {
    KILN_RETURN_IF_ERROR(checkAccess(outputs_, index, size, "output"));
    std::memcpy(data, outputBytes_[index].data(), size);
    return kiln::Status::ok();
  }
  py::dict stats() const override {
    // The executor has no per-segment clock; the run's wall time is what there is.
    return py::dict(py::arg("segments") = py::list(), py::arg("wall_microseconds") = wallMicroseconds_);
  }

private:
  CpuBackend() = default;
  /// The Vulkan session's checks and messages, for the same calls.
  static kiln::Status checkAccess(const std::vector<TensorInfo> &infos, size_t index, size_t size,
                                  const char *kind) {
    if (index >= infos.size())
      return kiln::invalidArgument(std::string(kind) + " " + std::to_string(index) +
                                   " out of range: the model has " + std::to_string(infos.size()) +
                                   " " + kind + "(s)");
    if (size != infos[index].byteSize)
      return kiln::invalidArgument(std::string(kind) + " " + std::to_string(index) + " '" +
                                   infos[index].name + "': expected " +
                                   std::to_string(infos[index].byteSize) + " bytes, got " +
                                   std::to_string(size));
    return kiln::Status::ok();
  }

  kiln::vgf::DecodedVgf decoded_; ///< the model the CpuModel points into
  std::unique_ptr<kiln::cpu::CpuModel> model_;
  std::vector<TensorInfo> inputs_, outputs_;
  std::vector<std::vector<uint8_t>> inputBytes_, outputBytes_;
  double wallMicroseconds_ = 0;
};

/// Opens `path` on `backend` ("vulkan", "cpu", or "auto": Vulkan, else the CPU when
/// no usable Vulkan device exists, as kiln-run --backend=auto).
std::unique_ptr<Backend> openBackend(const std::string &path, const std::string &backend,
                                     const std::string &device, bool validation) {
  if (backend == "cpu")
    return CpuBackend::open(path);
  if (backend != "vulkan" && backend != "auto")
    throw std::runtime_error("unknown backend '" + backend + "', expected vulkan, cpu or auto");
  kiln::rt::DeviceOptions options;
  options.device = device;
  options.validation = validation;
  auto opened = kiln::rt::Session::open(path, options);
  if (!opened && backend == "auto" && opened.status().code() == kiln::StatusCode::Unavailable)
    return CpuBackend::open(path);
  return std::make_unique<VulkanBackend>(take(std::move(opened)));
}

/// A backend with whether it has run (profile() reports the last run).
struct PySession {
  std::unique_ptr<Backend> backend;
  bool ran = false;
};

} // namespace

PYBIND11_MODULE(_kiln, m) {
  m.doc() = "Kiln's runtime (use the kiln package, not this module)";
  py::class_<PySession>(m, "Session")
      .def(py::init([](const std::string &path, const std::string &backend, const std::string &device,
                       bool validation) {
             return PySession{openBackend(path, backend, device, validation), false};
           }),
           py::arg("path"), py::arg("backend") = "vulkan", py::arg("device") = "",
           py::arg("validation") = false)
      .def_property_readonly("inputs", [](const PySession &s) { return tensorInfos(s.backend->inputs()); })
      .def_property_readonly("outputs", [](const PySession &s) { return tensorInfos(s.backend->outputs()); })
      .def_property_readonly("device_name", [](const PySession &s) { return s.backend->deviceName(); })
      .def("set_input",
           [](PySession &s, size_t index, py::buffer data) {
             py::buffer_info info = data.request();
             check(s.backend->setInput(index, info.ptr, size_t(info.size * info.itemsize)));
           })
      .def("run",
           [](PySession &s) {
             // The work runs without the GIL: other Python threads go on.
             kiln::Status status;
             {
               py::gil_scoped_release release;
               status = s.backend->run();
             }
             check(status);
             s.ran = true;
           })
      .def("read_output",
           [](const PySession &s, size_t index) {
             size_t count = s.backend->outputs().size();
             if (index >= count)
               throw std::runtime_error("output " + std::to_string(index) + " out of range: the model has " +
                                        std::to_string(count) + " output(s)");
             std::string bytes(s.backend->outputs()[index].byteSize, '\0');
             check(s.backend->readOutput(index, bytes.data(), bytes.size()));
             return py::bytes(bytes);
           })
      .def("stats", [](const PySession &s) {
        if (!s.ran)
          throw std::runtime_error("no run yet: profile() reports the timings of the last run");
        return s.backend->stats();
      });
}
