#!/usr/bin/env python3
"""Bad input against a real idp-server over raw sockets (python3 stdlib only).

    bad_input_test.py <idp-server binary> <case>

Each case starts its own server on 127.0.0.1:0 over the catalog-client test
catalog, with small limits from a config file so the abuse is cheap: 4 KiB
bodies, 2 KiB headers, 1 s to receive a request, 200 connections. Every case
checks the status Backstage (or HTTP) prescribes, that the server is still
up and answering afterwards, and that it exits 0 on SIGTERM. Cases:

  malformed    request lines/headers/framing that are not HTTP/1.1 -> 400 (505)
  headers      oversized header lines, header blocks and URLs -> 431 (400/414)
  body         oversized bodies (Content-Length and chunked) -> 413, memory bounded
  json         invalid JSON / wrong JSON shapes -> 400 InputError (Backstage body)
  filters      invalid filter/order/limit/cursor/fields, unknown params -> 400
  traversal    '..' and encoded traversal in path segments -> 404, no file read
  auth         missing/invalid bearer tokens -> 401 AuthenticationError
  slowloris    a trickling client is cut off by the request timeout while
               other clients are served
  connections  1,000 concurrent connections: each answered or refused
               cleanly, server stays up, RSS (VmHWM) bounded
"""
import json
import os
import resource
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CATALOG = os.path.normpath(os.path.join(HERE, "..", "catalog-client", "catalog"))
ROOT = os.path.join(CATALOG, "all.yaml")
TOKEN = "bad-input-test-token-0123456789"
AUTH = "Authorization: Bearer %s\r\n" % TOKEN
MAX_BODY = 4096
MAX_HEADER = 2048
TIMEOUT_MS = 1000
MAX_CONNECTIONS = 200
# A hang guard, not a timing assertion: nothing here should take this long.
HANG = 30.0

CONFIG = """
backend:
  auth:
    externalAccess:
      - type: static
        options:
          token: %(token)s
          subject: bad-input-test
catalog:
  rules:
    - allow: [Component, System, API, Resource, Location, Domain, Group, User, Template]
  processingInterval:
    seconds: 3600
idp:
  server:
    readsRequireToken: true
    accessLog: false
    limits:
      maxBodyBytes: %(body)d
      maxHeaderBytes: %(header)d
      maxConnections: %(conns)d
      requestTimeoutMs: %(timeout)d
""" % {"token": TOKEN, "body": MAX_BODY, "header": MAX_HEADER, "conns": MAX_CONNECTIONS,
       "timeout": TIMEOUT_MS}

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what, flush=True)
    return cond


class Server:
    def __init__(self, binary):
        self.dir = tempfile.mkdtemp(prefix="idp-bad-input-")
        config = os.path.join(self.dir, "app-config.yaml")
        with open(config, "w") as f:
            f.write(CONFIG)
        self.stderr = open(os.path.join(self.dir, "stderr.log"), "w+b")
        self.proc = subprocess.Popen(
            [binary, "--config", config, "--listen", "127.0.0.1:0",
             "--db", os.path.join(self.dir, "catalog.db"), "--location", ROOT],
            stdout=subprocess.PIPE, stderr=self.stderr)
        line = self.proc.stdout.readline().decode()
        if not line.startswith("listening on http://127.0.0.1:"):
            self.proc.kill()
            self.stderr.seek(0)
            raise SystemExit("idp-server did not start: %r\n%s" % (line, self.stderr.read().decode()[-4000:]))
        self.port = int(line.strip().rsplit(":", 1)[1])

    def alive(self):
        return self.proc.poll() is None

    def vm(self, key):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for l in f:
                if l.startswith(key + ":"):
                    return int(l.split()[1])  # kB
        return 0

    def stop(self):
        code = None
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            try:
                code = self.proc.wait(HANG)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                code = "hung on SIGTERM"
        else:
            code = "died: %s" % self.proc.returncode
        check(code == 0, "idp-server exits 0 on SIGTERM (got %s)" % code)
        if failures:
            self.stderr.seek(0)
            print("--- idp-server stderr (tail) ---\n" + self.stderr.read().decode(errors="replace")[-3000:])
        shutil.rmtree(self.dir, ignore_errors=True)


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=HANG)
    return s


