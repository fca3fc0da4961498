#include <algorithm>
#include <atomic>
#include <thread>

#include "store/cursor.h"
#include "store_test_support.h"

namespace idp::store {
namespace {

using namespace testing;

std::string Comp(std::string_view name, std::string_view type, std::string_view owner, std::string_view tags,
                 std::string_view extra = "") {
  return std::string(R"({"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":")") +
         std::string(name) + R"(","tags":)" + std::string(tags) + std::string(extra) +
         R"(},"spec":{"type":")" + std::string(type) + R"(","lifecycle":"production","owner":")" +
         std::string(owner) + "\"}}";
}

class QueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<catalog::ProcessedEntity> batch;
    batch.push_back(Processed(Comp("alpha", "service", "team-a", R"(["Java","web"])")));
    batch.push_back(Processed(Comp("beta", "website", "team-b", R"(["java"])")));
    batch.push_back(Processed(Comp("gamma", "service", "team-b", R"([])", R"(,"annotations":{"x.io/y":"Z"})")));
    batch.push_back(Processed(Group("team-a")));
    batch.push_back(Processed(
        R"({"apiVersion":"backstage.io/v1alpha1","kind":"API","metadata":{"name":"pay-api"},)"
        R"("spec":{"type":"openapi","lifecycle":"production","owner":"team-a","definition":"x"}})"));
    ApplyAndStitch(store_, batch);
  }

  std::vector<std::string> Names(const QueryRequest& r) {
    auto res = store_.Query(r);
    EXPECT_TRUE(res.ok()) << res.status().message();
    std::vector<std::string> out;
    if (!res.ok()) return out;
    for (const auto& e : res->items) out.push_back(Str(e, {"metadata", "name"}));
    return out;
  }

  static QueryRequest Filter(std::initializer_list<std::string_view> params) {
    QueryRequest r;
    EntityFilter f;
    for (auto p : params) {
      auto set = ParseFilterParam(p);
      EXPECT_TRUE(set.ok());
      f.any_of.push_back(*set);
    }
    r.filter = f;
    return r;
  }

  Store store_ = OpenMemory();
};

TEST(FilterParam, ParsesConditions) {
  auto s = ParseFilterParam(" kind=Component , spec.type=service,spec.type=website,metadata.tags, x= ,,");
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->size(), 4u);
  EXPECT_EQ((*s)[0], (FilterCondition{"kind", {"Component"}}));
  EXPECT_EQ((*s)[1], (FilterCondition{"spec.type", {"service", "website"}}));
  EXPECT_EQ((*s)[2], (FilterCondition{"metadata.tags", {}}));
  EXPECT_EQ((*s)[3], (FilterCondition{"x", {""}}));
  auto bad = ParseFilterParam("a=b,=c");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "Invalid filter, '=c' is not a valid statement (expected a string on the form a=b or a= or a)");
}

TEST_F(QueryTest, FilterSetsAndConditions) {
  QueryRequest none;
  EXPECT_EQ(Names(none).size(), 5u);
  EXPECT_EQ(Names(Filter({"KIND=component,spec.type=SERVICE"})), (std::vector<std::string>{"alpha", "gamma"}));
  EXPECT_EQ(Names(Filter({"kind=component,spec.type=service,spec.type=website"})),
            (std::vector<std::string>{"alpha", "beta", "gamma"}));
  EXPECT_EQ(Names(Filter({"kind=group", "kind=api"})), (std::vector<std::string>{"pay-api", "team-a"}));
  EXPECT_EQ(Names(Filter({"metadata.tags=java"})), (std::vector<std::string>{"alpha", "beta"}));
  EXPECT_EQ(Names(Filter({"metadata.tags.web"})), (std::vector<std::string>{"alpha"}));
  EXPECT_EQ(Names(Filter({"metadata.annotations.x.io/y=z"})), (std::vector<std::string>{"gamma"}));
  EXPECT_EQ(Names(Filter({"relations.ownedby=group:default/team-b"})), (std::vector<std::string>{"beta", "gamma"}));
  EXPECT_EQ(Names(Filter({"spec.definition"})), (std::vector<std::string>{"pay-api"}));
  EXPECT_EQ(Names(Filter({"spec.type="})), (std::vector<std::string>{}));
}

