#include "yaml/document_builder.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "yaml/scalar.h"

namespace idp::yaml {
namespace {

std::string_view View(const yaml_char_t* s) {
  return s == nullptr ? std::string_view{} : std::string_view(reinterpret_cast<const char*>(s));
}

std::uint64_t SaturatingMul(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > UINT64_MAX / a) return UINT64_MAX;
  return a * b;
}

// JS orders "array index" keys (canonical integers 0..2^32-2) first, ascending.
bool IsArrayIndex(std::string_view s, std::uint64_t& value) {
  if (s.empty() || s.size() > 10 || (s.size() > 1 && s[0] == '0')) return false;
  value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value <= 4294967294ull;
}

// Flow-text of a scalar inside a collection key, close to yaml's stringifier.
void AppendStyled(std::string& out, std::string_view v, yaml_scalar_style_t style) {
  if (style == YAML_PLAIN_SCALAR_STYLE) {
    out += v;
  } else if (style == YAML_SINGLE_QUOTED_SCALAR_STYLE) {
    out.push_back('\'');
    for (char c : v) {
      if (c == '\'') out.push_back('\'');
      out.push_back(c);
    }
    out.push_back('\'');
  } else {
    out.push_back('"');
    for (char c : v) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default: out.push_back(c);
      }
    }
    out.push_back('"');
  }
}

}  // namespace

void DocumentBuilder::Begin(std::uint32_t line_base) {
  line_base_ = line_base;
  nodes_.clear();
  kids_.clear();
  pending_.clear();
  pending_kind_.clear();
  arena_.clear();
  frames_.clear();
  anchors_.clear();
  anchor_by_name_.clear();
  aliases_.clear();
  scalars_ = 0;
  total_nodes_ = 0;
  key_text_.clear();
  root_ = UINT32_MAX;
  root_mark_ = {};
  error_.clear();
  error_mark_ = {};
  needs_resync_ = false;
  abort_reason_.clear();
  abort_mark_ = {};
}

Mark DocumentBuilder::ToMark(const yaml_mark_t& m) const {
  return {static_cast<std::uint32_t>(line_base_ + m.line + 1),
          static_cast<std::uint32_t>(m.column + 1)};
}

void DocumentBuilder::Fail(std::string message, Mark mark, bool resync) {
  if (failed()) return;
  error_ = std::move(message);
  error_mark_ = mark;
  needs_resync_ = resync;
}

void DocumentBuilder::Abort(std::string reason, Mark mark) {
  if (abort_pending()) return;
  abort_reason_ = std::move(reason);
  abort_mark_ = mark;
}

bool DocumentBuilder::CountNodes(std::uint64_t n, Mark mark) {
  total_nodes_ += n;
  if (total_nodes_ <= limits_.max_nodes) return true;
  Abort("document has more than " + std::to_string(limits_.max_nodes) +
            " nodes after alias expansion",
        mark);
  return false;
}

void DocumentBuilder::Add(const yaml_event_t& e) {
  if (failed()) return;  // the document is an error; only its end matters now
  switch (e.type) {
    case YAML_SCALAR_EVENT: OnScalar(e); break;
    case YAML_SEQUENCE_START_EVENT: OnCollectionStart(e, false); break;
    case YAML_MAPPING_START_EVENT: OnCollectionStart(e, true); break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: OnCollectionEnd(); break;
    case YAML_ALIAS_EVENT: OnAlias(e); break;
    default: break;
  }
}

std::uint32_t DocumentBuilder::NewNode(Type type, Mark mark) {
  Node n;
  n.type = type;
  n.mark = mark;
  nodes_.push_back(n);
  return static_cast<std::uint32_t>(nodes_.size() - 1);
}

std::uint32_t DocumentBuilder::AddString(std::string_view s, Mark mark) {
  const std::uint32_t id = NewNode(Type::kString, mark);
  nodes_[id].integer = static_cast<std::int64_t>(arena_.size());
  nodes_[id].count = static_cast<std::uint32_t>(s.size());
  arena_ += s;
  return id;
}

std::int32_t DocumentBuilder::DefineAnchor(const yaml_char_t* name, std::uint32_t node) {
  if (name == nullptr) return -1;
  Anchor a;
  a.node = node;
  a.alias_begin = static_cast<std::uint32_t>(aliases_.size());
  anchors_.push_back(a);
  const auto id = static_cast<std::int32_t>(anchors_.size() - 1);
  anchor_by_name_[std::string(View(name))] = id;  // a later anchor shadows an earlier one
  return id;
}