def read_response(s):
    """One HTTP response: (status, headers dict lower-case, body bytes); status
    None when the server closed without answering (a clean refusal)."""
    buf = b""
    try:
        while b"\r\n\r\n" not in buf:
            chunk = s.recv(65536)
            if not chunk:
                return (None, {}, buf)
            buf += chunk
    except (ConnectionResetError, BrokenPipeError):
        return (None, {}, buf)
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
        raise AssertionError("not an HTTP response: %r" % lines[0])
    status = int(parts[1])
    headers = {}
    for l in lines[1:]:
        k, _, v = l.partition(":")
        headers[k.strip().lower()] = v.strip()
    if "content-length" in headers:
        n = int(headers["content-length"])
        try:
            while len(rest) < n:
                chunk = s.recv(65536)
                if not chunk:
                    break
                rest += chunk
        except ConnectionResetError:
            pass
        rest = rest[:n]
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while True:
            while b"\r\n" not in rest:
                rest += s.recv(65536)
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            while len(rest) < size + 2:
                rest += s.recv(65536)
            body += rest[:size]
            rest = rest[size + 2:]
            if size == 0:
                break
        rest = body
    return (status, headers, rest)


def raw(port, data, shut_write=False):
    s = connect(port)
    try:
        try:
            s.sendall(data)
            if shut_write:
                s.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass
        return read_response(s)
    finally:
        s.close()


def request(port, method, target, body=None, headers="", auth=True, content_type="application/json"):
    data = "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" % (method, target)
    if auth:
        data += AUTH
    data += headers
    payload = b""
    if body is not None:
        payload = body if isinstance(body, bytes) else body.encode()
        data += "Content-Type: %s\r\nContent-Length: %d\r\n" % (content_type, len(payload))
    return raw(port, data.encode() + b"\r\n" + payload)


def expect_error(port, method, target, status, name, body=None, message=None, **kw):
    """A Backstage error body (spec §10.1) with that status and error name."""
    got, _, raw_body = request(port, method, target, body, **kw)
    what = "%s %s -> %s %s" % (method, target[:80], status, name)
    if not check(got == status, "%s (got %s %r)" % (what, got, raw_body[:200])):
        return None
    try:
        doc = json.loads(raw_body)
    except ValueError:
        check(False, "%s: body is not JSON: %r" % (what, raw_body[:200]))
        return None
    err = doc.get("error", {}) if isinstance(doc, dict) else {}
    check(err.get("name") == name, "%s: error.name %r" % (what, err.get("name")))
    check(isinstance(err.get("message"), str) and err.get("message"), "%s: error.message" % what)
    check(doc.get("response", {}).get("statusCode") == status, "%s: response.statusCode" % what)
    check(doc.get("request", {}).get("method") == method, "%s: request.method" % what)
    if message is not None:
        check(message in (err.get("message") or ""), "%s: message %r lacks %r" % (what, err.get("message"), message))
    return doc


def healthy(server, what):
    status, _, body = request(server.port, "GET", "/api/catalog/entities/by-name/component/default/svc-01")
    ok = status == 200 and b'"svc-01"' in body
    check(server.alive() and ok, "server still serves after %s (got %s)" % (what, status))


# ---------------------------------------------------------------------------


