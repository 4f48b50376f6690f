/* Checks written in C against kiln/kiln.h (CApiTest.c), called by CApiTest.cpp. */
#ifndef KILN_TESTS_RUNTIME_CAPITEST_H
#define KILN_TESTS_RUNTIME_CAPITEST_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* `vgf`: the add-a-constant test model. NULL on success, else the failure. */
const char *kiln_c_api_run_add_model(const void *vgf, size_t size);
/* `bytes`: a corrupt container. NULL on success, else the failure. */
const char *kiln_c_api_reject_bad_file(const void *bytes, size_t size);

#ifdef __cplusplus
}
#endif

#endif
