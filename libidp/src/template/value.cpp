#include "template/value.h"

#include <algorithm>

#include "template/errors.h"

namespace idp::tmpl {

bool IsArrayIndex(std::string_view key, std::uint32_t* index) {
  if (key.empty() || key.size() > 10) return false;
  if (key.size() > 1 && key[0] == '0') return false;
  std::uint64_t n = 0;
  for (char c : key) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (n >= 4294967295ULL) return false;  // 2^32 - 1 is not an index
  if (index) *index = static_cast<std::uint32_t>(n);
  return true;
}

const Value* ObjectData::Find(std::string_view key) const {
  if (lazy.json) return FindLazy(key);
  for (const auto& [k, v] : members) {
    if (k == key) return &v;
  }
  return nullptr;
}

Value ObjectData::Get(std::string_view key) const {
  const Value* v = Find(key);
  return v ? *v : Value();
}

void ObjectData::Set(std::string key, Value v) {
  Entries& entries = this->entries();
  for (auto& e : entries) {
    if (e.first == key) {
      e.second = std::move(v);
      return;
    }
  }
  std::uint32_t idx = 0;
  if (IsArrayIndex(key, &idx)) {
    // Keep integer keys first and ascending, as JS engines enumerate them.
    auto pos = entries.begin();
    while (pos != entries.end()) {
      std::uint32_t other = 0;
      if (!IsArrayIndex(pos->first, &other) || other > idx) break;
      ++pos;
    }
    entries.emplace(pos, std::move(key), std::move(v));
    return;
  }
  entries.emplace_back(std::move(key), std::move(v));
}

bool ObjectData::Erase(std::string_view key) {
  Entries& entries = this->entries();
  auto it = std::find_if(entries.begin(), entries.end(), [&](const auto& e) { return e.first == key; });
  if (it == entries.end()) return false;
  entries.erase(it);
  return true;
}

void Heap::Charge(std::size_t n) {
  cells_ += n;
  if (cells_ > max_cells_) {
    throw EngineError(ErrorKind::kLimit, "template limit exceeded: too many array elements or objects created");
  }
}

void Heap::Count() {
  if (++cells_ > max_cells_) {
    throw EngineError(ErrorKind::kLimit, "template limit exceeded: too many arrays/objects created");
  }
}

Value Heap::NewArray(std::vector<Value> items) {
  Count();
  arrays_.push_back(ArrayData{std::move(items)});
  return Value::Array(&arrays_.back());
}

Value Heap::NewObject() {
  Count();
  objects_.emplace_back();
  return Value::Object(&objects_.back());
}

Value Heap::NewFunction(std::string name, NativeFn fn) {
  Count();
  functions_.push_back(FunctionData{std::move(name), std::move(fn)});
  return Value::Function(&functions_.back());
}

Value Heap::NewRegex(std::string body, std::string flags) {
  Count();
  regexes_.push_back(RegexData{std::move(body), std::move(flags)});
  return Value::Regex(&regexes_.back());
}

}  // namespace idp::tmpl