void DocumentBuilder::TextItemPrefix() {
  Frame& f = frames_.back();
  if (f.is_map && !f.expect_key) {
    key_text_.push_back(' ');
    return;
  }
  key_text_ += f.text_items++ == 0 ? " " : ", ";
}

void DocumentBuilder::TextProps(const yaml_char_t* anchor, const yaml_char_t* tag) {
  if (anchor != nullptr) {
    key_text_.push_back('&');
    key_text_ += View(anchor);
    key_text_.push_back(' ');
  }
  if (tag != nullptr) {
    std::string_view t = View(tag);
    constexpr std::string_view kCore = "tag:yaml.org,2002:";
    if (t.substr(0, kCore.size()) == kCore) {
      key_text_ += "!!";
      key_text_ += t.substr(kCore.size());
    } else {
      key_text_ += t;
    }
    key_text_.push_back(' ');
  }
}

void DocumentBuilder::OnScalar(const yaml_event_t& e) {
  const auto& s = e.data.scalar;
  const std::string_view text(reinterpret_cast<const char*>(s.value), s.length);
  const Mark mark = ToMark(e.start_mark);

  if (in_key_text()) {
    const Frame& f = frames_.back();
    const bool empty_value = f.is_map && !f.expect_key && text.empty() && s.tag == nullptr &&
                             s.anchor == nullptr && s.style == YAML_PLAIN_SCALAR_STYLE;
    if (!empty_value) {
      TextItemPrefix();
      TextProps(s.anchor, s.tag);
      AppendStyled(key_text_, text, s.style);
    }
  }

  ScalarValue v;
  if (s.tag != nullptr) {
    // "!" is the non-specific tag: always a string.
    if (View(s.tag) != "!" &&
        ResolveTagged(View(s.tag), text, v) == TagOutcome::kUnsupported) {
      Fail("unsupported tag " + std::string(View(s.tag)), mark);
      return;
    }
  } else if (s.style == YAML_PLAIN_SCALAR_STYLE) {
    v = ResolvePlain(text);
  }

  std::uint32_t id = 0;
  switch (v.kind) {
    case ScalarValue::Kind::kNull: id = NewNode(Type::kNull, mark); break;
    case ScalarValue::Kind::kBool:
      id = NewNode(Type::kBool, mark);
      nodes_[id].boolean = v.boolean;
      break;
    case ScalarValue::Kind::kInt:
      id = NewNode(Type::kInt, mark);
      nodes_[id].integer = v.integer;
      break;
    case ScalarValue::Kind::kDouble:
      id = NewNode(Type::kDouble, mark);
      nodes_[id].number = v.number;
      break;
    case ScalarValue::Kind::kString: id = AddString(text, mark); break;
  }
  ++scalars_;
  CountNodes(1, mark);
  if (std::int32_t a = DefineAnchor(s.anchor, id); a >= 0) {
    Anchor& an = anchors_[static_cast<std::size_t>(a)];
    an.alias_end = an.alias_begin;
    an.has_scalar = true;
    an.complete = true;
  }
  Complete(id, 0);
}

void DocumentBuilder::OnCollectionStart(const yaml_event_t& e, bool is_map) {
  const Mark mark = ToMark(e.start_mark);
  const yaml_char_t* anchor =
      is_map ? e.data.mapping_start.anchor : e.data.sequence_start.anchor;
  const yaml_char_t* tag = is_map ? e.data.mapping_start.tag : e.data.sequence_start.tag;
  if (frames_.size() + 1 > limits_.max_depth) {
    // yaml 2.x fails such a document too (its composer runs out of stack
    // around depth 1000); we fail it earlier, at a configurable depth.
    Fail("collections nested deeper than " + std::to_string(limits_.max_depth) + " levels", mark,
         /*resync=*/true);
    return;
  }
  if (tag != nullptr && IsUnsupportedCollectionTag(View(tag))) {
    Fail("unsupported tag " + std::string(View(tag)), mark);
    return;
  }

  Frame f;
  f.is_map = is_map;
  if (!frames_.empty()) {
    const Frame& parent = frames_.back();
    f.key_text = parent.key_text || (parent.is_map && parent.expect_key);
    if (parent.key_text) {
      TextItemPrefix();
    } else if (f.key_text) {
      key_text_.clear();
    }
  }
  if (f.key_text) {
    TextProps(anchor, tag);
    key_text_.push_back(is_map ? '{' : '[');
  }

  f.node = NewNode(is_map ? Type::kObject : Type::kArray, mark);
  CountNodes(1, mark);
  f.pending_begin = static_cast<std::uint32_t>(pending_.size());
  f.alias_begin = static_cast<std::uint32_t>(aliases_.size());
  f.scalars_begin = scalars_;
  f.nodes_begin = total_nodes_ - 1;
  f.anchor = DefineAnchor(anchor, f.node);
  frames_.push_back(std::move(f));
}

