#include "template/template.h"

#include <cstdio>

#include "core/utf8.h"
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

namespace {

// nunjucks sees JS strings, which cannot hold broken UTF-8: such a template
// is refused, at the line and column (UTF-16 units, as the lexer counts) of
// its first bad byte, rather than copied through to the output.
void CheckUtf8(std::string_view source) {
  if (IsValidUtf8(source)) return;
  int line = 1, col = 1;
  for (std::size_t i = 0; i < source.size();) {
    auto b = static_cast<unsigned char>(source[i]);
    if (b < 0x80) {
      ++i;
      if (b == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
      continue;
    }
    char32_t cp = 0;
    std::size_t n = DecodeUtf8(source, i, cp);
    if (n == 0) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", b);
      throw EngineError(ErrorKind::kSyntax, std::string("invalid UTF-8 in template (byte ") + hex + ")", line, col);
    }
    i += n;
    col += n == 4 ? 2 : 1;
  }
}

void CheckSourceSize(std::string_view source, const Limits& limits) {
  if (source.size() > limits.max_source_bytes) {
    throw EngineError(ErrorKind::kLimit, "template limit exceeded: source larger than " +
                                             std::to_string(limits.max_source_bytes) + " bytes");
  }
}

}  // namespace

std::shared_ptr<const Template> Template::Compile(std::string_view source, const SyntaxOptions& syntax,
                                                  const Limits& limits) {
  CheckSourceSize(source, limits);
  CheckUtf8(source);
  ParseConfig cfg;
  if (syntax.compat) cfg.lex.tags.variable_start = "{{";
  cfg.lex.trim_blocks = syntax.trim_blocks;
  cfg.lex.lstrip_blocks = syntax.lstrip_blocks;
  cfg.jinja_compat = syntax.compat;
  cfg.max_nesting = limits.max_nesting;
  cfg.max_tree_depth = limits.max_eval_depth;  // whatever parses can be evaluated
  std::shared_ptr<Template> t(new Template());
  ParsedTree tree = Parse(source, cfg);
  t->arena_ = std::move(tree.arena);
  t->root_ = tree.root;
  t->syntax_ = syntax;
  // Filters resolve now: the environment (compat or not) follows the syntax.
  std::vector<Node*> todo{t->root_};
  while (!todo.empty()) {
    Node* n = todo.back();
    todo.pop_back();
    if (n->kind == NodeKind::kFilter) n->filter = ResolveFilter(n->text, syntax.compat);
    for (const auto& k : n->kids) {
      if (k) todo.push_back(k.get());
    }
  }
  return t;
}

bool Template::IsSingle() const {
  if (root_->kids.size() != 1) return false;
  const Node& only = *root_->kids[0];
  return !(only.kind == NodeKind::kOutput && !only.kids.empty() && only.kids[0]->kind == NodeKind::kTemplateData);
}

Engine::Engine(EngineConfig config) : config_(std::move(config)) {}

std::shared_ptr<const Template> Engine::Compiled(std::string_view source, const SyntaxOptions& syntax,
                                                 std::optional<EngineError>* error) const {
  CacheMap& map = cache_[(syntax.compat ? 4U : 0U) | (syntax.trim_blocks ? 2U : 0U) | (syntax.lstrip_blocks ? 1U : 0U)];
  auto answer = [error](const CacheEntry& e) {
    if (e.error) {
      if (!error) throw *e.error;
      *error = *e.error;  // handed back: a throw costs more than the render
    }
    return e.tmpl;
  };
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    auto it = map.find(source);
    if (it != map.end()) return answer(it->second);
  }
  // An oversized source is refused every time, not kept; whatever else fails
  // to compile (nesting limits included) fails the same way each time.
  CheckSourceSize(source, config_.limits);
  CacheEntry entry;
  try {
    entry.tmpl = Template::Compile(source, syntax, config_.limits);
  } catch (const EngineError& e) {
    entry.error = e;
  }
  if (source.size() > config_.cache_bytes / 4) return answer(entry);  // would crowd out everything else
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    if (cache_size_ >= config_.cache_entries || cache_bytes_ + source.size() > config_.cache_bytes) {
      // Drop about half, so a working set just over the bound does not
      // recompile everything on every miss as a full clear would.
      cache_size_ = 0;
      cache_bytes_ = 0;
      for (CacheMap& m : cache_) {
        bool drop = true;
        for (auto it = m.begin(); it != m.end(); drop = !drop) {
          it = drop ? m.erase(it) : std::next(it);
        }
        cache_size_ += m.size();
        for (const auto& [key, value] : m) cache_bytes_ += key.size();
      }
      if (cache_size_ >= config_.cache_entries || cache_bytes_ + source.size() > config_.cache_bytes) {
        for (CacheMap& m : cache_) m.clear();
        cache_size_ = 0;
        cache_bytes_ = 0;
      }
    }
    if (config_.cache_entries > 0 && map.try_emplace(std::string(source), entry).second) {
      ++cache_size_;
      cache_bytes_ += source.size();
    }
  }
  return answer(entry);
}

std::size_t Engine::CachedEntries() const {
  std::lock_guard<std::mutex> lock(cache_mutex_);
  return cache_size_;
}

std::size_t Engine::CachedBytes() const {
  std::lock_guard<std::mutex> lock(cache_mutex_);
  return cache_bytes_;
}

std::string Engine::RenderText(std::string_view source, const JsonValue& context, const SyntaxOptions& syntax) const {
  auto t = Compiled(source, syntax);
  EnvConfig env;
  env.compat = syntax.compat;
  env.integrations = &config_.integrations;
  env.limits = config_.limits;
  Heap heap(config_.limits.max_cells);
  Interp in(env, heap);
  return in.Render(t->root(), ContextFromJson(context, heap));
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
