// Public C++ API of the scaffolder template engine: Backstage's `${{ }}`
// nunjucks dialect, rendered natively inside a sandbox (data-only values,
// reserved reflection names, bounded work and output).
//
//   idp::tmpl::Engine engine;                        // thread-safe, caches compiled templates
//   auto r = engine.Render(Mode::kValue, tmpl, ctx, {});
//   r.rendered_json / r.undefined / r.fallback / r.error->line
//
// Every entry point takes and returns plain data (JSON values or text), so the
// C ABI wrapper is a thin shim over RenderJsonText().
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/json.h"
#include "core/status.h"
#include "template/ast.h"
#include "template/errors.h"
#include "template/interp.h"

namespace idp::tmpl {

enum class Mode {
  kValue,   // step input rule: JSON in, JSON out, single expressions keep their type
  kString,  // fetch:template file/path rendering
  kCompat,  // fetch:template with cookiecutterCompat ({{ }} tags, jinja compat, jsonify)
  kIf,      // a step's `if`
  kEach,    // a step's `each`
  kOutput,  // spec.output (value rule + links/text `if` filtering)
};
std::optional<Mode> ParseMode(std::string_view name);

struct RenderOptions {
  bool trim_blocks = false;    // string/compat modes only, as fetch:template passes them
  bool lstrip_blocks = false;
  bool task_failed = false;    // what failure() answers
};

struct TemplateError {
  ErrorKind kind = ErrorKind::kRuntime;
  std::string message;  // nunjucks-style: "(unknown path) [Line 1, Column 4]\n  ..."
  int line = 0;         // 1-based; 0 when unknown
  int column = 0;
};

struct RenderResult {
  std::string rendered_json = "null";  // the result as JSON text ("null" when undefined or failed)
  bool undefined = false;              // value modes: the whole result is undefined
  bool fallback = false;               // a render error made Backstage keep the raw string
  std::optional<TemplateError> error;
};

struct SyntaxOptions {
  bool compat = false;
  bool trim_blocks = false;
  bool lstrip_blocks = false;
  bool operator==(const SyntaxOptions&) const = default;
};

// A parsed template: immutable, shareable across threads and renders.
class Template {
 public:
  static std::shared_ptr<const Template> Compile(std::string_view source, const SyntaxOptions& syntax,
                                                 const Limits& limits);  // throws EngineError
  const Node& root() const { return *root_; }
  const SyntaxOptions& syntax() const { return syntax_; }
  // Backstage's isSingleTemplateString: exactly one root node that is not text.
  bool IsSingle() const;

 private:
  Template() = default;
  std::unique_ptr<NodeArena> arena_;  // owns the tree
  Node* root_ = nullptr;
  SyntaxOptions syntax_;
};

struct EngineConfig {
  std::vector<Integration> integrations = DefaultIntegrations();
  Limits limits;
  std::size_t cache_entries = 512;
  std::size_t cache_bytes = 32u << 20;  // template source kept by the cache (ASTs are a few times that)
  // github.com, gitlab.com, bitbucket.org, dev.azure.com plus the hosts the
  // conformance oracle configures.
  static std::vector<Integration> DefaultIntegrations();
};

class Engine {
 public:
  explicit Engine(EngineConfig config = {});

  RenderResult Render(Mode mode, const JsonValue& tmpl, const JsonValue& context, const RenderOptions& options) const;
  // The same with every argument as text: mode name, template JSON (a string
  // or any JSON value), context JSON, options JSON ({trimBlocks, lstripBlocks,
  // taskFailed}); a malformed argument is reported as an error result.
  RenderResult RenderJsonText(std::string_view mode, std::string_view template_json, std::string_view context_json,
                              std::string_view options_json) const;
  // Plain text rendering (string/compat semantics); throws EngineError.
  std::string RenderText(std::string_view source, const JsonValue& context, const SyntaxOptions& syntax) const;

  const EngineConfig& config() const { return config_; }
  // The compiled template for `source`, from the cache when it holds it. A
  // syntax error is cached too and given again.
  // Throws a syntax error, or with `error` given stores it there and
  // returns null (an oversized source still throws, and is not kept).
  std::shared_ptr<const Template> Compiled(std::string_view source, const SyntaxOptions& syntax,
                                           std::optional<EngineError>* error = nullptr) const;
  // Entries and source bytes the cache holds now (for tests and tuning).
  std::size_t CachedEntries() const;
  std::size_t CachedBytes() const;

 private:
  EngineConfig config_;
  // A compiled template or the syntax error compiling it gave (errors are
  // deterministic, and value rendering retries failed sources).
  struct CacheEntry {
    std::shared_ptr<const Template> tmpl;
    std::optional<EngineError> error;
  };
  // Lets the cache be probed with the caller's string_view: no key copy on a hit.
  struct SourceHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  using CacheMap = std::unordered_map<std::string, CacheEntry, SourceHash, std::equal_to<>>;
  mutable std::mutex cache_mutex_;
  mutable std::array<CacheMap, 8> cache_;  // one map per SyntaxOptions combination
  mutable std::size_t cache_size_ = 0;
  mutable std::size_t cache_bytes_ = 0;
};

// "(unknown path) [Line L, Column C]\n  message", as nunjucks words errors.
TemplateError ToTemplateError(const EngineError& e);

}  // namespace idp::tmpl
