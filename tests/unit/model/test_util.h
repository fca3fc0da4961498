// Helpers shared by the model tests: JSON literals and the oracle fixtures
// written by gen_expectations.cjs.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "core/json.h"

namespace idp::model::testing {

inline Json ParseJson(std::string_view text) {
  Json doc;
  doc.Parse(text.data(), text.size());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

// One parsed document per non-empty line of tests/unit/model/data/<name>.
inline std::vector<Json> ReadFixture(const std::string& name) {
  std::ifstream in(std::string(IDP_SOURCE_DIR) + "/tests/unit/model/data/" + name);
  EXPECT_TRUE(in.good()) << name;
  std::vector<Json> docs;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) docs.push_back(ParseJson(line));
  }
  return docs;
}

inline std::string Str(const JsonValue& object, const char* key) {
  const JsonValue* v = FindMember(object, key);
  return v && v->IsString() ? std::string(AsView(*v)) : std::string();
}

inline bool IsNull(const JsonValue& object, const char* key) {
  const JsonValue* v = FindMember(object, key);
  return v == nullptr || v->IsNull();
}

}  // namespace idp::model::testing