void DocumentBuilder::OnCollectionEnd() {
  Frame f = std::move(frames_.back());
  frames_.pop_back();
  const std::uint32_t begin = f.pending_begin;
  const auto count = static_cast<std::uint32_t>(pending_.size() - begin);

  if (f.is_map && f.has_index_key) {
    // JS objects list integer-like keys first, in numeric order.
    struct Pair {
      std::uint32_t name, value;
      bool index;
      std::uint64_t n;
    };
    std::vector<Pair> pairs;
    pairs.reserve(count / 2);
    for (std::uint32_t i = begin; i + 1 < pending_.size(); i += 2) {
      Pair p{pending_[i], pending_[i + 1], false, 0};
      p.index = IsArrayIndex(Str(nodes_[p.name]), p.n);
      pairs.push_back(p);
    }
    std::stable_sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) {
      if (a.index != b.index) return a.index;
      return a.index && a.n < b.n;
    });
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      pending_[begin + 2 * i] = pairs[i].name;
      pending_[begin + 2 * i + 1] = pairs[i].value;
    }
  }

  Node& n = nodes_[f.node];
  n.first = static_cast<std::uint32_t>(kids_.size());
  n.count = count;
  kids_.insert(kids_.end(), pending_.begin() + begin, pending_.end());
  pending_.resize(begin);
  pending_kind_.resize(begin);
  const std::uint32_t height = f.height + 1;

  if (f.anchor >= 0) {
    Anchor& a = anchors_[static_cast<std::size_t>(f.anchor)];
    a.alias_end = static_cast<std::uint32_t>(aliases_.size());
    a.has_scalar = scalars_ > f.scalars_begin;
    a.subtree_nodes = total_nodes_ - f.nodes_begin;
    a.height = height;
    a.complete = true;
  }
  if (f.key_text) {
    key_text_ += count == 0 ? (f.is_map ? "}" : "]") : (f.is_map ? " }" : " ]");
    if (frames_.empty() || !frames_.back().key_text) {
      const std::string text = std::move(key_text_);
      key_text_.clear();
      Complete(f.node, height, text);
      return;
    }
  }
  Complete(f.node, height);
}

std::uint64_t DocumentBuilder::AliasCount(const Anchor& a) const {
  // yaml's getAliasCount(): 1 for a scalar; for a collection the maximum
  // over what it contains: 1 per scalar, count * aliasCount per alias.
  std::uint64_t m = a.has_scalar ? 1 : 0;
  for (std::uint32_t i = a.alias_begin; i < a.alias_end; ++i) {
    const Anchor& t = anchors_[aliases_[i]];
    m = std::max(m, SaturatingMul(t.count, t.alias_count));
  }
  return m;
}

