#include "template/parser.h"

#include <algorithm>
#include <optional>
#include <set>
#include <vector>

#include "template/errors.h"
#include "template/js.h"

namespace idp::tmpl {

namespace {

using OptTok = std::optional<Token>;

class Parser {
 public:
  Parser(std::string_view src, const ParseConfig& cfg, NodeArena& arena)
      : lex_(src, cfg.lex), cfg_(cfg), arena_(arena) {}

  NodePtr ParseRoot() {
    auto root = MakeNode(arena_, NodeKind::kNodeList, 0, 0);
    root->kids = ParseNodes();
    CheckDepth(*root);
    Validate(*root);
    return root;
  }

 private:
  // ---- token plumbing -------------------------------------------------
  OptTok NextToken(bool with_ws = false) {
    if (peeked_) {
      if (!with_ws && peeked_->type == Tok::kWhitespace) {
        peeked_.reset();
      } else {
        OptTok t = std::move(peeked_);
        peeked_.reset();
        return t;
      }
    }
    Token t;
    if (!lex_.Next(t)) return std::nullopt;
    if (!with_ws) {
      while (t.type == Tok::kWhitespace) {
        if (!lex_.Next(t)) return std::nullopt;
      }
    }
    return t;
  }
  const OptTok& Peek() {
    if (!peeked_) peeked_ = NextToken();
    return peeked_;
  }
  void Push(OptTok tok) {
    if (peeked_) throw EngineError(ErrorKind::kSyntax, "pushToken: can only push one token on between reads");
    peeked_ = std::move(tok);
  }
  [[noreturn]] void Fail(const std::string& msg) {
    int line = 0, col = 0;
    try {
      if (const OptTok& t = Peek()) {
        line = t->line + 1;
        col = t->col + 1;
      }
    } catch (const EngineError&) {
    }
    if (line == 0) {
      // End of input. nunjucks gives no position here; an unclosed tag is
      // reported where it opened, anything else where the input ends.
      if (lex_.in_code()) {
        throw EngineError(ErrorKind::kSyntax, msg + " (unterminated tag, input ends inside it)", lex_.tag_line() + 1,
                          lex_.tag_col() + 1);
      }
      auto [end_line, end_col] = lex_.EndPosition();
      throw EngineError(ErrorKind::kSyntax, msg + " (at end of input)", end_line + 1, end_col + 1);
    }
    throw EngineError(ErrorKind::kSyntax, msg, line, col);
  }
  // Where the parser stands: the next token, else the lexer's position.
  std::pair<int, int> Here() {
    if (peeked_) return {peeked_->line + 1, peeked_->col + 1};
    return {lex_.line() + 1, lex_.col() + 1};
  }
  [[noreturn]] void Fail(const std::string& msg, int line, int col) {
    throw EngineError(ErrorKind::kSyntax, msg, line + 1, col + 1);
  }
  Token Require(OptTok t) {
    if (!t) Fail("unexpected end of file");
    return std::move(*t);
  }
  // Skip/SkipValue test the next token in place: taking it and pushing it
  // back moved every token twice (the parser's largest cost). A pending
  // whitespace token goes first, as NextToken() would drop it.
  const OptTok& PeekNonWhite() {
    if (peeked_ && peeked_->type == Tok::kWhitespace) peeked_.reset();
    return Peek();
  }
  bool Skip(Tok type) {
    const OptTok& t = PeekNonWhite();
    if (!t || t->type != type) return false;
    peeked_.reset();
    return true;
  }
  Token Expect(Tok type) {
    Token t = Require(NextToken());
    if (t.type != type) Fail(std::string("expected ") + TokName(type) + ", got " + TokName(t.type), t.line, t.col);
    return t;
  }
  bool SkipValue(Tok type, std::string_view val) {
    const OptTok& t = PeekNonWhite();
    if (!t || t->type != type || t->value != val) return false;
    peeked_.reset();
    return true;
  }
  bool SkipSymbol(std::string_view val) { return SkipValue(Tok::kSymbol, val); }
  Tok PeekType() {
    const OptTok& t = Peek();
    if (!t) Fail("unexpected end of file");
    return t->type;
  }

  Token AdvanceAfterBlockEnd(std::string name = {}) {
    if (name.empty()) {
      const OptTok& t = Peek();
      if (!t) Fail("unexpected end of file");
      if (t->type != Tok::kSymbol) Fail("advanceAfterBlockEnd: expected symbol token or explicit name to be passed");
      name = std::string(Require(NextToken()).value);
    }
    OptTok t = NextToken();
    if (t && t->type == Tok::kBlockEnd) {
      if (!t->value.empty() && t->value[0] == '-') drop_leading_ws_ = true;
    } else {
      if (t) Push(std::move(t));
      Fail("expected block end in " + name + " statement");
    }
    return std::move(*t);
  }
  void AdvanceAfterVariableEnd() {
    OptTok t = NextToken();
    if (t && t->type == Tok::kVariableEnd) {
      std::string_view v = t->value;
      std::size_t pos = v.size() - lex_.tags().variable_end.size();
      drop_leading_ws_ = pos >= 1 && v[pos - 1] == '-';
    } else {
      Push(std::move(t));
      Fail("expected variable end");
    }
  }

  struct DepthGuard {
    Parser& p;
    explicit DepthGuard(Parser& parser) : p(parser) {
      if (++p.depth_ > p.cfg_.max_nesting) {
        auto [line, col] = p.Here();
        throw EngineError(ErrorKind::kLimit, "template limit exceeded: nesting deeper than " +
                                                 std::to_string(p.cfg_.max_nesting), line, col);
      }
    }
    ~DepthGuard() { --p.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;
  };

