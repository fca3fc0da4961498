// Beast speaks std::string_view like the rest of the code base.
#define BOOST_BEAST_USE_STD_STRING_VIEW 1

#include "http/server.h"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "http/access_log.h"
#include "http/errors.h"
#include "http/service.h"

namespace idp::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

class Session;

struct Server::Impl {
  ServerConfig config;
  std::unique_ptr<Service> service;
  std::vector<std::unique_ptr<net::io_context>> contexts;
  std::vector<std::thread> threads;
  // Each io_context runs until Stop, even while it has no connection.
  std::vector<net::executor_work_guard<net::io_context::executor_type>> guards;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::size_t next_context = 0;
  std::atomic<std::size_t> connections{0};
  std::atomic<bool> stopping{false};
  std::mutex sessions_mutex;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  std::uint16_t port = 0;
  bool waited = false;
  // One per io_context: checks its sessions' deadlines a few times a second.
  std::vector<std::unique_ptr<net::steady_timer>> sweepers;

  void Accept();
  void Sweep(std::size_t index);
  std::chrono::milliseconds SweepInterval() const {
    const auto shortest = std::min(config.limits.request_timeout, config.limits.idle_timeout);
    return std::clamp(shortest / 4, std::chrono::milliseconds(10), std::chrono::milliseconds(250));
  }
};

