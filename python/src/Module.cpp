// _kiln: the Python binding of kiln::rt::Session (kiln/runtime/Session.h). Bytes in,
// bytes out: the kiln package (kiln/__init__.py) turns them into numpy arrays, so
// this module needs no numpy headers. Every failure raises RuntimeError with the
// session's message.

#include "kiln/runtime/Session.h"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <stdexcept>

namespace py = pybind11;
using kiln::rt::Session;

namespace {

void check(const kiln::Status &status) {
  if (!status.isOk())
    throw std::runtime_error(status.message());
}

py::list tensorInfos(const std::vector<kiln::rt::TensorInfo> &tensors) {
  py::list out;
  for (const kiln::rt::TensorInfo &t : tensors)
    out.append(py::dict(py::arg("name") = t.name, py::arg("dtype") = kiln::rt::dtypeName(t.dtype),
                        py::arg("shape") = t.shape, py::arg("byte_size") = t.byteSize));
  return out;
}

/// The session with the timings of its last run (Session::run fills them on request).
struct PySession {
  std::unique_ptr<Session> session;
  kiln::rt::RunStats stats;
  bool ran = false;
};

} // namespace

PYBIND11_MODULE(_kiln, m) {
  m.doc() = "Kiln's Vulkan runtime (use the kiln package, not this module)";
  py::class_<PySession>(m, "Session")
      .def(py::init([](const std::string &path, const std::string &device, bool validation) {
             kiln::rt::DeviceOptions options;
             options.device = device;
             options.validation = validation;
             auto opened = Session::open(path, options);
             if (!opened)
               throw std::runtime_error(opened.status().message());
             return PySession{std::move(*opened), {}, false};
           }),
           py::arg("path"), py::arg("device") = "", py::arg("validation") = false)
      .def_property_readonly("inputs", [](const PySession &s) { return tensorInfos(s.session->inputs()); })
      .def_property_readonly("outputs", [](const PySession &s) { return tensorInfos(s.session->outputs()); })
      .def_property_readonly("device_name", [](const PySession &s) { return s.session->deviceName(); })
      .def("set_input",
           [](PySession &s, size_t index, py::buffer data) {
             py::buffer_info info = data.request();
             check(s.session->setInput(index, info.ptr, size_t(info.size * info.itemsize)));
           })
      .def("run",
           [](PySession &s) {
             // The device work runs without the GIL: other Python threads go on.
             kiln::Status status;
             {
               py::gil_scoped_release release;
               status = s.session->run(&s.stats);
             }
             check(status);
             s.ran = true;
           })
      .def("read_output",
           [](const PySession &s, size_t index) {
             size_t count = s.session->outputs().size();
             if (index >= count)
               throw std::runtime_error("output " + std::to_string(index) + " out of range: the model has " +
                                        std::to_string(count) + " output(s)");
             std::string bytes(s.session->outputs()[index].byteSize, '\0');
             check(s.session->readOutput(index, bytes.data(), bytes.size()));
             return py::bytes(bytes);
           })
      .def("stats", [](const PySession &s) {
        if (!s.ran)
          throw std::runtime_error("no run yet: profile() reports the timings of the last run");
        py::list segments;
        for (const kiln::rt::SegmentTiming &t : s.stats.segments)
          segments.append(py::dict(py::arg("name") = t.name, py::arg("microseconds") = t.microseconds,
                                   py::arg("start_microseconds") = t.startMicroseconds,
                                   py::arg("operations") = t.operations, py::arg("bytes") = t.bytes));
        return py::dict(py::arg("segments") = segments,
                        py::arg("wall_microseconds") = s.stats.wallMicroseconds);
      });
}
