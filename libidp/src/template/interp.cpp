#include "template/interp.h"

#include <cmath>
#include <exception>
#include <limits>

#include "template/errors.h"
#include "template/js.h"
#include "template/parser.h"

namespace idp::tmpl {

namespace {

EngineError Runtime(const std::string& msg) { return EngineError(ErrorKind::kRuntime, "Error: " + msg); }

// nunjucks' _getNodeName, used in "Unable to call" messages.
std::string NodeName(const Node& n) {
  switch (n.kind) {
    case NodeKind::kSymbol: return n.text;
    case NodeKind::kFunCall: return "the return value of (" + NodeName(*n.kids[0]) + ")";
    case NodeKind::kLookupVal: return NodeName(*n.kids[0]) + "[\"" + NodeName(*n.kids[1]) + "\"]";
    case NodeKind::kLiteral:
      switch (n.lit.kind) {
        case LitKind::kString: return n.lit.text;
        case LitKind::kNumber: return js::NumberToString(n.lit.number);
        case LitKind::kBool: return n.lit.boolean ? "true" : "false";
        case LitKind::kNull: return "null";
        case LitKind::kRegex: return "/" + n.lit.text + "/" + n.lit.flags;
      }
      return "";
    default: return "--expression--";
  }
}

bool IsKeywordArgs(const Value& v) { return v.is(Kind::kObject) && v.object()->Has("__keywords"); }

}  // namespace

// Counts evaluator depth and, once armed with a node, records that node as the
// error location when the evaluation does not complete (an exception unwinds
// through it). Only the innermost armed guard records (as nunjucks reports the
// innermost node); Render applies the location in its one handler, so errors
// are not caught and rethrown at every nesting level. A completion flag rather
// than std::uncaught_exceptions(), which costs a thread-local lookup per node.
struct EvalGuard {
  Interp& in;
  const Node* node = nullptr;
  bool done = false;
  explicit EvalGuard(Interp& i) : in(i) {
    if (++in.depth_ > in.env_.limits.max_eval_depth) {
      throw EngineError(ErrorKind::kLimit, "template limit exceeded: evaluation nested too deeply");
    }
  }
  ~EvalGuard() {
    --in.depth_;
    if (!done && node && !in.error_node_) in.error_node_ = node;
  }
  EvalGuard(const EvalGuard&) = delete;
  EvalGuard& operator=(const EvalGuard&) = delete;
};

const Value* Frame::Find(const std::string& name) const {
  for (const auto& [k, v] : vars) {
    if (k == name) return &v;
  }
  return nullptr;
}

void Frame::Put(const std::string& name, Value v) {
  for (auto& [k, val] : vars) {
    if (k == name) {
      val = std::move(v);
      return;
    }
  }
  vars.emplace_back(name, std::move(v));
}

Interp::Interp(const EnvConfig& env, Heap& heap) : env_(env), heap_(heap) {}

void Interp::Step(std::uint64_t n) {
  steps_ += n;
  if (steps_ > env_.limits.max_steps) {
    throw EngineError(ErrorKind::kLimit, "template limit exceeded: more than " +
                                             std::to_string(env_.limits.max_steps) + " evaluation steps");
  }
}

void Interp::CheckStringSize(std::size_t bytes) const {
  if (bytes > env_.limits.max_output_bytes) {
    throw EngineError(ErrorKind::kLimit, "template limit exceeded: string longer than " +
                                             std::to_string(env_.limits.max_output_bytes) + " bytes");
  }
}

void Interp::Append(std::string& out, std::string_view text) {
  output_bytes_ += text.size();
  if (output_bytes_ > env_.limits.max_output_bytes) {
    throw EngineError(ErrorKind::kLimit, "template limit exceeded: output larger than " +
                                             std::to_string(env_.limits.max_output_bytes) + " bytes");
  }
  out.append(text);
}

Frame* Interp::PushFrame(Frame* parent, bool isolate) {
  frames_.emplace_back();
  Frame* f = &frames_.back();
  f->parent = parent;
  f->isolate_writes = isolate;
  return f;
}

Value Interp::MakeKeywordArgs() { return heap_.NewObject(); }

namespace {
// nunjucks' globals (the last two only in the runner's environment).
constexpr std::string_view kGlobalNames[] = {"range", "cycler", "joiner", "always", "failure"};
constexpr std::size_t kRunnerGlobals = 3;  // index of the first runner-only one
}  // namespace

Value Interp::Global(const std::string& name) {
  std::size_t which = 0;
  while (which < std::size(kGlobalNames) && kGlobalNames[which] != name) ++which;
  if (which == std::size(kGlobalNames) || (which >= kRunnerGlobals && !env_.runner_globals)) return Value();
  Value& slot = globals_[which];
  if (slot.undefined()) slot = MakeGlobal(which);  // made on first use: most renders use none
  return slot;
}

Value Interp::MakeGlobal(std::size_t which) {
  switch (which) {
    case 0:
      return heap_.NewFunction("range", [](Interp& in, std::vector<Value>& a) {
        Value start = a.size() > 0 ? a[0] : Value();
        Value stop = a.size() > 1 ? a[1] : Value();
        Value step = a.size() > 2 ? a[2] : Value();
        if (stop.undefined()) {
          stop = start;
          start = Value::Number(0);
          step = Value::Number(1);
        } else if (!js::Truthy(step)) {
          step = Value::Number(1);
        }
        std::vector<Value> out;
        bool up = js::Gt(step, Value::Number(0));
        if (start.is(Kind::kNumber) && stop.is(Kind::kNumber) && step.is(Kind::kNumber)) {
          // Charge the whole length first: range(1e9) fails at once instead of
          // filling memory until the step limit.
          double count = std::ceil((stop.number() - start.number()) / step.number());
          if (count > 0 && std::isfinite(count)) {
            auto n = count > 1e15 ? std::uint64_t{1} << 50 : static_cast<std::uint64_t>(count);
            in.Step(n);
            in.heap().Charge(n);
            out.reserve(static_cast<std::size_t>(count));
            // All numbers: JS's `<`, `>` and `+` are the double operations.
            double to = stop.number(), by = step.number();
            for (double i = start.number(); up ? i < to : i > to; i += by) out.push_back(Value::Number(i));
            return in.heap().NewArray(std::move(out));
          }
        }
        for (Value i = start; up ? js::Lt(i, stop) : js::Gt(i, stop); i = js::Add(i, step)) {
          in.Step();
          out.push_back(i);
        }
        return in.heap().NewArray(std::move(out));
      });
    case 1:
      return heap_.NewFunction("cycler", [](Interp& in, std::vector<Value>& a) {
        Value items = in.heap().NewArray(a);
        Value obj = in.heap().NewObject();
        auto index = std::make_shared<double>(-1);
        ObjectData* o = obj.object();
        o->Set("current", Value::Null());
        o->Set("reset", in.heap().NewFunction("reset", [index, o](Interp&, std::vector<Value>&) {
          *index = -1;
          o->Set("current", Value::Null());
          return Value();
        }));
        o->Set("next", in.heap().NewFunction("next", [index, o, items](Interp&, std::vector<Value>&) {
          *index += 1;
          const auto& list = items.array()->items;
          if (*index >= static_cast<double>(list.size())) *index = 0;
          auto i = static_cast<std::size_t>(*index);
          Value cur = i < list.size() ? list[i] : Value();
          o->Set("current", cur);
          return cur;
        }));
        return obj;
      });
    case 2:
      return heap_.NewFunction("joiner", [](Interp& in, std::vector<Value>& a) {
        Value sep = a.empty() || !js::Truthy(a[0]) ? Value::String(",") : a[0];
        auto first = std::make_shared<bool>(true);
        return in.heap().NewFunction("joiner", [first, sep](Interp&, std::vector<Value>&) {
          Value v = *first ? Value::String("") : sep;
          *first = false;
          return v;
        });
      });
    case 3:
      return heap_.NewFunction("always", [](Interp& in, std::vector<Value>&) {
        in.status_check_invoked_ = true;
        return Value::Bool(true);
      });
    case 4:
      return heap_.NewFunction("failure", [](Interp& in, std::vector<Value>&) {
        in.status_check_invoked_ = true;
        return Value::Bool(in.env_.task_failed);
      });
  }
  return Value();
}

std::string Interp::Render(const Node& root, Value context) {
  std::string out;
  if (auto error = TryRender(root, std::move(context), out)) throw std::move(*error);
  return out;
}

std::optional<EngineError> Interp::TryRender(const Node& root, Value context, std::string& out) {
  // Context.init copies the top level, so `set` never touches the input.
  ctx_ = heap_.NewObject();
  if (context.is(Kind::kObject)) ctx_.object()->entries() = context.object()->entries();
  frame_ = PushFrame(nullptr, false);
  frame_->top_level = true;
  activations_.emplace_back();
  error_node_ = nullptr;
  try {
    ExecList(root, out);
  } catch (EngineError& e) {
    if (error_node_) e.Locate(error_node_->line + 1, error_node_->col + 1);
    return std::move(e);
  }
  return std::nullopt;
}

Value Interp::Lookup(const std::string& name) {
  for (Frame* f = frame_; f; f = f->parent) {
    if (const Value* v = f->Find(name); v && !v->undefined()) return *v;
  }
  ObjectData* ctx = ctx_.object();
  const Value* own = ctx->Find(name);
  if (!own) {
    if (Value g = Global(name); !g.undefined()) return g;
  }
  if (own && !own->undefined()) return *own;
  if (env_.compat) {
    if (name == "True") return Value::Bool(true);
    if (name == "False") return Value::Bool(false);
    if (name == "None") return Value::Null();
  }
  return Value();
}

void Interp::SetVar(const std::string& name, Value v) {
  // frame.set(name, val, resolveUp = true)
  Frame* target = nullptr;
  if (const Value* own = frame_->Find(name); own && !own->undefined()) {
    target = frame_;
  } else {
    for (Frame* f = frame_->isolate_writes ? nullptr : frame_->parent; f; f = f->parent) {
      if (const Value* found = f->Find(name); found && !found->undefined()) {
        target = f;
        break;
      }
    }
  }
  (target ? target : frame_)->Put(name, v);
  if (frame_->top_level) ctx_.object()->Set(name, v);
}

Value Interp::Eval(const Node& n) {
  EvalGuard guard(*this);
  Step();  // a step-limit error belongs to the enclosing node
  guard.node = &n;
  Value v = EvalInner(n);
  // Strings made by operators, filters and calls are charged: each is at most
  // an output's size, and all of them together at most max_string_bytes, which
  // bounds memory and time where one step builds a long string (`s + s`).
  switch (n.kind) {
    case NodeKind::kLiteral:
    case NodeKind::kSymbol:
    case NodeKind::kLookupVal: break;
    default:
      if (v.is(Kind::kString) || v.is(Kind::kSafe)) {
        std::size_t size = v.str().size();
        CheckStringSize(size);
        string_bytes_ += size;
        if (string_bytes_ > env_.limits.max_string_bytes) {
          throw EngineError(ErrorKind::kLimit, "template limit exceeded: more than " +
                                                   std::to_string(env_.limits.max_string_bytes) +
                                                   " bytes of strings built");
        }
      }
  }
  guard.done = true;
  return v;
}

Value Interp::EvalInner(const Node& n) {
  switch (n.kind) {
    case NodeKind::kLiteral:
      switch (n.lit.kind) {
        case LitKind::kString:
          return n.lit.shared ? Value::SharedString(n.lit.shared) : Value::String(n.lit.text);
        case LitKind::kNumber: return Value::Number(n.lit.number);
        case LitKind::kBool: return Value::Bool(n.lit.boolean);
        case LitKind::kNull: return Value::Null();
        case LitKind::kRegex: return heap_.NewRegex(n.lit.text, n.lit.flags);
      }
      return Value();
    case NodeKind::kTemplateData: return Value::String(n.text);
    case NodeKind::kSymbol: return Lookup(n.text);
    case NodeKind::kGroup: {
      Value last;
      for (const auto& k : n.kids) last = Eval(*k);
      return last;
    }
    case NodeKind::kArray: {
      std::vector<Value> items;
      items.reserve(n.kids.size());
      for (const auto& k : n.kids) items.push_back(Eval(*k));
      return heap_.NewArray(std::move(items));
    }
    case NodeKind::kDict: return EvalDict(n, false);
    case NodeKind::kKeywordArgs: return EvalDict(n, true);
    case NodeKind::kInlineIf:
      if (js::Truthy(Eval(*n.kids[0]))) return Eval(*n.kids[1]);
      return n.kids[2] ? Eval(*n.kids[2]) : Value::String("");
    case NodeKind::kOr: {
      Value l = Eval(*n.kids[0]);
      return js::Truthy(l) ? l : Eval(*n.kids[1]);
    }
    case NodeKind::kAnd: {
      Value l = Eval(*n.kids[0]);
      return js::Truthy(l) ? Eval(*n.kids[1]) : l;
    }
    case NodeKind::kNot: return Value::Bool(!js::Truthy(Eval(*n.kids[0])));
    case NodeKind::kNeg: return Value::Number(-js::ToNumber(Eval(*n.kids[0])));
    case NodeKind::kPos: return Value::Number(js::ToNumber(Eval(*n.kids[0])));
    case NodeKind::kAdd: {
      Value l = Eval(*n.kids[0]);
      return js::Add(l, Eval(*n.kids[1]));
    }
    case NodeKind::kConcat: {
      // `"" + l + r`: every kind's primitive string is String(v).
      Value l = Eval(*n.kids[0]);
      Value r = Eval(*n.kids[1]);
      std::string out;
      js::AppendString(out, l);
      js::AppendString(out, r);
      return Value::String(std::move(out));
    }
    case NodeKind::kSub:
    case NodeKind::kMul:
    case NodeKind::kDiv:
    case NodeKind::kMod:
    case NodeKind::kFloorDiv:
    case NodeKind::kPow: {
      double l = js::ToNumber(Eval(*n.kids[0]));
      double r = js::ToNumber(Eval(*n.kids[1]));
      switch (n.kind) {
        case NodeKind::kSub: return Value::Number(l - r);
        case NodeKind::kMul: return Value::Number(l * r);
        case NodeKind::kDiv: return Value::Number(l / r);
        case NodeKind::kMod: return Value::Number(std::fmod(l, r));
        case NodeKind::kFloorDiv: return Value::Number(std::floor(l / r));
        default:
          if (std::isnan(r) || (std::fabs(l) == 1 && std::isinf(r))) return Value::Number(std::nan(""));
          return Value::Number(std::pow(l, r));
      }
    }
    case NodeKind::kIn: {
      Value key = Eval(*n.kids[0]);
      Value hay = Eval(*n.kids[1]);
      if (hay.is(Kind::kArray)) {
        for (const auto& item : hay.array()->items) {
          if (js::StrictEquals(item, key)) return Value::Bool(true);
        }
        return Value::Bool(false);
      }
      if (hay.is(Kind::kString)) return Value::Bool(hay.str().find(js::ToString(key)) != std::string::npos);
      if (hay.is(Kind::kObject)) return Value::Bool(hay.object()->Has(js::PropertyKey(key)));
      if (hay.is(Kind::kSafe)) {
        std::string k = js::PropertyKey(key);
        return Value::Bool(k == "val" || k == "length");
      }
      throw Runtime("Cannot use \"in\" operator to search for \"" + js::ToString(key) + "\" in unexpected types.");
    }
    case NodeKind::kIs: return EvalIs(n);
    case NodeKind::kCompare: return EvalCompare(n);
    case NodeKind::kLookupVal: return EvalLookup(n);
    case NodeKind::kFunCall: return EvalCall(n);
    case NodeKind::kFilter: return EvalFilter(n);
    case NodeKind::kCaller: return MakeMacro(*n.kids[0], *n.kids[1], "caller", true);
    case NodeKind::kCapture: return Value::String(Capture(*n.kids[0]));
    case NodeKind::kNodeList: {
      Value last;
      for (const auto& k : n.kids) last = Eval(*k);
      return last;
    }
    default:
      throw EngineError(ErrorKind::kSyntax, "compile: Cannot compile node");
  }
}

Value Interp::EvalDict(const Node& n, bool keywords) {
  Value obj = heap_.NewObject();
  for (const auto& pair : n.kids) {
    const Node& key = *pair->kids[0];
    std::string name = key.kind == NodeKind::kSymbol ? key.text : key.lit.text;
    if (IsReservedName(name)) {
      throw EngineError(ErrorKind::kRefused, "Template name \"" + name + "\" is reserved", key.line + 1, key.col + 1);
    }
    obj.object()->Set(name, Eval(*pair->kids[1]));
  }
  if (keywords) obj.object()->Set("__keywords", Value::Bool(true));
  return obj;
}

Value Interp::EvalCompare(const Node& n) {
  Value acc = Eval(*n.kids[0]);
  for (std::size_t i = 1; i < n.kids.size(); ++i) {
    const Node& op = *n.kids[i];
    Value r = Eval(*op.kids[0]);
    const std::string& o = op.text;
    bool res;
    if (o == "==") res = js::LooseEquals(acc, r);
    else if (o == "===") res = js::StrictEquals(acc, r);
    else if (o == "!=") res = !js::LooseEquals(acc, r);
    else if (o == "!==") res = !js::StrictEquals(acc, r);
    else if (o == "<") res = js::Lt(acc, r);
    else if (o == ">") res = js::Gt(acc, r);
    else if (o == "<=") res = js::Le(acc, r);
    else res = js::Ge(acc, r);
    acc = Value::Bool(res);
  }
  return acc;
}

Value Interp::EvalIs(const Node& n) {
  const Node& test = *n.kids[1];
  std::string name;
  const Node* args = nullptr;
  if (test.kind == NodeKind::kFunCall) {
    const Node& callee = *test.kids[0];
    name = callee.kind == NodeKind::kSymbol ? callee.text : NodeName(callee);
    args = test.kids[1].get();
  } else if (test.kind == NodeKind::kSymbol) {
    name = test.text;
  } else if (test.kind == NodeKind::kLiteral) {
    name = NodeName(test);
  } else {
    name = "undefined";
  }
  TestFn fn = FindTest(name);
  if (!fn) throw Runtime("test not found: " + name);
  std::vector<Value> argv;
  argv.push_back(Eval(*n.kids[0]));
  if (args) {
    for (const auto& a : args->kids) argv.push_back(Eval(*a));
  }
  return Value::Bool(fn(*this, argv));
}

bool Interp::RunTest(const std::string& name, std::vector<Value>& args) {
  TestFn fn = FindTest(name);
  if (!fn) throw Runtime("test not found: " + name);
  return fn(*this, args);
}

Value Interp::EvalLookup(const Node& n) {
  Value target = Eval(*n.kids[0]);
  const Node& key = *n.kids[1];
  if (key.kind == NodeKind::kSlice) {
    if (!env_.compat) throw EngineError(ErrorKind::kSyntax, "compile: Cannot compile node: Slice");
    auto part = [&](std::size_t i, Value dflt) { return key.kids[i] ? Eval(*key.kids[i]) : dflt; };
    Value start = part(0, Value::Null());
    Value stop = part(1, Value::Null());
    Value step = part(2, Value::Number(1));
    return SliceLookup(target, start, stop, step);
  }
  if (key.kind == NodeKind::kLiteral && key.lit.kind == LitKind::kString) {
    Step();  // what evaluating the key would count
    return MemberNamed(target, key.lit.text);  // `a.b`: no key value made
  }
  return Member(target, Eval(key));
}

Value Interp::SliceLookup(const Value& in_obj, const Value& start_v, const Value& stop_v, const Value& step_v) {
  Value obj = js::Truthy(in_obj) ? in_obj : heap_.NewArray();
  Value len = Member(obj, Value::String("length"));
  double length = js::ToNumber(len);
  double step = js::ToNumber(step_v);
  double start = start_v.is(Kind::kNull) ? (step < 0 ? length - 1 : 0) : js::ToNumber(start_v);
  double stop;
  if (stop_v.is(Kind::kNull)) {
    stop = step < 0 ? -1 : length;
  } else {
    stop = js::ToNumber(stop_v);
    if (stop < 0) stop += length;
  }
  if (start < 0) start += length;
  std::vector<Value> out;
  for (double i = start;; i += step) {
    Step();
    if (i < 0 || i > length || std::isnan(i)) break;
    if (step > 0 && i >= stop) break;
    if (step < 0 && i <= stop) break;
    if (step == 0 || std::isnan(step)) {
      throw EngineError(ErrorKind::kLimit, "template limit exceeded: slice step of zero loops forever");
    }
    out.push_back(Member(obj, Value::Number(i)));
  }
  return heap_.NewArray(std::move(out));
}

Value Interp::Member(const Value& obj, const Value& key_v) {
  // String keys are used in place rather than copied.
  if (key_v.is(Kind::kString)) return MemberNamed(obj, key_v.str());
  return MemberNamed(obj, js::PropertyKey(key_v));
}

Value Interp::MemberNamed(const Value& obj_in, const std::string& key) {
  Value obj = obj_in;
  if (IsReservedName(key)) throw EngineError(ErrorKind::kRefused, "Template name \"" + key + "\" is reserved");
  if (env_.compat) {
    if (!js::Truthy(obj)) obj = heap_.NewObject();
    bool found = false;
    Value m = CompatMember(obj, key, &found);
    if (found) return m;
  }
  switch (obj.kind()) {
    case Kind::kUndefined:
    case Kind::kNull: return Value();
    case Kind::kString: {
      if (key == "length") return Value::Number(static_cast<double>(js::Length16(obj.str())));
      std::uint32_t idx = 0;
      if (IsArrayIndex(key, &idx)) {
        std::u16string u = js::ToU16(obj.str());
        if (idx < u.size()) return Value::String(js::FromU16(std::u16string_view(u).substr(idx, 1)));
        return Value();
      }
      return BuiltinMethod(*this, obj, key);
    }
    case Kind::kSafe:
      if (key == "val") return Value::String(obj.str());
      if (key == "length") return Value::Number(static_cast<double>(js::Length16(obj.str())));
      return BuiltinMethod(*this, obj, key);
    case Kind::kArray: {
      const auto& items = obj.array()->items;
      if (key == "length") return Value::Number(static_cast<double>(items.size()));
      std::uint32_t idx = 0;
      if (IsArrayIndex(key, &idx)) return idx < items.size() ? items[idx] : Value();
      return BuiltinMethod(*this, obj, key);
    }
    case Kind::kObject: return obj.object()->Get(key);
    case Kind::kNumber:
    case Kind::kBool:
    case Kind::kRegex: return BuiltinMethod(*this, obj, key);
    case Kind::kFunction: return Value();
  }
  return Value();
}

Value Interp::Call(const Value& fn, std::vector<Value>& args, const std::string& name) {
  if (!js::Truthy(fn)) throw Runtime("Unable to call `" + name + "`, which is undefined or falsey");
  if (!fn.is(Kind::kFunction)) throw Runtime("Unable to call `" + name + "`, which is not a function");
  Step();
  return fn.function()->fn(*this, args);
}

Value Interp::EvalCall(const Node& n) {
  Value fn = Eval(*n.kids[0]);
  std::vector<Value> args;
  args.reserve(n.kids[1]->kids.size());
  for (const auto& a : n.kids[1]->kids) args.push_back(Eval(*a));
  return Call(fn, args, NodeName(*n.kids[0]));
}

FilterFn ResolveFilter(const std::string& name, bool compat) {
  FilterFn fn = nullptr;
  if (compat) {
    if (name == "jsonify") fn = FindBuiltinFilter("dump");
  } else {
    fn = FindBackstageFilter(name);
  }
  return fn ? fn : FindBuiltinFilter(name);
}

Value Interp::EvalFilter(const Node& n) {
  FilterFn fn = n.filter ? n.filter : ResolveFilter(n.text, env_.compat);
  if (!fn) throw Runtime("filter not found: " + n.text);
  std::vector<Value> args;
  args.reserve(n.kids[0]->kids.size());
  for (const auto& a : n.kids[0]->kids) args.push_back(Eval(*a));
  return fn(*this, args);
}

std::string Interp::Capture(const Node& body) {
  std::string out;
  activations_.emplace_back();
  ExecList(body, out);
  activations_.pop_back();
  return out;
}

Value Interp::MakeMacro(const Node& params, const Node& body, const std::string& name, bool keep_frame) {
  std::vector<std::string> arg_names;
  const Node* kw = nullptr;
  for (std::size_t i = 0; i < params.kids.size(); ++i) {
    const Node& p = *params.kids[i];
    if (i + 1 == params.kids.size() && p.kind == NodeKind::kKeywordArgs) kw = &p;
    else arg_names.push_back(p.text);
  }
  std::vector<std::string> kw_names;
  if (kw) {
    for (const auto& pair : kw->kids) kw_names.push_back(pair->kids[0]->text);
  }
  Frame* defining = frame_;
  const Node* body_ptr = &body;
  return heap_.NewFunction(name, [arg_names, kw_names, kw, defining, keep_frame, body_ptr](
                                     Interp& in, std::vector<Value>& macro_args) -> Value {
    // runtime.makeMacro: sort positional and keyword arguments.
    std::size_t argc = macro_args.size();
    Value kwargs;
    if (argc && IsKeywordArgs(macro_args.back())) {
      kwargs = macro_args.back();
      --argc;
    }
    std::vector<Value> args;
    if (argc > arg_names.size()) {
      if (kwargs.undefined()) kwargs = in.heap().NewObject();
      args.assign(macro_args.begin(), macro_args.begin() + static_cast<std::ptrdiff_t>(arg_names.size()));
      for (std::size_t i = arg_names.size(); i < argc; ++i) {
        std::size_t k = i - arg_names.size();
        if (k < kw_names.size()) kwargs.object()->Set(kw_names[k], macro_args[i]);
      }
    } else if (argc < arg_names.size()) {
      if (kwargs.undefined()) kwargs = in.heap().NewObject();
      args.assign(macro_args.begin(), macro_args.begin() + static_cast<std::ptrdiff_t>(argc));
      for (std::size_t i = argc; i < arg_names.size(); ++i) {
        args.push_back(kwargs.object()->Get(arg_names[i]));
        kwargs.object()->Erase(arg_names[i]);
      }
    } else {
      args.assign(macro_args.begin(), macro_args.begin() + static_cast<std::ptrdiff_t>(argc));
    }
    Frame* saved = in.frame_;
    int saved_for = in.for_depth_;
    in.frame_ = in.PushFrame(keep_frame ? saved : nullptr, true);
    (void)defining;
    in.for_depth_ = keep_frame ? 1 : 0;
    in.activations_.emplace_back();
    struct Restore {
      Interp& in;
      Frame* frame;
      int for_depth;
      ~Restore() {
        in.frame_ = frame;
        in.for_depth_ = for_depth;
        in.activations_.pop_back();
      }
    } restore{in, saved, saved_for};
    if (!kwargs.is(Kind::kObject)) kwargs = in.heap().NewObject();
    if (const Value* c = kwargs.object()->Find("caller")) in.frame_->Put("caller", *c);
    for (std::size_t i = 0; i < arg_names.size(); ++i) in.frame_->Put(arg_names[i], i < args.size() ? args[i] : Value());
    if (kw) {
      for (const auto& pair : kw->kids) {
        const std::string& pname = pair->kids[0]->text;
        const Value* given = kwargs.object()->Find(pname);
        in.frame_->Put(pname, given ? *given : in.Eval(*pair->kids[1]));
      }
    }
    std::string out;
    in.ExecList(*body_ptr, out);
    return Value::Safe(std::move(out));
  });
}

void Interp::Exec(const Node& n, std::string& out) {
  EvalGuard guard(*this);
  Step();  // a step-limit error belongs to the enclosing node
  guard.node = &n;
  ExecInner(n, out);
  guard.done = true;
}

void Interp::ExecList(const Node& list, std::string& out) {
  for (const auto& k : list.kids) Exec(*k, out);
}

void Interp::ExecInner(const Node& n, std::string& out) {
  switch (n.kind) {
    case NodeKind::kNodeList: ExecList(n, out); return;
    case NodeKind::kOutput:
      for (const auto& k : n.kids) {
        if (k->kind == NodeKind::kTemplateData) {
          Append(out, k->text);
        } else {
          Value v = Eval(*k);
          if (v.is(Kind::kString) || v.is(Kind::kSafe)) {
            Append(out, v.str());  // ToString would only copy the text
          } else if (!v.nullish()) {
            Append(out, js::ToString(v));
          }
        }
      }
      return;
    case NodeKind::kIf:
      if (js::Truthy(Eval(*n.kids[0]))) {
        ExecList(*n.kids[1], out);
      } else if (n.kids[2]) {
        Exec(*n.kids[2], out);
      }
      return;
    case NodeKind::kFor: ExecFor(n, out); return;
    case NodeKind::kSet: ExecSet(n); return;
    case NodeKind::kMacro: {
      Value m = MakeMacro(*n.kids[0], *n.kids[1], n.text, false);
      if (for_depth_ > 0) frame_->Put(n.text, m);
      else ctx_.object()->Set(n.text, m);
      return;
    }
    case NodeKind::kSwitch: ExecSwitch(n, out); return;
    case NodeKind::kBlock: {
      Frame* saved = frame_;
      int saved_for = for_depth_;
      frame_ = PushFrame(saved, true);
      for_depth_ = 0;
      std::string inner = Capture(*n.kids[0]);
      frame_ = saved;
      for_depth_ = saved_for;
      Append(out, inner);
      return;
    }
    case NodeKind::kLoad:
      // No loader exists: nunjucks fails resolving the template name, and a
      // sandbox has nothing to load anyway.
      throw EngineError(ErrorKind::kRefused,
                        "TypeError: Cannot read properties of undefined (reading 'resolve') ('" + n.text +
                            "' is not supported: templates cannot load other templates)");
    default: {
      Value v = Eval(n);
      if (!v.nullish()) Append(out, js::ToString(v));
    }
  }
}

void Interp::ExecSet(const Node& n) {
  Value v = n.kids[0]->kind == NodeKind::kCapture ? Value::String(Capture(*n.kids[0]->kids[0])) : Eval(*n.kids[0]);
  for (std::size_t i = 1; i < n.kids.size(); ++i) {
    const Node& t = *n.kids[i];
    SetVar(t.kind == NodeKind::kSymbol ? t.text : "undefined", v);
  }
}

void Interp::ExecSwitch(const Node& n, std::string& out) {
  Value subject = Eval(*n.kids[0]);
  std::size_t matched = 0;
  for (std::size_t i = 2; i < n.kids.size(); ++i) {
    if (js::StrictEquals(subject, Eval(*n.kids[i]->kids[0]))) {
      matched = i;
      break;
    }
  }
  if (matched) {
    for (std::size_t i = matched; i < n.kids.size(); ++i) {
      const Node& body = *n.kids[i]->kids[1];
      ExecList(body, out);
      if (!body.kids.empty()) return;  // `break` is only emitted after non-empty bodies
    }
  }
  if (n.kids[1]) ExecList(*n.kids[1], out);
}

void Interp::ExecFor(const Node& n, std::string& out) {
  Frame* saved = frame_;
  frame_ = PushFrame(saved, false);
  ++for_depth_;
  struct Restore {
    Interp& in;
    Frame* frame;
    ~Restore() {
      in.frame_ = frame;
      --in.for_depth_;
    }
  } restore{*this, saved};
  auto& len_slot = activations_.back()[&n];
  Value arr = Eval(*n.kids[1]);
  const Node& target = *n.kids[0];
  Value loop = heap_.NewObject();
  static const std::string kLoop = "loop";
  auto bind_loop = [&](double i, const Value& len) {
    static constexpr std::string_view kNames[] = {"index", "index0", "revindex", "revindex0", "first", "last", "length"};
    ObjectData* l = loop.object();
    double ln = len.is(Kind::kNumber) ? len.number() : js::ToNumber(len);
    // After the first iteration the members sit where the first one put them;
    // overwrite in place unless the template reshaped the object (compat
    // dict methods can).
    auto& entries = l->entries();
    bool in_place = entries.size() == std::size(kNames);
    // Only compat dict methods can reshape it: elsewhere the size tells.
    for (std::size_t k = 0; env_.compat && in_place && k < std::size(kNames); ++k) {
      in_place = entries[k].first == kNames[k];
    }
    if (in_place) {
      entries[0].second.SetNumber(i + 1);
      entries[1].second.SetNumber(i);
      entries[2].second.SetNumber(ln - i);
      entries[3].second.SetNumber(ln - i - 1);
      entries[4].second.SetBool(i == 0);
      entries[5].second.SetBool(i == ln - 1);
      entries[6].second = len;
    } else {
      Value vals[] = {Value::Number(i + 1), Value::Number(i),         Value::Number(ln - i), Value::Number(ln - i - 1),
                      Value::Bool(i == 0),      Value::Bool(i == ln - 1), len};
      for (std::size_t k = 0; k < std::size(kNames); ++k) l->Set(std::string(kNames[k]), std::move(vals[k]));
    }
    frame_->Put(kLoop, loop);
  };
  if (js::Truthy(arr)) {
    if (target.kind == NodeKind::kArray) {
      if (arr.is(Kind::kArray)) {
        Value len = Value::Number(static_cast<double>(arr.array()->items.size()));
        len_slot = len;
        for (std::size_t i = 0; i < arr.array()->items.size(); ++i) {
          Step();
          Value item = arr.array()->items[i];
          for (std::size_t u = 0; u < target.kids.size(); ++u) {
            if (item.nullish()) {
              throw JsError("TypeError", "Cannot read properties of " + js::ToString(item) + " (reading '" +
                                             std::to_string(u) + "')");
            }
            frame_->Put(target.kids[u]->text, Member(item, Value::Number(static_cast<double>(u))));
          }
          bind_loop(static_cast<double>(i), len);
          ExecList(*n.kids[2], out);
        }
      } else {
        // for (k in obj): own enumerable keys (string indices for strings).
        std::vector<std::pair<std::string, Value>> entries;
        if (arr.is(Kind::kObject)) {
          entries = arr.object()->entries();
        } else if (arr.is(Kind::kString)) {
          std::u16string u = js::ToU16(arr.str());
          for (std::size_t i = 0; i < u.size(); ++i) {
            entries.emplace_back(std::to_string(i), Value::String(js::FromU16(std::u16string_view(u).substr(i, 1))));
          }
        } else if (arr.is(Kind::kSafe)) {
          entries = {{"val", Value::String(arr.str())},
                     {"length", Value::Number(static_cast<double>(js::Length16(arr.str())))}};
        }
        Value len = Value::Number(static_cast<double>(entries.size()));
        len_slot = len;
        const std::string& kname = target.kids[0]->text;
        const std::string& vname = target.kids[1]->text;
        double i = -1;
        for (auto& [k, v] : entries) {
          Step();
          ++i;
          frame_->Put(kname, Value::String(k));
          frame_->Put(vname, v);
          bind_loop(i, len);
          ExecList(*n.kids[2], out);
        }
      }
    } else if (arr.is(Kind::kArray)) {
      // What Member(arr, i) answers for an array, without making key text;
      // the length is read once, as nunjucks does.
      const double ln = static_cast<double>(arr.array()->items.size());
      Value len = Value::Number(ln);
      len_slot = len;
      for (double i = 0; i < ln; ++i) {
        Step();
        const auto& items = arr.array()->items;
        auto at = static_cast<std::size_t>(i);
        frame_->Put(target.text, at < items.size() ? items[at] : Value());
        bind_loop(i, len);
        ExecList(*n.kids[2], out);
      }
    } else {
      Value len = Member(arr, Value::String("length"));
      len_slot = len;
      for (double i = 0; js::Lt(Value::Number(i), len); ++i) {
        Step();
        frame_->Put(target.text, Member(arr, Value::Number(i)));
        bind_loop(i, len);
        ExecList(*n.kids[2], out);
      }
    }
  }
  if (n.kids[3] && !js::Truthy(len_slot)) ExecList(*n.kids[3], out);
}

// Defined here so that Member can reach the jinja-compat members.
Value Interp::CompatMember(const Value& obj, const std::string& key, bool* found) {
  *found = false;
  Heap& h = heap_;
  if (obj.is(Kind::kArray)) {
    ArrayData* a = obj.array();
    static const char* kNames[] = {"pop", "append", "remove", "count", "index", "find", "insert"};
    bool known = false;
    for (const char* k : kNames) known = known || key == k;
    if (!known) return Value();
    *found = true;
    std::string name = key;
    return h.NewFunction(key, [a, name](Interp& in, std::vector<Value>& args) -> Value {
      Value arg0 = args.empty() ? Value() : args[0];
      auto& items = a->items;
      if (name == "pop") {
        if (arg0.undefined()) {
          if (items.empty()) return Value();
          Value v = items.back();
          items.pop_back();
          return v;
        }
        double idx = js::ToNumber(arg0);
        if (!(idx < static_cast<double>(items.size())) || idx < 0) throw EngineError(ErrorKind::kRuntime, "Error: KeyError");
        auto i = static_cast<std::size_t>(idx);
        Value v = items[i];
        items.erase(items.begin() + static_cast<std::ptrdiff_t>(i));
        return in.heap().NewArray({v});
      }
      if (name == "append") {
        items.push_back(arg0);
        return Value::Number(static_cast<double>(items.size()));
      }
      if (name == "remove") {
        for (std::size_t i = 0; i < items.size(); ++i) {
          if (js::StrictEquals(items[i], arg0)) {
            Value v = items[i];
            items.erase(items.begin() + static_cast<std::ptrdiff_t>(i));
            return in.heap().NewArray({v});
          }
        }
        throw EngineError(ErrorKind::kRuntime, "Error: ValueError");
      }
      if (name == "count") {
        double c = 0;
        for (const auto& v : items) c += js::StrictEquals(v, arg0) ? 1 : 0;
        return Value::Number(c);
      }
      if (name == "index" || name == "find") {
        for (std::size_t i = 0; i < items.size(); ++i) {
          if (js::StrictEquals(items[i], arg0)) return Value::Number(static_cast<double>(i));
        }
        if (name == "index") throw EngineError(ErrorKind::kRuntime, "Error: ValueError");
        return Value::Number(-1);
      }
      // insert(index, elem): splice(index, 0, elem)
      double idx = js::ToNumber(arg0);
      double size = static_cast<double>(items.size());
      if (std::isnan(idx)) idx = 0;
      if (idx < 0) idx = std::max(0.0, size + std::trunc(idx));
      idx = std::min(std::trunc(idx), size);
      items.insert(items.begin() + static_cast<std::ptrdiff_t>(idx), args.size() > 1 ? args[1] : Value());
      return in.heap().NewArray();
    });
  }
  if (obj.is(Kind::kObject) || obj.is(Kind::kSafe)) {
    static const char* kNames[] = {"items", "values", "keys", "get", "has_key", "pop", "popitem", "setdefault",
                                   "update", "iteritems", "itervalues", "iterkeys"};
    bool known = false;
    for (const char* k : kNames) known = known || key == k;
    if (!known || !obj.is(Kind::kObject)) return Value();
    *found = true;
    ObjectData* o = obj.object();
    std::string name = key;
    return h.NewFunction(key, [o, name](Interp& in, std::vector<Value>& args) -> Value {
      Value arg0 = args.empty() ? Value() : args[0];
      Value arg1 = args.size() > 1 ? args[1] : Value();
      if (name == "items" || name == "iteritems") {
        std::vector<Value> out;
        for (const auto& [k, v] : o->entries()) out.push_back(in.heap().NewArray({Value::String(k), v}));
        return in.heap().NewArray(std::move(out));
      }
      if (name == "values" || name == "itervalues") {
        std::vector<Value> out;
        for (const auto& e : o->entries()) out.push_back(e.second);
        return in.heap().NewArray(std::move(out));
      }
      if (name == "keys" || name == "iterkeys") {
        std::vector<Value> out;
        for (const auto& e : o->entries()) out.push_back(Value::String(e.first));
        return in.heap().NewArray(std::move(out));
      }
      std::string k = js::PropertyKey(arg0);
      if (IsReservedName(k)) throw EngineError(ErrorKind::kRefused, "Template name \"" + k + "\" is reserved");
      if (name == "get") {
        Value v = o->Get(k);
        return v.undefined() ? arg1 : v;
      }
      if (name == "has_key") return Value::Bool(o->Has(k));
      if (name == "pop") {
        Value v = o->Get(k);
        if (v.undefined() && !arg1.undefined()) return arg1;
        if (v.undefined()) throw EngineError(ErrorKind::kRuntime, "Error: KeyError");
        o->Erase(k);
        return v;
      }
      if (name == "popitem") {
        if (o->entries().empty()) throw EngineError(ErrorKind::kRuntime, "Error: KeyError");
        auto first = o->entries().front();
        o->entries().erase(o->entries().begin());
        return in.heap().NewArray({Value::String(first.first), first.second});
      }
      if (name == "setdefault") {
        if (!o->Has(k)) o->Set(k, args.size() > 1 ? arg1 : Value::Null());
        return o->Get(k);
      }
      // update(kwargs): Object.assign
      if (arg0.is(Kind::kObject)) {
        for (const auto& [ek, ev] : arg0.object()->entries()) o->Set(ek, ev);
      }
      return Value::Null();
    });
  }
  return Value();
}

}  // namespace idp::tmpl
