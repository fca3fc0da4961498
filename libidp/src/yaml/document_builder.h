// Turns the libyaml events of one YAML document into JSON the way yaml 2.x's
// Document.toJSON() does (core schema, unique keys, stringified keys, alias
// expansion with yaml's alias-count rule), plus a source mark per node.
//
// Two phases, both iterative (no recursion on input depth):
//  1. events -> a compact intermediate tree (nodes + child index lists + one
//     string arena); aliases stay references, duplicate/colliding keys are
//     resolved in place, so nothing is built twice;
//  2. the tree is replayed into RapidJSON's SAX interface (which allocates
//     every array/object exactly once, at its final size) and then walked in
//     the same order to key the SourceMap by final node address.
#pragma once

#include <yaml.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "yaml/yaml_stream.h"

namespace idp::yaml {

class DocumentBuilder {
 public:
  explicit DocumentBuilder(const Limits& limits) : limits_(limits) {}

  // Starts a document (keeping buffers from the previous one: no per-document
  // allocations once warm). line_base: 0-based file line of the parsed
  // chunk's first line.
  void Begin(std::uint32_t line_base);

  // One event strictly between DOCUMENT-START and DOCUMENT-END.
  void Add(const yaml_event_t& event);

  // A YAML error of this document (duplicate key, too deep, unsupported tag).
  bool failed() const { return !error_.empty(); }
  // The error leaves libyaml mid-structure (depth): resume at the next `---`.
  bool needs_resync() const { return needs_resync_; }
  const std::string& error() const { return error_; }
  Mark error_mark() const { return error_mark_; }
  // What yaml's toJSON() would throw (unresolved/excessive alias) or a node
  // limit: the caller stops the file unless the document also has an error.
  bool abort_pending() const { return !abort_reason_.empty(); }
  const std::string& abort_reason() const { return abort_reason_; }
  Mark abort_mark() const { return abort_mark_; }

  // Builds doc.json/doc.marks/doc.status. Only when !failed() && !abort_pending().
  void Finish(Document& doc);

 private:
  enum class Type : std::uint8_t { kNull, kBool, kInt, kDouble, kString, kArray, kObject, kAlias };
  // Key kinds for yaml's uniqueKeys: equal scalar values collide.
  enum KeyKind : std::uint8_t { kKeyNull = 1, kKeyBool = 2, kKeyNumber = 4, kKeyString = 8 };

  struct Node {
    Type type = Type::kNull;
    bool boolean = false;
    Mark mark;
    std::int64_t integer = 0;  // kInt value; kString: arena offset
    double number = 0;
    std::uint32_t first = 0;   // collections: kids_ offset; kAlias: target node
    std::uint32_t count = 0;   // collections: kids; kString: length
  };
  struct Anchor {
    std::uint32_t node = 0;
    std::uint64_t count = 1;        // yaml: starts at 1, +1 per alias
    std::uint64_t alias_count = 0;  // yaml's getAliasCount(), computed at first alias
    std::uint32_t alias_begin = 0, alias_end = 0;  // aliases_ written inside the node
    bool has_scalar = false;
    bool complete = false;
    std::uint64_t subtree_nodes = 1;
    std::uint32_t height = 0;
  };
  struct Frame {
    std::uint32_t node = 0;
    bool is_map = false;
    bool expect_key = true;   // maps: next child is a key
    bool key_text = false;    // this collection is (inside) a map key: also build its flow text
    bool has_index_key = false;
    std::uint32_t pending_begin = 0;
    std::uint32_t overwrite = UINT32_MAX;  // pending_ position of a name being re-set
    std::int32_t anchor = -1;
    std::uint32_t height = 0;  // max child height
    std::uint32_t text_items = 0;
    std::uint32_t alias_begin = 0, scalars_begin = 0;
    std::uint64_t nodes_begin = 0;
    std::unique_ptr<std::unordered_map<std::string, std::uint32_t>> names;  // big maps only
  };

  Mark ToMark(const yaml_mark_t& m) const;
  void Fail(std::string message, Mark mark, bool resync = false);
  void Abort(std::string reason, Mark mark);
  bool CountNodes(std::uint64_t n, Mark mark);

  void OnScalar(const yaml_event_t& e);
  void OnCollectionStart(const yaml_event_t& e, bool is_map);
  void OnCollectionEnd();
  void OnAlias(const yaml_event_t& e);

  std::uint32_t NewNode(Type type, Mark mark);
  std::int32_t DefineAnchor(const yaml_char_t* name, std::uint32_t node);
  std::uint64_t AliasCount(const Anchor& a) const;
  void Complete(std::uint32_t node, std::uint32_t height, std::string_view key_text = {});
  void AddKey(Frame& frame, std::uint32_t node, std::string_view key_text);
  std::uint32_t FindName(Frame& frame, std::string_view name);
  std::string_view Str(const Node& n) const {
    return {arena_.data() + n.integer, n.count};
  }
  std::uint32_t AddString(std::string_view s, Mark mark);

  // Flow text of collection keys (yaml's stringifyKey).
  bool in_key_text() const { return !frames_.empty() && frames_.back().key_text; }
  void TextItemPrefix();
  void TextProps(const yaml_char_t* anchor, const yaml_char_t* tag);

  void Replay(Json& json);

  const Limits& limits_;
  std::uint32_t line_base_ = 0;
  std::vector<Node> nodes_;
  std::vector<std::uint32_t> kids_;
  std::vector<std::uint32_t> pending_;  // children of open collections
  std::vector<std::uint8_t> pending_kind_;  // per pending name: KeyKind bits seen
  std::string arena_;
  std::vector<Frame> frames_;
  std::vector<Anchor> anchors_;
  std::unordered_map<std::string, std::int32_t> anchor_by_name_;
  std::vector<std::uint32_t> aliases_;  // anchor id of every alias, in document order
  std::uint32_t scalars_ = 0;
  std::uint64_t total_nodes_ = 0;  // after alias expansion
  std::string key_text_;
  std::uint32_t root_ = UINT32_MAX;
  Mark root_mark_;

  // Scratch reused by Finish().
  struct Open {
    std::uint32_t node;
    std::uint32_t next;
  };
  std::vector<Open> replay_stack_;
  std::vector<Mark> marks_;
  std::vector<std::pair<JsonValue*, std::uint32_t>> walk_stack_;

  std::string error_;
  Mark error_mark_;
  bool needs_resync_ = false;
  std::string abort_reason_;
  Mark abort_mark_;
};

}  // namespace idp::yaml
