#include "template/template.h"

#include "template/json_bridge.h"
#include "template/parser.h"

namespace idp::tmpl {

std::optional<Mode> ParseMode(std::string_view name) {
  if (name == "value" || name.empty()) return Mode::kValue;
  if (name == "string") return Mode::kString;
  if (name == "compat") return Mode::kCompat;
  if (name == "if") return Mode::kIf;
  if (name == "each") return Mode::kEach;
  if (name == "output") return Mode::kOutput;
  return std::nullopt;
}

std::vector<Integration> EngineConfig::DefaultIntegrations() {
  return {{"github.com", "github"},          {"ghe.example.com", "github"},
          {"gitlab.com", "gitlab"},          {"gitlab.example.com", "gitlab"},
          {"bitbucket.org", "bitbucketCloud"}, {"bitbucket.example.com", "bitbucketServer"},
          {"dev.azure.com", "azure"},        {"gitea.example.com", "gitea"},
          {"gerrit.example.com", "gerrit"}};
}

std::shared_ptr<const Template> Template::Compile(std::string_view source, const SyntaxOptions& syntax,
                                                  const Limits& limits) {
  if (source.size() > limits.max_source_bytes) {
    throw EngineError(ErrorKind::kLimit, "template limit exceeded: source larger than " +
                                             std::to_string(limits.max_source_bytes) + " bytes");
  }
  ParseConfig cfg;
  if (syntax.compat) cfg.lex.tags.variable_start = "{{";
  cfg.lex.trim_blocks = syntax.trim_blocks;
  cfg.lex.lstrip_blocks = syntax.lstrip_blocks;
  cfg.jinja_compat = syntax.compat;
  cfg.max_nesting = limits.max_nesting;
  std::shared_ptr<Template> t(new Template());
  t->root_ = Parse(source, cfg);
  t->syntax_ = syntax;
  return t;
}

bool Template::IsSingle() const {
  if (root_->kids.size() != 1) return false;
  const Node& only = *root_->kids[0];
  return !(only.kind == NodeKind::kOutput && !only.kids.empty() && only.kids[0]->kind == NodeKind::kTemplateData);
}

Engine::Engine(EngineConfig config) : config_(std::move(config)) {}

std::shared_ptr<const Template> Engine::Compiled(std::string_view source, const SyntaxOptions& syntax) const {
  std::string key;
  key.reserve(source.size() + 3);
  key.push_back(syntax.compat ? 'c' : 's');
  key.push_back(syntax.trim_blocks ? 't' : '-');
  key.push_back(syntax.lstrip_blocks ? 'l' : '-');
  key.append(source);
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
  }
  auto compiled = Template::Compile(source, syntax, config_.limits);
  std::lock_guard<std::mutex> lock(cache_mutex_);
  if (cache_.size() >= config_.cache_entries) cache_.clear();  // simple bound; compiling is cheap
  cache_.emplace(std::move(key), compiled);
  return compiled;
}

std::string Engine::RenderText(std::string_view source, const JsonValue& context, const SyntaxOptions& syntax) const {
  auto t = Compiled(source, syntax);
  EnvConfig env;
  env.compat = syntax.compat;
  env.integrations = &config_.integrations;
  env.limits = config_.limits;
  Heap heap(config_.limits.max_cells);
  Interp in(env, heap);
  return in.Render(t->root(), FromJson(context, heap));
}

TemplateError ToTemplateError(const EngineError& e) {
  TemplateError t;
  t.kind = e.kind();
  t.line = e.line();
  t.column = e.column();
  t.message = "(unknown path)";
  if (e.located()) t.message += " [Line " + std::to_string(e.line()) + ", Column " + std::to_string(e.column()) + "]";
  t.message += "\n  " + e.message();
  return t;
}

}  // namespace idp::tmpl
