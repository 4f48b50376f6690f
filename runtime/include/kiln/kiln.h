/* Kiln's C API: run a compiled `.vgf` on a Vulkan device from C or any language
 * with a C FFI. A thin layer over the C++ kiln::rt::Session (kiln/runtime/Session.h);
 * docs/runtime.md describes the execution contract, device selection and errors.
 *
 * Conventions:
 *   - Every fallible call returns a kiln_status_t; outputs come last as out_*.
 *   - The message of the last failure is stored on the session handle
 *     (kiln_status_message), never in a global. A failed kiln_session_create*
 *     still returns a handle in *out_session that holds only the message; destroy it.
 *   - kiln_session_destroy(NULL) is a no-op. No call lets a C++ exception escape.
 *   - A session is not thread-safe: one thread at a time per session.
 */
#ifndef KILN_KILN_H
#define KILN_KILN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The values of kiln::StatusCode. */
typedef enum kiln_status_t {
  KILN_OK = 0,
  KILN_STATUS_INVALID_ARGUMENT = 1,
  KILN_STATUS_INVALID_FILE = 2,
  KILN_STATUS_UNSUPPORTED = 3,
  KILN_STATUS_DEVICE_LOST = 4,
  KILN_STATUS_OUT_OF_MEMORY = 5,
  KILN_STATUS_INTERNAL = 6,
  /* No usable device: no driver, no device, or a feature a module needs is missing. */
  KILN_STATUS_UNAVAILABLE = 7
} kiln_status_t;

/* Element type of an input or output (the .npy dtypes Kiln models use). */
typedef enum kiln_dtype_t {
  KILN_DTYPE_F32 = 0,
  KILN_DTYPE_F16 = 1,
  KILN_DTYPE_I8 = 2,
  KILN_DTYPE_U8 = 3,
  KILN_DTYPE_I16 = 4,
  KILN_DTYPE_I32 = 5,
  KILN_DTYPE_I64 = 6,
  KILN_DTYPE_OTHER = 7
} kiln_dtype_t;

typedef struct kiln_session_t kiln_session_t;

/* Zero-initialise, then set what you need; NULL options mean all defaults. */
typedef struct kiln_device_options_t {
  /* Device index ("1") or case-insensitive name substring; NULL or "": the
   * KILN_VULKAN_DEVICE environment variable, else the first discrete GPU, else an
   * integrated one, else any device. */
  const char *device;
  /* Non-zero: VK_LAYER_KHRONOS_validation on; any validation error fails the call. */
  int validation;
  /* On-disk pipeline cache directory; NULL or "": KILN_PIPELINE_CACHE_DIR, else none. */
  const char *pipeline_cache_dir;
} kiln_device_options_t;

typedef struct kiln_tensor_info_t {
  const char *name;      /* valid while the session lives */
  kiln_dtype_t dtype;
  size_t rank;
  const int64_t *shape;  /* rank entries, valid while the session lives */
  size_t byte_size;      /* exactly what set_input / read_output take */
} kiln_tensor_info_t;

typedef struct kiln_segment_timing_t {
  const char *name;      /* valid while the session lives */
  double microseconds;   /* GPU timestamps around the dispatch */
  double start_microseconds; /* start, from the first segment's start */
  uint64_t operations;   /* 2*M*N*K for a GEMM segment, else 0 */
  uint64_t bytes;        /* bytes of every buffer the dispatch binds */
} kiln_segment_timing_t;

/* "ok", "invalid-argument", ...; never NULL. */
const char *kiln_status_name(kiln_status_t status);

/* The message of the session's last failed call, "" when the last call succeeded;
 * "" for a NULL session. Valid until the next call on the session. */
const char *kiln_status_message(const kiln_session_t *session);

kiln_status_t kiln_session_create(const char *path, const kiln_device_options_t *options,
                                  kiln_session_t **out_session);
/* From a container in memory (copied; `data` may be freed after the call). */
kiln_status_t kiln_session_create_from_memory(const void *data, size_t size,
                                              const kiln_device_options_t *options,
                                              kiln_session_t **out_session);
void kiln_session_destroy(kiln_session_t *session);

kiln_status_t kiln_session_input_count(kiln_session_t *session, size_t *out_count);
kiln_status_t kiln_session_output_count(kiln_session_t *session, size_t *out_count);
kiln_status_t kiln_session_input_info(kiln_session_t *session, size_t index,
                                      kiln_tensor_info_t *out_info);
kiln_status_t kiln_session_output_info(kiln_session_t *session, size_t index,
                                       kiln_tensor_info_t *out_info);

/* Copies exactly byte_size bytes into input `index`. */
kiln_status_t kiln_session_set_input(kiln_session_t *session, size_t index, const void *data,
                                     size_t size);
/* Runs every segment in order and waits for the device. */
kiln_status_t kiln_session_run(kiln_session_t *session);
/* Copies exactly byte_size bytes of output `index` into `data`. */
kiln_status_t kiln_session_read_output(kiln_session_t *session, size_t index, void *data,
                                       size_t size);

/* Per-segment timings of the last successful run (0 segments before the first run). */
kiln_status_t kiln_session_segment_count(kiln_session_t *session, size_t *out_count);
kiln_status_t kiln_session_segment_timing(kiln_session_t *session, size_t index,
                                          kiln_segment_timing_t *out_timing);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KILN_KILN_H */
