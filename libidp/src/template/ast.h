// The parsed template: nunjucks' node types, held in one small generic node
// shape. Children sit at fixed positions per kind (documented below); absent
// optional children are null. A tree is immutable once parsed, so one
// compiled template can be rendered from many threads at once.
#pragma once

#include <cstdint>
#include <memory>
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
using NodePtr = std::unique_ptr<Node>;
class Interp;
class Value;
using NodeFilterFn = Value (*)(Interp&, std::vector<Value>&);  // = FilterFn (interp.h)

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
  // Iterative: a rejected or half-parsed tree may be far deeper than the
  // stack allows (a 1 MiB `1+1+1...` is a 500k-deep left spine).
  ~Node() {
    std::vector<NodePtr> pending;
    auto unlink = [&](Node& n) {
      for (auto& k : n.kids) {
        if (k && !k->kids.empty()) pending.push_back(std::move(k));
      }
    };
    unlink(*this);
    while (!pending.empty()) {
      NodePtr n = std::move(pending.back());
      pending.pop_back();
      unlink(*n);
    }  // each node dies with leaf children only: recursion depth stays at 2
  }
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  Node* kid(std::size_t i) const { return i < kids.size() ? kids[i].get() : nullptr; }
};

inline NodePtr MakeNode(NodeKind k, int line, int col) { return std::make_unique<Node>(k, line, col); }

}  // namespace idp::tmpl