  // ---- statements -------------------------------------------------------
  std::vector<NodePtr> ParseUntilBlocks(std::vector<std::string> names) {
    DepthGuard guard(*this);
    auto prev = std::move(break_on_);
    break_on_ = std::move(names);
    bool prev_has = has_break_prev_;
    has_break_prev_ = true;
    auto nodes = ParseNodes();
    break_on_ = std::move(prev);
    has_break_prev_ = prev_has;
    return nodes;
  }
  NodePtr List(std::vector<NodePtr> kids, int line = 0, int col = 0) {
    auto n = MakeNode(arena_, NodeKind::kNodeList, line, col);
    n->kids = std::move(kids);
    return n;
  }

  NodePtr ParseFor() {
    Token for_tok = Require(OptTok(Peek()));
    std::string end_block;
    if (SkipSymbol("for")) end_block = "endfor";
    else if (SkipSymbol("asyncEach")) end_block = "endeach";
    else if (SkipSymbol("asyncAll")) end_block = "endall";
    else Fail("parseFor: expected for{Async}", for_tok.line, for_tok.col);
    auto node = MakeNode(arena_, NodeKind::kFor, for_tok.line, for_tok.col);
    NodePtr name = ParsePrimary();
    if (name->kind != NodeKind::kSymbol) Fail("parseFor: variable name expected for loop");
    if (PeekType() == Tok::kComma) {
      auto arr = MakeNode(arena_, NodeKind::kArray, name->line, name->col);
      arr->kids.push_back(std::move(name));
      while (Skip(Tok::kComma)) arr->kids.push_back(ParsePrimary());
      name = std::move(arr);
    }
    if (!SkipSymbol("in")) Fail("parseFor: expected \"in\" keyword for loop", for_tok.line, for_tok.col);
    NodePtr iter = ParseExpression();
    AdvanceAfterBlockEnd(std::string(for_tok.value));
    NodePtr body = List(ParseUntilBlocks({end_block, "else"}));
    NodePtr else_body;
    if (SkipSymbol("else")) {
      AdvanceAfterBlockEnd("else");
      else_body = List(ParseUntilBlocks({end_block}));
    }
    AdvanceAfterBlockEnd();
    node->kids.push_back(std::move(name));
    node->kids.push_back(std::move(iter));
    node->kids.push_back(std::move(body));
    node->kids.push_back(std::move(else_body));
    return node;
  }

  NodePtr ParseMacro() {
    Token tok = Require(OptTok(Peek()));
    if (!SkipSymbol("macro")) Fail("expected macro");
    NodePtr name = ParsePrimary(true);
    NodePtr args = ParseSignature(false, false);
    auto node = MakeNode(arena_, NodeKind::kMacro, tok.line, tok.col);
    node->text = name->kind == NodeKind::kSymbol ? name->text : js::ToString(LiteralValueForName(*name));
    AdvanceAfterBlockEnd(std::string(tok.value));
    NodePtr body = List(ParseUntilBlocks({"endmacro"}));
    AdvanceAfterBlockEnd();
    node->kids.push_back(std::move(args));
    node->kids.push_back(std::move(body));
    return node;
  }
  static Value LiteralValueForName(const Node& n) {
    if (n.kind == NodeKind::kLiteral && n.lit.kind == LitKind::kString) return Value::String(n.lit.text);
    if (n.kind == NodeKind::kLiteral && n.lit.kind == LitKind::kNumber) return Value::Number(n.lit.number);
    return Value();
  }

  NodePtr ParseCall() {
    Token tok = Require(OptTok(Peek()));
    if (!SkipSymbol("call")) Fail("expected call");
    NodePtr caller_args = ParseSignature(true, false);
    if (!caller_args) caller_args = List({});
    NodePtr call = ParsePrimary();
    AdvanceAfterBlockEnd(std::string(tok.value));
    NodePtr body = List(ParseUntilBlocks({"endcall"}));
    AdvanceAfterBlockEnd();
    if (call->kind != NodeKind::kFunCall) {
      throw EngineError(ErrorKind::kSyntax, "TypeError: Cannot read properties of undefined (reading 'children')",
                        call->line + 1, call->col + 1);
    }
    auto caller = MakeNode(arena_, NodeKind::kCaller, tok.line, tok.col);
    caller->kids.push_back(std::move(caller_args));
    caller->kids.push_back(std::move(body));
    auto& args = call->kids[1]->kids;
    if (args.empty() || args.back()->kind != NodeKind::kKeywordArgs) {
      args.push_back(MakeNode(arena_, NodeKind::kKeywordArgs, tok.line, tok.col));
    }
    auto pair = MakeNode(arena_, NodeKind::kPair, tok.line, tok.col);
    auto key = MakeNode(arena_, NodeKind::kSymbol, tok.line, tok.col);
    key->text = "caller";
    pair->kids.push_back(std::move(key));
    pair->kids.push_back(std::move(caller));
    args.back()->kids.push_back(std::move(pair));
    auto out = MakeNode(arena_, NodeKind::kOutput, tok.line, tok.col);
    out->kids.push_back(std::move(call));
    return out;
  }

