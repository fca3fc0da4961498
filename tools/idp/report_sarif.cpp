// SARIF 2.1.0: one run, a rule per validation stage, a result per problem.
// Written as the files come with RapidJSON's streaming writer, so nothing
// but the output buffer is held.
#include <rapidjson/filewritestream.h>
#include <rapidjson/prettywriter.h>

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "report_problems.h"
#include "reporter.h"
#include "text_util.h"

namespace idp::cli {

namespace {

// A file label as a URI reference: relative paths stay relative (to the
// directory idp ran in), absolute ones become file:// URIs.
std::string PathToUri(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri = path.starts_with('/') ? "file://" : "";
  for (char c : path) {
    auto b = static_cast<unsigned char>(c);
    bool plain = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' ||
                 b == '.' || b == '_' || b == '~' || b == '/';
    if (plain) {
      uri += c;
    } else {
      uri += '%';
      uri += kHex[b >> 4];
      uri += kHex[b & 0xF];
    }
  }
  return uri;
}

class SarifReporter final : public Reporter {
 public:
  explicit SarifReporter(const ReporterContext& context)
      : stream_(context.out, buffer_.data(), buffer_.size()), writer_(stream_) {
    writer_.SetIndent(' ', 2);
    writer_.StartObject();
    Key("$schema");
    String("https://json.schemastore.org/sarif-2.1.0.json");
    Key("version");
    String("2.1.0");
    Key("runs");
    writer_.StartArray();
    writer_.StartObject();
    Key("tool");
    writer_.StartObject();
    Key("driver");
    writer_.StartObject();
    Key("name");
    String("idp");
    Key("version");
    String(IDP_VERSION_STRING);
    Key("rules");
    writer_.StartArray();
    for (const auto& rule : AllRules()) {
      writer_.StartObject();
      Key("id");
      String(rule.id);
      Key("shortDescription");
      Text(rule.description);
      Key("defaultConfiguration");
      writer_.StartObject();
      Key("level");
      String("error");
      writer_.EndObject();
      writer_.EndObject();
    }
    writer_.EndArray();
    writer_.EndObject();  // driver
    writer_.EndObject();  // tool
    // Our columns count Unicode code points, as editors do.
    Key("columnKind");
    String("unicodeCodePoints");
    Key("results");
    writer_.StartArray();
  }

  void File(const FileReport& file) override {
    for (const auto& p : ListProblems(file)) {
      writer_.StartObject();
      Key("ruleId");
      String(p.rule);
      if (auto index = RuleIndex(p.rule)) {
        Key("ruleIndex");
        writer_.Uint(*index);
      }
      Key("level");
      String("error");
      Key("message");
      Text(p.subject.empty() ? p.message : p.message + " [" + p.subject + "]");
      Key("locations");
      writer_.StartArray();
      Location(file.verdict.file, p.mark, nullptr);
      writer_.EndArray();
      if (p.related) {
        Key("relatedLocations");
        writer_.StartArray();
        Location(p.related->file, p.related->mark, "first definition");
        writer_.EndArray();
      }
      writer_.EndObject();
    }
  }

  void End(const RunSummary&) override {
    writer_.EndArray();   // results
    writer_.EndObject();  // run
    writer_.EndArray();   // runs
    writer_.EndObject();
    stream_.Put('\n');
    stream_.Flush();
  }

 private:
  void Key(std::string_view k) { writer_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
  void String(std::string_view s) {
    std::string valid = ValidUtf8(s);
    writer_.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
  }
  void Text(std::string_view s) {
    writer_.StartObject();
    Key("text");
    String(s);
    writer_.EndObject();
  }
  void Location(const std::string& file, Mark mark, const char* message) {
    writer_.StartObject();
    if (message) {
      Key("id");
      writer_.Uint(0);
      Key("message");
      Text(message);
    }
    Key("physicalLocation");
    writer_.StartObject();
    Key("artifactLocation");
    writer_.StartObject();
    Key("uri");
    String(PathToUri(file));
    writer_.EndObject();
    if (mark.known()) {
      Key("region");
      writer_.StartObject();
      Key("startLine");
      writer_.Uint(mark.line);
      if (mark.column != 0) {
        Key("startColumn");
        writer_.Uint(mark.column);
      }
      writer_.EndObject();
    }
    writer_.EndObject();
    writer_.EndObject();
  }
  static std::optional<unsigned> RuleIndex(const std::string& id) {
    const auto& rules = AllRules();
    for (std::size_t i = 0; i < rules.size(); ++i) {
      if (id == rules[i].id) return static_cast<unsigned>(i);
    }
    return std::nullopt;
  }

  std::array<char, 1 << 16> buffer_{};
  rapidjson::FileWriteStream stream_;
  rapidjson::PrettyWriter<rapidjson::FileWriteStream> writer_;
};

}  // namespace

std::unique_ptr<Reporter> MakeSarifReporter(const ReporterContext& context) {
  return std::make_unique<SarifReporter>(context);
}

}  // namespace idp::cli
