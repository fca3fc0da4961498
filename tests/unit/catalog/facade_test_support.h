// Helpers for the tests of the Catalog facade.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "catalog/catalog.h"

namespace idp::catalog::test {

// The served entity `ref` (a test failure when there is none).
inline Json MustGet(const Catalog& c, const std::string& ref) {
  auto e = c.GetByRef(ref);
  EXPECT_TRUE(e.ok() && e->has_value()) << ref;
  Json out;
  if (e.ok() && e->has_value()) out.CopyFrom(**e, out.GetAllocator());
  return out;
}

}  // namespace idp::catalog::test
