// The ways Backstage renders templates (CASES.md modes): the workflow
// runner's value rule for step input/if/each/output, and fetch:template's
// plain string rendering (optionally cookiecutter-compatible).
#include <rapidjson/error/en.h>

#include "template/js.h"
#include "template/json_bridge.h"
#include "template/template.h"

namespace idp::tmpl {

namespace {

// `/\${{(.+)}}/g` -> `${{ ( $1 ) | dump }}`: greedy, `.` stops at line ends.
std::string RewriteForDump(const std::string& s) {
  auto is_line_end = [&](std::size_t i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\n' || c == '\r') return true;
    // U+2028 / U+2029
    return c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
           (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9);
  };
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s.compare(i, 3, "${{") == 0) {
      std::size_t line_end = i + 3;
      while (line_end < s.size() && !is_line_end(line_end)) ++line_end;
      // last "}}" with at least one character of capture in between
      std::size_t close = std::string::npos;
      for (std::size_t p = line_end; p >= i + 5 && p >= 2; --p) {
        if (s.compare(p - 2, 2, "}}") == 0 && p - 2 >= i + 4) {
          close = p - 2;
          break;
        }
      }
      if (close != std::string::npos) {
        out += "${{ ( " + s.substr(i + 3, close - i - 3) + " ) | dump }}";
        i = close + 2;
        continue;
      }
    }
    out.push_back(s[i]);
    ++i;
  }
  return out;
}

struct ValueRenderer {
  const Engine& engine;
  Heap& heap;
  const Value& context;
  const RenderOptions& options;
  std::vector<EngineError> errors;
  bool status_check_invoked = false;

  // Renders `source`; false with `error` set when it fails to compile or
  // to render (errors come back rather than thrown: the value rule expects
  // them often, and a throw costs more than most renders).
  bool RenderPlain(const std::string& source, std::string& out, std::optional<EngineError>& error) {
    error.reset();
    SyntaxOptions syntax;  // the runner passes no trimBlocks/lstripBlocks
    auto t = engine.Compiled(source, syntax, &error);
    if (!t) return false;
    EnvConfig env;
    env.runner_globals = true;
    env.task_failed = options.task_failed;
    env.integrations = &engine.config().integrations;
    env.limits = engine.config().limits;
    Interp in(env, heap);
    struct Note {
      ValueRenderer& r;
      Interp& in;
      ~Note() { r.status_check_invoked = r.status_check_invoked || in.status_check_invoked(); }
    } note{*this, in};
    error = in.TryRender(t->root(), context, out);
    return !error;
  }

  Value Leaf(const std::string& s) {
    try {
      std::optional<EngineError> error;
      // A single expression keeps its type: rendered through `| dump` and
      // parsed back. Any failure but a limit falls back to the plain render.
      auto t = engine.Compiled(s, SyntaxOptions{}, &error);
      if (t && t->IsSingle()) {
        std::string rendered;
        if (RenderPlain(RewriteForDump(s), rendered, error)) {
          if (rendered.empty()) return Value();
          std::optional<Value> parsed;
          try {
            parsed = ParseJsonText(rendered, heap);
          } catch (const EngineError& e) {
            if (e.kind() == ErrorKind::kLimit) throw;
          }
          if (parsed) return *parsed;
        } else if (error->kind() == ErrorKind::kLimit) {  // do not spend the budget twice
          errors.push_back(*error);
          return Value::String(s);
        }
      }
      std::string rendered;
      if (!RenderPlain(s, rendered, error)) {
        errors.push_back(*error);
        return Value::String(s);
      }
      if (rendered.empty()) return Value();
      return Value::String(std::move(rendered));
    } catch (const EngineError& e) {
      errors.push_back(e);
      return Value::String(s);
    }
  }

  Value Walk(const JsonValue& v) {
    switch (v.GetType()) {
      case rapidjson::kStringType: return Leaf(std::string(v.GetString(), v.GetStringLength()));
      case rapidjson::kArrayType: {
        std::vector<Value> items;
        for (const auto& item : v.GetArray()) items.push_back(Walk(item));
        return heap.NewArray(std::move(items));
      }
      case rapidjson::kObjectType: {
        Value obj = heap.NewObject();
        for (const auto& m : v.GetObject()) {
          Value child = Walk(m.value);
          // the reviver deletes properties it answers undefined for
          std::string key(m.name.GetString(), m.name.GetStringLength());
          if (child.undefined()) obj.object()->Erase(key);
          else obj.object()->Set(key, child);
        }
        return obj;
      }
      default: return FromJson(v, heap);
    }
  }
};

bool IsTruthyForIf(const Value& v) {
  if (v.is(Kind::kArray)) return !v.array()->items.empty();
  return js::Truthy(v);
}

void SetResult(RenderResult& r, const Value& v) {
  if (v.undefined()) {
    r.undefined = true;
    r.rendered_json = "null";
    return;
  }
  r.rendered_json = js::Stringify(v).value_or("null");
}

Value FilterItems(Heap& heap, const Value& list) {
  std::vector<Value> out;
  for (const Value& item : list.array()->items) {
    if (!item.is(Kind::kObject)) {
      out.push_back(item);
      continue;
    }
    const Value* cond = item.object()->Find("if");
    if (cond && !IsTruthyForIf(*cond)) continue;
    Value copy = heap.NewObject();
    for (const auto& [k, v] : item.object()->entries()) {
      if (k != "if") copy.object()->Set(k, v);
    }
    out.push_back(copy);
  }
  return heap.NewArray(std::move(out));
}

}  // namespace

