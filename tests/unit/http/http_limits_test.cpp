// Limits, malformed input and shutdown, over raw sockets where a well-behaved
// client library would not send what we need to send.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http_fixture.h"
#include "store/store.h"

namespace idp::http::testing {
namespace {

// A blocking TCP connection to the server.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    // A safety net so a broken server fails the test instead of hanging it.
    timeval tv{30, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  int fd() const { return fd_; }
  bool Send(const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
      const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }
  // Everything until the server closes (or the safety timeout).
  std::string ReadToEnd() {
    std::string out;
    char buf[4096];
    for (;;) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return out;
      out.append(buf, static_cast<std::size_t>(n));
    }
  }
  // One response with a Content-Length body.
  std::string ReadResponse() {
    std::string out;
    char buf[4096];
    for (;;) {
      const std::size_t end = out.find("\r\n\r\n");
      if (end != std::string::npos) {
        const std::size_t cl = out.find("Content-Length: ");
        const std::size_t length = cl == std::string::npos ? 0 : std::stoul(out.substr(cl + 16));
        if (out.size() >= end + 4 + length) return out;
      }
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return out;
      out.append(buf, static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

std::string StatusLine(const std::string& response) { return response.substr(0, response.find("\r\n")); }

const std::string kGetSvc1 =
    "GET /api/catalog/entities/by-name/component/default/svc-1 HTTP/1.1\r\nHost: t\r\n\r\n";

class LimitsTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    config.threads = 1;  // one io thread: a stuck client would block everyone
    config.limits.max_body_bytes = 1024;
    config.limits.max_header_bytes = 1024;
    config.limits.max_connections = 1100;
    config.limits.request_timeout = std::chrono::milliseconds(300);
    config.limits.idle_timeout = std::chrono::milliseconds(300);
  }
};

TEST_F(LimitsTest, BodyOverTheLimitIs413) {
  StartServer();
  const std::string big = R"({"query":{"kind":")" + std::string(2000, 'x') + R"("}})";
  auto r = client().Post("/api/catalog/entities/by-query", big, "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  auto small = client().Post("/api/catalog/entities/by-query", R"({"limit":1})", "application/json");
  ASSERT_TRUE(small);
  EXPECT_EQ(small->status, 200);
}

TEST_F(LimitsTest, HeadersOverTheLimitAre431) {
  StartServer();
  auto r = client().Get("/api/catalog/entities/by-name/component/default/svc-1", {{"X-Big", std::string(4000, 'h')}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
}

TEST_F(LimitsTest, MalformedHttpIs400AndCloses) {
  StartServer();
  for (const std::string& garbage : {std::string("NOT AN HTTP REQUEST\r\n\r\n"), std::string("\x01\x02\x03\xff\r\n\r\n"),
                                     std::string("GET / HTTP/9.9\r\n\r\n"),
                                     std::string("POST /api/catalog/refresh HTTP/1.1\r\nHost: t\r\n"
                                                 "Transfer-Encoding: gzip, chunked, identity\r\n\r\n"),
                                     std::string("POST /api/catalog/entities/by-query HTTP/1.1\r\nHost: t\r\n"
                                                 "Content-Length: nope\r\n\r\n")}) {
    RawConnection c(port());
    ASSERT_TRUE(c.connected());
    ASSERT_TRUE(c.Send(garbage));
    EXPECT_EQ(StatusLine(c.ReadToEnd()), "HTTP/1.1 400 Bad Request") << garbage;
  }
}

TEST_F(LimitsTest, ExpectContinueIsAnswered) {
  StartServer();
  RawConnection c(port());
  ASSERT_TRUE(c.Send("POST /api/catalog/entities/by-query HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                     "Content-Length: 11\r\nExpect: 100-continue\r\n\r\n"));
  char buf[64] = {};
  const ssize_t n = ::recv(c.fd(), buf, sizeof buf - 1, 0);  // before any body byte was sent
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buf, static_cast<std::size_t>(n)), "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(c.Send(R"({"limit":1})"));
  EXPECT_EQ(StatusLine(c.ReadResponse()), "HTTP/1.1 200 OK");
}

TEST_F(LimitsTest, InvalidJsonBodiesAre400) {
  StartServer();
  for (const std::string& body : {std::string("{"), std::string("[1,2"), std::string("{\"query\":{}} trailing"),
                                  std::string(500, '[') + std::string(500, ']'), std::string("\xff\xfe")}) {
    auto r = client().Post("/api/catalog/entities/by-query", body, "application/json");
    ASSERT_TRUE(r) << body;
    EXPECT_EQ(r->status, 400) << body;
    EXPECT_NE(r->body.find("\"InputError\""), std::string::npos);
  }
}

TEST_F(LimitsTest, ASlowClientGets408AndHoldsNoThread) {
  StartServer();
  RawConnection slow(port());
  ASSERT_TRUE(slow.connected());
  ASSERT_TRUE(slow.Send("GET /api/catalog/entities HTTP/1.1\r\nHost: t\r\n"));  // never finished
  // The only io thread still serves others meanwhile.
  auto r = client().Get("/api/catalog/entities/by-name/component/default/svc-1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(StatusLine(slow.ReadToEnd()), "HTTP/1.1 408 Request Timeout");
}

TEST_F(LimitsTest, IdleConnectionsAreClosed) {
  StartServer();
  RawConnection idle(port());
  ASSERT_TRUE(idle.connected());
  EXPECT_EQ(idle.ReadToEnd(), "");  // closed by the server, nothing sent
}

TEST_F(LimitsTest, ConnectionsOverTheLimitGet503) {
  config.limits.max_connections = 2;
  config.limits.idle_timeout = std::chrono::milliseconds(60'000);
  StartServer();
  RawConnection a(port()), b(port());
  for (RawConnection* c : {&a, &b}) {
    ASSERT_TRUE(c->Send(kGetSvc1));
    EXPECT_EQ(StatusLine(c->ReadResponse()), "HTTP/1.1 200 OK");  // accepted, kept alive
  }
  RawConnection third(port());
  ASSERT_TRUE(third.connected());
  third.Send(kGetSvc1);
  const std::string answer = third.ReadToEnd();
  EXPECT_EQ(StatusLine(answer), "HTTP/1.1 503 Service Unavailable");
  EXPECT_NE(answer.find("Too many connections"), std::string::npos);
  // The first two are still served.
  ASSERT_TRUE(a.Send(kGetSvc1));
  EXPECT_EQ(StatusLine(a.ReadResponse()), "HTTP/1.1 200 OK");
}

TEST_F(LimitsTest, AThousandConcurrentConnections) {
  config.limits.request_timeout = std::chrono::milliseconds(30'000);
  config.limits.idle_timeout = std::chrono::milliseconds(30'000);
  StartServer();
  std::vector<std::unique_ptr<RawConnection>> conns;
  for (int i = 0; i < 1000; ++i) {
    conns.push_back(std::make_unique<RawConnection>(port()));
    ASSERT_TRUE(conns.back()->connected()) << i;
  }
  // All open at once, then every one asks and every one is answered.
  for (auto& c : conns) ASSERT_TRUE(c->Send(kGetSvc1));
  int ok = 0;
  for (auto& c : conns) ok += StatusLine(c->ReadResponse()) == "HTTP/1.1 200 OK";
  EXPECT_EQ(ok, 1000);
}

TEST_F(LimitsTest, StopClosesIdleConnectionsAndTheDatabase) {
  config.limits.idle_timeout = std::chrono::milliseconds(60'000);
  StartServer();
  RawConnection keep(port());
  ASSERT_TRUE(keep.Send(kGetSvc1));
  ASSERT_EQ(StatusLine(keep.ReadResponse()), "HTTP/1.1 200 OK");
  server_->Stop();
  server_->Wait();  // returns although a keep-alive connection was open
  EXPECT_EQ(keep.ReadToEnd(), "");
  // The SQLite file is closed cleanly and holds the catalog.
  auto store = store::Store::Open(config.db_path);
  ASSERT_TRUE(store.ok()) << store.status().message();
  auto refs = store->ListRefs();
  ASSERT_TRUE(refs.ok());
  EXPECT_EQ(refs->size(), 34u);  // 30 components, an API, a group, two Locations
}

TEST_F(LimitsTest, StopDoesNotWaitForHalfSentRequests) {
  config.limits.request_timeout = std::chrono::milliseconds(600'000);
  config.limits.idle_timeout = std::chrono::milliseconds(600'000);
  StartServer();
  RawConnection half(port());
  ASSERT_TRUE(half.Send("POST /api/catalog/entities/by-query HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n{"));
  // The server has seen the request begin once it answers another one on
  // the same (single) io thread after it.
  ASSERT_EQ(client().Get("/.backstage/health/v1/liveness")->status, 200);
  server_->Stop();
  server_->Wait();  // the deadlines are ten minutes: only the stop can end it
  EXPECT_EQ(StatusLine(half.ReadToEnd()), "");
}

}  // namespace
}  // namespace idp::http::testing
