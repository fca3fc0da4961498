#include "report_problems.h"

#include <string_view>
#include <utility>

namespace idp::cli {

using catalog::Stage;

std::string DocumentName(const catalog::DocumentVerdict& doc) {
  if (doc.ref) return *doc.ref;
  return "document " + std::to_string(doc.index + 1);
}

std::string FormatPlace(const std::string& file, Mark mark) {
  if (!mark.known()) return file;
  // Appends, not "x" + to_string(): GCC 12 warns (-Wrestrict) on the latter.
  std::string s = file;
  s += ':';
  s += std::to_string(mark.line);
  if (mark.column != 0) {
    s += ':';
    s += std::to_string(mark.column);
  }
  return s;
}

const std::vector<RuleInfo>& AllRules() {
  // Rule ids are the oracle's stage names, so a SARIF result's rule says
  // where in Backstage's pipeline the entity fails.
  static const std::vector<RuleInfo> kRules = [] {
    const std::pair<Stage, const char*> stages[] = {
        {Stage::kYaml, "YAML syntax error, or the parser gave up on the file (file-fatal)"},
        {Stage::kRootNotObject, "document is not a mapping (file-fatal)"},
        {Stage::kEnvelope, "apiVersion, kind or metadata missing or malformed (file-fatal)"},
        {Stage::kPreprocess, "a placeholder ($text, $json, $yaml) could not be resolved"},
        {Stage::kPolicy, "entity schema, unknown root field or field format rule broken"},
        {Stage::kSchema, "entity schema broken after pre-processing"},
        {Stage::kKind, "kind/apiVersion not recognised, or the kind's spec schema rejects it"},
        {Stage::kLocation, "Location entity problem"},
        {Stage::kPostprocess, "a relation could not be emitted (unparseable entity ref)"},
        {Stage::kIo, "the file could not be read (file-fatal)"},
    };
    std::vector<RuleInfo> rules;
    for (const auto& [stage, description] : stages) rules.push_back({catalog::StageName(stage), description});
    rules.push_back({"duplicate-entity", "the same entity ref is defined by two documents"});
    rules.push_back({"file-not-ingestible", "Backstage would store none of the file's entities"});
    return rules;
  }();
  return kRules;
}

namespace {

// The JSON pointer of a rendered path: spec.dependsOn[0] -> /spec/dependsOn/0,
// metadata.annotations['a/b'] -> /metadata/annotations/a~1b.
std::string PathToPointer(std::string_view path) {
  std::string pointer;
  std::string segment;
  auto flush = [&] {
    pointer += '/';
    for (char c : segment) {
      if (c == '~') {
        pointer += "~0";
      } else if (c == '/') {
        pointer += "~1";
      } else {
        pointer += c;
      }
    }
    segment.clear();
  };
  for (std::size_t i = 0; i < path.size();) {
    if (path[i] == '.') {
      ++i;
    } else if (path.substr(i, 2) == "['") {
      for (i += 2; i < path.size() && path.substr(i, 2) != "']"; ++i) {
        if (path[i] == '\\' && i + 1 < path.size()) ++i;
        segment += path[i];
      }
      i += 2;
      flush();
    } else if (path[i] == '[') {
      for (++i; i < path.size() && path[i] != ']'; ++i) segment += path[i];
      ++i;
      flush();
    } else {
      for (; i < path.size() && path[i] != '.' && path[i] != '['; ++i) segment += path[i];
      flush();
    }
  }
  return pointer;
}

std::string DiagnosticMessage(const catalog::Diagnostic& d) {
  if (d.path.empty()) return d.message;
  // Backstage's schema errors start with the field's JSON pointer
  // ("/spec/owner must be string"); the path prefix already says it.
  std::string_view message = d.message;
  std::string pointer = PathToPointer(d.path) + " ";
  if (message.starts_with(pointer)) message.remove_prefix(pointer.size());
  return d.path + ": " + std::string(message);
}

std::string DuplicateMessage(const DuplicateHit& hit) {
  std::string s = "duplicate entity " + hit.ref + ", also defined at " +
                  FormatPlace(hit.first.file, hit.first.mark);
  s += hit.same_file ? " (same file: Backstage keeps the later document)"
                     : " (Backstage keeps the first registered)";
  return s;
}

std::string FileNote(const catalog::FileVerdict& file) {
  std::vector<std::size_t> fatal;
  std::size_t entities = 0;
  for (const auto& doc : file.documents) {
    if (doc.file_fatal) fatal.push_back(doc.index + 1);
    if (doc.valid) ++entities;
  }
  std::string s = "file not ingestible by Backstage";
  if (!fatal.empty()) {
    s += fatal.size() == 1 ? ": document " : ": documents ";
    for (std::size_t i = 0; i < fatal.size(); ++i) s += (i ? ", " : "") + std::to_string(fatal[i]);
    s += fatal.size() == 1 ? " is file-fatal" : " are file-fatal";
  }
  if (entities > 0) {
    s += ", none of its " + std::to_string(entities) + (entities == 1 ? " valid entity" : " valid entities") +
         " would be stored";
  }
  return s;
}

}  // namespace

std::vector<Problem> ListProblems(const FileReport& file) {
  std::vector<Problem> problems;
  const auto& docs = file.verdict.documents;
  auto hit = file.duplicates.begin();
  bool io_failure = false;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    const auto& doc = docs[i];
    if (doc.stage == Stage::kIo) io_failure = true;
    if (!doc.valid && doc.stage != Stage::kIgnored) {
      // An unreadable file has no documents; its one verdict stands for the file.
      std::string subject = doc.stage == Stage::kIo ? "" : DocumentName(doc);
      for (const auto& d : doc.errors) {
        Stage stage = d.stage == Stage::kNone ? doc.stage : d.stage;
        problems.push_back({catalog::StageName(stage), d.mark.known() ? d.mark : doc.start,
                            DiagnosticMessage(d), subject, i, std::nullopt});
      }
      if (doc.errors.empty()) {  // the verdict always explains; be safe anyway
        problems.push_back({catalog::StageName(doc.stage), doc.start,
                            std::string("invalid (") + catalog::StageName(doc.stage) + ")", subject, i,
                            std::nullopt});
      }
    }
    for (; hit != file.duplicates.end() && hit->document == i; ++hit) {
      problems.push_back({"duplicate-entity", doc.start, DuplicateMessage(*hit), "", i, hit->first});
    }
  }
  // An unreadable file's own error already says it all.
  if (!file.verdict.file_ok && !io_failure) {
    problems.push_back({"file-not-ingestible", Mark{}, FileNote(file.verdict), "", Problem::kWholeFile,
                        std::nullopt});
  }
  return problems;
}

}  // namespace idp::cli
