// FastScanner against libyaml: for every YAML file of the project (examples,
// conformance cases) and for line-level mutations of each, the fast path must
// give the very Stream libyaml gives: documents, statuses, errors, JSON and
// every node's mark. A text outside the subset is fine (it goes to libyaml);
// a text inside it that parses differently is a failure.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/json.h"
#include "yaml/fast_scanner.h"
#include "yaml/yaml_stream.h"

namespace idp::yaml {
namespace {

namespace fs = std::filesystem;

std::string MarkText(const Document& d, const JsonValue* v) {
  const Mark m = d.marks.Get(v);
  return std::to_string(m.line) + ":" + std::to_string(m.column);
}

// Walks both trees in parallel; returns the first difference, or "".
std::string DiffNodes(const Document& a, const JsonValue& x, const Document& b, const JsonValue& y,
                      const std::string& path) {
  if (MarkText(a, &x) != MarkText(b, &y)) {
    return path + ": mark " + MarkText(a, &x) + " vs " + MarkText(b, &y);
  }
  if (x.GetType() != y.GetType()) return path + ": type";
  if (x.IsObject()) {
    if (x.MemberCount() != y.MemberCount()) return path + ": member count";
    auto i = x.MemberBegin();
    auto j = y.MemberBegin();
    for (; i != x.MemberEnd(); ++i, ++j) {
      const std::string p = path + "." + std::string(AsView(i->name));
      if (AsView(i->name) != AsView(j->name)) return p + ": name";
      if (MarkText(a, &i->name) != MarkText(b, &j->name)) return p + ": key mark";
      if (std::string d = DiffNodes(a, i->value, b, j->value, p); !d.empty()) return d;
    }
    return "";
  }
  if (x.IsArray()) {
    if (x.Size() != y.Size()) return path + ": size";
    for (rapidjson::SizeType k = 0; k < x.Size(); ++k) {
      if (std::string d = DiffNodes(a, x[k], b, y[k], path + "[" + std::to_string(k) + "]");
          !d.empty()) {
        return d;
      }
    }
    return "";
  }
  return ToJsonString(x) == ToJsonString(y) ? "" : path + ": value " + ToJsonString(x) + " vs " + ToJsonString(y);
}

std::string DiffStreams(const Stream& a, const Stream& b) {
  if (a.aborted != b.aborted || a.abort_reason != b.abort_reason) return "abort";
  if (a.documents.size() != b.documents.size()) {
    return "document count " + std::to_string(a.documents.size()) + " vs " +
           std::to_string(b.documents.size());
  }
  for (std::size_t i = 0; i < a.documents.size(); ++i) {
    const Document& x = a.documents[i];
    const Document& y = b.documents[i];
    const std::string at = "document " + std::to_string(i);
    if (x.status != y.status || x.error != y.error) return at + ": status/error '" + x.error + "' vs '" + y.error + "'";
    if (x.start.line != y.start.line || x.start.column != y.start.column) return at + ": start";
    if (x.status == DocStatus::kOk) {
      if (std::string d = DiffNodes(x, x.json, y, y.json, "$"); !d.empty()) return at + " " + d;
    }
  }
  return "";
}

struct Tally {
  std::size_t texts = 0;
  std::size_t fast = 0;  // texts the fast path took
};

// Compares both paths on text; records whether the fast path took it.
void Check(const std::string& text, const std::string& what, Tally& tally) {
  ++tally.texts;
  std::string terminated = text;
  if (!terminated.empty() && terminated.back() != '\n') terminated.push_back('\n');
  FastScanner scanner;
  if (scanner.Scan(terminated.substr(terminated.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0), 512)) {
    ++tally.fast;
  }
  const std::string diff = DiffStreams(ParseStream(text), ParseStream(text, {}, Scanner::kLibyaml));
  EXPECT_EQ(diff, "") << what << "\n----\n" << text.substr(0, 2000);
}

std::vector<fs::path> ProjectYamlFiles() {
  std::vector<fs::path> files;
  for (const char* dir : {"examples", "tests/conformance/catalog/cases", "tests/unit"}) {
    const fs::path root = fs::path(IDP_SOURCE_DIR) / dir;
    if (!fs::exists(root)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      const std::string ext = e.path().extension().string();
      if (e.is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

TEST(FastScanner, AgreesWithLibyamlOnProjectFiles) {
  Tally tally;
  const std::vector<fs::path> files = ProjectYamlFiles();
  ASSERT_GT(files.size(), 50u);
  for (const fs::path& f : files) Check(ReadFile(f), f.string(), tally);
  // The point of the fast path: most catalog files are in its subset.
  EXPECT_GT(tally.fast * 2, tally.texts) << tally.fast << " of " << tally.texts;
  std::printf("fast path took %zu of %zu project files\n", tally.fast, tally.texts);
}

// Each line of each example file changed in ways that leave or break the
// subset (or the YAML): both paths must still agree.
TEST(FastScanner, AgreesWithLibyamlOnMutations) {
  static const std::vector<std::string> kEdits = {
      "indent+1", "indent-1", "indent+2", "append-colon", "append-comment", "append-hash",
      "quote-single", "quote-double", "flow", "dash", "blank-before", "drop", "dup",
      "doc-marker", "empty-value", "unicode", "key-space", "trailing-space", "literal",
      "folded", "literal-keep", "folded-strip", "block-gap", "escapes", "bad-escape", "surrogate-escape"};
  Tally tally;
  std::size_t files_done = 0;
  for (const fs::path& f : ProjectYamlFiles()) {
    if (f.string().find("/examples/") == std::string::npos) continue;
    const std::vector<std::string> lines = SplitLines(ReadFile(f));
    for (std::size_t i = 0; i < lines.size() && i < 80; ++i) {
      for (const std::string& edit : kEdits) {
        std::vector<std::string> m = lines;
        std::string& l = m[i];
        const std::size_t colon = l.find(": ");
        if (edit == "indent+1") l = " " + l;
        else if (edit == "indent+2") l = "  " + l;
        else if (edit == "indent-1") { if (!l.empty() && l[0] == ' ') l.erase(0, 1); else continue; }
        else if (edit == "append-colon") l += ": x";
        else if (edit == "append-comment") l += "  # note: here";
        else if (edit == "append-hash") l += "#x";
        else if (edit == "quote-single" && colon != std::string::npos) l = l.substr(0, colon + 2) + "'it''s " + l.substr(colon + 2) + "'";
        else if (edit == "quote-double" && colon != std::string::npos) l = l.substr(0, colon + 2) + "\"" + l.substr(colon + 2) + "\"";
        else if (edit == "flow" && colon != std::string::npos) l = l.substr(0, colon + 2) + "[" + l.substr(colon + 2) + ", 'b', \"c\" ]";
        else if (edit == "dash") l = "- " + l;
        else if (edit == "blank-before") m.insert(m.begin() + static_cast<long>(i), "   ");
        else if (edit == "drop") m.erase(m.begin() + static_cast<long>(i));
        else if (edit == "dup") m.insert(m.begin() + static_cast<long>(i), l);
        else if (edit == "doc-marker") m.insert(m.begin() + static_cast<long>(i), "---");
        else if (edit == "empty-value" && colon != std::string::npos) l = l.substr(0, colon + 1);
        else if (edit == "unicode") l += " \xC3\xA9\xE2\x82\xAC";
        else if (edit == "key-space" && colon != std::string::npos) l.insert(colon, "  ");
        else if (edit == "trailing-space") l += "   ";
        else if (colon != std::string::npos && edit.rfind("literal", 0) == 0) l = l.substr(0, colon + 2) + (edit == "literal" ? "|" : "|+") + "\n" + std::string(l.find_first_not_of(' ') + 2, ' ') + l.substr(colon + 2) + "\n\n";
        else if (colon != std::string::npos && edit.rfind("folded", 0) == 0) l = l.substr(0, colon + 2) + (edit == "folded" ? ">" : ">-") + "\n" + std::string(l.find_first_not_of(' ') + 2, ' ') + "a b\n" + std::string(l.find_first_not_of(' ') + 2, ' ') + l.substr(colon + 2) + "\n\n" + std::string(l.find_first_not_of(' ') + 3, ' ') + "more\n" + std::string(l.find_first_not_of(' ') + 2, ' ') + "end";
        else if (colon != std::string::npos && edit == "block-gap") l = l.substr(0, colon + 2) + "|\n\n" + std::string(l.find_first_not_of(' ') + 4, ' ') + l.substr(colon + 2) + "\n" + std::string(l.find_first_not_of(' ') + 6, ' ') + "\n" + std::string(l.find_first_not_of(' ') + 4, ' ') + "x";
        else if (colon != std::string::npos && edit == "escapes") l = l.substr(0, colon + 2) + "\"a\\tb\\n\\u00e9\\x41\\U0001F600\\\" \\/ \\N\\_\\L\"";
        else if (colon != std::string::npos && edit == "bad-escape") l = l.substr(0, colon + 2) + "\"a\\q\"";
        else if (colon != std::string::npos && edit == "surrogate-escape") l = l.substr(0, colon + 2) + "\"a\\ud83d b\"";
        else continue;
        Check(Join(m), f.string() + " line " + std::to_string(i + 1) + " " + edit, tally);
      }
    }
    ++files_done;
  }
  ASSERT_GT(files_done, 10u);
  EXPECT_GT(tally.fast, tally.texts / 4) << tally.fast << " of " << tally.texts;
  std::printf("fast path took %zu of %zu mutations\n", tally.fast, tally.texts);
}

TEST(FastScanner, Subset) {
  FastScanner s;
  EXPECT_TRUE(s.Scan("a: 1\nb:\n  - x\n  - y: [p, 'q']\nc: {}\n", 512));
  EXPECT_TRUE(s.Scan("---\nk: v\n---\nk: w\n", 512));
  EXPECT_TRUE(s.Scan("# only a comment\n", 512));
  // Outside the subset: the caller falls back to libyaml.
  EXPECT_TRUE(s.Scan("a: |\n  text\n", 512));
  EXPECT_TRUE(s.Scan("a: \"\\t\\u00e9\"\n", 512));
  EXPECT_FALSE(s.Scan("a: |2\n  text\n", 512));  // an indentation indicator
  EXPECT_FALSE(s.Scan("a: &x 1\nb: *x\n", 512));
  EXPECT_FALSE(s.Scan("a: !!str 1\n", 512));
  EXPECT_FALSE(s.Scan("a: \"\\q\"\n", 512));  // an unknown escape: libyaml's error
  EXPECT_FALSE(s.Scan("a: b\n  c\n", 512));       // a multi-line plain scalar
  EXPECT_FALSE(s.Scan("a:\tb\n", 512));
  EXPECT_FALSE(s.Scan("a: b\r\n", 512));
  EXPECT_FALSE(s.Scan("---\n", 512));             // an empty document
  EXPECT_FALSE(s.Scan("a: b: c\n", 512));         // a YAML error
  EXPECT_FALSE(s.Scan("a:\n b:\n  c: 1\n", 2));   // deeper than the limit
}

}  // namespace
}  // namespace idp::yaml