namespace {

// Canned answers for requests that never reach the Service.
Response LimitResponse(int status, std::string_view message) {
  Request r;
  r.method = "";
  r.target = "";
  return ErrorResponse(r, status, message);
}

}  // namespace

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Server::Impl& server, net::io_context& ioc, tcp::socket socket, bool reject)
      : server_(server),
        ioc_(ioc),
        stream_(std::move(socket)),
        buffer_(server.config.limits.max_header_bytes + server.config.limits.max_body_bytes + 65536),
        reject_(reject) {
    beast::error_code ec;
    const tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = peer.address().to_string() + ":" + std::to_string(peer.port());
  }

  ~Session() {
    if (!reject_) server_.connections.fetch_sub(1, std::memory_order_relaxed);
    std::lock_guard lock(server_.sessions_mutex);
    server_.sessions.erase(this);
  }

  void Start() {
    {
      std::lock_guard lock(server_.sessions_mutex);
      server_.sessions.emplace(this, weak_from_this());
    }
    if (reject_) {
      Response r = LimitResponse(503, "Too many connections");
      close_ = true;
      Send(11, std::move(r));
      return;
    }
    ReadFirstByte();
  }

  net::io_context& context() { return ioc_; }

  // The server is stopping: an idle connection closes now, a busy one after
  // its response.
  void OnStop() {
    // Idle, or a request not complete yet: nothing is in flight to finish.
    if (idle_ || reading_) {
      Disarm();
      beast::error_code ec;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
      stream_.cancel();
    }
  }

 private:
  const Limits& limits() const { return server_.config.limits; }

  // Keep-alive: wait up to the idle timeout for a request to begin; from its
  // first byte the whole request must arrive within the request timeout.
  // Our own timer (not the stream's expiry, which closes the socket) so that
  // a late request can still be told 408.
  void ReadFirstByte() {
    idle_ = true;
    if (server_.stopping.load()) return Close();
    if (buffer_.size() > 0) return ReadRequest();
    stream_.expires_never();
    Arm(limits().idle_timeout);
    stream_.async_read_some(buffer_.prepare(512), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      self->Disarm();
      self->buffer_.commit(n);
      if (ec) return self->Close();
      self->ReadRequest();
    });
  }

  void ReadRequest() {
    idle_ = false;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(limits().max_header_bytes));
    parser_->body_limit(limits().max_body_bytes);
    Arm(limits().request_timeout);
    reading_ = true;
    // Headers first: a client that sent `Expect: 100-continue` (curl does for
    // bodies over 1 KiB) is told to go on instead of waiting a second.
    bhttp::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec || self->parser_->is_done()) return self->ReadDone(ec);
      auto& msg = self->parser_->get();
      auto expect = msg.find(bhttp::field::expect);
      if (expect == msg.end() || !beast::iequals(expect->value(), "100-continue")) return self->ReadBody();
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      net::async_write(self->stream_, net::buffer(kContinue.data(), kContinue.size()),
                       [self](beast::error_code wec, std::size_t) {
                         if (wec) return self->ReadDone(wec);
                         self->ReadBody();
                       });
    });
  }

  void ReadBody() {
    bhttp::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->ReadDone(ec);
    });
  }

  void ReadDone(beast::error_code ec) {
    reading_ = false;
    Disarm();
    OnRead(ec);
  }

  // Deadlines are checked by the io thread's sweeper (Server::Impl::Sweep):
  // no timer syscall per request.
  void Arm(std::chrono::milliseconds d) {
    timed_out_ = false;
    deadline_ = std::chrono::steady_clock::now() + d;
  }
  void Disarm() { deadline_ = std::chrono::steady_clock::time_point::max(); }

 public:
  // On this session's io thread: a deadline passed, stop what is pending.
  void Expire(std::chrono::steady_clock::time_point now) {
    if (now < deadline_) return;
    Disarm();
    timed_out_ = true;
    beast::error_code ignored;
    stream_.socket().cancel(ignored);
  }

 private:
  void OnRead(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset) return Close();
    if (timed_out_) ec = beast::error::timeout;
    if (ec) {
      // Whatever was wrong, answer once and close: the stream is out of sync.
      close_ = true;
      int status = 400;
      std::string message = "Malformed HTTP request: " + ec.message();
      if (ec == beast::error::timeout) status = 408, message = "The request did not arrive in time";
      else if (ec == bhttp::error::header_limit) status = 431, message = "Request headers are too large";
      else if (ec == bhttp::error::body_limit || ec == bhttp::error::buffer_overflow) {
        status = 413, message = "Request body is too large";
      } else if (ec == net::error::operation_aborted) {
        return Close();
      }
      start_ = std::chrono::steady_clock::now();
      if (parser_ && parser_->is_header_done()) {  // for the access log
        method_ = parser_->get().method_string();
        target_ = parser_->get().target();
      }
      return Send(11, LimitResponse(status, message));
    }
    start_ = std::chrono::steady_clock::now();
    auto& msg = parser_->get();
    // RFC 9112 6.1: a request whose last transfer coding is not chunked has
    // no knowable length.
    if (msg.find(bhttp::field::transfer_encoding) != msg.end() && !parser_->chunked()) {
      close_ = true;
      return Send(msg.version(), LimitResponse(400, "Unsupported Transfer-Encoding: chunked must be the last coding"));
    }
    version_ = msg.version();
    keep_alive_ = msg.keep_alive();
    method_ = msg.method_string();
    target_ = msg.target();
    Request req;
    req.method = method_;
    req.target = target_;
    const std::size_t q = target_.find('?');
    req.path = std::string_view(target_).substr(0, q);
    req.query = q == std::string::npos ? std::string_view() : std::string_view(target_).substr(q + 1);
    req.body = msg.body();
    if (auto it = msg.find(bhttp::field::content_type); it != msg.end()) req.content_type = it->value();
    if (auto it = msg.find(bhttp::field::authorization); it != msg.end()) req.authorization = it->value();
    // Keeps the io_context running while a write job holds the answer.
    work_.emplace(ioc_.get_executor());
    route_ = server_.service->Handle(req, [self = shared_from_this()](Response r) {
      net::dispatch(self->ioc_, [self, r = std::move(r)]() mutable {
        self->work_.reset();
        self->Send(self->version_, std::move(r));
      });
    });
  }

  void Send(unsigned version, Response r) {
    res_ = {};
    res_.version(version);
    res_.result(static_cast<unsigned>(r.status));
    res_.set(bhttp::field::server, "idp-server");
    if (r.status != 204 && !(r.status == 404 && r.body.empty())) res_.set(bhttp::field::content_type, r.content_type);
    for (auto& [name, value] : r.headers) res_.set(name, value);
    const bool keep = keep_alive_ && !close_ && !server_.stopping.load();
    res_.keep_alive(keep);
    body_bytes_ = r.body.size();
    status_ = r.status;
    res_.body() = std::move(r.body);
    res_.prepare_payload();
    Arm(limits().request_timeout);  // a client that does not read is cut off too
    bhttp::async_write(stream_, res_, [self = shared_from_this(), keep](beast::error_code ec, std::size_t) {
      self->OnWritten(ec, keep);
    });
  }

  void OnWritten(beast::error_code ec, bool keep) {
    Disarm();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (!reject_) server_.service->metrics().Record(route_, status_, seconds);
    if (server_.config.access_log && !reject_) {
      AccessRecord a;
      a.remote = remote_;
      a.method = method_;
      a.url = target_;
      a.status = status_;
      a.bytes = body_bytes_;
      a.duration_ms = seconds * 1000;
      a.route = RouteName(route_);
      WriteAccessLog(a);
    }
    route_ = Route::kNone;
    method_.clear();
    target_.clear();
    if (ec || !keep) return Close();
    ReadFirstByte();
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  Server::Impl& server_;
  net::io_context& ioc_;
  beast::tcp_stream stream_;
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
  bool timed_out_ = false;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> res_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  std::string remote_;
  std::string method_;
  std::string target_;
  unsigned version_ = 11;
  bool keep_alive_ = true;
  bool close_ = false;
  bool idle_ = true;
  bool reading_ = false;
  bool reject_ = false;
  int status_ = 0;
  std::size_t body_bytes_ = 0;
  Route route_ = Route::kNone;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

void Server::Impl::Sweep(std::size_t index) {
  net::steady_timer& timer = *sweepers[index];
  timer.expires_after(SweepInterval());
  timer.async_wait([this, index](beast::error_code ec) {
    if (ec) return;
    net::io_context* mine = contexts[index].get();
    std::vector<std::shared_ptr<Session>> due;
    {
      std::lock_guard lock(sessions_mutex);
      for (auto& [ptr, weak] : sessions) {
        if (&ptr->context() != mine) continue;
        if (auto p = weak.lock()) due.push_back(std::move(p));
      }
    }
    // Stopping: deadlines still hold (a client that stopped reading cannot
    // keep the server up); the sweeper ends with this thread's last session.
    if (stopping.load() && due.empty()) return;
    const auto now = std::chrono::steady_clock::now();
    for (auto& session : due) session->Expire(now);
    due.clear();
    Sweep(index);
  });
}

void Server::Impl::Accept() {
  net::io_context& ioc = *contexts[next_context++ % contexts.size()];
  acceptor->async_accept(ioc, [this, &ioc](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (stopping.load() || ec == net::error::operation_aborted) return;
      // Out of descriptors and the like: keep accepting.
      WriteLogLine("warn", "accept failed: " + ec.message());
      return Accept();
    }
    socket.set_option(tcp::no_delay(true), ec);
    const bool reject = connections.fetch_add(1, std::memory_order_relaxed) >= config.limits.max_connections;
    if (reject) connections.fetch_sub(1, std::memory_order_relaxed);
    auto session = std::make_shared<Session>(*this, ioc, std::move(socket), reject);
    net::post(ioc, [session] { session->Start(); });
    Accept();
  });
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  Stop();
  Wait();
}

