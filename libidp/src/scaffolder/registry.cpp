#include "scaffolder/registry.h"

namespace idp::scaffolder {

namespace {

Result<Json> ParseJsonText(const std::string& text, const std::string& what) {
  Json doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) return Status(Code::kInvalid, what + " is not valid JSON");
  return doc;
}

}  // namespace

Result<std::shared_ptr<const Action>> Action::Create(ActionSpec spec) {
  if (spec.id.empty()) return Status(Code::kInvalid, "an action needs an id");
  if (!spec.handler) return Status(Code::kInvalid, "action " + spec.id + " has no handler");
  auto action = std::make_shared<Action>();
  if (!spec.input_schema_json.empty()) {
    auto doc = ParseJsonText(spec.input_schema_json, "the input schema of " + spec.id);
    if (!doc.ok()) return doc.status();
    auto compiled = CompiledSchema::Compile(*doc);
    if (!compiled.ok()) return compiled.status();
    action->input_ = std::move(*compiled);
  }
  if (!spec.output_schema_json.empty()) {
    auto doc = ParseJsonText(spec.output_schema_json, "the output schema of " + spec.id);
    if (!doc.ok()) return doc.status();
    action->output_ = std::move(*doc);
  }
  auto examples = ParseJsonText(spec.examples_json.empty() ? "[]" : spec.examples_json, "the examples of " + spec.id);
  if (!examples.ok()) return examples.status();
  if (!examples->IsArray()) return Status(Code::kInvalid, "the examples of " + spec.id + " must be an array");
  action->examples_ = std::move(*examples);
  action->spec_ = std::move(spec);
  return std::shared_ptr<const Action>(std::move(action));
}

void Action::AppendListing(JsonValue& array, JsonAllocator& a) const {
  JsonValue item(rapidjson::kObjectType);
  item.AddMember("id", MakeString(spec_.id, a), a);
  item.AddMember("description", MakeString(spec_.description, a), a);
  item.AddMember("examples", JsonValue(examples_, a), a);
  JsonValue schema(rapidjson::kObjectType);
  if (input_) schema.AddMember("input", JsonValue(input_->schema(), a), a);
  if (output_.IsObject()) schema.AddMember("output", JsonValue(output_, a), a);
  item.AddMember("schema", schema, a);
  array.PushBack(item, a);
}

Status ActionRegistry::Register(ActionSpec spec) {
  if (actions_.count(spec.id)) return Status(Code::kInvalid, "action " + spec.id + " is already registered");
  auto action = Action::Create(std::move(spec));
  if (!action.ok()) return action.status();
  const std::string id = (*action)->id();
  actions_.emplace(id, std::move(*action));
  return Status::Ok();
}

std::shared_ptr<const Action> ActionRegistry::Find(std::string_view id) const {
  auto it = actions_.find(id);
  return it == actions_.end() ? nullptr : it->second;
}

Json ActionRegistry::List() const {
  Json out(rapidjson::kArrayType);
  for (const auto& [id, action] : actions_) action->AppendListing(out, out.GetAllocator());
  return out;
}

std::string UnknownActionMessage(std::string_view id) {
  return "Template action with ID '" + std::string(id) +
         "' is not registered. See https://backstage.io/docs/features/software-templates/builtin-actions/ on how "
         "to add a new action module.";
}

}  // namespace idp::scaffolder

namespace idp::scaffolder {

Result<ActionSpec> SpecFromListing(std::string_view item_json) {
  Json item;
  item.Parse(item_json.data(), item_json.size());
  if (item.HasParseError() || !item.IsObject()) return Status(Code::kInvalid, "an action listing must be a JSON object");
  ActionSpec spec;
  const JsonValue* id = FindMember(item, "id");
  if (!id || !id->IsString()) return Status(Code::kInvalid, "an action listing needs an id");
  spec.id = std::string(AsView(*id));
  if (const JsonValue* d = FindMember(item, "description"); d && d->IsString()) spec.description = std::string(AsView(*d));
  if (const JsonValue* e = FindMember(item, "examples")) spec.examples_json = ToJsonString(*e);
  if (const JsonValue* schema = FindMember(item, "schema"); schema && schema->IsObject()) {
    if (const JsonValue* in = FindMember(*schema, "input")) spec.input_schema_json = ToJsonString(*in);
    if (const JsonValue* out = FindMember(*schema, "output")) spec.output_schema_json = ToJsonString(*out);
  }
  return spec;
}

Status RegisterFromListing(ActionRegistry& registry, std::string_view item_json, ActionHandler handler,
                           bool supports_dry_run) {
  auto spec = SpecFromListing(item_json);
  if (!spec.ok()) return spec.status();
  spec->supports_dry_run = supports_dry_run;
  spec->handler = std::move(handler);
  return registry.Register(std::move(*spec));
}

}  // namespace idp::scaffolder