def case_malformed(server):
    cases = [
        (b"GARBAGE\r\n\r\n", {400}),
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(32)) + b"\r\n\r\n", {400}),  # TLS hello
        (b"GET\r\n\r\n", {400}),
        (b"GET /api/catalog/entities\r\n\r\n", {400}),  # HTTP/0.9
        (b"GET /api/catalog/entities HTTP/1.x\r\nHost: a\r\n\r\n", {400}),
        (b"GET /api/catalog/entities HTTP/3.0\r\nHost: a\r\n\r\n", {400, 505}),
        (b"G(T /api/catalog/entities HTTP/1.1\r\nHost: a\r\n\r\n", {400}),
        (b"GET /api/catalog/entities HTTP/1.1\r\nHost: a\r\nNoColonHere\r\n\r\n", {400}),
        (b"GET /api/catalog/entities HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n", {400}),
        (b"GET /api/catalog/entities HTTP/1.1\r\nHost: a\r\nX: a\x00b\r\n\r\n", {400}),
        (b"POST /api/catalog/refresh HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n", {400}),
        (b"POST /api/catalog/refresh HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n", {400}),
        (b"POST /api/catalog/refresh HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nabcde", {400}),
        (b"POST /api/catalog/refresh HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nabc\r\n0\r\n\r\n", {400}),
        (b"POST /api/catalog/refresh HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked, identity\r\n\r\n", {400, 501}),
    ]
    for data, allowed in cases:
        status, _, body = raw(server.port, data, shut_write=True)
        check(status in allowed, "malformed %r -> %s (got %s %r)" % (data[:60], sorted(allowed), status, body[:100]))
        check(server.alive(), "alive after %r" % data[:60])
    # A request cut off in the middle of its headers: the server answers 400
    # or just closes; either way no hang (the hang guard) and no crash.
    s = connect(server.port)
    s.sendall(b"GET /api/catalog/entities HTTP/1.1\r\nHost: a\r\nX-Half: ")
    s.shutdown(socket.SHUT_WR)
    status, _, _ = read_response(s)
    s.close()
    check(status in (None, 400), "truncated headers -> 400 or close (got %s)" % status)
    healthy(server, "malformed requests")


def case_headers(server):
    long_value = "x" * (MAX_HEADER + 100)
    status, _, _ = request(server.port, "GET", "/api/catalog/entities?limit=1", headers="X-Big: %s\r\n" % long_value)
    check(status in (431, 400), "one header over maxHeaderBytes -> 431 (got %s)" % status)
    many = "".join("X-H%d: %s\r\n" % (i, "y" * 50) for i in range(100))
    status, _, _ = request(server.port, "GET", "/api/catalog/entities?limit=1", headers=many)
    check(status in (431, 400), "header block over maxHeaderBytes -> 431 (got %s)" % status)
    status, _, _ = request(server.port, "GET", "/api/catalog/entities?filter=" + "a" * (MAX_HEADER * 2))
    check(status in (414, 431, 400), "URL over the header limit -> 414/431 (got %s)" % status)
    # A header block that never ends: cut off at the limit, not buffered forever.
    before = server.vm("VmHWM")
    s = connect(server.port)
    s.sendall(b"GET / HTTP/1.1\r\nHost: a\r\n")
    sent = 0
    status = None
    try:
        while sent < 8 * 1024 * 1024:
            s.sendall(b"X-Flood: " + b"z" * 1000 + b"\r\n")
            sent += 1011
    except (BrokenPipeError, ConnectionResetError):
        pass
    status, _, _ = read_response(s)
    s.close()
    check(status in (None, 431, 400), "endless header block -> 431 or close (got %s)" % status)
    check(sent < 8 * 1024 * 1024, "server stopped reading an endless header block (read all %d bytes)" % sent)
    grew = server.vm("VmHWM") - before
    check(grew < 16 * 1024, "VmHWM grew by %d kB on an endless header block" % grew)
    healthy(server, "oversized headers")


