// idp-server's network side: Boost.Beast over asio, a few io threads each
// running its own io_context, in front of a Service. Beast stays in
// server.cpp.
//
// Limits (ServerConfig::limits): header and body size (431/413), connection
// count (503 beyond it), a deadline for each request to arrive (408, then
// close) and for idle keep-alive connections. All I/O is asynchronous, so a
// slow client holds a little memory, never a thread.
//
// Threading: Start, then Wait on one thread; Stop from any thread (also from
// a signal-waiting thread) begins a graceful stop: no new connections, idle
// connections close, requests in flight are answered, then Wait returns.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "http/config.h"

namespace idp::http {

class Service;

class Server {
 public:
  // Opens the catalog (first ingestion included), binds, and accepts.
  static Result<std::unique_ptr<Server>> Start(ServerConfig config);
  ~Server();  // Stop + Wait

  std::uint16_t port() const;
  const std::string& host() const;
  void Stop();
  // Returns once stopped and every connection has ended; the catalog is
  // closed on return.
  void Wait();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace idp::http
