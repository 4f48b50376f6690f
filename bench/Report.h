#pragma once
/// Turning measurements into the report: speedups against the baselines, fractions of
/// the roofline, issue 9's targets; then the table, the JSON and the Markdown.

#include "Results.h"

#include "kiln/support/Status.h"

#include <ostream>
#include <string>

namespace kiln::bench {

/// Fills each case's speedups and roofline fraction, and report.targets.
void finishReport(Report &report);

/// The human-readable table (stdout).
void printTable(const Report &report, std::ostream &os);

/// `<prefix>.json` and `<prefix>.md`; each written to a temporary name and renamed,
/// so a failure leaves no partial file.
Status writeReport(const Report &report, const std::string &prefix);

} // namespace kiln::bench
