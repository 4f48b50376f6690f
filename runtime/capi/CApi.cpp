//===- CApi.cpp - kiln.h over kiln::rt::Session ---------------------------===//
//
// Each entry point is noexcept: failures become a kiln_status_t with the message on
// the handle, and anything thrown (std::bad_alloc) becomes KILN_STATUS_INTERNAL or
// KILN_STATUS_OUT_OF_MEMORY.
//
//===----------------------------------------------------------------------===//

#include "kiln/kiln.h"

#include "kiln/runtime/Session.h"

#include <new>
#include <string>

struct kiln_session_t {
  std::unique_ptr<kiln::rt::Session> session; ///< null when creation failed
  kiln::rt::RunStats stats;
  std::string message;
};

namespace {

using kiln::Status;
using kiln::StatusCode;

static_assert(KILN_STATUS_UNAVAILABLE == static_cast<int>(StatusCode::Unavailable),
              "kiln_status_t mirrors kiln::StatusCode");

kiln_status_t record(kiln_session_t *handle, const Status &status) {
  handle->message = status.isOk() ? "" : status.message();
  return static_cast<kiln_status_t>(status.code());
}

/// Runs `body` (returning a Status) on a live session, turning exceptions into statuses.
template <typename Body> kiln_status_t guarded(kiln_session_t *handle, Body body) noexcept {
  if (!handle)
    return KILN_STATUS_INVALID_ARGUMENT;
  try {
    if (!handle->session)
      return record(handle, kiln::invalidArgument("the session failed to open: " + handle->message));
    return record(handle, body(*handle->session));
  } catch (const std::bad_alloc &) {
    handle->message = "out of host memory";
    return KILN_STATUS_OUT_OF_MEMORY;
  } catch (...) {
    handle->message = "internal error: an exception escaped the Kiln runtime";
    return KILN_STATUS_INTERNAL;
  }
}

kiln::rt::DeviceOptions toOptions(const kiln_device_options_t *options) {
  kiln::rt::DeviceOptions result;
  if (options) {
    result.device = options->device ? options->device : "";
    result.validation = options->validation != 0;
    result.pipelineCacheDir = options->pipeline_cache_dir ? options->pipeline_cache_dir : "";
  }
  return result;
}

template <typename Open>
kiln_status_t create(kiln_session_t **out_session, Open open) noexcept {
  if (!out_session)
    return KILN_STATUS_INVALID_ARGUMENT;
  *out_session = nullptr;
  kiln_session_t *handle = new (std::nothrow) kiln_session_t();
  if (!handle)
    return KILN_STATUS_OUT_OF_MEMORY;
  *out_session = handle;
  try {
    kiln::Expected<std::unique_ptr<kiln::rt::Session>> session = open();
    if (!session)
      return record(handle, session.status());
    handle->session = std::move(*session);
    return KILN_OK;
  } catch (const std::bad_alloc &) {
    handle->message = "out of host memory";
    return KILN_STATUS_OUT_OF_MEMORY;
  } catch (...) {
    handle->message = "internal error: an exception escaped the Kiln runtime";
    return KILN_STATUS_INTERNAL;
  }
}

kiln_dtype_t toDtype(kiln::rt::DType dtype) {
  switch (dtype) {
  case kiln::rt::DType::F32: return KILN_DTYPE_F32;
  case kiln::rt::DType::F16: return KILN_DTYPE_F16;
  case kiln::rt::DType::I8: return KILN_DTYPE_I8;
  case kiln::rt::DType::U8: return KILN_DTYPE_U8;
  case kiln::rt::DType::I16: return KILN_DTYPE_I16;
  case kiln::rt::DType::I32: return KILN_DTYPE_I32;
  case kiln::rt::DType::I64: return KILN_DTYPE_I64;
  default: return KILN_DTYPE_OTHER;
  }
}

Status describe(const std::vector<kiln::rt::TensorInfo> &infos, size_t index, const char *kind,
                kiln_tensor_info_t *out_info) {
  if (!out_info)
    return kiln::invalidArgument(std::string("out_info is NULL"));
  if (index >= infos.size())
    return kiln::invalidArgument(std::string(kind) + " " + std::to_string(index) +
                                 " out of range: the model has " + std::to_string(infos.size()) +
                                 " " + kind + "(s)");
  const kiln::rt::TensorInfo &info = infos[index];
  *out_info = {info.name.c_str(), toDtype(info.dtype), info.shape.size(), info.shape.data(),
               info.byteSize};
  return Status::ok();
}

Status count(size_t value, size_t *out_count) {
  if (!out_count)
    return kiln::invalidArgument("out_count is NULL");
  *out_count = value;
  return Status::ok();
}

} // namespace