void DocumentBuilder::OnAlias(const yaml_event_t& e) {
  const std::string_view name = View(e.data.alias.anchor);
  const Mark mark = ToMark(e.start_mark);
  std::string text(1, '*');
  text += name;
  if (in_key_text()) {
    TextItemPrefix();
    key_text_ += text;
  }

  auto placeholder = [&] {  // after an abort: keep checking syntax/keys only
    CountNodes(1, mark);
    Complete(NewNode(Type::kNull, mark), 0);
  };
  if (abort_pending()) return placeholder();
  if (limits_.max_alias_count == 0) {
    Abort("Alias resolution is disabled", mark);
    return placeholder();
  }
  auto it = anchor_by_name_.find(std::string(name));
  if (it == anchor_by_name_.end()) {
    Abort("Unresolved alias (the anchor must be set before the alias): " + std::string(name),
          mark);
    return placeholder();
  }
  const std::int32_t id = it->second;
  Anchor& a = anchors_[static_cast<std::size_t>(id)];
  if (!a.complete) {
    // yaml builds a circular JS object here; JSON cannot hold one.
    Abort("Alias " + text + " refers to a collection that contains it", mark);
    return placeholder();
  }
  a.count += 1;
  if (a.alias_count == 0) a.alias_count = AliasCount(a);
  if (SaturatingMul(a.count, a.alias_count) > limits_.max_alias_count) {
    Abort("Excessive alias count indicates a resource exhaustion attack", mark);
    return placeholder();
  }
  aliases_.push_back(static_cast<std::uint32_t>(id));
  if (frames_.size() + a.height > limits_.max_depth) {
    Fail("collections nested deeper than " + std::to_string(limits_.max_depth) +
             " levels (through alias *" + std::string(name) + ")",
         mark);
    return;
  }
  if (!CountNodes(a.subtree_nodes, mark)) return placeholder();
  const std::uint32_t node = NewNode(Type::kAlias, mark);
  nodes_[node].first = a.node;
  Complete(node, a.height, text);
}

void DocumentBuilder::Complete(std::uint32_t node, std::uint32_t height,
                               std::string_view key_text) {
  if (frames_.empty()) {
    root_ = node;
    root_mark_ = nodes_[node].mark;
    return;
  }
  Frame& f = frames_.back();
  f.height = std::max(f.height, height);
  if (!f.is_map) {
    pending_.push_back(node);
    pending_kind_.push_back(0);
    return;
  }
  if (f.expect_key) {
    AddKey(f, node, key_text);
    f.expect_key = false;
    if (f.key_text) key_text_.push_back(':');
    return;
  }
  if (f.overwrite != UINT32_MAX) {
    pending_[f.overwrite + 1] = node;
    f.overwrite = UINT32_MAX;
  } else {
    pending_.push_back(node);
    pending_kind_.push_back(0);
  }
  f.expect_key = true;
}

void DocumentBuilder::AddKey(Frame& f, std::uint32_t node, std::string_view key_text) {
  const Node key = nodes_[node];
  std::uint32_t name = node;
  std::uint8_t kind = 0;  // 0: never equal to another key (collections, aliases, NaN)
  auto named = [&](std::string_view s) { name = AddString(s, key.mark); };
  // toJS(alias) then String(): the target's value, or for a collection the
  // alias itself stringified ("*a"). Copies: AddString() grows nodes_.
  const bool alias = key.type == Type::kAlias;
  const Node value = alias ? nodes_[key.first] : key;
  switch (value.type) {
    case Type::kNull: named(""); kind = kKeyNull; break;
    case Type::kBool: named(value.boolean ? "true" : "false"); kind = kKeyBool; break;
    case Type::kInt: named(std::to_string(value.integer)); kind = kKeyNumber; break;
    case Type::kDouble:
      named(JsNumberToString(value.number));
      kind = std::isnan(value.number) ? 0 : kKeyNumber;
      break;
    case Type::kString:
      if (alias) named(Str(value));
      kind = kKeyString;
      break;
    case Type::kArray:
    case Type::kObject:
    case Type::kAlias:
      named(key_text);  // yaml's flow text of the collection, or "*a"
      break;
  }
  if (alias) kind = 0;  // an Alias is not a Scalar for uniqueKeys

  const std::string_view name_text = Str(nodes_[name]);
  if (const std::uint32_t at = FindName(f, name_text); at != UINT32_MAX) {
    if ((pending_kind_[at] & kind) != 0) {
      Fail("Map keys must be unique", key.mark);
      return;
    }
    // Same JS property, different YAML keys (`1` and "1"): the later value
    // wins, in the first one's place, as in yaml's addPairToJSMap.
    pending_kind_[at] |= kind;
    f.overwrite = at;
    return;
  }
  if (f.names) f.names->emplace(name_text, static_cast<std::uint32_t>(pending_.size()));
  std::uint64_t ignored = 0;
  if (!f.has_index_key && IsArrayIndex(name_text, ignored)) f.has_index_key = true;
  pending_.push_back(name);
  pending_kind_.push_back(kind);
}

