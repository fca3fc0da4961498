// The parsed template: nunjucks' node types, held in one small generic node
// shape. Children sit at fixed positions per kind (documented below); absent
// optional children are null. A tree is immutable once parsed, so one
// compiled template can be rendered from many threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <vector>

namespace idp::tmpl {

enum class NodeKind : std::uint8_t {
  kNodeList,      // kids: statements/outputs
  kOutput,        // kids: TemplateData or expressions
  kTemplateData,  // text
  kLiteral,       // lit
  kSymbol,        // text = name
  kGroup,         // kids: expressions (comma operator: last wins)
  kArray,         // kids
  kDict,          // kids: Pair
  kKeywordArgs,   // kids: Pair
  kPair,          // kids[0] key, kids[1] value
  kLookupVal,     // kids[0] target, kids[1] key expression
  kFunCall,       // kids[0] callee, kids[1] NodeList of args (last may be KeywordArgs)
  kFilter,        // text = filter name, kids[0] NodeList of args (first is the input)
  kInlineIf,      // kids[0] cond, kids[1] body, kids[2] else (nullable)
  kOr, kAnd, kAdd, kConcat, kSub, kMul, kDiv, kFloorDiv, kMod, kPow,  // kids[0], kids[1]
  kNot, kNeg, kPos,   // kids[0]
  kIn,                // kids[0] needle, kids[1] haystack
  kIs,                // kids[0] value, kids[1] test (Symbol, FunCall or Literal)
  kCompare,           // kids[0] first; kids[1..] CompareOperand
  kCompareOperand,    // text = operator, kids[0] expression
  kSlice,             // jinja compat: kids[0] start, kids[1] stop, kids[2] step
  kIf,                // kids[0] cond, kids[1] body, kids[2] else (nullable)
  kFor,               // kids[0] target (Symbol or Array of Symbols), kids[1] iterable, kids[2] body, kids[3] else
  kSet,               // kids[0] value or Capture; kids[1..] target Symbols
  kCapture,           // kids[0] body NodeList
  kMacro,             // text = name, kids[0] NodeList of params, kids[1] body
  kCaller,            // kids[0] NodeList of params, kids[1] body
  kSwitch,            // kids[0] expr, kids[1] default body (nullable), kids[2..] Case
  kCase,              // kids[0] cond, kids[1] body
  kBlock,             // text = name, kids[0] body
  kLoad,              // extends/include/import/from: text = tag name, kids[0] template expr
};

enum class LitKind : std::uint8_t { kString, kNumber, kBool, kNull, kRegex };

struct Literal {
  LitKind kind = LitKind::kNull;
  std::string text;   // string value, or regex body
  // String literals: `text` shared, set once parsing is done, so each
  // evaluation hands out a reference instead of copying the text.
  std::shared_ptr<const std::string> shared;
  std::string flags;  // regex flags
  double number = 0;
  bool boolean = false;
};

struct Node;
class Interp;
class Value;
using NodeFilterFn = Value (*)(Interp&, std::vector<Value>&);  // = FilterFn (interp.h)

// A link to a node. Nodes belong to their tree's NodeArena, not to their
// parent: building a tree is one bump allocation per node, and freeing it is
// a flat walk over the arena (no recursion, however deep the tree).
class NodePtr {
 public:
  NodePtr() = default;
  NodePtr(std::nullptr_t) {}  // NOLINT: as a smart pointer converts
  explicit NodePtr(Node* p) : p_(p) {}
  Node* get() const { return p_; }
  Node& operator*() const { return *p_; }
  Node* operator->() const { return p_; }
  explicit operator bool() const { return p_ != nullptr; }

 private:
  Node* p_ = nullptr;
};

struct Node {
  NodeKind kind;
  int line = 0;  // 0-based, as the lexer reports them
  int col = 0;
  std::string text;
  Literal lit;
  std::vector<NodePtr> kids;
  // kFilter: the filter the name resolves to, set once when the template is
  // compiled (its environment is known then), so rendering does no lookup.
  NodeFilterFn filter = nullptr;

  Node(NodeKind k, int l, int c) : kind(k), line(l), col(c) {}
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  Node* kid(std::size_t i) const { return i < kids.size() ? kids[i].get() : nullptr; }
};

// Owns every node of one tree (including any the parser built and then
// dropped, such as a failed jinja-compat slice attempt).
class NodeArena {
 public:
  NodeArena() = default;
  NodeArena(const NodeArena&) = delete;
  NodeArena& operator=(const NodeArena&) = delete;
  ~NodeArena() {
    for (auto& chunk : chunks_) {
      std::size_t n = &chunk == &chunks_.back() ? used_ : kChunkNodes;
      for (std::size_t i = 0; i < n; ++i) std::launder(reinterpret_cast<Node*>(chunk[i].bytes))->~Node();
    }
  }
  NodePtr New(NodeKind k, int line, int col) {
    if (chunks_.empty() || used_ == kChunkNodes) {
      chunks_.push_back(std::make_unique_for_overwrite<Storage[]>(kChunkNodes));  // not zeroed
      used_ = 0;
    }
    Node* n = new (chunks_.back()[used_].bytes) Node(k, line, col);
    ++used_;
    return NodePtr(n);
  }

 private:
  static constexpr std::size_t kChunkNodes = 256;
  struct Storage {
    alignas(Node) unsigned char bytes[sizeof(Node)];
  };
  std::vector<std::unique_ptr<Storage[]>> chunks_;
  std::size_t used_ = 0;  // nodes built in the last chunk
};

// How many children a node of this kind gets (ast.h's table above), so that
// building it allocates its child vector once; 0 for leaves and lists.
inline std::size_t FixedKids(NodeKind k) {
  switch (k) {
    case NodeKind::kOutput: case NodeKind::kFilter: case NodeKind::kNot: case NodeKind::kNeg: case NodeKind::kPos:
    case NodeKind::kCompareOperand: case NodeKind::kCapture: case NodeKind::kBlock: case NodeKind::kLoad:
      return 1;
    case NodeKind::kPair: case NodeKind::kLookupVal: case NodeKind::kFunCall: case NodeKind::kOr: case NodeKind::kAnd:
    case NodeKind::kAdd: case NodeKind::kConcat: case NodeKind::kSub: case NodeKind::kMul: case NodeKind::kDiv:
    case NodeKind::kFloorDiv: case NodeKind::kMod: case NodeKind::kPow: case NodeKind::kIn: case NodeKind::kIs:
    case NodeKind::kSet: case NodeKind::kMacro: case NodeKind::kCaller: case NodeKind::kCase:
      return 2;
    case NodeKind::kInlineIf: case NodeKind::kIf: case NodeKind::kSlice:
      return 3;
    case NodeKind::kFor:
      return 4;
    default:
      return 0;
  }
}

inline NodePtr MakeNode(NodeArena& arena, NodeKind k, int line, int col) {
  NodePtr n = arena.New(k, line, col);
  if (std::size_t kids = FixedKids(k)) n->kids.reserve(kids);
  return n;
}

}  // namespace idp::tmpl
