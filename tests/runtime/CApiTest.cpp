// Drives the C-language checks of kiln/kiln.h (CApiTest.c) on containers built here.

#include "CApiTest.h"
#include "TestModels.h"

#include <gtest/gtest.h>

namespace kiln::rt {
namespace {

TEST(CApiTest, RunsASessionFromC) {
  std::vector<uint8_t> vgf = test::encode(test::addConstantModel());
  const char *failure = kiln_c_api_run_add_model(vgf.data(), vgf.size());
  EXPECT_EQ(failure, nullptr) << failure;
}

TEST(CApiTest, ReportsErrorsOnTheHandle) {
  std::vector<uint8_t> vgf = test::encode(test::addConstantModel());
  vgf.resize(100);
  const char *failure = kiln_c_api_reject_bad_file(vgf.data(), vgf.size());
  EXPECT_EQ(failure, nullptr) << failure;
}

} // namespace
} // namespace kiln::rt
