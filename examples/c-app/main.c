/* kiln-c-app: runs a Kiln model through the C API and checks its output.
 *
 *   kiln-c-app model.vgf expected.npy [device]
 *
 * The input is the one examples/vulkan-app produces on the GPU,
 * x[i] = ((7i mod 23) - 11) / 16, filled on the host here; expected.npy is the
 * model's output for it (kiln-run --backend=cpu). Exits non-zero with the session's
 * message on any failure. */
#include <kiln/kiln.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads `count` f32 values of a little-endian .npy into `out`. The data of a .npy is
 * the end of the file, after a header naming the dtype. */
static int read_expected(const char *path, float *out, size_t count) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "error: cannot open %s\n", path);
    return 0;
  }
  char header[128] = {0};
  size_t got = fread(header, 1, sizeof header - 1, f);
  /* The dictionary follows the 10-byte preamble, whose length field may hold zeros. */
  int ok = got > 10 && memcmp(header, "\x93NUMPY", 6) == 0 && strstr(header + 10, "'<f4'") &&
           fseek(f, -(long)(count * sizeof(float)), SEEK_END) == 0 &&
           fread(out, sizeof(float), count, f) == count;
  fclose(f);
  if (!ok)
    fprintf(stderr, "error: %s is not an f32 .npy of %zu values\n", path, count);
  return ok;
}

static int fail(kiln_session_t *session, kiln_status_t status, const char *call) {
  fprintf(stderr, "error: %s: %s: %s\n", call, kiln_status_name(status),
          kiln_status_message(session));
  kiln_session_destroy(session);
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 3 || argc > 4) {
    fprintf(stderr, "usage: kiln-c-app model.vgf expected.npy [device]\n");
    return 1;
  }
  kiln_device_options_t options = {0};
  options.device = argc == 4 ? argv[3] : NULL;
  kiln_session_t *session = NULL;
  kiln_status_t status = kiln_session_create(argv[1], &options, &session);
  if (status != KILN_OK)
    return fail(session, status, "kiln_session_create");

  kiln_tensor_info_t in, out;
  if ((status = kiln_session_input_info(session, 0, &in)) != KILN_OK)
    return fail(session, status, "kiln_session_input_info");
  if ((status = kiln_session_output_info(session, 0, &out)) != KILN_OK)
    return fail(session, status, "kiln_session_output_info");
  if (in.dtype != KILN_DTYPE_F32 || out.dtype != KILN_DTYPE_F32) {
    fprintf(stderr, "error: this example feeds and reads f32 tensors\n");
    kiln_session_destroy(session);
    return 1;
  }

  size_t n_in = in.byte_size / sizeof(float), n_out = out.byte_size / sizeof(float);
  float *x = malloc(in.byte_size), *y = malloc(out.byte_size), *want = malloc(out.byte_size);
  for (size_t i = 0; i < n_in; ++i)
    x[i] = (float)((int)(i * 7 % 23) - 11) * 0.0625f;
  int ok = 0;
  if ((status = kiln_session_set_input(session, 0, x, in.byte_size)) != KILN_OK ||
      (status = kiln_session_run(session)) != KILN_OK ||
      (status = kiln_session_read_output(session, 0, y, out.byte_size)) != KILN_OK) {
    fail(session, status, "running the model");
    session = NULL;
  } else if (read_expected(argv[2], want, n_out)) {
    /* Same bound as examples/vulkan-app: 1e-5 of the output's magnitude. */
    double magnitude = 1, max_error = 0;
    for (size_t i = 0; i < n_out; ++i) {
      magnitude = fmax(magnitude, fabs(want[i]));
      double error = fabs((double)y[i] - want[i]);
      max_error = isnan(error) || error > max_error ? error : max_error;
    }
    ok = max_error <= 1e-5 * magnitude;
    printf("max abs error %g (bound %g)\n", max_error, 1e-5 * magnitude);
  }
  free(x);
  free(y);
  free(want);
  kiln_session_destroy(session);
  return ok ? 0 : 1;
}