Result<std::unique_ptr<Server>> Server::Start(ServerConfig config) {
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  Result<std::unique_ptr<Service>> service = Service::Open(std::move(config));
  if (!service.ok()) return service.status();
  impl->service = std::move(service).value();
  const unsigned n = std::max(1u, impl->config.threads);
  for (unsigned i = 0; i < n; ++i) impl->contexts.push_back(std::make_unique<net::io_context>(1));

  beast::error_code ec;
  const net::ip::address address = net::ip::make_address(impl->config.host, ec);
  if (ec) return Status(Code::kInvalidArgument, "bad listen host '" + impl->config.host + "': " + ec.message());
  const tcp::endpoint endpoint(address, impl->config.port);
  impl->acceptor = std::make_unique<tcp::acceptor>(*impl->contexts[0]);
  impl->acceptor->open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor->bind(endpoint, ec);
  if (!ec) impl->acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status(Code::kIo, "cannot listen on " + impl->config.host + ":" + std::to_string(impl->config.port) +
                                 ": " + ec.message());
  }
  impl->port = impl->acceptor->local_endpoint().port();
  impl->Accept();
  for (std::size_t i = 0; i < impl->contexts.size(); ++i) {
    impl->sweepers.push_back(std::make_unique<net::steady_timer>(*impl->contexts[i]));
    impl->Sweep(i);
  }
  for (auto& ioc : impl->contexts) {
    impl->guards.push_back(net::make_work_guard(*ioc));
    impl->threads.emplace_back([ctx = ioc.get()] { ctx->run(); });
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

std::uint16_t Server::port() const { return impl_->port; }
const std::string& Server::host() const { return impl_->config.host; }

void Server::Stop() {
  Impl& s = *impl_;
  if (s.stopping.exchange(true)) return;
  net::post(*s.contexts[0], [&s] {
    beast::error_code ec;
    s.acceptor->close(ec);
  });
  // From here an io_context ends when its last connection does.
  for (auto& g : s.guards) g.reset();
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(s.sessions_mutex);
    for (auto& [ptr, weak] : s.sessions) {
      if (auto p = weak.lock()) live.push_back(std::move(p));
    }
  }
  // Each session is touched only on its own io thread.
  for (auto& session : live) {
    net::io_context& ioc = session->context();
    net::post(ioc, [session = std::move(session)] { session->OnStop(); });
  }
}

void Server::Wait() {
  Impl& s = *impl_;
  if (s.waited) return;
  s.waited = true;
  for (std::thread& t : s.threads) t.join();
  s.service->Shutdown();
  s.service.reset();  // closes the database
}

}  // namespace idp::http
