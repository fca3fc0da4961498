// The template language's value model: the JSON-shaped subset of JavaScript
// values nunjucks templates see (undefined, null, boolean, number, string,
// array, object) plus the few runtime-only kinds nunjucks creates (SafeString,
// functions such as macros and member methods, regex literals).
//
// Arrays and objects have JS reference semantics (a template may mutate them
// through `.push()` or jinja-compat `.append()`), so they live in a per-render
// Heap arena and Values point into it; everything is freed at once when the
// render ends, which also makes reference cycles harmless.
#pragma once

#include <cstdint>
#include <deque>
#include <forward_list>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace idp::tmpl {

struct ArrayData;
struct ObjectData;
struct FunctionData;
struct RegexData;

enum class Kind : std::uint8_t {
  kUndefined,
  kNull,
  kBool,
  kNumber,
  kString,
  kSafe,  // nunjucks SafeString: prints as its text, is an object for typeof/JSON
  kArray,
  kObject,
  kFunction,
  kRegex,
};

class Value {
 public:
  Value() = default;  // undefined
  static Value Null() { return Value(Kind::kNull); }
  static Value Bool(bool b) {
    Value v(Kind::kBool);
    v.b_ = b;
    return v;
  }
  static Value Number(double n) {
    Value v(Kind::kNumber);
    v.n_ = n;
    return v;
  }
  static Value String(std::string s) {
    Value v(Kind::kString);
    v.s_ = std::make_shared<const std::string>(std::move(s));
    return v;
  }
  // A string whose text is already shared (a parsed literal): no copy.
  static Value SharedString(std::shared_ptr<const std::string> s) {
    Value v(Kind::kString);
    v.s_ = std::move(s);
    return v;
  }
  static Value Safe(std::string s) {
    Value v(Kind::kSafe);
    v.s_ = std::make_shared<const std::string>(std::move(s));
    return v;
  }
  static Value Array(ArrayData* a) { return Value(Kind::kArray, a); }
  static Value Object(ObjectData* o) { return Value(Kind::kObject, o); }
  static Value Function(FunctionData* f) { return Value(Kind::kFunction, f); }
  static Value Regex(RegexData* r) { return Value(Kind::kRegex, r); }

  // In place, for values rewritten often (a loop's counters): no string
  // reference to drop unless the value held one.
  void SetNumber(double n) {
    if (s_) s_.reset();
    kind_ = Kind::kNumber;
    b_ = false;
    n_ = n;
    p_ = nullptr;
  }
  void SetBool(bool b) {
    if (s_) s_.reset();
    kind_ = Kind::kBool;
    b_ = b;
    n_ = 0;
    p_ = nullptr;
  }

  Kind kind() const { return kind_; }
  bool is(Kind k) const { return kind_ == k; }
  bool undefined() const { return kind_ == Kind::kUndefined; }
  bool nullish() const { return kind_ == Kind::kUndefined || kind_ == Kind::kNull; }
  bool boolean() const { return b_; }
  double number() const { return n_; }
  // Text of a string or SafeString.
  const std::string& str() const { return *s_; }
  ArrayData* array() const { return static_cast<ArrayData*>(p_); }
  ObjectData* object() const { return static_cast<ObjectData*>(p_); }
  FunctionData* function() const { return static_cast<FunctionData*>(p_); }
  RegexData* regex() const { return static_cast<RegexData*>(p_); }
  const void* identity() const { return p_; }

 private:
  explicit Value(Kind k, void* p = nullptr) : kind_(k), p_(p) {}
  Kind kind_ = Kind::kUndefined;
  bool b_ = false;
  double n_ = 0;
  std::shared_ptr<const std::string> s_;
  void* p_ = nullptr;
};

struct ArrayData {
  std::vector<Value> items;
};

// Members in JavaScript property order: array-index keys ascending first,
// then the other keys in insertion order.
//
// An object of the render's context starts as a view of its JSON and converts
// its members on first use (ContextFromJson), so a render pays only for the
// part of the context it reads.
struct ObjectData {
  using Entries = std::vector<std::pair<std::string, Value>>;
  Entries& entries() {
    if (lazy.json) Materialise();
    return members;
  }
  const Entries& entries() const {
    if (lazy.json) Materialise();
    return members;
  }
  // Where a context object comes from: its JSON until converted, and its
  // place (for error messages).
  struct Lazy {
    const void* json = nullptr;  // a JsonValue; null once converted
    class Heap* heap = nullptr;
    int depth = 0;
    const ObjectData* parent = nullptr;
    std::string_view key;  // in the parent (a view into the JSON)
    std::int64_t index = -1;  // within an array member of the parent
  };
  mutable Entries members;
  mutable Lazy lazy;
  // Members a lookup by name converted before the whole object was (JSON
  // member value, its Value); the full conversion reuses them, so a member
  // keeps its identity. A list: its nodes stay put, and empty costs nothing.
  mutable std::forward_list<std::pair<const void*, Value>> found;
  mutable bool checked = false;  // the JSON passed the checks conversion makes
  void Materialise() const;  // json_bridge.cpp
  const Value* FindLazy(std::string_view key) const;  // json_bridge.cpp
  const Value* Find(std::string_view key) const;
  Value Get(std::string_view key) const;
  bool Has(std::string_view key) const { return Find(key) != nullptr; }
  void Set(std::string key, Value v);
  bool Erase(std::string_view key);
};

class Interp;
using NativeFn = std::function<Value(Interp&, std::vector<Value>&)>;

struct FunctionData {
  std::string name;
  NativeFn fn;
};

struct RegexData {
  std::string body;
  std::string flags;
};

// Owns every array, object, function and regex of one render.
class Heap {
 public:
  explicit Heap(std::size_t max_cells) : max_cells_(max_cells) {}
  Heap(const Heap&) = delete;
  Heap& operator=(const Heap&) = delete;

  Value NewArray(std::vector<Value> items = {});
  Value NewObject();
  Value NewFunction(std::string name, NativeFn fn);
  Value NewRegex(std::string body, std::string flags);
  std::size_t cells() const { return cells_; }
  // Charges `n` more cells: builtins that make long arrays in one step
  // (range, batch) pay per element, so memory stays bounded by max_cells.
  void Charge(std::size_t n);

 private:
  void Count();
  std::size_t max_cells_;
  std::size_t cells_ = 0;
  std::deque<ArrayData> arrays_;
  std::deque<ObjectData> objects_;
  std::deque<FunctionData> functions_;
  std::deque<RegexData> regexes_;
};

// True when `key` is a canonical array index ("0", "17"; not "01", "-1").
bool IsArrayIndex(std::string_view key, std::uint32_t* index = nullptr);

}  // namespace idp::tmpl