RenderResult Engine::Render(Mode mode, const JsonValue& tmpl, const JsonValue& context,
                            const RenderOptions& options) const {
  RenderResult result;
  Heap heap(config_.limits.max_cells);
  try {
    if (mode == Mode::kString || mode == Mode::kCompat) {
      SyntaxOptions syntax{mode == Mode::kCompat, options.trim_blocks, options.lstrip_blocks};
      std::string source = tmpl.IsString() ? std::string(tmpl.GetString(), tmpl.GetStringLength())
                                           : js::Stringify(FromJson(tmpl, heap)).value_or("");
      try {
        std::optional<EngineError> error;
        auto t = Compiled(source, syntax, &error);
        if (!t) {
          result.error = ToTemplateError(*error);
          return result;
        }
        EnvConfig env;
        env.compat = syntax.compat;
        env.integrations = &config_.integrations;
        env.limits = config_.limits;
        Interp in(env, heap);
        std::string text;
        if ((error = in.TryRender(t->root(), ContextFromJson(context, heap), text))) {
          result.error = ToTemplateError(*error);
          return result;
        }
        result.rendered_json.clear();
        js::QuoteJson(result.rendered_json, text);
      } catch (const EngineError& e) {
        result.error = ToTemplateError(e);
      }
      return result;
    }
    Value ctx = ContextFromJson(context, heap);
    ValueRenderer vr{*this, heap, ctx, options, {}, false};
    auto note_errors = [&](bool set_fallback) {
      if (!vr.errors.empty()) {
        result.error = ToTemplateError(vr.errors.front());
        if (set_fallback) result.fallback = true;
      }
    };
    switch (mode) {
      case Mode::kValue: {
        SetResult(result, vr.Walk(tmpl));
        note_errors(true);
        break;
      }
      case Mode::kIf: {
        bool run = true;
        if (tmpl.IsFalse()) run = false;
        else if (tmpl.IsString()) run = IsTruthyForIf(vr.Walk(tmpl));
        result.rendered_json = run ? "true" : "false";
        note_errors(true);
        break;
      }
      case Mode::kEach: {
        Value v = vr.Walk(tmpl);
        if (!vr.errors.empty()) result.fallback = true;
        if (!js::Truthy(v)) {
          result.error = TemplateError{ErrorKind::kRuntime,
                                       "each resolved to a falsy value (" + js::Stringify(v).value_or("null") +
                                           "); the step fails with InputError",
                                       0, 0};
        } else {
          std::vector<Value> rows;
          auto add = [&](std::string k, Value val) {
            Value row = heap.NewObject();
            row.object()->Set("key", Value::String(std::move(k)));
            row.object()->Set("value", std::move(val));
            rows.push_back(row);
          };
          if (v.is(Kind::kArray)) {
            const auto& items = v.array()->items;
            for (std::size_t i = 0; i < items.size(); ++i) add(std::to_string(i), items[i]);
          } else if (v.is(Kind::kObject)) {
            for (const auto& [k, val] : v.object()->entries()) add(k, val);
          } else if (v.is(Kind::kString)) {
            std::u16string u = js::ToU16(v.str());
            for (std::size_t i = 0; i < u.size(); ++i) add(std::to_string(i), Value::String(js::FromU16(u.substr(i, 1))));
          }
          result.rendered_json = js::Stringify(heap.NewArray(std::move(rows))).value_or("[]");
        }
        if (!vr.errors.empty() && !result.error) result.error = ToTemplateError(vr.errors.front());
        break;
      }
      case Mode::kOutput: {
        Value v = vr.Walk(tmpl);
        if (v.is(Kind::kObject)) {
          for (const char* list : {"links", "text"}) {
            Value items = v.object()->Get(list);
            if (items.is(Kind::kArray)) v.object()->Set(list, FilterItems(heap, items));
          }
        }
        SetResult(result, v);
        note_errors(true);
        break;
      }
      default: break;
    }
  } catch (const EngineError& e) {
    result = RenderResult{};
    result.error = ToTemplateError(e);
  }
  return result;
}

RenderResult Engine::RenderJsonText(std::string_view mode_name, std::string_view template_json,
                                    std::string_view context_json, std::string_view options_json) const {
  auto fail = [](std::string msg) {
    RenderResult r;
    r.error = TemplateError{ErrorKind::kRuntime, std::move(msg), 0, 0};
    return r;
  };
  auto mode = ParseMode(mode_name);
  if (!mode) return fail("unknown mode " + std::string(mode_name));
  Json tmpl, ctx, opts;
  tmpl.Parse(template_json.data(), template_json.size());
  if (tmpl.HasParseError()) return fail("template is not valid JSON");
  if (context_json.empty()) ctx.SetObject();
  else ctx.Parse(context_json.data(), context_json.size());
  if (ctx.HasParseError()) return fail("context is not valid JSON");
  RenderOptions options;
  if (!options_json.empty()) {
    opts.Parse(options_json.data(), options_json.size());
    if (opts.HasParseError() || !opts.IsObject()) return fail("options is not a JSON object");
    auto flag = [&](const char* name) {
      const JsonValue* v = FindMember(opts, name);
      return v && v->IsBool() && v->GetBool();
    };
    options.trim_blocks = flag("trimBlocks");
    options.lstrip_blocks = flag("lstripBlocks");
    options.task_failed = flag("taskFailed");
  }
  return Render(*mode, tmpl, ctx, options);
}

}  // namespace idp::tmpl
