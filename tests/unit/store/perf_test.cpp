#include <chrono>

#include "store_test_support.h"

namespace idp::store {
namespace {

using namespace testing;

// Manual: --gtest_also_run_disabled_tests --gtest_filter=*Perf*
TEST(Perf, DISABLED_IngestAndStitch20k) {
  TempDir dir;
  auto opened = Store::Open(dir.File("perf.db"));
  ASSERT_TRUE(opened.ok());
  Store& store = *opened;
  constexpr int kTotal = 20000, kBatch = 500;
  std::vector<std::vector<catalog::ProcessedEntity>> batches;
  for (int b = 0; b < kTotal / kBatch; ++b) {
    auto& batch = batches.emplace_back();
    batch.reserve(kBatch);
    for (int i = 0; i < kBatch; ++i) {
      const int n = b * kBatch + i;
      batch.push_back(Processed(Component("c" + std::to_string(n), "team-" + std::to_string(n % 50),
                                          R"(,"tags":["a","b"],"annotations":{"x/y":"z"})")));
    }
  }
  const auto start = std::chrono::steady_clock::now();
  double apply = 0;
  for (auto& batch : batches) {
    const auto a0 = std::chrono::steady_clock::now();
    auto w = store.ApplyProcessed(batch);
    ASSERT_TRUE(w.ok());
    apply += std::chrono::duration<double>(std::chrono::steady_clock::now() - a0).count();
    ASSERT_TRUE(store.Stitch(w->to_stitch).ok());
  }
  std::printf("apply %.2fs\n", apply);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%d entities ingested+stitched in %.2fs\n", kTotal, s);
  QueryRequest r;
  r.filter = EntityFilter{{*ParseFilterParam("spec.owner=team-7")}};
  r.order = {{"metadata.name", false}};
  r.limit = 20;
  const auto q0 = std::chrono::steady_clock::now();
  auto res = store.Query(r);
  ASSERT_TRUE(res.ok());
  std::printf("query: %zu total in %.3fs\n", res->total_items,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - q0).count());
  const auto q1 = std::chrono::steady_clock::now();
  r.filter = EntityFilter{{*ParseFilterParam("spec.owner=team-8")}};
  res = store.Query(r);
  ASSERT_TRUE(res.ok());
  std::printf("second query: %.3fs\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - q1).count());
}

}  // namespace
}  // namespace idp::store