extern "C" {

const char *kiln_status_name(kiln_status_t status) {
  if (status < KILN_OK || status > KILN_STATUS_UNAVAILABLE)
    return "unknown";
  return kiln::statusCodeName(static_cast<StatusCode>(status));
}

const char *kiln_status_message(const kiln_session_t *session) {
  return session ? session->message.c_str() : "";
}

kiln_status_t kiln_session_create(const char *path, const kiln_device_options_t *options,
                                  kiln_session_t **out_session) {
  return create(out_session, [&]() -> kiln::Expected<std::unique_ptr<kiln::rt::Session>> {
    if (!path)
      return kiln::invalidArgument("path is NULL");
    return kiln::rt::Session::open(path, toOptions(options));
  });
}

kiln_status_t kiln_session_create_from_memory(const void *data, size_t size,
                                              const kiln_device_options_t *options,
                                              kiln_session_t **out_session) {
  return create(out_session, [&]() -> kiln::Expected<std::unique_ptr<kiln::rt::Session>> {
    if (!data)
      return kiln::invalidArgument("data is NULL");
    const auto *bytes = static_cast<const uint8_t *>(data);
    return kiln::rt::Session::openBytes(std::vector<uint8_t>(bytes, bytes + size),
                                        toOptions(options));
  });
}

void kiln_session_destroy(kiln_session_t *session) { delete session; }

kiln_status_t kiln_session_input_count(kiln_session_t *session, size_t *out_count) {
  return guarded(session, [&](kiln::rt::Session &s) { return count(s.inputs().size(), out_count); });
}

kiln_status_t kiln_session_output_count(kiln_session_t *session, size_t *out_count) {
  return guarded(session, [&](kiln::rt::Session &s) { return count(s.outputs().size(), out_count); });
}

kiln_status_t kiln_session_input_info(kiln_session_t *session, size_t index,
                                      kiln_tensor_info_t *out_info) {
  return guarded(session,
                 [&](kiln::rt::Session &s) { return describe(s.inputs(), index, "input", out_info); });
}

kiln_status_t kiln_session_output_info(kiln_session_t *session, size_t index,
                                       kiln_tensor_info_t *out_info) {
  return guarded(session,
                 [&](kiln::rt::Session &s) { return describe(s.outputs(), index, "output", out_info); });
}

kiln_status_t kiln_session_set_input(kiln_session_t *session, size_t index, const void *data,
                                     size_t size) {
  return guarded(session, [&](kiln::rt::Session &s) {
    return data ? s.setInput(index, data, size) : kiln::invalidArgument("data is NULL");
  });
}

kiln_status_t kiln_session_run(kiln_session_t *session) {
  return guarded(session, [&](kiln::rt::Session &s) {
    kiln::rt::RunStats stats;
    Status status = s.run(&stats);
    if (status.isOk())
      session->stats = std::move(stats);
    return status;
  });
}

kiln_status_t kiln_session_read_output(kiln_session_t *session, size_t index, void *data,
                                       size_t size) {
  return guarded(session, [&](kiln::rt::Session &s) {
    return data ? s.readOutput(index, data, size) : kiln::invalidArgument("data is NULL");
  });
}

kiln_status_t kiln_session_segment_count(kiln_session_t *session, size_t *out_count) {
  return guarded(session,
                 [&](kiln::rt::Session &) { return count(session->stats.segments.size(), out_count); });
}

kiln_status_t kiln_session_segment_timing(kiln_session_t *session, size_t index,
                                          kiln_segment_timing_t *out_timing) {
  return guarded(session, [&](kiln::rt::Session &) -> Status {
    const auto &segments = session->stats.segments;
    if (!out_timing)
      return kiln::invalidArgument("out_timing is NULL");
    if (index >= segments.size())
      return kiln::invalidArgument("segment " + std::to_string(index) +
                                   " out of range: the last run timed " +
                                   std::to_string(segments.size()) + " segment(s)");
    const kiln::rt::SegmentTiming &t = segments[index];
    *out_timing = {t.name.c_str(), t.microseconds, t.startMicroseconds, t.operations, t.bytes};
    return Status::ok();
  });
}

} // extern "C"
