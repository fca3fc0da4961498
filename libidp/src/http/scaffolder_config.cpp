#include "http/scaffolder_config.h"

#include <fstream>
#include <sstream>

#include "app_config.h"
#include "core/json.h"
#include "yaml/yaml_stream.h"

namespace idp::http {

namespace {

class Keys {
 public:
  Keys(const std::string& file, const SourceMap& marks) : file_(file), marks_(marks) {}

  Status Error(const JsonValue& node, const std::string& key, const std::string& what) const {
    return scaffolder::actions::ConfigKeyError(file_, marks_, node, key, what);
  }

  // Backstage durations: {milliseconds|seconds|minutes|hours|days: n} or milliseconds.
  Status Duration(const JsonValue& v, const std::string& key, std::chrono::milliseconds& out) const {
    if (v.IsUint64()) {
      out = std::chrono::milliseconds(v.GetUint64());
      return Status::Ok();
    }
    if (!v.IsObject() || v.MemberCount() == 0) return Error(v, key, "expected {seconds: N} or a number of milliseconds");
    std::uint64_t total = 0;
    for (const auto& m : v.GetObject()) {
      const std::string_view unit = AsView(m.name);
      std::uint64_t scale = 0;
      if (unit == "milliseconds") scale = 1;
      else if (unit == "seconds") scale = 1000;
      else if (unit == "minutes") scale = 60'000;
      else if (unit == "hours") scale = 3'600'000;
      else if (unit == "days") scale = 86'400'000;
      else return Error(m.name, key, "unknown unit '" + std::string(unit) + "'");
      if (!m.value.IsUint64() || m.value.GetUint64() > 1'000'000'000ull) {
        return Error(m.value, key + "." + std::string(unit), "expected an integer from 0 to 1000000000");
      }
      total += m.value.GetUint64() * scale;
    }
    out = std::chrono::milliseconds(total);
    return Status::Ok();
  }

 private:
  const std::string& file_;
  const SourceMap& marks_;
};

}  // namespace

Status LoadScaffolderConfig(const std::string& path, ScaffolderSettings& settings) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(Code::kIo, path + ": cannot read the configuration file");
  std::ostringstream text;
  text << in.rdbuf();
  yaml::Stream stream = yaml::ParseStream(text.str());
  // Syntax errors are LoadConfigFile's to report; nothing to read here.
  if (stream.aborted || stream.documents.empty() || stream.documents[0].status != yaml::DocStatus::kOk) {
    return Status::Ok();
  }
  const yaml::Document& doc = stream.documents[0];
  if (!doc.json.IsObject()) return Status::Ok();
  const Keys k(path, doc.marks);
  auto publish = std::make_shared<scaffolder::actions::PublishOptions>();
  if (Status st = scaffolder::actions::ReadPublishConfig(doc.json, doc.marks, path, *publish); !st.ok()) return st;
  settings.publish = std::move(publish);
  if (const JsonValue* backend = FindMember(doc.json, "backend"); backend && backend->IsObject()) {
    if (const JsonValue* wd = FindMember(*backend, "workingDirectory")) {
      if (!wd->IsString()) return k.Error(*wd, "backend.workingDirectory", "expected a string");
      settings.working_directory = std::string(AsView(*wd));
    }
  }
  const JsonValue* s = FindMember(doc.json, "scaffolder");
  if (!s) return Status::Ok();
  if (!s->IsObject()) return k.Error(*s, "scaffolder", "expected a mapping");
  if (const JsonValue* root = FindMember(*s, "workspaceRoot")) {
    if (!root->IsString() || root->GetStringLength() == 0) {
      return k.Error(*root, "scaffolder.workspaceRoot", "expected a directory path");
    }
    settings.working_directory = std::string(AsView(*root));
  }
  for (const char* key : {"concurrentTasksLimit", "concurrency"}) {
    if (const JsonValue* n = FindMember(*s, key)) {
      if (!n->IsUint64() || n->GetUint64() > 256) {
        return k.Error(*n, std::string("scaffolder.") + key, "expected an integer from 0 to 256");
      }
      settings.concurrency = static_cast<unsigned>(n->GetUint64());
    }
  }
  if (const JsonValue* b = FindMember(*s, "EXPERIMENTAL_recoverTasks")) {
    if (!b->IsBool()) return k.Error(*b, "scaffolder.EXPERIMENTAL_recoverTasks", "expected true or false");
    settings.recover_tasks = b->GetBool();
  }
  struct DurationKey {
    const char* key;
    std::chrono::milliseconds* out;
  };
  for (DurationKey d : {DurationKey{"EXPERIMENTAL_recoverTasksTimeout", &settings.recover_timeout},
                        DurationKey{"taskTimeout", &settings.task_timeout},
                        DurationKey{"taskTimeoutJanitorFrequency", &settings.janitor_interval}}) {
    if (const JsonValue* v = FindMember(*s, d.key)) {
      if (Status st = k.Duration(*v, std::string("scaffolder.") + d.key, *d.out); !st.ok()) return st;
    }
  }
  return Status::Ok();
}

}  // namespace idp::http
