#include "http/scaffolder_config.h"

#include <fstream>
#include <sstream>

#include "app_config.h"
#include "core/json.h"
#include "http/config_reader.h"
#include "yaml/yaml_stream.h"

namespace idp::http {

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
  const ConfigReader k(path, doc.marks);
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