def case_body(server):
    refs = json.dumps({"entityRefs": ["component:default/svc-%04d" % i for i in range(400)]})
    check(len(refs) > MAX_BODY, "test body is over the limit")
    status, _, _ = request(server.port, "POST", "/api/catalog/entities/by-refs", refs)
    check(status == 413, "body over maxBodyBytes -> 413 (got %s)" % status)
    # Just under the limit still works.
    small = json.dumps({"entityRefs": ["component:default/svc-01"], "pad": ""})
    small = small[:-2] + "x" * (MAX_BODY - len(small) - 10) + '"}'
    status, _, body = request(server.port, "POST", "/api/catalog/entities/by-refs", small)
    check(status == 200 and b"svc-01" in body, "body under the limit -> 200 (got %s %r)" % (status, body[:100]))
    # A declared huge Content-Length is refused before any body arrives.
    status, _, _ = raw(server.port, (
        "POST /api/catalog/entities/by-refs HTTP/1.1\r\nHost: a\r\n%sContent-Type: application/json\r\n"
        "Content-Length: 10000000000\r\n\r\n" % AUTH).encode())
    check(status == 413, "Content-Length 10 GB -> 413 without reading it (got %s)" % status)
    # A chunked body that keeps growing: 413 once over the limit, memory flat.
    before = server.vm("VmHWM")
    s = connect(server.port)
    s.sendall(("POST /api/catalog/entities/by-refs HTTP/1.1\r\nHost: a\r\n%sContent-Type: application/json\r\n"
               "Transfer-Encoding: chunked\r\n\r\n" % AUTH).encode())
    sent = 0
    try:
        chunk = b"1000\r\n" + b" " * 4096 + b"\r\n"
        while sent < 16 * 1024 * 1024:
            s.sendall(chunk)
            sent += 4096
    except (BrokenPipeError, ConnectionResetError):
        pass
    status, _, _ = read_response(s)
    s.close()
    check(status in (413, None), "endless chunked body -> 413 (got %s)" % status)
    check(sent < 16 * 1024 * 1024, "server stopped reading an endless chunked body")
    grew = server.vm("VmHWM") - before
    check(grew < 16 * 1024, "VmHWM grew by %d kB on an endless body" % grew)
    healthy(server, "oversized bodies")


def case_json(server):
    p = server.port
    expect_error(p, "POST", "/api/catalog/entities/by-refs", 400, "InputError", body='{"entityRefs": [')
    expect_error(p, "POST", "/api/catalog/entities/by-refs", 400, "InputError", body="not json at all")
    expect_error(p, "POST", "/api/catalog/entities/by-refs", 400, "InputError", body='{"entityRefs": "x"}')
    expect_error(p, "POST", "/api/catalog/entities/by-refs", 400, "InputError", body="{}")
    expect_error(p, "POST", "/api/catalog/entities/by-refs", 400, "InputError", body='{"entityRefs": [1, 2]}')
    expect_error(p, "POST", "/api/catalog/entities/by-refs", 400, "InputError", body=b'{"entityRefs": ["\xff\xfe"]}')
    expect_error(p, "POST", "/api/catalog/entities/by-query", 400, "InputError", body="[1, 2]")
    expect_error(p, "POST", "/api/catalog/entities/by-query", 400, "InputError", body='{"query": []}')
    expect_error(p, "POST", "/api/catalog/entities/by-query", 400, "InputError", body='{"query": {"kind": {"$bogus": 1}}}')
    expect_error(p, "POST", "/api/catalog/entities/by-query", 400, "InputError", body='{"cursor": ""}')
    expect_error(p, "POST", "/api/catalog/entities/by-query", 400, "InputError", body='{"limit": "ten"}')
    expect_error(p, "POST", "/api/catalog/entity-facets", 400, "InputError", body='{"facets": "kind"}')
    expect_error(p, "POST", "/api/catalog/locations", 400, "InputError", body='{"type": "file"}')
    expect_error(p, "POST", "/api/catalog/locations", 400, "InputError",
                 body='{"type": "file", "target": "/x.yaml", "extra": 1}', message="Malformed request")
    expect_error(p, "POST", "/api/catalog/refresh", 400, "InputError", body='{"entityRef": 42}')
    expect_error(p, "POST", "/api/catalog/analyze-location", 400, "InputError", body='{"location": 5}')
    # Deep nesting within the size limit: a clean 400, no stack overflow.
    deep = "[" * 2000 + "]" * 2000
    expect_error(p, "POST", "/api/catalog/entities/by-query", 400, "InputError", body=deep)
    deep_obj = '{"query":' + '{"$not":' * 400 + "{}" + "}" * 400 + "}"
    status, _, _ = request(p, "POST", "/api/catalog/entities/by-query", deep_obj)
    check(status in (200, 400), "400-deep $not predicate -> 200 or 400, no crash (got %s)" % status)
    # validate-entity has its own 400 body: {errors: [...]} (spec §10.13).
    status, _, body = request(p, "POST", "/api/catalog/validate-entity", '{"entity": {"kind": 5}, "location": "url:https://x/y.yaml"}')
    check(status == 400, "validate-entity bad envelope -> 400 (got %s)" % status)
    try:
        doc = json.loads(body)
        check(isinstance(doc.get("errors"), list) and doc["errors"] and "error" not in doc,
              "validate-entity 400 body is {errors: [...]}: %r" % body[:200])
    except ValueError:
        check(False, "validate-entity 400 body is JSON: %r" % body[:200])
    healthy(server, "invalid JSON")


