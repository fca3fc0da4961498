#include "http/config.h"

#include <charconv>
#include <fstream>
#include <sstream>

#include "core/json.h"
#include "http/config_reader.h"
#include "yaml/yaml_stream.h"

namespace idp::http {
namespace {

Status LoadAuth(const ConfigReader& r, const JsonValue& auth, ServerConfig& c) {
  if (const JsonValue* reads = r.Child(auth, "readsRequireToken")) {
    if (Status s = r.Bool(*reads, "backend.auth.readsRequireToken", c.reads_require_token); !s.ok()) return s;
  }
  const JsonValue* ext = r.Child(auth, "externalAccess");
  if (!ext) return Status::Ok();
  if (!ext->IsArray()) return r.Error(*ext, "backend.auth.externalAccess", "expected a list");
  c.tokens.clear();
  const std::string key = "backend.auth.externalAccess[]";
  for (const auto& item : ext->GetArray()) {
    const JsonValue* type = r.Child(item, "type");
    if (!type || !type->IsString()) return r.Error(item, key + ".type", "expected a string");
    if (AsView(*type) != "static") {
      return r.Error(*type, key + ".type", "only 'static' is supported, not '" + std::string(AsView(*type)) + "'");
    }
    const JsonValue* options = r.Child(item, "options");
    const JsonValue* token = options ? r.Child(*options, "token") : nullptr;
    const JsonValue* subject = options ? r.Child(*options, "subject") : nullptr;
    if (!token) return r.Error(item, key + ".options.token", "is required");
    if (!subject) return r.Error(item, key + ".options.subject", "is required");
    StaticToken t;
    if (Status s = r.String(*token, key + ".options.token", t.token); !s.ok()) return s;
    if (Status s = r.String(*subject, key + ".options.subject", t.subject); !s.ok()) return s;
    // Backstage: at least 8 characters, no whitespace.
    if (t.token.size() < 8 || t.token.find_first_of(" \t\r\n") != std::string::npos) {
      return r.Error(*token, key + ".options.token", "must be at least 8 characters without whitespace");
    }
    c.tokens.push_back(std::move(t));
  }
  return Status::Ok();
}

Status LoadLimits(const ConfigReader& r, const JsonValue& limits, Limits& l) {
  struct SizeKey {
    const char* key;
    std::size_t* out;
    std::uint64_t min;
  };
  const SizeKey sizes[] = {{"maxBodyBytes", &l.max_body_bytes, 0},
                           {"maxHeaderBytes", &l.max_header_bytes, 256},
                           {"maxConnections", &l.max_connections, 1},
                           {"maxCachedBytes", &l.max_cached_bytes, 0}};
  for (const SizeKey& k : sizes) {
    const JsonValue* v = r.Child(limits, k.key);
    if (!v) continue;
    const std::string key = std::string("backend.limits.") + k.key;
    std::uint64_t n = 0;
    if (Status s = r.Count(*v, key, 1ull << 40, n); !s.ok()) return s;
    if (n < k.min) return r.Error(*v, key, "must be at least " + std::to_string(k.min));
    *k.out = static_cast<std::size_t>(n);
  }
  if (const JsonValue* v = r.Child(limits, "requestTimeout")) {
    if (Status s = r.Duration(*v, "backend.limits.requestTimeout", l.request_timeout); !s.ok()) return s;
  }
  if (const JsonValue* v = r.Child(limits, "idleTimeout")) {
    if (Status s = r.Duration(*v, "backend.limits.idleTimeout", l.idle_timeout); !s.ok()) return s;
  }
  return Status::Ok();
}

Status LoadBackend(const ConfigReader& r, const JsonValue& backend, ServerConfig& c) {
  if (!backend.IsObject()) return r.Error(backend, "backend", "expected a mapping");
  if (const JsonValue* listen = r.Child(backend, "listen")) {
    if (listen->IsString()) {
      if (Status s = ParseListen(AsView(*listen), c); !s.ok()) return r.Error(*listen, "backend.listen", s.message());
    } else if (listen->IsObject()) {
      if (const JsonValue* host = r.Child(*listen, "host")) {
        if (Status s = r.String(*host, "backend.listen.host", c.host); !s.ok()) return s;
      }
      if (const JsonValue* port = r.Child(*listen, "port")) {
        std::uint64_t p = 0;
        if (Status s = r.Count(*port, "backend.listen.port", 65535, p); !s.ok()) return s;
        c.port = static_cast<std::uint16_t>(p);
      }
    } else {
      return r.Error(*listen, "backend.listen", "expected {host, port} or \"HOST:PORT\"");
    }
  }
  if (const JsonValue* db = r.Child(backend, "database")) {
    // Backstage's better-sqlite3 form: backend.database.connection.filename.
    const JsonValue* conn = r.Child(*db, "connection");
    const JsonValue* file = conn ? r.Child(*conn, "filename") : nullptr;
    if (!file) return r.Error(*db, "backend.database", "expected connection.filename");
    if (Status s = r.String(*file, "backend.database.connection.filename", c.db_path); !s.ok()) return s;
  }
  if (const JsonValue* threads = r.Child(backend, "threads")) {
    std::uint64_t n = 0;
    if (Status s = r.Count(*threads, "backend.threads", 64, n); !s.ok()) return s;
    if (n == 0) return r.Error(*threads, "backend.threads", "must be at least 1");
    c.threads = static_cast<unsigned>(n);
  }
  if (const JsonValue* query_threads = r.Child(backend, "queryThreads")) {
    std::uint64_t n = 0;
    if (Status s = r.Count(*query_threads, "backend.queryThreads", 64, n); !s.ok()) return s;
    if (n == 0) return r.Error(*query_threads, "backend.queryThreads", "must be at least 1");
    c.query_threads = static_cast<unsigned>(n);
  }
  if (const JsonValue* log = r.Child(backend, "accessLog")) {
    if (Status s = r.Bool(*log, "backend.accessLog", c.access_log); !s.ok()) return s;
  }
  if (const JsonValue* auth = r.Child(backend, "auth")) {
    if (Status s = LoadAuth(r, *auth, c); !s.ok()) return s;
  }
  if (const JsonValue* reading = r.Child(backend, "reading")) {
    if (const JsonValue* allow = r.Child(*reading, "allow")) {
      if (!allow->IsArray()) return r.Error(*allow, "backend.reading.allow", "expected a list");
      c.url_allow.clear();
      for (const auto& item : allow->GetArray()) {
        UrlAllow a;
        const JsonValue* host = r.Child(item, "host");
        if (!host) return r.Error(item, "backend.reading.allow[].host", "is required");
        if (Status s = r.String(*host, "backend.reading.allow[].host", a.host); !s.ok()) return s;
        if (const JsonValue* paths = r.Child(item, "paths")) {
          if (Status s = r.StringList(*paths, "backend.reading.allow[].paths", a.paths); !s.ok()) return s;
        }
        c.url_allow.push_back(std::move(a));
      }
    }
  }
  if (const JsonValue* limits = r.Child(backend, "limits")) {
    if (Status s = LoadLimits(r, *limits, c.limits); !s.ok()) return s;
  }
  return Status::Ok();
}

Status LoadRules(const ConfigReader& r, const JsonValue& rules, ServerConfig& c) {
  if (!rules.IsArray()) return r.Error(rules, "catalog.rules", "expected a list");
  c.rules.rules.clear();
  for (const auto& item : rules.GetArray()) {
    catalog::CatalogRule rule;
    const JsonValue* allow = r.Child(item, "allow");
    if (!allow || !allow->IsArray()) return r.Error(item, "catalog.rules[].allow", "expected a list of kinds");
    for (const auto& kind : allow->GetArray()) {
      if (!kind.IsString()) return r.Error(kind, "catalog.rules[].allow[]", "expected a kind");
      rule.allow.push_back({std::string(AsView(kind)), std::nullopt});
    }
    if (const JsonValue* locs = r.Child(item, "locations")) {
      if (!locs->IsArray()) return r.Error(*locs, "catalog.rules[].locations", "expected a list");
      rule.locations.emplace();
      for (const auto& l : locs->GetArray()) {
        catalog::LocationMatcher m;
        const JsonValue* type = r.Child(l, "type");
        if (!type) return r.Error(l, "catalog.rules[].locations[].type", "is required");
        if (Status s = r.String(*type, "catalog.rules[].locations[].type", m.type); !s.ok()) return s;
        if (const JsonValue* exact = r.Child(l, "target")) {
          std::string v;
          if (Status s = r.String(*exact, "catalog.rules[].locations[].target", v); !s.ok()) return s;
          m.exact = std::move(v);
        }
        if (const JsonValue* pattern = r.Child(l, "pattern")) {
          std::string v;
          if (Status s = r.String(*pattern, "catalog.rules[].locations[].pattern", v); !s.ok()) return s;
          m.pattern = std::move(v);
        }
        rule.locations->push_back(std::move(m));
      }
    }
    c.rules.rules.push_back(std::move(rule));
  }
  return Status::Ok();
}

Status LoadCatalog(const ConfigReader& r, const JsonValue& cat, ServerConfig& c) {
  if (!cat.IsObject()) return r.Error(cat, "catalog", "expected a mapping");
  if (const JsonValue* locations = r.Child(cat, "locations")) {
    if (!locations->IsArray()) return r.Error(*locations, "catalog.locations", "expected a list");
    c.locations.clear();
    for (const auto& item : locations->GetArray()) {
      const JsonValue* type = r.Child(item, "type");
      const JsonValue* target = r.Child(item, "target");
      if (!type || !type->IsString()) return r.Error(item, "catalog.locations[].type", "expected a string");
      if (!target || !target->IsString()) return r.Error(item, "catalog.locations[].target", "expected a string");
      if (AsView(*type) != "file") {
        return r.Error(*type, "catalog.locations[].type",
                       "only 'file' locations are supported by this build, not '" + std::string(AsView(*type)) + "'");
      }
      c.locations.emplace_back(AsView(*target));
    }
  }
  if (const JsonValue* rules = r.Child(cat, "rules")) {
    if (Status s = LoadRules(r, *rules, c); !s.ok()) return s;
  }
  if (const JsonValue* interval = r.Child(cat, "processingInterval")) {
    if (interval->IsBool() && !interval->GetBool()) {
      c.refresh_interval = std::chrono::milliseconds(0);
    } else if (Status s = r.Duration(*interval, "catalog.processingInterval", c.refresh_interval); !s.ok()) {
      return s;
    }
  }
  if (const JsonValue* orphans = r.Child(cat, "orphanStrategy")) {
    std::string v;
    if (Status s = r.String(*orphans, "catalog.orphanStrategy", v); !s.ok()) return s;
    if (v == "keep") c.orphan_strategy = store::OrphanStrategy::kKeep;
    else if (v == "delete") c.orphan_strategy = store::OrphanStrategy::kDelete;
    else return r.Error(*orphans, "catalog.orphanStrategy", "expected keep or delete");
  }
  if (const JsonValue* readonly = r.Child(cat, "readonly")) {
    if (Status s = r.Bool(*readonly, "catalog.readonly", c.readonly); !s.ok()) return s;
  }
  if (const JsonValue* roots = r.Child(cat, "allowedRoots")) {
    std::vector<std::string> list;
    if (Status s = r.StringList(*roots, "catalog.allowedRoots", list); !s.ok()) return s;
    c.allowed_roots.clear();
    for (const std::string& root : list) c.allowed_roots.emplace_back(root);
  }
  return Status::Ok();
}

// `idp.server`: the spelling of the first server draft, still accepted:
// readsRequireToken, accessLog, threads, limits (requestTimeoutMs and
// idleTimeoutMs in milliseconds). examples/app-config.yaml shows the
// Backstage-style keys, which are preferred.
Status LoadIdpServer(const ConfigReader& r, const JsonValue& server, ServerConfig& c) {
  if (!server.IsObject()) return r.Error(server, "idp.server", "expected a mapping");
  if (const JsonValue* v = r.Child(server, "readsRequireToken")) {
    if (Status s = r.Bool(*v, "idp.server.readsRequireToken", c.reads_require_token); !s.ok()) return s;
  }
  if (const JsonValue* v = r.Child(server, "accessLog")) {
    if (Status s = r.Bool(*v, "idp.server.accessLog", c.access_log); !s.ok()) return s;
  }
  if (const JsonValue* v = r.Child(server, "threads")) {
    std::uint64_t n = 0;
    if (Status s = r.Count(*v, "idp.server.threads", 64, n); !s.ok()) return s;
    if (n == 0) return r.Error(*v, "idp.server.threads", "must be at least 1");
    c.threads = static_cast<unsigned>(n);
  }
  if (const JsonValue* limits = r.Child(server, "limits")) {
    if (Status s = LoadLimits(r, *limits, c.limits); !s.ok()) return s;
    for (auto [key, out] : {std::pair{"requestTimeoutMs", &c.limits.request_timeout},
                            std::pair{"idleTimeoutMs", &c.limits.idle_timeout}}) {
      if (const JsonValue* v = r.Child(*limits, key)) {
        std::uint64_t n = 0;
        if (Status s = r.Count(*v, std::string("idp.server.limits.") + key, 86'400'000ull, n); !s.ok()) return s;
        *out = std::chrono::milliseconds(n);
      }
    }
  }
  return Status::Ok();
}

std::string Where(const std::string& path, Mark m) {
  return path + ":" + std::to_string(m.line) + ":" + std::to_string(m.column);
}

}  // namespace

Status ParseListen(std::string_view text, ServerConfig& config) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return Status(Code::kInvalidArgument, "expected HOST:PORT, got '" + std::string(text) + "'");
  }
  std::string_view host = text.substr(0, colon);
  const std::string_view port = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535) {
    return Status(Code::kInvalidArgument, "bad port in '" + std::string(text) + "'");
  }
  config.host = host.empty() ? "0.0.0.0" : std::string(host);
  config.port = static_cast<std::uint16_t>(value);
  return Status::Ok();
}