TEST_F(QueryTest, Predicates) {
  auto q = [&](std::string p) {
    QueryRequest r;
    r.predicate = std::move(p);
    return Names(r);
  };
  EXPECT_EQ(q(R"({"kind":"component","spec.type":"service"})"), (std::vector<std::string>{"alpha", "gamma"}));
  EXPECT_EQ(q(R"({"$any":[{"kind":"group"},{"kind":"API"}]})"), (std::vector<std::string>{"pay-api", "team-a"}));
  EXPECT_EQ(q(R"({"$all":[{"kind":"component"},{"$not":{"spec.owner":"team-b"}}]})"),
            (std::vector<std::string>{"alpha"}));
  EXPECT_EQ(q(R"({"spec.definition":{"$exists":true}})"), (std::vector<std::string>{"pay-api"}));
  EXPECT_EQ(q(R"({"kind":"component","metadata.annotations.x.io/y":{"$exists":false}})"),
            (std::vector<std::string>{"alpha", "beta"}));
  EXPECT_EQ(q(R"({"spec.type":{"$in":["WEBSITE","openapi"]}})"), (std::vector<std::string>{"pay-api", "beta"}));  // default order: entity ref
  EXPECT_EQ(q(R"({"metadata.name":{"$hasPrefix":"Al"}})"), (std::vector<std::string>{"alpha"}));
  EXPECT_EQ(q(R"({"metadata.name":{"$hasPrefix":"%"}})"), (std::vector<std::string>{}));
  EXPECT_EQ(q(R"({"metadata.tags":{"$contains":"JAVA"}})"), (std::vector<std::string>{"alpha", "beta"}));
  EXPECT_EQ(q(R"({"relations":{"$contains":{"type":"ownedBy","targetRef":"group:default/team-a"}}})"),
            (std::vector<std::string>{"pay-api", "alpha"}));
  EXPECT_EQ(q(R"({"relations":{"$contains":{"type":"ownerOf","targetRef":{"$in":["component:default/alpha"]}}}})"),
            (std::vector<std::string>{"team-a"}));
  EXPECT_EQ(q(R"({"$all":[]})").size(), 5u);
  EXPECT_EQ(q(R"({"$any":[]})").size(), 0u);
  EXPECT_EQ(q(R"({})").size(), 5u);
  QueryRequest bad;
  bad.predicate = R"("kind")";
  EXPECT_EQ(store_.Query(bad).status().code(), Code::kInvalidArgument);
  bad.predicate = R"({"relations":{"$contains":{"targetRef":"x"}}})";
  EXPECT_EQ(store_.Query(bad).status().message(),
            "The $contains operator for \"relations\" requires a \"type\" string property");
  // Filter and predicate are AND-ed.
  QueryRequest both = Filter({"kind=component"});
  both.predicate = R"({"spec.owner":"team-a"})";
  EXPECT_EQ(Names(both), (std::vector<std::string>{"alpha"}));
}

TEST_F(QueryTest, OrderingExcludesOrAppendsMissing) {
  QueryRequest r;
  r.order = {{"metadata.annotations.x.io/y", false}};
  EXPECT_EQ(Names(r), (std::vector<std::string>{"gamma"}));
  r.missing_order = MissingOrder::kLast;
  auto names = Names(r);
  ASSERT_EQ(names.size(), 5u);
  EXPECT_EQ(names[0], "gamma");
  r = {};
  r.order = {{"spec.type", true}};
  r.predicate = R"({"kind":"component"})";
  auto ordered = Names(r);
  ASSERT_EQ(ordered.size(), 3u);
  EXPECT_EQ(ordered[0], "beta");  // website > service
  r = {};
  r.order = {{"metadata.name", true}};
  EXPECT_EQ(Names(r), (std::vector<std::string>{"team-a", "pay-api", "gamma", "beta", "alpha"}));
}

TEST_F(QueryTest, OffsetLimitTotalAndFields) {
  QueryRequest r;
  r.order = {{"metadata.name", false}};
  r.offset = 1;
  r.limit = 2;
  r.fields = {"metadata.name", "spec.owner", "nope.x"};
  auto res = store_.Query(r);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->total_items, 5u);
  ASSERT_EQ(res->items.size(), 2u);
  EXPECT_EQ(ToJsonString(res->items[0]), R"({"metadata":{"name":"beta"},"spec":{"owner":"team-b"}})");
  r.limit = 0;
  res = store_.Query(r);
  ASSERT_TRUE(res.ok());
  EXPECT_TRUE(res->items.empty());
  EXPECT_EQ(res->total_items, 5u);
  r.include_total = false;
  r.limit = 1;
  EXPECT_EQ(store_.Query(r)->total_items, 0u);
  r.fields = {"metadata.tags[0]"};
  EXPECT_EQ(store_.Query(r).status().code(), Code::kInvalidArgument);
}

TEST_F(QueryTest, FieldsWithDottedAnnotationKeys) {
  QueryRequest r = Filter({"metadata.name=gamma"});
  r.fields = {"metadata.annotations.x.io/y", "kind"};
  auto res = store_.Query(r);
  ASSERT_TRUE(res.ok());
  ASSERT_EQ(res->items.size(), 1u);
  EXPECT_EQ(ToJsonString(res->items[0]), R"({"metadata":{"annotations":{"x.io/y":"Z"}},"kind":"Component"})");
}