def case_filters(server):
    p = server.port
    bad = [
        ("/api/catalog/entities?filter==x", "Invalid filter"),
        ("/api/catalog/entities?filter=kind=component,=x", "Invalid filter"),
        ("/api/catalog/entities/by-query?filter==", "Invalid filter"),
        ("/api/catalog/entity-facets?facet=kind&filter=%3Dy", "Invalid filter"),
        ("/api/catalog/entities?unknownParam=1", None),
        ("/api/catalog/entities?limit=abc", None),
        ("/api/catalog/entities?limit=0", None),
        ("/api/catalog/entities?offset=-1", None),
        ("/api/catalog/entities?order=sideways:metadata.name", None),
        ("/api/catalog/entities?after=", None),
        ("/api/catalog/entities?fields=metadata.tags[0]", None),
        ("/api/catalog/entities/by-query?cursor=%%%%", None),
        ("/api/catalog/entities/by-query?cursor=bm90LWEtY3Vyc29y", "Malformed cursor"),
        ("/api/catalog/entities/by-query?totalItems=maybe", None),
        ("/api/catalog/entities/by-query?limit=-3", None),
        ("/api/catalog/entity-facets", "Missing facet parameter"),
        ("/api/catalog/entities?filter=%ZZ", None),
    ]
    for target, message in bad:
        expect_error(p, "GET", target, 400, "InputError", message=message)
    # Not errors: odd but valid filters (spec §10.2).
    for target in ["/api/catalog/entities?filter=kind=component,,", "/api/catalog/entities?filter=metadata.name=%25",
                   "/api/catalog/entities?filter=" + "%C3%A9" * 100]:
        status, _, body = request(p, "GET", target)
        check(status == 200 and body.startswith(b"["), "%s -> 200 array (got %s %r)" % (target, status, body[:80]))
    healthy(server, "invalid filters")


