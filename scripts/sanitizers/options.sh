# Sanitizer runtime options of the tests (sourced by scripts/test.sh; source it before
# running a KILN_SANITIZE or KILN_FUZZ build's tests by hand). Every report is fatal,
# and the only suppressions are those of the foreign libraries in this folder.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# allow_user_poisoning=0: LLVM's headers poison BumpPtrAllocator slabs in code built
# with ASan (Kiln's), while Debian's uninstrumented libMLIR.so allocates from the same
# slabs without unpoisoning, so the parser's memmove then reports a use-after-poison
# that is no bug (kiln-mlir-fuzz on a valid lit case). Kiln poisons nothing itself.
export ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:allow_user_poisoning=0
export LSAN_OPTIONS=suppressions=$here/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS=suppressions=$here/tsan.supp:halt_on_error=1:second_deadlock_stack=1