  NodePtr ParseLoadTag(const std::string& tag) {
    Token tok = Require(OptTok(Peek()));
    SkipSymbol(tag);
    auto node = MakeNode(arena_, NodeKind::kLoad, tok.line, tok.col);
    node->text = tag;
    node->kids.push_back(ParseExpression());
    if (tag == "include") {
      if (SkipSymbol("ignore")) SkipSymbol("missing");
    } else if (tag == "import") {
      if (!SkipSymbol("as")) Fail("parseImport: expected \"as\" keyword", tok.line, tok.col);
      ParseExpression();
      ParseWithContext();
    } else if (tag == "from") {
      if (!SkipSymbol("import")) Fail("parseFrom: expected import", tok.line, tok.col);
      int names = 0;
      for (;;) {
        const OptTok& next = Peek();
        if (!next) Fail("unexpected end of file");
        if (next->type == Tok::kBlockEnd) {
          if (!names) Fail("parseFrom: Expected at least one import name", tok.line, tok.col);
          if (!next->value.empty() && next->value[0] == '-') drop_leading_ws_ = true;
          NextToken();
          return node;
        }
        if (names > 0 && !Skip(Tok::kComma)) Fail("parseFrom: expected comma", tok.line, tok.col);
        NodePtr name = ParsePrimary();
        if (!name->text.empty() && name->text[0] == '_') {
          Fail("parseFrom: names starting with an underscore cannot be imported", name->line, name->col);
        }
        if (SkipSymbol("as")) ParsePrimary();
        ++names;
        ParseWithContext();
      }
    }
    AdvanceAfterBlockEnd(std::string(tok.value));
    return node;
  }
  void ParseWithContext() {
    Token tok = Require(OptTok(Peek()));
    bool with = SkipSymbol("with") || SkipSymbol("without");
    if (with && !SkipSymbol("context")) Fail("parseFrom: expected context after with/without", tok.line, tok.col);
  }

  NodePtr ParseBlock() {
    Token tag = Require(OptTok(Peek()));
    if (!SkipSymbol("block")) Fail("parseBlock: expected block", tag.line, tag.col);
    auto node = MakeNode(arena_, NodeKind::kBlock, tag.line, tag.col);
    NodePtr name = ParsePrimary();
    if (name->kind != NodeKind::kSymbol) Fail("parseBlock: variable name expected", tag.line, tag.col);
    node->text = name->text;
    AdvanceAfterBlockEnd(std::string(tag.value));
    node->kids.push_back(List(ParseUntilBlocks({"endblock"})));
    SkipSymbol("endblock");
    SkipSymbol(node->text);
    const OptTok& t = Peek();
    if (!t) Fail("parseBlock: expected endblock, got end of file");
    AdvanceAfterBlockEnd(std::string(t->value));
    return node;
  }

  NodePtr ParseIf() {
    Token tag = Require(OptTok(Peek()));
    if (!(SkipSymbol("if") || SkipSymbol("elif") || SkipSymbol("elseif") || SkipSymbol("ifAsync"))) {
      Fail("parseIf: expected if, elif, or elseif", tag.line, tag.col);
    }
    auto node = MakeNode(arena_, NodeKind::kIf, tag.line, tag.col);
    node->kids.push_back(ParseExpression());
    AdvanceAfterBlockEnd(std::string(tag.value));
    node->kids.push_back(List(ParseUntilBlocks({"elif", "elseif", "else", "endif"})));
    const OptTok& t = Peek();
    std::string_view v = t ? t->value : std::string_view();
    if (v == "elseif" || v == "elif") {
      node->kids.push_back(ParseIf());
    } else if (v == "else") {
      AdvanceAfterBlockEnd();
      node->kids.push_back(List(ParseUntilBlocks({"endif"})));
      AdvanceAfterBlockEnd();
    } else if (v == "endif") {
      node->kids.push_back(nullptr);
      AdvanceAfterBlockEnd();
    } else {
      Fail("parseIf: expected elif, else, or endif, got end of file");
    }
    return node;
  }

  NodePtr ParseSet() {
    Token tag = Require(OptTok(Peek()));
    if (!SkipSymbol("set")) Fail("parseSet: expected set", tag.line, tag.col);
    auto node = MakeNode(arena_, NodeKind::kSet, tag.line, tag.col);
    std::vector<NodePtr> targets;
    for (;;) {
      targets.push_back(ParsePrimary());
      if (!Skip(Tok::kComma)) break;
    }
    if (!SkipValue(Tok::kOperator, "=")) {
      if (!Skip(Tok::kBlockEnd)) Fail("parseSet: expected = or block end in set tag", tag.line, tag.col);
      auto cap = MakeNode(arena_, NodeKind::kCapture, tag.line, tag.col);
      cap->kids.push_back(List(ParseUntilBlocks({"endset"})));
      node->kids.push_back(std::move(cap));
      AdvanceAfterBlockEnd();
    } else {
      node->kids.push_back(ParseExpression());
      AdvanceAfterBlockEnd(std::string(tag.value));
    }
    for (auto& t : targets) node->kids.push_back(std::move(t));
    return node;
  }