TEST_F(QueryTest, CursorPaginationRoundTripsForwardAndBack) {
  QueryRequest r;
  r.order = {{"metadata.name", false}};
  r.predicate = R"({"$not":{"kind":"group"}})";
  r.limit = 2;
  auto p1 = store_.Query(r);
  ASSERT_TRUE(p1.ok());
  EXPECT_EQ(p1->total_items, 4u);
  EXPECT_TRUE(p1->prev_cursor.empty());
  ASSERT_FALSE(p1->next_cursor.empty());
  QueryRequest next;
  next.cursor = p1->next_cursor;
  next.limit = 2;
  auto p2 = store_.Query(next);
  ASSERT_TRUE(p2.ok());
  ASSERT_EQ(p2->items.size(), 2u);
  EXPECT_EQ(Str(p2->items[0], {"metadata", "name"}), "gamma");
  EXPECT_EQ(Str(p2->items[1], {"metadata", "name"}), "pay-api");
  EXPECT_EQ(p2->total_items, 4u);
  EXPECT_TRUE(p2->next_cursor.empty());
  ASSERT_FALSE(p2->prev_cursor.empty());
  QueryRequest back;
  back.cursor = p2->prev_cursor;
  back.limit = 2;
  auto p0 = store_.Query(back);
  ASSERT_TRUE(p0.ok());
  ASSERT_EQ(p0->items.size(), 2u);
  EXPECT_EQ(Str(p0->items[0], {"metadata", "name"}), "alpha");
  EXPECT_EQ(Str(p0->items[1], {"metadata", "name"}), "beta");
  EXPECT_TRUE(p0->prev_cursor.empty());
  EXPECT_FALSE(p0->next_cursor.empty());
  // Pages of 1 with nulls-last order visit every entity exactly once.
  QueryRequest walk;
  walk.order = {{"metadata.annotations.x.io/y", true}};
  walk.missing_order = MissingOrder::kLast;
  walk.limit = 1;
  std::vector<std::string> seen;
  for (int i = 0; i < 10; ++i) {
    auto page = store_.Query(walk);
    ASSERT_TRUE(page.ok()) << page.status().message();
    for (const auto& e : page->items) seen.push_back(Str(e, {"metadata", "name"}));
    if (page->next_cursor.empty()) break;
    walk = {};
    walk.cursor = page->next_cursor;
    walk.limit = 1;
  }
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen[0], "gamma");
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(std::unique(seen.begin(), seen.end()), seen.end());
  QueryRequest junk;
  junk.cursor = "not-a-cursor!";
  EXPECT_EQ(store_.Query(junk).status().code(), Code::kInvalidArgument);
  junk.cursor = Base64Encode("{}");
  EXPECT_EQ(store_.Query(junk).status().message().rfind("Malformed cursor", 0), 0u);
}

TEST(Cursor, EncodeDecodeRoundTrip) {
  CursorState s;
  s.filter = EntityFilter{{{{"kind", {"component"}}, {"x", {}}}}};
  s.predicate = R"({"a":1})";
  s.order = {{"metadata.name", true}, {"spec.type", false}};
  s.full_text = FullTextFilter{"foo", {"metadata.name"}};
  s.total_items = 7;
  s.previous = true;
  s.sort_values = {std::string("n"), std::nullopt};
  s.uid = "u";
  auto d = DecodeCursor(EncodeCursor(s));
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(*d, s);
  for (std::string_view text : {"", "a", "ab", "abc", "abcd", "hello world!"}) {
    EXPECT_EQ(Base64Decode(Base64Encode(text)), std::string(text));
  }
}

TEST_F(QueryTest, FullTextFilter) {
  QueryRequest r;
  r.full_text = FullTextFilter{"  ALP ", {"metadata.name", "spec.type"}};
  EXPECT_EQ(Names(r), (std::vector<std::string>{"alpha"}));
  r.full_text = FullTextFilter{"web", {"spec.type"}};
  EXPECT_EQ(Names(r), (std::vector<std::string>{"beta"}));
  r = {};
  r.order = {{"metadata.name", false}};
  r.full_text = FullTextFilter{"a", {}};  // defaults to the order field
  EXPECT_EQ(Names(r), (std::vector<std::string>{"alpha", "beta", "gamma", "pay-api", "team-a"}));
  r.full_text = FullTextFilter{"mm", {}};
  EXPECT_EQ(Names(r), (std::vector<std::string>{"gamma"}));
}