def case_traversal(server):
    p = server.port
    ents = "/api/catalog/entities/by-name"
    targets = [
        ents + "/component/default/..%2F..%2F..%2Fetc%2Fpasswd",
        ents + "/component/default/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        ents + "/component/..%2f..%2f/passwd",
        ents + "/component/default/..%5c..%5cetc%5cpasswd",
        ents + "/component/default/svc-01%00.yaml",
        ents + "/component/default/%252e%252e%252fetc",
        "/api/catalog/locations/by-entity/component/default/..%2F..%2Fetc%2Fpasswd",
        "/api/catalog/locations/..%2F..%2Fetc%2Fpasswd",
        ents + "/component/default/..",
        ents + "/../../../../etc/passwd",
        "/api/catalog/../../../../etc/passwd",
        "/api/catalog/entities/by-uid/..%2F..%2Fetc%2Fpasswd",
    ]
    for t in targets:
        status, _, body = request(p, "GET", t)
        check(status in (404, 400), "%s -> 404 (got %s)" % (t, status))
        # Error messages may echo the requested name; no entity and no file is served.
        check(b"root:" not in body and b'"apiVersion"' not in body, "%s leaks content: %r" % (t, body[:100]))
    # A location outside the allowed roots is refused, not read.
    for target in ["/etc/passwd", os.path.join(CATALOG, "..", "..", "..", "..", "etc", "hostname"),
                   os.path.join(CATALOG, "..", "bad-input", "bad_input_test.py")]:
        for dry in ("", "?dryRun=true"):
            status, _, body = request(p, "POST", "/api/catalog/locations" + dry, json.dumps({"type": "file", "target": target}))
            check(400 <= status < 500, "POST /locations%s %s outside the allowed roots -> 4xx (got %s %r)"
                  % (dry, target, status, body[:200]))
    status, _, body = request(p, "GET", "/api/catalog/locations")
    check(status == 200 and json.loads(body) == [], "no location was registered (got %s %r)" % (status, body[:200]))
    healthy(server, "traversal attempts")


def case_auth(server):
    p = server.port
    for method, target, body in [("GET", "/api/catalog/entities?limit=1", None),
                                 ("POST", "/api/catalog/refresh", '{"entityRef": "component:default/svc-01"}'),
                                 ("POST", "/api/catalog/locations", '{"type": "file", "target": "%s"}' % os.path.join(CATALOG, "extra.yaml")),
                                 ("DELETE", "/api/catalog/entities/by-uid/00000000-0000-4000-8000-000000000000", None)]:
        expect_error(p, method, target, 401, "AuthenticationError", body=body, auth=False)
        for h in ["Authorization: Bearer wrong-token\r\n", "Authorization: Bearer \r\n", "Authorization: Bearer\r\n",
                  "Authorization: Basic %s\r\n" % TOKEN, "Authorization: %s\r\n" % TOKEN,
                  "Authorization: Bearer %s\r\n" % TOKEN[:-1], "Authorization: Bearer %sX\r\n" % TOKEN]:
            expect_error(p, method, target, 401, "AuthenticationError", body=body, auth=False, headers=h)
    # The right token, with any case of the scheme (RFC 7235), works.
    status, _, _ = request(p, "GET", "/api/catalog/entities?limit=1", auth=False,
                           headers="Authorization: bearer %s\r\n" % TOKEN)
    check(status == 200, "lower-case 'bearer' scheme -> 200 (got %s)" % status)
    status, _, _ = request(p, "POST", "/api/catalog/refresh", '{"entityRef": "component:default/svc-01"}')
    check(status == 200, "refresh with the token -> 200 (got %s)" % status)
    # Health endpoints are for probes: no token needed.
    status, _, _ = request(p, "GET", "/.backstage/health/v1/liveness", auth=False)
    check(status == 200, "liveness without a token -> 200 (got %s)" % status)
    status, _, _ = request(p, "GET", "/.backstage/health/v1/readiness", auth=False)
    check(status == 200, "readiness without a token -> 200 (got %s)" % status)