  NodePtr ParseSwitch() {
    Token tag = Require(OptTok(Peek()));
    if (!SkipSymbol("switch") && !SkipSymbol("case") && !SkipSymbol("default")) {
      Fail("parseSwitch: expected \"switch,\" \"case\" or \"default\"", tag.line, tag.col);
    }
    auto node = MakeNode(arena_, NodeKind::kSwitch, tag.line, tag.col);
    node->kids.push_back(ParseExpression());
    node->kids.push_back(nullptr);
    AdvanceAfterBlockEnd("switch");
    ParseUntilBlocks({"case", "default", "endswitch"});
    const OptTok* t = &Peek();
    do {
      SkipSymbol("case");
      auto c = MakeNode(arena_, NodeKind::kCase, tag.line, tag.col);
      c->kids.push_back(ParseExpression());
      AdvanceAfterBlockEnd("switch");
      c->kids.push_back(List(ParseUntilBlocks({"case", "default", "endswitch"})));
      node->kids.push_back(std::move(c));
      t = &Peek();
    } while (*t && (*t)->value == "case");
    std::string_view v = *t ? (*t)->value : std::string_view();
    if (v == "default") {
      AdvanceAfterBlockEnd();
      node->kids[1] = List(ParseUntilBlocks({"endswitch"}));
      AdvanceAfterBlockEnd();
    } else if (v == "endswitch") {
      AdvanceAfterBlockEnd();
    } else {
      Fail("parseSwitch: expected \"case,\" \"default\" or \"endswitch,\" got EOF.");
    }
    return node;
  }

  NodePtr ParseRaw(const std::string& tag_name) {
    Token begun = AdvanceAfterBlockEnd();
    int level = 1;
    std::string text;
    for (;;) {
      std::size_t from = lex_.index();
      std::string pre;
      bool is_end = false;
      std::size_t tag_start = 0;
      if (!lex_.ExtractRawTag(tag_name, pre, is_end, tag_start)) break;
      if (level <= 0) break;
      level += is_end ? -1 : 1;
      if (level == 0) {
        text += pre;
        lex_.Rewind(tag_start);
      } else {
        text += std::string(lex_.Slice(from, lex_.index()));
      }
    }
    auto out = MakeNode(arena_, NodeKind::kOutput, begun.line, begun.col);
    auto data = MakeNode(arena_, NodeKind::kTemplateData, begun.line, begun.col);
    data->text = std::move(text);
    out->kids.push_back(std::move(data));
    return out;
  }

  NodePtr ParseFilterStatement() {
    Token tok = Require(OptTok(Peek()));
    if (!SkipSymbol("filter")) Fail("parseFilterStatement: expected filter");
    FilterName name = ParseFilterName();
    std::vector<NodePtr> args = ParseFilterArgs();
    AdvanceAfterBlockEnd(std::string(tok.value));
    auto cap = MakeNode(arena_, NodeKind::kCapture, name.line, name.col);
    cap->kids.push_back(List(ParseUntilBlocks({"endfilter"})));
    AdvanceAfterBlockEnd();
    auto filter = MakeNode(arena_, NodeKind::kFilter, name.line, name.col);
    filter->text = name.value;
    std::vector<NodePtr> all;
    all.push_back(std::move(cap));
    for (auto& a : args) all.push_back(std::move(a));
    filter->kids.push_back(List(std::move(all), name.line, name.col));
    auto out = MakeNode(arena_, NodeKind::kOutput, name.line, name.col);
    out->kids.push_back(std::move(filter));
    return out;
  }

  NodePtr ParseStatement() {
    const OptTok& t = Peek();
    if (!t) Fail("unexpected end of file");
    if (t->type != Tok::kSymbol) Fail("tag name expected", t->line, t->col);
    if (has_break_prev_ && std::find(break_on_.begin(), break_on_.end(), t->value) != break_on_.end()) {
      return nullptr;
    }
    const std::string v(t->value);
    if (v == "raw") return ParseRaw("raw");
    if (v == "verbatim") return ParseRaw("verbatim");
    if (v == "if" || v == "ifAsync") return ParseIf();
    if (v == "for" || v == "asyncEach" || v == "asyncAll") return ParseFor();
    if (v == "block") return ParseBlock();
    if (v == "extends" || v == "include" || v == "import" || v == "from") return ParseLoadTag(v);
    if (v == "set") return ParseSet();
    if (v == "macro") return ParseMacro();
    if (v == "call") return ParseCall();
    if (v == "filter") return ParseFilterStatement();
    if (v == "switch") return ParseSwitch();
    Fail("unknown block tag: " + v, t->line, t->col);
  }

  // ---- expressions ------------------------------------------------------
  NodePtr Binary(NodeKind k, NodePtr l, NodePtr r) {
    auto n = MakeNode(arena_, k, l->line, l->col);
    n->kids.push_back(std::move(l));
    n->kids.push_back(std::move(r));
    return n;
  }
  NodePtr Unary(NodeKind k, int line, int col, NodePtr target) {
    auto n = MakeNode(arena_, k, line, col);
    n->kids.push_back(std::move(target));
    return n;
  }

