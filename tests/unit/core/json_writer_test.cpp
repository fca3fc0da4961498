// JsJsonWriter's string fast path must write what RapidJSON's escaping
// writer writes, and escape every control character.
#include "core/json_writer.h"

#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>

#include <string>

namespace idp {
namespace {

std::string WithOurs(const std::string& s) {
  rapidjson::StringBuffer b;
  JsJsonWriter<rapidjson::Writer<rapidjson::StringBuffer>> w(b);
  w.StartObject();
  w.Key(s);
  w.String(s);
  w.PlainKey("k");
  w.String(s);
  w.EndObject();
  return {b.GetString(), b.GetSize()};
}

std::string WithRapidJson(const std::string& s) {
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  w.StartObject();
  w.Key(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  w.Key("k");
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  w.EndObject();
  return {b.GetString(), b.GetSize()};
}

TEST(JsJsonWriter, StringsMatchRapidJsonsEscaping) {
  for (int c = 1; c < 0x80; ++c) {
    for (std::size_t length : {1u, 5u, 9u, 16u, 17u, 33u}) {
      std::string s(length, 'a');
      s[length / 2] = static_cast<char>(c);
      const std::string ours = WithOurs(s);
      EXPECT_EQ(ours, WithRapidJson(s)) << "byte " << c << " length " << length;
      for (const char ch : ours) ASSERT_GE(static_cast<unsigned char>(ch), 0x20u) << ours;
    }
  }
  EXPECT_EQ(WithOurs("caf\xc3\xa9"), WithRapidJson("caf\xc3\xa9"));
  EXPECT_EQ(WithOurs(""), R"({"":"","k":""})");
}

TEST(JsJsonWriter, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(WithOurs("a\xff"), "{\"a\xEF\xBF\xBD\":\"a\xEF\xBF\xBD\",\"k\":\"a\xEF\xBF\xBD\"}");
}

}  // namespace
}  // namespace idp