def case_slowloris(server):
    p = server.port
    slow = connect(p)
    slow.sendall(b"GET /api/catalog/entities?limit=1 HTTP/1.1\r\nHost: a\r\n")
    closed = threading.Event()
    answer = []

    def trickle():
        # One header byte every 100 ms: each read makes progress, so only a
        # deadline on the whole request (not an idle timer) stops this.
        try:
            for _ in range(int(HANG * 10)):
                slow.sendall(b"X")
                r, _, _ = select.select([slow], [], [], 0.1)
                if r:
                    data = slow.recv(4096)
                    answer.append(data)
                    if not data:
                        break
        except OSError:
            pass
        closed.set()

    t = threading.Thread(target=trickle)
    t.start()
    # Meanwhile, other clients are served (the trickler holds no thread).
    for _ in range(20):
        status, _, body = request(p, "GET", "/api/catalog/entities/by-name/api/default/orders-api")
        check(status == 200 and b"orders-api" in body, "served during slowloris (got %s)" % status)
    t.join()
    check(closed.is_set() and (not answer or answer[-1] == b"" or b" 408 " in b"".join(answer)[:20]),
          "slowloris connection cut off by the request timeout (got %r)" % b"".join(answer)[:100])
    got = b"".join(answer)
    check(got == b"" or got.startswith(b"HTTP/1.1 408"), "slowloris: closed or 408 (got %r)" % got[:60])
    slow.close()
    # Idle keep-alive connection: also closed by the timeout.
    idle = connect(p)
    idle.settimeout(HANG)
    try:
        data = idle.recv(100)
    except OSError:
        data = b""
    check(data in (b"",) or data.startswith(b"HTTP/1.1 408"), "idle connection closed (got %r)" % data[:60])
    idle.close()
    healthy(server, "slowloris")


def case_connections(server):
    p = server.port
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 2200 and hard > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    before = server.vm("VmHWM")
    socks = []
    refused = 0
    for _ in range(1000):
        try:
            socks.append(socket.create_connection(("127.0.0.1", p), timeout=HANG))
        except OSError:
            refused += 1  # refused at connect (backlog full) is a clean refusal
    req = ("GET /api/catalog/entities/by-name/component/default/svc-01 HTTP/1.1\r\nHost: a\r\n"
           "Connection: close\r\n%s\r\n" % AUTH).encode()
    for s in socks:
        try:
            s.sendall(req)
        except OSError:
            pass
    counts = {}
    for s in socks:
        try:
            status, _, body = read_response(s)
        except (socket.timeout, OSError) as e:
            status = "error %s" % type(e).__name__
        if status == 200 and b'"svc-01"' not in body:
            status = "200 with a wrong body"
        counts[status] = counts.get(status, 0) + 1
        s.close()
    print("1000 concurrent connections: %s, refused at connect: %d" % (counts, refused))
    unexpected = {k: v for k, v in counts.items() if k not in (200, 503, None)}
    check(not unexpected, "each connection gets 200, 503 or a clean close (unexpected: %s)" % unexpected)
    check(counts.get(200, 0) >= MAX_CONNECTIONS // 2, "at least %d answered 200" % (MAX_CONNECTIONS // 2))
    check(server.alive(), "server alive after 1000 connections")
    # Again, with keep-alive connections that stay open: the ones over the cap
    # are turned away and the rest stay usable.
    socks = [socket.create_connection(("127.0.0.1", p), timeout=HANG) for _ in range(1000)]
    keep = req.replace(b"Connection: close\r\n", b"")
    ok = 0
    for s in socks:
        try:
            s.sendall(keep)
            status, _, _ = read_response(s)
            ok += status == 200
        except OSError:
            pass
    for s in socks:
        s.close()
    check(ok >= MAX_CONNECTIONS // 2, "keep-alive wave: %d answered 200" % ok)
    healthy(server, "1000 connections")
    hwm = server.vm("VmHWM")
    print("VmHWM before %d kB, after %d kB" % (before, hwm))
    check(hwm - before < 64 * 1024, "VmHWM grew by %d kB (bound 64 MB)" % (hwm - before))


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in CASES:
        raise SystemExit("usage: bad_input_test.py IDP_SERVER {%s}" % "|".join(CASES))
    server = Server(sys.argv[1])
    try:
        CASES[sys.argv[2]](server)
    except Exception as e:  # a hang guard or protocol error is a failure too
        import traceback
        traceback.print_exc()
        failures.append("%s: %s" % (type(e).__name__, e))
    finally:
        server.stop()
    if failures:
        print("%d failure(s) in case %s" % (len(failures), sys.argv[2]))
        sys.exit(1)
    print("ok: " + sys.argv[2])


if __name__ == "__main__":
    main()
