// Helpers for the store tests: temp dirs and hand-built ProcessedEntity records.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "catalog/processed_entity.h"
#include "core/json.h"
#include "model/entity_ref.h"
#include "model/entity_rules.h"
#include "store/store.h"

namespace idp::store::testing {

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("idp-store-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline Json ParseJson(std::string_view text) {
  Json d;
  d.Parse(text.data(), text.size());
  EXPECT_FALSE(d.HasParseError()) << text;
  return d;
}

// A successful record from entity JSON; relations from the model's EmitRelations.
inline catalog::ProcessedEntity Processed(std::string_view entity_json, std::string location_key = "file:/a.yaml",
                                          std::string parent_ref = "", std::string result_hash = "") {
  catalog::ProcessedEntity p;
  p.entity = ParseJson(entity_json);
  model::PrepareEntity(p.entity, p.entity.GetAllocator());
  const auto& md = p.entity["metadata"];
  const JsonValue* ns = FindMember(md, "namespace");
  p.ref = model::CanonicalRef(AsView(p.entity["kind"]), ns ? AsView(*ns) : std::string_view("default"),
                              AsView(md["name"]));
  p.location_key = std::move(location_key);
  p.parent_ref = std::move(parent_ref);
  p.ok = true;
  auto rel = model::EmitRelations(p.entity);
  p.relations = rel.relations;
  p.result_hash = result_hash.empty() ? ToJsonString(p.entity) : result_hash;
  return p;
}

inline std::string Component(std::string_view name, std::string_view owner = "team-a",
                             std::string_view extra_metadata = "") {
  return std::string(R"({"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":")") +
         std::string(name) + "\"" + std::string(extra_metadata) +
         R"(},"spec":{"type":"service","lifecycle":"production","owner":")" + std::string(owner) + "\"}}";
}

inline std::string Group(std::string_view name) {
  return std::string(R"({"apiVersion":"backstage.io/v1alpha1","kind":"Group","metadata":{"name":")") +
         std::string(name) + R"("},"spec":{"type":"team","children":[]}})";
}

inline std::string LocationEntity(std::string_view name, std::string_view target) {
  return std::string(R"({"apiVersion":"backstage.io/v1alpha1","kind":"Location","metadata":{"name":")") +
         std::string(name) + R"("},"spec":{"type":"file","target":")" + std::string(target) + "\"}}";
}

inline Store OpenMemory(StoreOptions options = {}) {
  auto s = Store::Open(":memory:", options);
  EXPECT_TRUE(s.ok()) << s.status().message();
  return std::move(s).value();
}

// Applies and stitches everything the write asked for.
inline WriteSummary ApplyAndStitch(Store& store, std::vector<catalog::ProcessedEntity>& batch) {
  auto w = store.ApplyProcessed(batch);
  EXPECT_TRUE(w.ok()) << w.status().message();
  auto s = store.Stitch(w->to_stitch);
  EXPECT_TRUE(s.ok()) << s.status().message();
  EXPECT_TRUE(s->failures.empty()) << (s->failures.empty() ? "" : s->failures[0].message);
  return std::move(w).value();
}

inline Json MustGet(const Store& store, std::string_view ref) {
  auto r = store.GetByRef(ref);
  EXPECT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->has_value()) << "missing " << ref;
  if (!r.ok() || !r->has_value()) return Json(rapidjson::kObjectType);
  return std::move(**r);
}

inline std::string Str(const JsonValue& v, std::initializer_list<const char*> path) {
  const JsonValue* cur = &v;
  for (const char* p : path) {
    cur = FindMember(*cur, p);
    if (cur == nullptr) return "<missing>";
  }
  return cur->IsString() ? std::string(AsView(*cur)) : ToJsonString(*cur);
}

}  // namespace idp::store::testing