  NodePtr ParseExpression() {
    DepthGuard guard(*this);
    return ParseInlineIf();
  }
  NodePtr ParseInlineIf() {
    NodePtr node = ParseOr();
    if (SkipSymbol("if")) {
      NodePtr cond = ParseOr();
      auto n = MakeNode(arena_, NodeKind::kInlineIf, node->line, node->col);
      n->kids.push_back(std::move(cond));
      n->kids.push_back(std::move(node));
      n->kids.push_back(SkipSymbol("else") ? ParseOr() : nullptr);
      return n;
    }
    return node;
  }
  NodePtr ParseOr() {
    NodePtr node = ParseAnd();
    while (SkipSymbol("or")) node = Binary(NodeKind::kOr, std::move(node), ParseAnd());
    return node;
  }
  NodePtr ParseAnd() {
    NodePtr node = ParseNot();
    while (SkipSymbol("and")) node = Binary(NodeKind::kAnd, std::move(node), ParseNot());
    return node;
  }
  NodePtr ParseNot() {
    const OptTok& t = Peek();
    int line = t ? t->line : 0, col = t ? t->col : 0;
    if (SkipSymbol("not")) {
      DepthGuard guard(*this);
      return Unary(NodeKind::kNot, line, col, ParseNot());
    }
    return ParseIn();
  }
  NodePtr ParseIn() {
    NodePtr node = ParseIs();
    for (;;) {
      // The next token, tested in place; only a `not` is taken (and pushed
      // back when no `in` follows it).
      const OptTok& next = PeekNonWhite();
      if (!next) break;
      bool invert = next->type == Tok::kSymbol && next->value == "not";
      OptTok tok;
      if (invert) tok = std::exchange(peeked_, std::nullopt);
      if (SkipSymbol("in")) {
        NodePtr rhs = ParseIs();
        node = Binary(NodeKind::kIn, std::move(node), std::move(rhs));
        if (invert) {
          int l = node->line, c = node->col;
          node = Unary(NodeKind::kNot, l, c, std::move(node));
        }
      } else {
        if (invert) Push(tok);
        break;
      }
    }
    return node;
  }
  NodePtr ParseIs() {
    NodePtr node = ParseCompare();
    if (SkipSymbol("is")) {
      bool negate = SkipSymbol("not");
      NodePtr test = ParseCompare();
      node = Binary(NodeKind::kIs, std::move(node), std::move(test));
      if (negate) {
        int l = node->line, c = node->col;
        node = Unary(NodeKind::kNot, l, c, std::move(node));
      }
    }
    return node;
  }
  NodePtr ParseCompare() {
    auto is_op = [](std::string_view v) {
      return v == "==" || v == "===" || v == "!=" || v == "!==" || v == "<" || v == ">" || v == "<=" || v == ">=";
    };
    NodePtr expr = ParseConcat();
    std::vector<NodePtr> ops;
    for (;;) {
      const OptTok& tok = PeekNonWhite();
      if (!tok || !is_op(tok->value)) break;
      auto op = MakeNode(arena_, NodeKind::kCompareOperand, tok->line, tok->col);
      op->text = tok->value;
      peeked_.reset();
      op->kids.push_back(ParseConcat());
      ops.push_back(std::move(op));
    }
    if (ops.empty()) return expr;
    auto n = MakeNode(arena_, NodeKind::kCompare, ops[0]->line, ops[0]->col);
    n->kids.push_back(std::move(expr));
    for (auto& o : ops) n->kids.push_back(std::move(o));
    return n;
  }
  NodePtr ParseConcat() {
    NodePtr node = ParseAdd();
    while (SkipValue(Tok::kTilde, "~")) node = Binary(NodeKind::kConcat, std::move(node), ParseAdd());
    return node;
  }
  NodePtr ParseAdd() {
    NodePtr node = ParseSub();
    while (SkipValue(Tok::kOperator, "+")) node = Binary(NodeKind::kAdd, std::move(node), ParseSub());
    return node;
  }
  NodePtr ParseSub() {
    NodePtr node = ParseMul();
    while (SkipValue(Tok::kOperator, "-")) node = Binary(NodeKind::kSub, std::move(node), ParseMul());
    return node;
  }
  NodePtr ParseMul() {
    NodePtr node = ParseDiv();
    while (SkipValue(Tok::kOperator, "*")) node = Binary(NodeKind::kMul, std::move(node), ParseDiv());
    return node;
  }
  NodePtr ParseDiv() {
    NodePtr node = ParseFloorDiv();
    while (SkipValue(Tok::kOperator, "/")) node = Binary(NodeKind::kDiv, std::move(node), ParseFloorDiv());
    return node;
  }
  NodePtr ParseFloorDiv() {
    NodePtr node = ParseMod();
    while (SkipValue(Tok::kOperator, "//")) node = Binary(NodeKind::kFloorDiv, std::move(node), ParseMod());
    return node;
  }
  NodePtr ParseMod() {
    NodePtr node = ParsePow();
    while (SkipValue(Tok::kOperator, "%")) node = Binary(NodeKind::kMod, std::move(node), ParsePow());
    return node;
  }
  NodePtr ParsePow() {
    NodePtr node = ParseUnary(false);
    while (SkipValue(Tok::kOperator, "**")) node = Binary(NodeKind::kPow, std::move(node), ParseUnary(false));
    return node;
  }
  NodePtr ParseUnary(bool no_filters) {
    const OptTok& t = Peek();
    int line = t ? t->line : 0, col = t ? t->col : 0;
    NodePtr node;
    if (SkipValue(Tok::kOperator, "-")) {
      DepthGuard guard(*this);
      node = Unary(NodeKind::kNeg, line, col, ParseUnary(true));
    } else if (SkipValue(Tok::kOperator, "+")) {
      DepthGuard guard(*this);
      node = Unary(NodeKind::kPos, line, col, ParseUnary(true));
    } else {
      node = ParsePrimary();
    }
    if (!no_filters) node = ParseFilter(std::move(node));
    return node;
  }