Status LoadConfigFile(const std::string& path, ServerConfig& config) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(Code::kIo, path + ": cannot read the configuration file");
  std::ostringstream text;
  text << in.rdbuf();
  yaml::Stream stream = yaml::ParseStream(text.str());
  if (stream.aborted) return Status(Code::kParse, Where(path, stream.abort_mark) + ": " + stream.abort_reason);
  for (const yaml::Document& d : stream.documents) {
    if (d.status == yaml::DocStatus::kError) return Status(Code::kParse, Where(path, d.error_mark) + ": " + d.error);
  }
  // app-config files hold one document; an empty file changes nothing.
  if (stream.documents.empty() || stream.documents[0].status == yaml::DocStatus::kEmpty) return Status::Ok();
  const yaml::Document& doc = stream.documents[0];
  const ConfigReader r(path, doc.marks);
  if (!doc.json.IsObject()) return r.Error(doc.json, "(top level)", "expected a mapping");
  if (const JsonValue* backend = r.Child(doc.json, "backend")) {
    if (Status s = LoadBackend(r, *backend, config); !s.ok()) return s;
  }
  if (const JsonValue* cat = r.Child(doc.json, "catalog")) {
    if (Status s = LoadCatalog(r, *cat, config); !s.ok()) return s;
  }
  if (const JsonValue* idp = r.Child(doc.json, "idp")) {
    if (const JsonValue* server = r.Child(*idp, "server")) {
      if (Status s = LoadIdpServer(r, *server, config); !s.ok()) return s;
    }
  }
  return Status::Ok();
}

}  // namespace idp::http