std::uint32_t DocumentBuilder::FindName(Frame& f, std::string_view name) {
  constexpr std::uint32_t kIndexFrom = 16;  // members; linear scan below that
  const auto end = static_cast<std::uint32_t>(pending_.size());
  if (!f.names && (end - f.pending_begin) / 2 >= kIndexFrom) {
    f.names = std::make_unique<std::unordered_map<std::string, std::uint32_t>>();
    for (std::uint32_t i = f.pending_begin; i + 1 < end; i += 2) {
      f.names->emplace(Str(nodes_[pending_[i]]), i);
    }
  }
  if (f.names) {
    auto it = f.names->find(std::string(name));
    return it == f.names->end() ? UINT32_MAX : it->second;
  }
  for (std::uint32_t i = f.pending_begin; i + 1 < end; i += 2) {
    if (Str(nodes_[pending_[i]]) == name) return i;
  }
  return UINT32_MAX;
}

void DocumentBuilder::Replay(Json& json) {
  std::vector<Open>& stack = replay_stack_;
  std::vector<Mark>& marks = marks_;
  stack.clear();
  marks.clear();
  marks.reserve(static_cast<std::size_t>(total_nodes_) + 1);
  auto generate = [&](Json& h) {
    auto emit = [&](std::uint32_t id, Mark mark) {
      marks.push_back(mark);
      const Node* n = &nodes_[id];
      if (n->type == Type::kAlias) {
        id = n->first;
        n = &nodes_[id];
      }
      switch (n->type) {
        case Type::kNull: h.Null(); break;
        case Type::kBool: h.Bool(n->boolean); break;
        case Type::kInt: h.Int64(n->integer); break;
        case Type::kDouble: h.Double(n->number); break;
        case Type::kString:
          h.String(arena_.data() + n->integer, n->count, true);
          break;
        case Type::kArray:
          h.StartArray();
          stack.push_back({id, 0});
          break;
        case Type::kObject:
          h.StartObject();
          stack.push_back({id, 0});
          break;
        case Type::kAlias: h.Null(); break;  // cannot happen: anchors are never aliases
      }
    };
    emit(root_, root_mark_);
    while (!stack.empty()) {
      Open& top = stack.back();
      const Node& n = nodes_[top.node];
      if (top.next >= n.count) {
        if (n.type == Type::kArray) {
          h.EndArray(n.count);
        } else {
          h.EndObject(n.count / 2);
        }
        stack.pop_back();
        continue;
      }
      if (n.type == Type::kArray) {
        const std::uint32_t child = kids_[n.first + top.next++];
        emit(child, nodes_[child].mark);
      } else {
        const Node& name = nodes_[kids_[n.first + top.next]];
        const std::uint32_t value = kids_[n.first + top.next + 1];
        top.next += 2;
        h.Key(arena_.data() + name.integer, name.count, true);
        marks.push_back(name.mark);
        emit(value, nodes_[value].mark);  // may grow `stack`: `top` is dead now
      }
    }
    return true;
  };
  json.Populate(generate);
}

void DocumentBuilder::Finish(Document& doc) {
  if (root_ == UINT32_MAX || nodes_[root_].type == Type::kNull) {
    doc.status = DocStatus::kEmpty;
    if (root_ != UINT32_MAX) doc.start = root_mark_;
    return;
  }
  doc.status = DocStatus::kOk;
  doc.start = root_mark_;
  Replay(doc.json);

  // Same pre-order as Replay: value, then per member name and value.
  // The root's own mark is set by the caller once the Document has its
  // final address (it is keyed by &doc.json).
  auto& stack = walk_stack_;
  stack.clear();
  const std::vector<Mark>& marks = marks_;
  std::size_t i = 1;
  auto visit = [&](JsonValue& v) {
    if (v.IsArray() || v.IsObject()) stack.emplace_back(&v, 0);
  };
  doc.marks.Reserve(marks.size() + 1);
  visit(doc.json);
  while (!stack.empty()) {
    auto& top = stack.back();
    JsonValue& v = *top.first;
    if (v.IsArray()) {
      if (top.second >= v.Size()) {
        stack.pop_back();
        continue;
      }
      JsonValue& child = v[top.second++];
      doc.marks.Set(&child, marks[i++]);
      visit(child);
    } else {
      if (top.second >= v.MemberCount()) {
        stack.pop_back();
        continue;
      }
      auto& member = v.MemberBegin()[top.second++];
      doc.marks.Set(&member.name, marks[i++]);
      doc.marks.Set(&member.value, marks[i++]);
      visit(member.value);
    }
  }
  doc.marks.Seal();
}

}  // namespace idp::yaml