  NodePtr ParsePrimary(bool no_postfix = false) {
    OptTok tok = NextToken();
    if (!tok) Fail("expected expression, got end of file");
    NodePtr node;
    auto lit = [&](LitKind k) {
      node = MakeNode(arena_, NodeKind::kLiteral, tok->line, tok->col);
      node->lit.kind = k;
    };
    switch (tok->type) {
      case Tok::kString:
        lit(LitKind::kString);
        node->lit.text = tok->value;
        break;
      case Tok::kInt:
        lit(LitKind::kNumber);
        node->lit.number = js::ParseInt(tok->value, 10);
        break;
      case Tok::kFloat:
        lit(LitKind::kNumber);
        node->lit.number = js::ParseFloat(tok->value);
        break;
      case Tok::kBoolean:
        lit(LitKind::kBool);
        node->lit.boolean = tok->value == "true";
        break;
      case Tok::kNone:
        lit(LitKind::kNull);
        break;
      case Tok::kRegex:
        lit(LitKind::kRegex);
        node->lit.text = tok->value;
        node->lit.flags = tok->flags;
        break;
      case Tok::kSymbol:
        node = MakeNode(arena_, NodeKind::kSymbol, tok->line, tok->col);
        node->text = tok->value;
        break;
      default:
        Push(tok);
        node = ParseAggregate();
    }
    if (!no_postfix) node = ParsePostfix(std::move(node));
    if (!node) Fail("unexpected token: " + std::string(tok->value), tok->line, tok->col);
    return node;
  }

  NodePtr ParsePostfix(NodePtr node) {
    for (;;) {
      const OptTok& t = Peek();
      if (!t) break;
      if (t->type == Tok::kLeftParen) {
        int line = t->line, col = t->col;
        if (!node) Fail("unexpected token: (", line, col);
        auto call = MakeNode(arena_, NodeKind::kFunCall, line, col);
        call->kids.push_back(std::move(node));
        call->kids.push_back(ParseSignature(false, false));
        node = std::move(call);
      } else if (t->type == Tok::kLeftBracket) {
        int line = t->line, col = t->col;
        NodePtr lookup = ParseAggregate();
        if (!lookup || lookup->kids.size() != 1) Fail("invalid index");
        if (!node) Fail("unexpected token: [", line, col);
        auto n = MakeNode(arena_, NodeKind::kLookupVal, line, col);
        n->kids.push_back(std::move(node));
        n->kids.push_back(std::move(lookup->kids[0]));
        node = std::move(n);
      } else if (t->type == Tok::kOperator && t->value == ".") {
        int line = t->line, col = t->col;
        NextToken();
        Token val = Require(NextToken());
        if (val.type != Tok::kSymbol) Fail("expected name as lookup value, got " + std::string(val.value), val.line, val.col);
        if (!node) Fail("unexpected token: .", line, col);
        auto key = MakeNode(arena_, NodeKind::kLiteral, val.line, val.col);
        key->lit.kind = LitKind::kString;
        key->lit.text = val.value;
        auto n = MakeNode(arena_, NodeKind::kLookupVal, line, col);
        n->kids.push_back(std::move(node));
        n->kids.push_back(std::move(key));
        node = std::move(n);
      } else {
        break;
      }
    }
    return node;
  }

  struct FilterName {
    std::string value;
    int line;
    int col;
  };
  FilterName ParseFilterName() {
    Token tok = Expect(Tok::kSymbol);
    FilterName name{std::string(tok.value), tok.line, tok.col};
    while (SkipValue(Tok::kOperator, ".")) {
      name.value += '.';
      name.value += Expect(Tok::kSymbol).value;
    }
    return name;
  }
  std::vector<NodePtr> ParseFilterArgs() {
    std::vector<NodePtr> args;
    if (PeekType() != Tok::kLeftParen) return args;
    while (Peek() && Peek()->type == Tok::kLeftParen) {
      NodePtr sig = ParseSignature(false, false);
      args = std::move(sig->kids);
    }
    if (Peek() && (Peek()->type == Tok::kLeftBracket || (Peek()->type == Tok::kOperator && Peek()->value == "."))) {
      throw EngineError(ErrorKind::kSyntax, "TypeError: Cannot read properties of undefined (reading 'children')",
                        Peek()->line + 1, Peek()->col + 1);
    }
    return args;
  }
  NodePtr ParseFilter(NodePtr node) {
    while (Skip(Tok::kPipe)) {
      FilterName name = ParseFilterName();
      auto f = MakeNode(arena_, NodeKind::kFilter, name.line, name.col);
      f->text = name.value;
      std::vector<NodePtr> all;
      all.push_back(std::move(node));
      for (auto& a : ParseFilterArgs()) all.push_back(std::move(a));
      f->kids.push_back(List(std::move(all), name.line, name.col));
      node = std::move(f);
    }
    return node;
  }

  NodePtr ParseAggregate() {
    if (!cfg_.jinja_compat) return ParseAggregatePlain();
    Lexer::State orig = lex_.Save();
    orig.index -= 1;  // back onto the opening bracket
    orig.col -= 1;
    try {
      return ParseAggregatePlain();
    } catch (const EngineError& e) {
      if (e.kind() == ErrorKind::kLimit) throw;
      Lexer::State err_state = lex_.Save();
      lex_.Restore(orig);
      peeked_.reset();
      OptTok tok = OptTok(Peek());
      if (!tok || tok->type != Tok::kLeftBracket) {
        lex_.Restore(err_state);
        throw;
      }
      NextToken();
      auto slice = MakeNode(arena_, NodeKind::kSlice, tok->line, tok->col);
      slice->kids.resize(3);
      bool is_slice = false;
      for (int i = 0; i <= 3; ++i) {
        if (Skip(Tok::kRightBracket)) break;
        if (i == 3) {
          if (is_slice) Fail("parseSlice: too many slice components", tok->line, tok->col);
          break;
        }
        if (Skip(Tok::kColon)) {
          is_slice = true;
        } else {
          slice->kids[static_cast<std::size_t>(i)] = ParseExpression();
          is_slice = Skip(Tok::kColon) || is_slice;
        }
      }
      if (!is_slice) {
        lex_.Restore(err_state);
        throw;
      }
      auto arr = MakeNode(arena_, NodeKind::kArray, tok->line, tok->col);
      arr->kids.push_back(std::move(slice));
      return arr;
    }
  }

