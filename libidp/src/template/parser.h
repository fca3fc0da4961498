// Parser: a port of nunjucks 3.2.4's recursive-descent parser (including its
// quirks: `+` binds looser than `-`, any closing bracket ends any aggregate,
// the jinja-compat slice fallback) producing the tree of ast.h.
#pragma once

#include <memory>
#include <string_view>

#include "template/ast.h"
#include "template/lexer.h"

namespace idp::tmpl {

struct ParseConfig {
  LexOptions lex;
  bool jinja_compat = false;    // slices `a[1:2]` (installJinjaCompat)
  int max_nesting = 128;        // nested blocks/expressions before a limit error
  int max_tree_depth = 1000;    // depth of the parsed tree (operator/filter chains included)
};

// Names a sandboxed template may not use (they reach JS reflection in nunjucks).
bool IsReservedName(std::string_view name);

struct ParsedTree {
  std::unique_ptr<NodeArena> arena;  // owns every node
  Node* root = nullptr;
};

// Throws EngineError (kSyntax with a 1-based position, or kLimit).
ParsedTree Parse(std::string_view source, const ParseConfig& config);

}  // namespace idp::tmpl
