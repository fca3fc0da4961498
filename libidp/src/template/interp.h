// The evaluator: walks a parsed template with nunjucks' runtime semantics
// (frames, context lookup, macros, loops) over the value model of value.h.
// One Interp serves one render; it is cheap and never shared between threads.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "template/ast.h"
#include "template/errors.h"
#include "template/value.h"

namespace idp::tmpl {

struct Integration {
  std::string host;
  std::string type;  // github, gitlab, bitbucketCloud, bitbucketServer, azure, gitea, gerrit
};

struct Limits {
  std::size_t max_source_bytes = 1 << 20;      // template text
  std::size_t max_output_bytes = 8 << 20;      // rendered text of one render
  std::uint64_t max_steps = 10'000'000;        // evaluated nodes and loop iterations
  std::size_t max_cells = 1'000'000;           // arrays/objects/functions created
  std::size_t max_string_bytes = 64u << 20;    // total bytes of strings built by operators and filters
  int max_nesting = 100;                       // syntactic nesting (parser)
  int max_eval_depth = 1500;                   // evaluator recursion (incl. macro calls)
};

// What the environment offers a template (nunjucks Environment options).
struct EnvConfig {
  bool compat = false;          // cookiecutter env: jinja compat members, jsonify, no custom filters
  bool runner_globals = false;  // always()/failure() (workflow runner only)
  bool task_failed = false;     // what failure() answers
  const std::vector<Integration>* integrations = nullptr;
  Limits limits;
};

struct Frame {
  std::vector<std::pair<std::string, Value>> vars;
  Frame* parent = nullptr;
  bool isolate_writes = false;
  bool top_level = false;
  const Value* Find(const std::string& name) const;
  void Put(const std::string& name, Value v);
};

class Interp {
 public:
  Interp(const EnvConfig& env, Heap& heap);
  Interp(const Interp&) = delete;
  Interp& operator=(const Interp&) = delete;

  // Renders the root node with `context` (an object value). Throws EngineError.
  std::string Render(const Node& root, Value context);
  // The same, handing an EngineError back instead of throwing it: a caller
  // that handles it anyway saves the second unwinding.
  std::optional<EngineError> TryRender(const Node& root, Value context, std::string& out);

  Heap& heap() { return heap_; }
  const EnvConfig& env() const { return env_; }
  bool status_check_invoked() const { return status_check_invoked_; }

  // Runtime services used by filters and member functions.
  Value Member(const Value& obj, const Value& key);  // runtime.memberLookup
  Value MemberNamed(const Value& obj, const std::string& key);  // the same with a property key
  Value Call(const Value& fn, std::vector<Value>& args, const std::string& name);
  bool RunTest(const std::string& name, std::vector<Value>& args);
  void Step(std::uint64_t n = 1);
  // Throws a limit error for a string longer than a render may output; for
  // builtins that grow a string in a loop.
  void CheckStringSize(std::size_t bytes) const;
  Value MakeKeywordArgs();

 private:
  friend struct EvalGuard;
  Value Eval(const Node& n);
  Value EvalInner(const Node& n);
  void Exec(const Node& n, std::string& out);
  void ExecInner(const Node& n, std::string& out);
  void ExecList(const Node& list, std::string& out);
  void Append(std::string& out, std::string_view text);

  Value Lookup(const std::string& name);
  void SetVar(const std::string& name, Value v);
  Frame* PushFrame(Frame* parent, bool isolate);
  void ExecFor(const Node& n, std::string& out);
  void ExecSet(const Node& n);
  void ExecSwitch(const Node& n, std::string& out);
  Value MakeMacro(const Node& params, const Node& body, const std::string& name, bool keep_frame);
  Value EvalCompare(const Node& n);
  Value EvalFilter(const Node& n);
  Value EvalCall(const Node& n);
  Value EvalIs(const Node& n);
  Value EvalLookup(const Node& n);
  Value EvalDict(const Node& n, bool keywords);
  Value SliceLookup(const Value& obj, const Value& start, const Value& stop, const Value& step);
  Value CompatMember(const Value& obj, const std::string& key, bool* found);
  std::string Capture(const Node& body);
  Value Global(const std::string& name);
  Value MakeGlobal(std::size_t which);

  const EnvConfig& env_;
  Heap& heap_;
  Value ctx_;
  std::array<Value, 5> globals_{};  // kGlobalNames (interp.cpp), made on first use
  std::deque<Frame> frames_;
  Frame* frame_ = nullptr;
  int for_depth_ = 0;  // compile-time frame depth: macros inside loops bind to the frame
  // nunjucks hoists each loop's `len` into its enclosing JS function; an
  // activation (root, macro call, capture, block) keeps them.
  std::vector<std::unordered_map<const Node*, Value>> activations_;
  std::uint64_t steps_ = 0;
  std::size_t output_bytes_ = 0;
  std::size_t string_bytes_ = 0;  // charged by Eval (see Limits::max_string_bytes)
  int depth_ = 0;
  const Node* error_node_ = nullptr;  // innermost node an error unwound through (see EvalGuard)
  bool status_check_invoked_ = false;
};

// Member functions of strings, arrays and numbers (`'a-b'.split('-')`).
// Returns undefined when `obj` has no such method.
Value BuiltinMethod(Interp& in, const Value& obj, const std::string& name);

// Filter and test registries.
using FilterFn = Value (*)(Interp&, std::vector<Value>&);
FilterFn FindBuiltinFilter(const std::string& name);
FilterFn FindBackstageFilter(const std::string& name);
// The filter `name` means in an environment (compat: cookiecutter's, without
// the Backstage filters); null when there is none.
FilterFn ResolveFilter(const std::string& name, bool compat);
using TestFn = bool (*)(Interp&, std::vector<Value>&);
TestFn FindTest(const std::string& name);

}  // namespace idp::tmpl
