/* The C API used from C (this file is compiled as C11): the whole life of a session
 * on the add-a-constant test model, and the error paths. CApiTest.cpp builds the
 * container and calls these. Each returns NULL on success, else what went wrong. */

#include "CApiTest.h"

#include "kiln/kiln.h"

#include <stdio.h>
#include <string.h>

static char failure[512];

#define CHECK(condition, ...)                                                  \
  do {                                                                         \
    if (!(condition)) {                                                        \
      snprintf(failure, sizeof(failure), __VA_ARGS__);                         \
      return failure;                                                          \
    }                                                                          \
  } while (0)

const char *kiln_c_api_run_add_model(const void *vgf, size_t size) {
  kiln_device_options_t options;
  memset(&options, 0, sizeof(options));
  options.validation = 1;
  kiln_session_t *session = NULL;
  kiln_status_t status = kiln_session_create_from_memory(vgf, size, &options, &session);
  CHECK(status == KILN_OK, "create: %s: %s", kiln_status_name(status), kiln_status_message(session));

  size_t inputs = 0, outputs = 0;
  CHECK(kiln_session_input_count(session, &inputs) == KILN_OK && inputs == 1, "input count %zu", inputs);
  CHECK(kiln_session_output_count(session, &outputs) == KILN_OK && outputs == 1, "output count %zu", outputs);
  kiln_tensor_info_t info;
  CHECK(kiln_session_input_info(session, 0, &info) == KILN_OK, "input info");
  CHECK(strcmp(info.name, "x") == 0 && info.dtype == KILN_DTYPE_F32 && info.rank == 1 &&
            info.shape[0] == 64 && info.byte_size == 64 * sizeof(float),
        "input 0 is %s, dtype %d, rank %zu", info.name, (int)info.dtype, info.rank);

  float x[64], y[64];
  for (int i = 0; i < 64; ++i)
    x[i] = (float)i;
  CHECK(kiln_session_set_input(session, 0, x, sizeof(x)) == KILN_OK, "set_input: %s",
        kiln_status_message(session));
  CHECK(kiln_session_run(session) == KILN_OK, "run: %s", kiln_status_message(session));
  CHECK(strcmp(kiln_status_message(session), "") == 0, "message after success");
  CHECK(kiln_session_read_output(session, 0, y, sizeof(y)) == KILN_OK, "read_output: %s",
        kiln_status_message(session));
  for (int i = 0; i < 64; ++i)
    CHECK(y[i] == 1.5f * (float)i, "y[%d] = %g, expected %g", i, y[i], 1.5 * i);

  size_t segments = 0;
  kiln_segment_timing_t timing;
  CHECK(kiln_session_segment_count(session, &segments) == KILN_OK && segments == 1, "segments %zu",
        segments);
  CHECK(kiln_session_segment_timing(session, 0, &timing) == KILN_OK &&
            strcmp(timing.name, "add") == 0 && timing.microseconds >= 0,
        "segment timing");

  status = kiln_session_set_input(session, 0, x, 4);
  CHECK(status == KILN_STATUS_INVALID_ARGUMENT, "short input gave %s", kiln_status_name(status));
  CHECK(strcmp(kiln_status_message(session), "input 0 'x': expected 256 bytes, got 4") == 0,
        "short input message: %s", kiln_status_message(session));
  status = kiln_session_input_info(session, 0, NULL);
  CHECK(status == KILN_STATUS_INVALID_ARGUMENT, "NULL out_info gave %s", kiln_status_name(status));
  kiln_session_destroy(session);
  return NULL;
}

const char *kiln_c_api_reject_bad_file(const void *bytes, size_t size) {
  kiln_session_t *session = NULL;
  kiln_status_t status = kiln_session_create_from_memory(bytes, size, NULL, &session);
  CHECK(status == KILN_STATUS_INVALID_FILE, "a bad file gave %s", kiln_status_name(status));
  CHECK(session != NULL && strlen(kiln_status_message(session)) > 0, "no message on the handle");
  CHECK(kiln_session_run(session) == KILN_STATUS_INVALID_ARGUMENT, "run on a failed session");
  kiln_session_destroy(session);
  kiln_session_destroy(NULL);
  CHECK(kiln_session_create("x.vgf", NULL, NULL) == KILN_STATUS_INVALID_ARGUMENT, "NULL out_session");
  CHECK(strcmp(kiln_status_name(KILN_STATUS_UNAVAILABLE), "unavailable") == 0, "status name %s",
        kiln_status_name(KILN_STATUS_UNAVAILABLE));
  return NULL;
}