  NodePtr ParseAggregatePlain() {
    Token tok = Require(NextToken());
    NodePtr node;
    switch (tok.type) {
      case Tok::kLeftParen: node = MakeNode(arena_, NodeKind::kGroup, tok.line, tok.col); break;
      case Tok::kLeftBracket: node = MakeNode(arena_, NodeKind::kArray, tok.line, tok.col); break;
      case Tok::kLeftCurly: node = MakeNode(arena_, NodeKind::kDict, tok.line, tok.col); break;
      default: return nullptr;
    }
    for (;;) {
      Tok type = PeekType();
      if (type == Tok::kRightParen || type == Tok::kRightBracket || type == Tok::kRightCurly) {
        NextToken();
        break;
      }
      if (!node->kids.empty() && !Skip(Tok::kComma)) {
        Fail("parseAggregate: expected comma after expression", tok.line, tok.col);
      }
      if (node->kind == NodeKind::kDict) {
        NodePtr key = ParsePrimary();
        if (!Skip(Tok::kColon)) Fail("parseAggregate: expected colon after dict key", tok.line, tok.col);
        NodePtr value = ParseExpression();
        auto pair = MakeNode(arena_, NodeKind::kPair, key->line, key->col);
        pair->kids.push_back(std::move(key));
        pair->kids.push_back(std::move(value));
        node->kids.push_back(std::move(pair));
      } else {
        node->kids.push_back(ParseExpression());
      }
    }
    return node;
  }

  // Returns null when tolerant and there is no '('.
  NodePtr ParseSignature(bool tolerant, bool no_parens) {
    const OptTok& first = Peek();
    if (!first) Fail("unexpected end of file");
    if (!no_parens && first->type != Tok::kLeftParen) {
      if (tolerant) return nullptr;
      Fail("expected arguments", first->line, first->col);
    }
    Token tok = *first;
    if (tok.type == Tok::kLeftParen) tok = Require(NextToken());
    auto args = MakeNode(arena_, NodeKind::kNodeList, tok.line, tok.col);
    auto kwargs = MakeNode(arena_, NodeKind::kKeywordArgs, tok.line, tok.col);
    bool check_comma = false;
    for (;;) {
      const OptTok& t = Peek();
      if (!t) Fail("unexpected end of file");
      if (!no_parens && t->type == Tok::kRightParen) {
        NextToken();
        break;
      }
      if (no_parens && t->type == Tok::kBlockEnd) break;
      if (check_comma && !Skip(Tok::kComma)) {
        const OptTok& bad = Peek();
        Fail("parseSignature: expected comma after expression", bad ? bad->line : 0, bad ? bad->col : 0);
      }
      NodePtr arg = ParseExpression();
      if (SkipValue(Tok::kOperator, "=")) {
        auto pair = MakeNode(arena_, NodeKind::kPair, arg->line, arg->col);
        pair->kids.push_back(std::move(arg));
        pair->kids.push_back(ParseExpression());
        kwargs->kids.push_back(std::move(pair));
      } else {
        args->kids.push_back(std::move(arg));
      }
      check_comma = true;
    }
    if (!kwargs->kids.empty()) args->kids.push_back(std::move(kwargs));
    return args;
  }

  // ---- template body ----------------------------------------------------
  std::vector<NodePtr> ParseNodes() {
    std::vector<NodePtr> buf;
    const Tags& tags = lex_.tags();
    for (;;) {
      OptTok tok = NextToken();
      if (!tok) break;
      if (tok->type == Tok::kData) {
        std::string data(tok->value);
        const OptTok& next = Peek();
        if (drop_leading_ws_) {
          data = js::Trim(data, true, false);
          drop_leading_ws_ = false;
        }
        if (next) {
          std::string_view nv = next->value;
          bool trim = (next->type == Tok::kBlockStart && !nv.empty() && nv.back() == '-') ||
                      (next->type == Tok::kVariableStart && nv.size() > tags.variable_start.size() &&
                       nv[tags.variable_start.size()] == '-') ||
                      (next->type == Tok::kComment && nv.size() > tags.comment_start.size() &&
                       nv[tags.comment_start.size()] == '-');
          if (trim) data = js::Trim(data, false, true);
        }
        auto out = MakeNode(arena_, NodeKind::kOutput, tok->line, tok->col);
        auto td = MakeNode(arena_, NodeKind::kTemplateData, tok->line, tok->col);
        td->text = std::move(data);
        out->kids.push_back(std::move(td));
        buf.push_back(std::move(out));
      } else if (tok->type == Tok::kBlockStart) {
        drop_leading_ws_ = false;
        NodePtr n = ParseStatement();
        if (!n) break;
        buf.push_back(std::move(n));
      } else if (tok->type == Tok::kVariableStart) {
        NodePtr e = ParseExpression();
        drop_leading_ws_ = false;
        AdvanceAfterVariableEnd();
        auto out = MakeNode(arena_, NodeKind::kOutput, tok->line, tok->col);
        out->kids.push_back(std::move(e));
        buf.push_back(std::move(out));
      } else if (tok->type == Tok::kComment) {
        std::string_view v = tok->value;
        std::size_t pos = v.size() - std::min(v.size(), tags.comment_end.size());
        drop_leading_ws_ = pos >= 1 && v[pos - 1] == '-';
      } else {
        Fail(std::string("Unexpected token at top-level: ") + TokName(tok->type), tok->line, tok->col);
      }
    }
    return buf;
  }

