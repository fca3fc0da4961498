// idp-server: serves the catalog over Backstage's REST API.
//   idp-server [--config FILE] [--listen HOST:PORT] [--db FILE] [--location PATH]...
// Prints `listening on http://HOST:PORT` once the first ingestion is stitched
// and connections are accepted; stops gracefully on SIGTERM/SIGINT.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>

#include "http/access_log.h"
#include "http/config.h"
#include "http/scaffolder_config.h"
#include "http/server.h"

namespace {

void PrintHelp(std::FILE* out) {
  std::fprintf(out,
               "usage: idp-server [options]\n\n"
               "  --config FILE        app-config style YAML (see examples/app-config.yaml)\n"
               "  --listen HOST:PORT   address to listen on (port 0: any free port; default 127.0.0.1:7007)\n"
               "  --db FILE            SQLite catalog database (default idp-catalog.db)\n"
               "  --location PATH      register a file location at start (repeatable; default examples/all.yaml)\n"
               "  --help               this text\n\n"
               "Flags override the configuration file. Access log: JSON lines on stderr.\n");
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "idp-server: %s\n", message.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using idp::http::ServerConfig;
  std::string config_file, listen, db;
  std::vector<std::string> locations;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      PrintHelp(stdout);
      return 0;
    }
    std::string value;
    if (auto eq = a.find('='); a.starts_with("--") && eq != std::string::npos) {
      value = a.substr(eq + 1);
      a.resize(eq);
    } else if (a == "--config" || a == "--listen" || a == "--db" || a == "--location") {
      if (i + 1 >= argc) return Fail(a + " wants a value");
      value = argv[++i];
    } else {
      PrintHelp(stderr);
      return Fail("unknown argument " + a);
    }
    if (a == "--config") config_file = value;
    else if (a == "--listen") listen = value;
    else if (a == "--db") db = value;
    else if (a == "--location") locations.push_back(value);
    else return Fail("unknown option " + a);
  }

  ServerConfig config;
  if (!config_file.empty()) {
    if (idp::Status s = idp::http::LoadConfigFile(config_file, config); !s.ok()) return Fail(s.message());
    // The task service's keys (scaffolder.workspaceRoot, concurrentTasksLimit, ...).
    if (idp::Status s = idp::http::LoadScaffolderConfig(config_file, config.scaffolder); !s.ok()) return Fail(s.message());
  }
  if (!listen.empty()) {
    if (idp::Status s = idp::http::ParseListen(listen, config); !s.ok()) return Fail("--listen: " + s.message());
  }
  if (!db.empty()) config.db_path = db;
  config.locations.insert(config.locations.end(), locations.begin(), locations.end());
  if (config.locations.empty()) {
    // The sample catalog, from the working directory or the source tree.
    std::error_code ec;
    config.locations.push_back(std::filesystem::exists("examples/all.yaml", ec)
                                   ? std::string("examples/all.yaml")
                                   : std::string(IDP_SOURCE_DIR) + "/examples/all.yaml");
  }

  // Signals are taken by one thread with sigwait: block them before any
  // other thread starts so that every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  auto server = idp::http::Server::Start(std::move(config));
  if (!server.ok()) return Fail(server.status().message());
  std::printf("listening on http://%s:%u\n", (*server)->host().c_str(), static_cast<unsigned>((*server)->port()));
  std::fflush(stdout);

  std::thread waiter([&signals, s = server->get()] {
    int sig = 0;
    sigwait(&signals, &sig);
    idp::http::WriteLogLine("info", std::string("received ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") +
                                        ", finishing requests in flight");
    s->Stop();
  });
  (*server)->Wait();
  waiter.join();
  idp::http::WriteLogLine("info", "stopped");
  return 0;
}
