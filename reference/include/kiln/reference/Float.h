#pragma once
/// The evaluator's float formats are Kiln's support ones (kiln/support/FloatFormat.h:
/// one rounding implementation for the compiler and the oracle), named here under
/// kiln::ref, where the evaluator's API and its users look for them.

#include "kiln/support/FloatFormat.h"

namespace kiln::ref {

using kiln::decodeFloat;
using kiln::encodeFloat;
using kiln::FloatFormat;
using kiln::kBf16;
using kiln::kFp16;
using kiln::kFp32;
using kiln::roundToFormat;

} // namespace kiln::ref
