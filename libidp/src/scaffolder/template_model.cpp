#include "scaffolder/template_model.h"

#include <fstream>
#include <sstream>

#include "core/source_map.h"
#include "yaml/yaml_stream.h"

namespace idp::scaffolder {

namespace {

constexpr std::size_t kMaxTemplateBytes = 4u << 20;

struct Checker {
  const std::string& source;
  const SourceMap* marks;

  Status Fail(const JsonValue* node, const std::string& field, const std::string& what) const {
    std::string where = source.empty() ? "template" : source;
    if (marks && node) {
      Mark m = marks->Get(node);
      if (m.known()) where += ":" + std::to_string(m.line) + ":" + std::to_string(m.column);
    }
    return Status(Code::kInvalid, where + ": " + field + " " + what);
  }
};

}  // namespace

const JsonValue& TemplateEntity::metadata() const {
  static const JsonValue kEmpty(rapidjson::kObjectType);
  const JsonValue* m = FindMember(entity, "metadata");
  return m && m->IsObject() ? *m : kEmpty;
}

static Result<TemplateEntity> Parse(Json entity, std::string source, const SourceMap* marks) {
  TemplateEntity t;
  t.source = std::move(source);
  t.entity = std::move(entity);
  Checker c{t.source, marks};
  const JsonValue& e = t.entity;
  if (!e.IsObject()) return c.Fail(&e, "the document", "is not an object (Input template is not a template)");
  const JsonValue* api = FindMember(e, "apiVersion");
  if (!api || !api->IsString()) return c.Fail(&e, "apiVersion", "is missing");
  if (AsView(*api) != kTemplateApiVersion) {
    return c.Fail(api, "apiVersion", "must be " + std::string(kTemplateApiVersion) + ", got " + std::string(AsView(*api)));
  }
  const JsonValue* kind = FindMember(e, "kind");
  if (!kind || !kind->IsString() || AsView(*kind) != "Template") return c.Fail(kind ? kind : &e, "kind", "must be Template");
  const JsonValue* metadata = FindMember(e, "metadata");
  if (!metadata || !metadata->IsObject()) return c.Fail(&e, "metadata", "must be an object");
  const JsonValue* name = FindMember(*metadata, "name");
  if (!name || !name->IsString() || name->GetStringLength() == 0) return c.Fail(metadata, "metadata.name", "must be a non-empty string");
  const JsonValue* spec = FindMember(e, "spec");
  if (!spec || !spec->IsObject()) return c.Fail(&e, "spec", "must be an object");
  const JsonValue* type = FindMember(*spec, "type");
  if (!type || !type->IsString() || type->GetStringLength() == 0) return c.Fail(spec, "spec.type", "must be a non-empty string");
  if (const JsonValue* params = FindMember(*spec, "parameters")) {
    if (params->IsObject()) {
      t.pages.push_back(params);
    } else if (params->IsArray()) {
      for (rapidjson::SizeType i = 0; i < params->Size(); ++i) {
        if (!(*params)[i].IsObject()) {
          return c.Fail(&(*params)[i], "spec.parameters[" + std::to_string(i) + "]", "must be an object");
        }
        t.pages.push_back(&(*params)[i]);
      }
    } else {
      return c.Fail(params, "spec.parameters", "must be an object or an array of objects");
    }
  }
  if (const JsonValue* secrets = FindMember(*spec, "secrets")) {
    if (!secrets->IsObject()) return c.Fail(secrets, "spec.secrets", "must be an object");
    if (const JsonValue* schema = FindMember(*secrets, "schema")) {
      if (!schema->IsObject()) return c.Fail(schema, "spec.secrets.schema", "must be an object");
      t.secrets_schema = schema;
    }
  }
  const JsonValue* steps = FindMember(*spec, "steps");
  if (!steps || !steps->IsArray()) return c.Fail(steps ? steps : spec, "spec.steps", "must be an array");
  for (rapidjson::SizeType i = 0; i < steps->Size(); ++i) {
    const JsonValue& s = (*steps)[i];
    const std::string field = "spec.steps[" + std::to_string(i) + "]";
    if (!s.IsObject()) return c.Fail(&s, field, "must be an object");
    StepSpec step;
    const JsonValue* action = FindMember(s, "action");
    if (!action || !action->IsString()) return c.Fail(action ? action : &s, field + ".action", "must be a string");
    step.action = std::string(AsView(*action));
    const JsonValue* id = FindMember(s, "id");
    if (id && !id->IsString()) return c.Fail(id, field + ".id", "must be a string");
    step.id = id ? std::string(AsView(*id)) : "step-" + std::to_string(i + 1);
    const JsonValue* step_name = FindMember(s, "name");
    if (step_name && !step_name->IsString()) return c.Fail(step_name, field + ".name", "must be a string");
    step.name = step_name ? std::string(AsView(*step_name)) : step.action;
    step.input = FindMember(s, "input");
    if (step.input && !step.input->IsObject()) return c.Fail(step.input, field + ".input", "must be an object");
    step.if_ = FindMember(s, "if");
    if (step.if_ && !step.if_->IsString() && !step.if_->IsBool()) {
      return c.Fail(step.if_, field + ".if", "must be a string or a boolean");
    }
    step.each = FindMember(s, "each");
    t.steps.push_back(std::move(step));
  }
  t.output = FindMember(*spec, "output");
  if (t.output && !t.output->IsObject()) return c.Fail(t.output, "spec.output", "must be an object");
  return t;
}

Result<TemplateEntity> ParseTemplate(Json entity, std::string source) {
  return Parse(std::move(entity), std::move(source), nullptr);
}

Result<TemplateEntity> LoadTemplateFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status(Code::kIo, file.string() + ": cannot read");
  std::ostringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  if (text.size() > kMaxTemplateBytes) return Status(Code::kLimit, file.string() + ": larger than 4 MiB");
  yaml::Stream stream = yaml::ParseStream(text);
  for (auto& doc : stream.documents) {
    if (doc.status == yaml::DocStatus::kEmpty) continue;
    if (doc.status == yaml::DocStatus::kError) {
      return Status(Code::kParse, file.string() + ":" + std::to_string(doc.error_mark.line) + ":" +
                                      std::to_string(doc.error_mark.column) + ": " + doc.error);
    }
    // Parse checks against the document's own marks before the move can
    // invalidate them: nodes live in the allocator, so their addresses stay.
    SourceMap marks = std::move(doc.marks);
    Json json = std::move(doc.json);
    return Parse(std::move(json), file.string(), &marks);
  }
  if (stream.aborted) {
    return Status(Code::kParse, file.string() + ":" + std::to_string(stream.abort_mark.line) + ":" +
                                    std::to_string(stream.abort_mark.column) + ": " + stream.abort_reason);
  }
  return Status(Code::kInvalid, file.string() + ": no YAML document");
}

}  // namespace idp::scaffolder