TEST_F(QueryTest, Facets) {
  FacetsRequest r;
  r.facets = {"Kind", "metadata.tags", "relations.ownedBy"};
  auto f = store_.Facets(r);
  ASSERT_TRUE(f.ok()) << f.status().message();
  ASSERT_EQ(f->facets.size(), 3u);
  EXPECT_EQ(f->facets[0].first, "Kind");
  std::string kinds;
  for (const auto& v : f->facets[0].second) kinds += v.value + ":" + std::to_string(v.count) + " ";
  EXPECT_EQ(kinds, "API:1 Component:3 Group:1 ");
  std::string tags;
  for (const auto& v : f->facets[1].second) tags += v.value + ":" + std::to_string(v.count) + " ";
  EXPECT_EQ(tags, "Java:1 java:1 web:1 ");
  EXPECT_EQ(f->facets[2].second.size(), 2u);
  r.filter = EntityFilter{{*ParseFilterParam("spec.type=service")}};
  r.facets = {"spec.owner"};
  f = store_.Facets(r);
  ASSERT_TRUE(f.ok());
  std::string owners;
  for (const auto& v : f->facets[0].second) owners += v.value + ":" + std::to_string(v.count) + " ";
  EXPECT_EQ(owners, "team-a:1 team-b:1 ");
  EXPECT_FALSE(store_.Facets({}).ok());
}

TEST(Ancestry, ParentChainToRoot) {
  Store store = OpenMemory();
  auto loc = store.AddLocation("file", "/root.yaml");
  ASSERT_TRUE(loc.ok());
  const std::string root = loc->entity_ref;
  std::vector<catalog::ProcessedEntity> batch;
  batch.push_back(Processed(LocationEntity(root.substr(17), "/root.yaml"), "file:/root.yaml"));
  batch.back().children = {"location:default/sub"};
  batch.push_back(Processed(LocationEntity("sub", "/c.yaml"), "file:/root.yaml", root));
  batch.back().children = {"component:default/a"};
  batch.push_back(Processed(Component("a"), "file:/c.yaml", "location:default/sub"));
  ApplyAndStitch(store, batch);
  auto a = store.GetAncestry("Component:default/A");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->root_ref, "component:default/a");
  ASSERT_EQ(a->items.size(), 3u);
  EXPECT_EQ(Str(a->items[0].entity, {"metadata", "name"}), "a");
  EXPECT_EQ(a->items[0].parent_refs, std::vector<std::string>{"location:default/sub"});
  EXPECT_EQ(a->items[1].parent_refs, std::vector<std::string>{root});
  EXPECT_TRUE(a->items[2].parent_refs.empty());
  auto missing = store.GetAncestry("component:default/nope");
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_EQ(missing.status().message(), "No such entity component:default/nope");
}

TEST(Concurrency, ReadsDuringWriteBatches) {
  TempDir dir;
  auto opened = Store::Open(dir.File("c.db"));
  ASSERT_TRUE(opened.ok());
  Store& store = *opened;
  std::vector<catalog::ProcessedEntity> seed;
  seed.push_back(Processed(Component("seed")));
  ApplyAndStitch(store, seed);
  std::atomic<bool> done{false};
  std::atomic<int> reads{0}, failures{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      while (!done.load()) {
        auto e = store.GetByRef("component:default/seed");
        QueryRequest r;
        r.filter = EntityFilter{{*ParseFilterParam("kind=component")}};
        r.limit = 5;
        auto q = store.Query(r);
        if (!e.ok() || !e->has_value() || !q.ok() || q->total_items < 1) ++failures;
        ++reads;
      }
    });
  }
  for (int b = 0; b < 20; ++b) {
    std::vector<catalog::ProcessedEntity> batch;
    for (int i = 0; i < 50; ++i) batch.push_back(Processed(Component("c" + std::to_string(b * 50 + i))));
    ApplyAndStitch(store, batch);
  }
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(reads.load(), 0);
  QueryRequest all;
  all.predicate = R"({"kind":"component"})";
  all.limit = 1;
  EXPECT_EQ(store.Query(all)->total_items, 1001u);
}

// An ordered page reads each row's sort value through the search table's
// primary key (entity_id first). SQLite's MIN() optimisation otherwise walks
// search_key_value in value order for every row: minutes on 100k entities.
TEST_F(QueryTest, OrderValuesSeekThePrimaryKey) {
  QueryRequest r;
  r.filter = EntityFilter{{*ParseFilterParam("kind=component,spec.type=service")}};
  r.order = {{"metadata.name", false}, {"spec.owner", true}};
  r.limit = 2;
  auto plan = store_.ExplainQuery(r);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  std::size_t order_reads = 0;
  for (const std::string& line : *plan) {
    if (line.rfind("SEARCH s ", 0) != 0) continue;  // `s`: the sort-value subqueries
    ++order_reads;
    EXPECT_EQ(line.rfind("SEARCH s USING PRIMARY KEY (entity_id=?", 0), 0u) << line;
  }
  EXPECT_GE(order_reads, 2u) << ::testing::PrintToString(*plan);
  EXPECT_EQ(Names(r), (std::vector<std::string>{"alpha", "gamma"}));
}

}  // namespace
}  // namespace idp::store
