// Store::Query: filters, ordering, full text, offset/limit and keyset cursors (§10.3, §10.4).
#include <algorithm>

#include "model/entity_ref.h"
#include "store/cursor.h"
#include "store/store_impl.h"

namespace idp::store {

namespace {

struct Row {
  std::string json;
  std::string uid;
  std::vector<std::optional<std::string>> keys;
};

std::string Trim(std::string s) {
  const auto not_space = [](unsigned char c) { return c != ' ' && c != '\t' && c != '\n' && c != '\r'; };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

// Inner query: the filtered entities with one sort column o<i> per order key.
Result<SqlFragment> InnerQuery(const CursorState& st) {
  SqlFragment q;
  q.sql = "SELECT f.final_entity AS final_entity, f.uid AS uid";
  if (st.order.empty()) {
    q.sql += ", f.entity_ref AS o0";
  } else {
    // `+s.key`: without it SQLite answers MIN() by walking search_key_value
    // in value order until it meets this entity (a scan of every entity with
    // that key, per row: minutes at 100k); this way it seeks the primary key.
    for (std::size_t i = 0; i < st.order.size(); ++i) {
      q.sql += ", (SELECT MIN(s.value) FROM search s WHERE s.entity_id = f.id AND +s.key = ?) AS o" +
               std::to_string(i);
      q.params.push_back(model::JsToLower(st.order[i].field));
    }
  }
  q.sql += " FROM final_entities f WHERE ";
  auto where = WhereForRequest(st.filter, st.predicate);
  if (!where) return where.status();
  q.Append(*where);
  if (st.full_text) {
    std::string term = model::JsToLower(Trim(st.full_text->term));
    if (!term.empty()) {
      std::vector<std::string> fields = st.full_text->fields;
      if (fields.empty()) fields.push_back(st.order.empty() ? "metadata.uid" : st.order[0].field);
      q.sql += " AND f.id IN (SELECT entity_id FROM search WHERE key IN (";
      for (std::size_t i = 0; i < fields.size(); ++i) {
        q.sql += i ? ", ?" : "?";
        q.params.push_back(model::JsToLower(fields[i]));
      }
      // Backstage does not escape % and _ in the term (§10.4).
      q.sql += ") AND value LIKE ?)";
      q.params.push_back("%" + term + "%");
    }
  }
  return q;
}

// Keyset condition: rows strictly after (reverse: before) the cursor row.
SqlFragment AfterCursor(const CursorState& st, bool reverse) {
  const std::size_t n = st.sort_values.size();
  SqlFragment out;
  out.sql = "(";
  for (std::size_t i = 0; i <= n; ++i) {
    if (i > 0) out.sql += " OR ";
    out.sql += "(";
    for (std::size_t j = 0; j < i; ++j) {
      const std::string col = "q.o" + std::to_string(j);
      if (st.sort_values[j]) {
        out.sql += col + " = ? AND ";
        out.params.push_back(*st.sort_values[j]);
      } else {
        out.sql += col + " IS NULL AND ";
      }
    }
    if (i == n) {
      out.sql += reverse ? "q.uid < ?" : "q.uid > ?";
      out.params.push_back(st.uid);
    } else {
      const std::string col = "q.o" + std::to_string(i);
      const bool desc = (!st.order.empty() && st.order[i].descending) != reverse;
      const bool nulls_last = !reverse;
      if (st.sort_values[i]) {
        out.sql += "(" + col + (desc ? " < ?" : " > ?") + (nulls_last ? " OR " + col + " IS NULL" : "") + ")";
        out.params.push_back(*st.sort_values[i]);
      } else {
        out.sql += nulls_last ? "0" : col + " IS NOT NULL";
      }
    }
    out.sql += ")";
  }
  out.sql += ")";
  return out;
}

std::string OrderBy(const CursorState& st, bool reverse) {
  std::string s = " ORDER BY ";
  const std::size_t n = st.order.empty() ? 1 : st.order.size();
  for (std::size_t i = 0; i < n; ++i) {
    const bool desc = (!st.order.empty() && st.order[i].descending) != reverse;
    s += "q.o" + std::to_string(i) + (desc ? " DESC" : " ASC") + (reverse ? " NULLS FIRST, " : " NULLS LAST, ");
  }
  s += reverse ? "q.uid DESC" : "q.uid ASC";
  return s;
}

CursorState At(const CursorState& base, const Row& row, bool previous) {
  CursorState c = base;
  c.previous = previous;
  c.sort_values = row.keys;
  c.uid = row.uid;
  return c;
}

// The request's cursor state: decoded from its cursor, or its own fields.
Result<CursorState> StateFor(const QueryRequest& request) {
  CursorState st;
  if (!request.cursor.empty()) {
    auto decoded = DecodeCursor(request.cursor);
    if (!decoded) return decoded.status();
    return std::move(*decoded);
  }
  st.filter = request.filter;
  st.predicate = request.predicate;
  st.order = request.order;
  st.missing_order = request.missing_order;
  st.full_text = request.full_text;
  return st;
}

std::size_t KeyCount(const CursorState& st) { return st.order.empty() ? 1 : st.order.size(); }

SqlFragment OuterWhere(const CursorState& st) {
  SqlFragment w{" WHERE 1", {}};
  if (!st.order.empty() && st.missing_order == MissingOrder::kExclude) w.sql += " AND q.o0 IS NOT NULL";
  return w;
}

// The page: the inner query's rows after the cursor, ordered, limited.
Result<SqlFragment> PageSql(const CursorState& st, const QueryRequest& request) {
  const bool from_cursor = !request.cursor.empty();
  auto inner = InnerQuery(st);
  if (!inner) return inner.status();
  const bool reverse = from_cursor && st.previous;
  SqlFragment sql{"SELECT q.final_entity, q.uid", {}};
  for (std::size_t i = 0; i < KeyCount(st); ++i) sql.sql += ", q.o" + std::to_string(i);
  sql.sql += " FROM (" + inner->sql + ") q";
  sql.params = inner->params;
  sql.Append(OuterWhere(st));
  if (from_cursor) {
    sql.sql += " AND ";
    sql.Append(AfterCursor(st, reverse));
  }
  sql.sql += OrderBy(st, reverse);
  if (request.limit) {
    sql.sql += " LIMIT " + std::to_string(*request.limit + 1);
    if (!from_cursor && request.offset > 0) sql.sql += " OFFSET " + std::to_string(request.offset);
  } else if (!from_cursor && request.offset > 0) {
    sql.sql += " LIMIT -1 OFFSET " + std::to_string(request.offset);
  }
  return sql;
}

}  // namespace

Result<std::vector<std::string>> Store::ExplainQuery(const QueryRequest& request) const {
  auto st = StateFor(request);
  if (!st) return st.status();
  auto page = PageSql(*st, request);
  if (!page) return page.status();
  auto lease = impl_->AcquireReader();
  if (!lease) return lease.status();
  std::vector<std::string> plan;
  try {
    SQLite::Statement stmt((*lease)->db(), "EXPLAIN QUERY PLAN " + page->sql);
    BindAll(stmt, page->params);
    while (stmt.executeStep()) plan.push_back(stmt.getColumn(3).getString());
  } catch (const std::exception& e) {
    return SqlError(e, "ExplainQuery");
  }
  return plan;
}

Result<QueryResult> Store::Query(const QueryRequest& request) const {
  const bool from_cursor = !request.cursor.empty();
  auto state = StateFor(request);
  if (!state) return state.status();
  CursorState& st = *state;
  for (const auto& f : request.fields) {
    if (f.find('[') != std::string::npos) {
      return Status(Code::kInvalidArgument, "Invalid field \"" + f + "\", array type fields are not supported");
    }
  }
  auto inner = InnerQuery(st);
  if (!inner) return inner.status();
  const std::size_t keys = KeyCount(st);
  const SqlFragment outer_where = OuterWhere(st);

  auto lease = impl_->AcquireReader();
  if (!lease) return lease.status();
  QueryResult result;
  try {
    SQLite::Database& db = (*lease)->db();
    if (from_cursor) {
      result.total_items = st.total_items;
    } else if (request.include_total) {
      SQLite::Statement count(db, "SELECT COUNT(*) FROM (" + inner->sql + ") q" + outer_where.sql);
      BindAll(count, inner->params);
      count.executeStep();
      result.total_items = static_cast<std::size_t>(count.getColumn(0).getInt64());
    }
    st.total_items = result.total_items;
    if (request.limit && *request.limit == 0) return result;

    const bool reverse = from_cursor && st.previous;
    auto page = PageSql(st, request);
    if (!page) return page.status();
    const SqlFragment& sql = *page;
    SQLite::Statement stmt(db, sql.sql);
    BindAll(stmt, sql.params);
    std::vector<Row> rows;
    while (stmt.executeStep()) {
      Row r{stmt.getColumn(0).getString(), stmt.getColumn(1).getString(), {}};
      for (std::size_t i = 0; i < keys; ++i) {
        const auto col = stmt.getColumn(static_cast<int>(2 + i));
        r.keys.push_back(col.isNull() ? std::nullopt : std::optional<std::string>(col.getString()));
      }
      rows.push_back(std::move(r));
    }
    bool more = false;
    if (request.limit && rows.size() > *request.limit) {
      more = true;
      rows.resize(*request.limit);
    }
    if (reverse) std::reverse(rows.begin(), rows.end());
    if (request.limit && !rows.empty()) {
      // Forward: a next page iff more rows; a previous page iff we came from one.
      // Backward: a previous page iff more rows; the next page always exists.
      const bool has_next = reverse ? true : more;
      const bool has_prev = reverse ? more : from_cursor;
      if (has_next) result.next_cursor = EncodeCursor(At(st, rows.back(), false));
      if (has_prev) result.prev_cursor = EncodeCursor(At(st, rows.front(), true));
    }
    result.items.reserve(rows.size());
    for (const auto& r : rows) {
      Json doc;
      doc.Parse(r.json.data(), r.json.size());
      if (request.fields.empty()) {
        result.items.push_back(std::move(doc));
      } else {
        auto projected = ProjectFields(doc, request.fields);
        if (!projected) return projected.status();
        result.items.push_back(std::move(*projected));
      }
    }
  } catch (const std::exception& e) {
    return SqlError(e, "Query");
  }
  return result;
}

}  // namespace idp::store