  // Operator and filter chains (`1+1+1...`, `x|f|f...`) deepen the tree one
  // level per link without recursing in the parser; bound the depth here,
  // without recursion, so the recursive passes after it (validation, the
  // evaluator) stay within the stack.
  void CheckDepth(const Node& root) {
    std::vector<std::pair<const Node*, int>> todo{{&root, 1}};
    while (!todo.empty()) {
      auto [n, depth] = todo.back();
      todo.pop_back();
      if (depth > cfg_.max_tree_depth) {
        throw EngineError(ErrorKind::kLimit,
                          "template limit exceeded: expression nested deeper than " + std::to_string(cfg_.max_tree_depth),
                          n->line + 1, n->col + 1);
      }
      for (const auto& k : n->kids) {
        if (k) todo.emplace_back(k.get(), depth + 1);
      }
    }
  }

  // Checks nunjucks performs while compiling (before any output is made).
  void Validate(const Node& n) {
    std::set<std::string> blocks;
    ValidateNode(n, blocks);
  }
  void ValidateNode(const Node& n, std::set<std::string>& blocks) {
    if (n.kind == NodeKind::kPair && n.kids[0]) {
      const Node& key = *n.kids[0];
      bool ok = key.kind == NodeKind::kSymbol || (key.kind == NodeKind::kLiteral && key.lit.kind == LitKind::kString);
      if (!ok) Fail("compilePair: Dict keys must be strings or names", key.line, key.col);
    }
    if (n.kind == NodeKind::kMacro || n.kind == NodeKind::kCaller) {
      const auto& params = n.kids[n.kind == NodeKind::kMacro ? 0 : 0]->kids;
      for (std::size_t i = 0; i < params.size(); ++i) {
        const Node& p = *params[i];
        bool last_kw = i + 1 == params.size() && p.kind == NodeKind::kKeywordArgs;
        if (!last_kw && p.kind != NodeKind::kSymbol) {
          Fail(std::string("assertType: invalid type: ") + (p.kind == NodeKind::kLiteral ? "Literal" : "node"), p.line,
               p.col);
        }
      }
    }
    if (n.kind == NodeKind::kSymbol && IsReservedName(n.text)) {
      throw EngineError(ErrorKind::kRefused, "Template name \"" + n.text + "\" is reserved", n.line + 1, n.col + 1);
    }
    if (n.kind == NodeKind::kLookupVal && n.kids[1] && n.kids[1]->kind == NodeKind::kLiteral &&
        n.kids[1]->lit.kind == LitKind::kString && IsReservedName(n.kids[1]->lit.text)) {
      const Node& k = *n.kids[1];
      throw EngineError(ErrorKind::kRefused, "Template name \"" + k.lit.text + "\" is reserved", k.line + 1, k.col + 1);
    }
    if ((n.kind == NodeKind::kMacro || n.kind == NodeKind::kBlock) && IsReservedName(n.text)) {
      throw EngineError(ErrorKind::kRefused, "Template name \"" + n.text + "\" is reserved", n.line + 1, n.col + 1);
    }
    if (n.kind == NodeKind::kBlock && !blocks.insert(n.text).second) {
      throw EngineError(ErrorKind::kSyntax, "Block \"" + n.text + "\" defined more than once.", n.line + 1, n.col + 1);
    }
    for (const auto& k : n.kids) {
      if (k) ValidateNode(*k, blocks);
    }
  }

  Lexer lex_;
  const ParseConfig& cfg_;
  NodeArena& arena_;
  OptTok peeked_;
  std::vector<std::string> break_on_;
  bool has_break_prev_ = false;
  bool drop_leading_ws_ = false;
  int depth_ = 0;
};

}  // namespace

bool IsReservedName(std::string_view name) {
  return name == "constructor" || name == "__proto__" || name == "prototype";
}

ParsedTree Parse(std::string_view source, const ParseConfig& config) {
  ParsedTree tree;
  tree.arena = std::make_unique<NodeArena>();
  Parser p(source, config, *tree.arena);
  NodePtr root = p.ParseRoot();
  tree.root = root.get();
  // The tree is final now: give string literals their shared text.
  std::vector<Node*> todo{root.get()};
  while (!todo.empty()) {
    Node* n = todo.back();
    todo.pop_back();
    if (n->kind == NodeKind::kLiteral && n->lit.kind == LitKind::kString) {
      n->lit.shared = std::make_shared<const std::string>(n->lit.text);
    }
    for (const auto& k : n->kids) {
      // A string key of a lookup (`a.b`, `a["b"]`) is read as text, never
      // evaluated to a value: it needs no shared copy.
      if (!k) continue;
      bool key = n->kind == NodeKind::kLookupVal && k.get() == n->kid(1) && k->kind == NodeKind::kLiteral;
      if (!key) todo.push_back(k.get());
    }
  }
  return tree;
}

}  // namespace idp::tmpl
