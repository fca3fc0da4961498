#!/usr/bin/env python3
"""The scaffolder API of a real idp-server (python3 stdlib only).

    scaffolder_api_test.py <idp-server binary>

Starts idp-server on 127.0.0.1:0 with its SQLite file and scaffolder working
directory in a temporary folder, registers the Templates in
catalog/templates/ through POST /api/catalog/locations, then drives
/api/scaffolder/v2: actions, parameter-schema, tasks (create, get, list,
events?after= long poll, eventstream, cancel, retry), dry-run and
actions/:id/run, with the bad inputs of each. Finally the server is killed
(SIGKILL) in the middle of a task and restarted with task recovery on: the
task is recovered and completes. A secret sent with a task must appear in no
response. Exit 0 when every check passed.
"""
import base64
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CATALOG = os.path.join(HERE, "catalog")
TEMPLATE_DIR = os.path.join(CATALOG, "templates", "new-service")
TOKEN = "scaffolder-test-token-0123456789"
SECRET = "top-secret-value-4711"
HANG = 60.0  # a hang guard, not a timing assertion

failures = []
responses = []  # every body received: the secret must be in none


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what, flush=True)
    return cond


class Server:
    def __init__(self, binary, work, recover=False, readonly=False):
        self.work = work
        config = os.path.join(work, "app-config.yaml")
        with open(config, "w") as f:
            f.write("""
backend:
  listen: 127.0.0.1:0
  database:
    connection:
      filename: %(db)s
  accessLog: false
  auth:
    externalAccess:
      - type: static
        options:
          token: %(token)s
          subject: scaffolder-test
catalog:
  locations:
    - type: file
      target: %(root)s
  processingInterval: { seconds: 3600 }
  readonly: %(readonly)s
scaffolder:
  workspaceRoot: %(ws)s
  concurrentTasksLimit: 2
  EXPERIMENTAL_recoverTasks: %(recover)s
  EXPERIMENTAL_recoverTasksTimeout: { milliseconds: 0 }
integrations:
  github:
    - host: ghe.example.com
      apiBaseUrl: http://127.0.0.1:9/api/v3/
      token: ghe-token-0123456789
""" % {"db": os.path.join(work, "catalog.db"), "token": TOKEN, "root": os.path.join(CATALOG, "all.yaml"),
       "ws": os.path.join(work, "workspaces"), "recover": "true" if recover else "false",
       "readonly": "true" if readonly else "false"})
        self.proc = subprocess.Popen([binary, "--config", config], stdout=subprocess.PIPE, stderr=sys.stderr,
                                     cwd=work, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("listening on http://"):
            raise SystemExit("idp-server did not start: %r" % line)
        hostport = line.strip()[len("listening on http://"):]
        self.host, port = hostport.rsplit(":", 1)
        self.port = int(port)

    def request(self, method, path, body=None, token=True, timeout=HANG):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        headers = {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = "Bearer " + TOKEN
        conn.request(method, path, body=data, headers=headers)
        r = conn.getresponse()
        raw = r.read().decode("utf-8", "replace")
        ctype = r.getheader("Content-Type", "")
        conn.close()
        responses.append(raw)
        parsed = None
        if "json" in ctype and raw:
            parsed = json.loads(raw)
        return r.status, parsed, raw, ctype

    def stop(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=HANG)
        if sig == signal.SIGTERM:
            check(code == 0, "idp-server exits 0 on SIGTERM (got %s)" % code)


def wait_for(fn, what):
    deadline = time.time() + HANG
    while time.time() < deadline:
        value = fn()
        if value:
            return value
        time.sleep(0.05)
    raise SystemExit("timed out waiting for " + what)


def all_events(s, task_id):
    """Long-polls /events?after= until the completion, checking ids increase."""
    events, after = [], None
    while True:
        path = "/api/scaffolder/v2/tasks/%s/events" % task_id
        if after is not None:
            path += "?after=%d" % after
        status, body, _, _ = s.request("GET", path)
        check(status == 200, "events: 200 (got %d)" % status)
        new = [e for e in body if after is None or e["id"] > after]
        events += new
        if new:
            after = new[-1]["id"]
        if any(e["type"] == "completion" for e in body):
            break
    ids = [e["id"] for e in events]
    check(ids == sorted(ids) and len(set(ids)) == len(ids), "event ids increase: %s" % ids)
    return events


def error_name(body):
    return body["error"]["name"] if body and "error" in body else None


def main():
    binary = sys.argv[1]
    work = tempfile.mkdtemp(prefix="idp-scaffolder-http-")
    try:
        run(binary, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    leaked = [r for r in responses if SECRET in r or SECRET.upper() in r]
    check(not leaked, "the secret is in no response (found in %d)" % len(leaked))
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("all scaffolder API checks passed")
    return 0


def run(binary, work):
    s = Server(binary, work)
    try:
        api(s, work)
    finally:
        if s.proc.poll() is None:
            s.stop()
    bad_config(binary, work)
    readonly_register(binary, work)
    crash_and_recover(binary, work)


def api(s, work):
    # ---- the Templates come from the catalog: register their file as a location
    target = os.path.join(TEMPLATE_DIR, "template.yaml")
    status, body, raw, _ = s.request("POST", "/api/catalog/locations", {"type": "file", "target": target})
    check(status == 201, "POST /locations: 201 (got %d %s)" % (status, raw[:300]))
    wait_for(lambda: s.request("GET", "/api/catalog/entities/by-name/template/default/new-service")[0] == 200,
             "the Template in the catalog")

    # ---- GET /v2/actions
    status, actions, _, _ = s.request("GET", "/api/scaffolder/v2/actions")
    check(status == 200, "actions: 200")
    ids = [a["id"] for a in actions]
    check(ids == sorted(ids), "actions sorted by id")
    for want in ("debug:log", "debug:wait", "fetch:plain", "fetch:template", "fs:delete", "fs:rename",
                 "catalog:fetch", "catalog:register", "catalog:write", "publish:github", "publish:git"):
        check(want in ids, "actions lists " + want)
    fetch = next(a for a in actions if a["id"] == "fetch:template")
    check("input" in fetch["schema"] and fetch["examples"], "fetch:template has its input schema and examples")

    # ---- parameter-schema
    status, schema, _, _ = s.request("GET", "/api/scaffolder/v2/templates/default/template/new-service/parameter-schema")
    check(status == 200, "parameter-schema: 200")
    check(schema.get("title") == "New service", "parameter-schema title")
    check(schema.get("description") == "Creates a service from the skeleton", "parameter-schema description")
    check(len(schema["steps"]) == 1 and schema["steps"][0]["title"] == "Service", "parameter-schema steps")
    check(schema["steps"][0]["schema"]["required"] == ["name"], "parameter-schema carries the page")
    status, body, _, _ = s.request("GET", "/api/scaffolder/v2/templates/default/template/nope/parameter-schema")
    check(status == 404 and error_name(body) == "NotFoundError", "parameter-schema of an unknown template: 404")
    check(body["error"]["message"] == "Template template:default/nope not found", "404 message: %s" % body)
    status, body, _, _ = s.request("GET", "/api/scaffolder/v2/templates/default/group/platform/parameter-schema")
    check(status == 400 and body["error"]["message"] == "Invalid kind, only 'Template' kind is supported",
          "parameter-schema of another kind: 400")

    # ---- POST /v2/tasks: bad input first
    status, body, _, _ = s.request("POST", "/api/scaffolder/v2/tasks", {"templateRef": "template:default/new-service",
                                                                      "values": {}}, token=False)
    check(status == 401, "tasks without a token: 401 (got %d)" % status)
    status, body, _, _ = s.request("POST", "/api/scaffolder/v2/tasks", {"templateRef": "template:default/new-service",
                                                                      "values": {"name": "Bad Name"},
                                                                      "secrets": {"token": SECRET}})
    check(status == 400 and "errors" in body, "invalid values: 400 {errors} (got %d %s)" % (status, body))
    if status == 400:
        check(body["errors"][0]["property"] == "instance.name", "the error names the field: %s" % body)
    status, body, _, _ = s.request("POST", "/api/scaffolder/v2/tasks", {"templateRef": "template:default/new-service",
                                                                      "values": {"name": "svc"}})
    check(status == 400 and "errors" in body, "missing required secret: 400 {errors}")
    status, body, _, _ = s.request("POST", "/api/scaffolder/v2/tasks", {"templateRef": "template:default/missing",
                                                                      "values": {}})
    check(status == 404 and error_name(body) == "NotFoundError", "unknown template: 404")
    status, body, _, _ = s.request("POST", "/api/scaffolder/v2/tasks", {"templateRef": 42})
    check(status == 400 and error_name(body) == "InputError", "templateRef not a string: 400")
    conn = http.client.HTTPConnection(s.host, s.port, timeout=HANG)
    conn.request("POST", "/api/scaffolder/v2/tasks", body=b"{not json",
                 headers={"Content-Type": "application/json", "Authorization": "Bearer " + TOKEN})
    r = conn.getresponse()
    check(r.status == 400, "malformed JSON body: 400")
    r.read()
    conn.close()

    # ---- a task runs to completion
    status, body, raw, _ = s.request("POST", "/api/scaffolder/v2/tasks", {
        "templateRef": "template:default/new-service", "values": {"name": "payments", "language": "python"},
        "secrets": {"token": SECRET}})
    check(status == 201 and "id" in body, "create task: 201 {id} (got %d %s)" % (status, raw))
    task_id = body["id"]
    status, task, _, _ = s.request("GET", "/api/scaffolder/v2/tasks/" + task_id)
    check(status == 200 and task["id"] == task_id, "get task: 200")
    check("secrets" not in task, "a task never shows its secrets")
    check(task["spec"]["templateInfo"]["entityRef"] == "template:default/new-service", "spec.templateInfo.entityRef")
    check(task["spec"]["templateInfo"]["baseUrl"].startswith("file://"), "spec.templateInfo.baseUrl is the file")
    check(task["spec"]["steps"][0]["id"] == "fetch" and task["spec"]["parameters"]["name"] == "payments",
          "spec steps and parameters")
    check(task["status"] in ("open", "processing", "completed"), "task status")
    events = all_events(s, task_id)
    check(events[0]["body"] == {"message": "Starting up task with 2 steps"}, "first event: %s" % events[0]["body"])
    check(events[1]["body"] == {"message": "Beginning step Fetch skeleton", "stepId": "fetch", "status": "processing"},
          "step start event")
    for e in events:
        check(e["taskId"] == task_id and e["isTaskRecoverable"] is False and e["createdAt"].endswith("Z"),
              "event shape: %s" % e)
    completion = events[-1]
    check(completion["type"] == "completion", "last event is the completion")
    check(completion["body"] == {"message": "Run completed with status: completed", "output": {
        "links": [{"title": "Repository", "url": "https://example.com/payments"}],
        "text": [{"title": "Language", "content": "python"}]}}, "completion body: %s" % completion["body"])
    logs = "\n".join(e["body"].get("message", "") for e in events)
    # Backstage redacts every rendered input string that holds a secret: the whole line.
    check(any(e["body"].get("message", "").endswith("info\u001b[39m: ***") for e in events),
          "the step's log line with the secret is redacted: %s" % logs)
    check("README.md" in logs and "catalog-info.yaml" in logs, "the rendered skeleton is in the workspace listing")
    status, task, _, _ = s.request("GET", "/api/scaffolder/v2/tasks/" + task_id)
    check(task["status"] == "completed", "task completed")
    check(not os.path.exists(os.path.join(work, "workspaces", task_id)), "the workspace is removed at the end")
    # after= beyond every id still returns the completion (so pollers stop)
    status, tail, _, _ = s.request("GET", "/api/scaffolder/v2/tasks/%s/events?after=%d" % (task_id, completion["id"]))
    check([e["type"] for e in tail] == ["completion"], "events after the last id: the completion")

    # ---- catalog:fetch reads the server's catalog, catalog:write writes into the workspace
    status, body, raw, _ = s.request("POST", "/api/scaffolder/v2/tasks", {
        "templateRef": "template:default/catalog-roundtrip", "values": {"name": "roundtrip"}})
    check(status == 201, "create the catalog task: 201 (got %d %s)" % (status, raw))
    cat_events = all_events(s, body["id"])
    cat_done = cat_events[-1]["body"]
    check(cat_done.get("message") == "Run completed with status: completed" and
          cat_done.get("output") == {"text": [{"title": "Owner type", "content": "team"}]},
          "catalog task completes with the fetched group's spec.type: %s" % cat_done)
    cat_logs = "\n".join(e["body"].get("message", "") for e in cat_events)
    check("catalog-info.yaml:" in cat_logs and "name: roundtrip" in cat_logs and "owner: platform" in cat_logs,
          "catalog:write wrote the entity with the fetched owner: %s" % cat_logs)

    # ---- catalog:register adds to the server's catalog; the served bodies follow at once
    def owned():
        status, group, _, _ = s.request("GET", "/api/catalog/entities/by-name/group/default/platform")
        check(status == 200, "get the group: 200")
        return [r["targetRef"] for r in group.get("relations", []) if r["type"] == "ownerOf"]
    check("component:default/registered-svc" not in owned() + owned(), "the group owns nothing registered yet")
    status, body, raw, _ = s.request("POST", "/api/scaffolder/v2/tasks", {
        "templateRef": "template:default/catalog-register",
        "values": {"url": "file://" + os.path.join(CATALOG, "registered", "catalog-info.yaml")}})
    check(status == 201, "create the register task: 201 (got %d %s)" % (status, raw))
    reg_done = all_events(s, body["id"])[-1]["body"]
    check(reg_done.get("output") == {"text": [{"title": "Registered", "content": "component:default/registered-svc"}]},
          "catalog:register outputs the registered entity: %s" % reg_done)
    status, _, _, _ = s.request("GET", "/api/catalog/entities/by-name/component/default/registered-svc")
    check(status == 200, "the registered component is served")
    # POST /locations' rules hold for catalog:register too: a file outside the allowed roots is refused.
    before = s.request("GET", "/api/catalog/locations")[1]
    status, body, raw, _ = s.request("POST", "/api/scaffolder/v2/tasks", {
        "templateRef": "template:default/catalog-register", "values": {"url": "file:///etc/hosts"}})
    out_done = all_events(s, body["id"])[-1]["body"]
    check(out_done.get("error") == {"name": "NotAllowedError",
                                    "message": "file location /etc/hosts is outside the allowed roots"},
          "catalog:register outside the allowed roots: NotAllowedError: %s" % out_done)
    check(s.request("GET", "/api/catalog/locations")[1] == before, "no location added outside the roots")
    check("component:default/registered-svc" in owned(), "the group's (cached) body shows the new ownerOf relation")

    # ---- the event stream (server-sent events)
    status, _, raw, ctype = s.request("GET", "/api/scaffolder/v2/tasks/%s/eventstream" % task_id)
    check(status == 200 and ctype.startswith("text/event-stream"), "eventstream: 200 text/event-stream")
    frames = [f for f in raw.split("\n\n") if f]
    parsed = []
    for f in frames:
        lines = f.split("\n")
        check(len(lines) == 2 and lines[0].startswith("event: ") and lines[1].startswith("data: "),
              "SSE frame shape: %r" % f[:100])
        ev = json.loads(lines[1][len("data: "):])
        check(lines[0] == "event: " + ev["type"], "SSE event name is the type")
        parsed.append(ev)
    check([e["id"] for e in parsed] == [e["id"] for e in events], "the stream carries every event")
    status, _, raw, _ = s.request("GET", "/api/scaffolder/v2/tasks/%s/eventstream?after=%d" % (task_id, events[1]["id"]))
    check(raw.count("event: ") == len(events) - 2, "eventstream?after= skips what was seen")

    # ---- unknown task
    for path in ("", "/events", "/eventstream"):
        status, body, _, _ = s.request("GET", "/api/scaffolder/v2/tasks/no-such-task" + path)
        check(status == 404 and body["error"]["message"] == "No task with id 'no-such-task' found",
              "unknown task%s: 404" % path)
    status, body, _, _ = s.request("POST", "/api/scaffolder/v2/tasks/no-such-task/cancel")
    check(status == 404, "cancel an unknown task: 404")

    # ---- list
    status, listing, _, _ = s.request("GET", "/api/scaffolder/v2/tasks")
    check(status == 200 and listing["totalTasks"] >= 1 and any(t["id"] == task_id for t in listing["tasks"]),
          "list tasks")
    status, listing, _, _ = s.request("GET", "/api/scaffolder/v2/tasks?status=open&status=processing")
    check(status == 200 and listing["totalTasks"] == 0, "list by status")
    status, body, _, _ = s.request("GET", "/api/scaffolder/v2/tasks?order=sideways:created_at")
    check(status == 400 and error_name(body) == "InputError", "bad order: 400")
    status, body, _, _ = s.request("GET", "/api/scaffolder/v2/tasks?limit=-1")
    check(status == 400, "bad limit: 400")

    # ---- cancel a running task, then retry rules
    status, body, _, _ = s.request("POST", "/api/scaffolder/v2/tasks", {"templateRef": "template:default/slow",
                                                                      "values": {"seconds": 300}})
    check(status == 201, "create slow task")
    slow = body["id"]
    wait_for(lambda: any(e["body"].get("stepId") == "wait" for e in
                         s.request("GET", "/api/scaffolder/v2/tasks/%s/events" % slow)[1]), "the wait step")
    status, body, _, _ = s.request("POST", "/api/scaffolder/v2/tasks/%s/retry" % slow, {})
    check(status == 409 and error_name(body) == "ConflictError", "retry of a running task: 409")
    status, body, _, _ = s.request("POST", "/api/scaffolder/v2/tasks/%s/cancel" % slow)
    check(status == 200 and body == {"status": "cancelled"}, "cancel: 200 {status: cancelled}")
    events = all_events(s, slow)
    cancelled = [e for e in events if e["type"] == "cancelled"]
    check(len(cancelled) == 1 and cancelled[0]["body"] == {"message": "Step wait has been cancelled.",
                                                           "stepId": "wait", "status": "cancelled"},
          "the cancelled event: %s" % cancelled)
    check(events[-1]["body"]["message"] == "Run completed with status: failed", "a cancelled task fails")
    status, task, _, _ = s.request("GET", "/api/scaffolder/v2/tasks/" + slow)
    check(task["status"] == "failed", "cancelled task status failed")

    status, body, _, _ = s.request("POST", "/api/scaffolder/v2/tasks/%s/retry" % task_id,
                                   {"secrets": {"token": SECRET}})
    check(status == 201 and body == {"id": task_id}, "retry: 201 {id}")
    events = all_events(s, task_id)
    types = [e["type"] for e in events]
    check(types.count("recovered") == 1 and types.count("completion") == 1, "retry: one recovered, one completion")
    check(events[-1]["body"]["message"] == "Run completed with status: completed", "the retried run completes")
    status, body, _, _ = s.request("POST", "/api/scaffolder/v2/tasks/%s/retry" % task_id, {"secrets": {}})
    check(status == 400 and "errors" in body, "retry with secrets the template refuses: 400")

    # ---- dry-run
    template = yaml_template_as_json()
    contents = []
    for root, _, files in os.walk(TEMPLATE_DIR):
        for name in files:
            full = os.path.join(root, name)
            with open(full, "rb") as f:
                contents.append({"path": os.path.relpath(full, TEMPLATE_DIR),
                                 "base64Content": base64.b64encode(f.read()).decode()})
    status, body, raw, _ = s.request("POST", "/api/scaffolder/v2/dry-run", {
        "template": template, "values": {"name": "dry"}, "secrets": {"token": SECRET}, "directoryContents": contents})
    check(status == 200, "dry-run: 200 (got %d %s)" % (status, raw[:400]))
    if status == 200:
        paths = [f["path"] for f in body["directoryContents"]]
        check(paths == sorted(paths) and "README.md" in paths, "dry-run files: %s" % paths)
        readme = next(f for f in body["directoryContents"] if f["path"] == "README.md")
        check(base64.b64decode(readme["base64Content"]).decode().startswith("# dry\n"), "dry-run renders the file")
        check(body["output"]["links"][0]["url"] == "https://example.com/dry", "dry-run output")
        check([st["id"] for st in body["steps"]] == ["fetch", "announce"], "dry-run steps")
        check(all("id" not in entry and "body" in entry for entry in body["log"]), "dry-run log entries")
    escape = json.loads(json.dumps(template))
    escape["spec"]["steps"] = [{"id": "out", "action": "fetch:plain",
                                "input": {"url": "./skeleton", "targetPath": "../../escaped"}}]
    status, body, _, _ = s.request("POST", "/api/scaffolder/v2/dry-run", {
        "template": escape, "values": {"name": "dry"}, "secrets": {"token": SECRET}, "directoryContents": contents})
    check(status == 403 and error_name(body) == "NotAllowedError", "dry-run path escape: 403 (got %d %s)" % (status, body))
    status, body, _, _ = s.request("POST", "/api/scaffolder/v2/dry-run", {"template": template, "values": {"name": "dry"},
                                                                        "secrets": {"token": SECRET}})
    check(status == 400 and error_name(body) == "InputError", "dry-run without directoryContents: 400")
    status, body, _, _ = s.request("POST", "/api/scaffolder/v2/dry-run", {
        "template": template, "values": {}, "secrets": {"token": SECRET}, "directoryContents": contents})
    check(status == 400 and "errors" in body, "dry-run with invalid values: 400 {errors}")

    # ---- POST /v2/actions/:id/run against a workspace
    ws = os.path.join(work, "workspaces", "module-ws")
    os.makedirs(ws, exist_ok=True)
    with open(os.path.join(ws, "old.txt"), "w") as f:
        f.write("x")
    status, body, raw, _ = s.request("POST", "/api/scaffolder/v2/actions/fs:rename/run", {
        "workspacePath": ws, "input": {"files": [{"from": "old.txt", "to": "new.txt"}]}})
    check(status == 200 and "output" in body and "log" in body, "run fs:rename: 200 (got %d %s)" % (status, raw))
    check(os.path.exists(os.path.join(ws, "new.txt")) and not os.path.exists(os.path.join(ws, "old.txt")),
          "fs:rename ran in the workspace")
    status, body, _, _ = s.request("POST", "/api/scaffolder/v2/actions/debug:log/run", {
        "workspacePath": "module-ws", "input": {"message": "hello " + SECRET}, "secrets": {"token": SECRET}})
    check(status == 200 and any("hello ***" in e["body"]["message"] for e in body["log"]),
          "run debug:log: the log line, secret redacted: %s" % body)
    status, body, _, _ = s.request("POST", "/api/scaffolder/v2/actions/debug:log/run", {
        "workspacePath": "../outside", "input": {"message": "x"}})
    check(status == 403 and error_name(body) == "NotAllowedError", "a workspace outside the root: 403")
    check(not os.path.exists(os.path.join(work, "outside")), "nothing created outside the root")
    status, body, _, _ = s.request("POST", "/api/scaffolder/v2/actions/no:such/run", {"workspacePath": "module-ws"})
    check(status == 404 and error_name(body) == "NotFoundError", "run an unknown action: 404")
    status, body, _, _ = s.request("POST", "/api/scaffolder/v2/actions/debug:log/run", {
        "workspacePath": "module-ws", "input": {"message": "x", "unknownKey": 1}})
    check(status == 400 and body["error"]["message"].startswith("Invalid input passed to action debug:log"),
          "run with an unknown input key: 400 (%s)" % body)
    status, body, _, _ = s.request("POST", "/api/scaffolder/v2/actions/fs:rename/run", {
        "workspacePath": "module-ws", "input": {"files": [{"from": "new.txt", "to": "../../escaped.txt"}]}})
    check(status == 403 and error_name(body) == "NotAllowedError", "run fs:rename out of the workspace: 403 (%s)" % body)
    check(not os.path.exists(os.path.join(work, "escaped.txt")), "nothing renamed out of the workspace")
    # publish:github sees the configured integration: an unknown host is refused, the
    # configured one is tried at its apiBaseUrl (nothing listens on port 9).
    status, body, raw, _ = s.request("POST", "/api/scaffolder/v2/actions/publish:github/run", {
        "workspacePath": "module-ws", "input": {"repoUrl": "other.example.com?owner=acme&repo=x"}})
    check(status == 400 and "No matching integration configuration for host other.example.com" in raw,
          "publish:github to an unconfigured host: %s" % raw)
    status, body, raw, _ = s.request("POST", "/api/scaffolder/v2/actions/publish:github/run", {
        "workspacePath": "module-ws", "input": {"repoUrl": "ghe.example.com?owner=acme&repo=x"}})
    check(status == 500 and "request to http://127.0.0.1:9/api/v3/users/acme failed" in raw and
          "ghe-token-0123456789" not in raw, "publish:github to the configured host uses its apiBaseUrl: %s" % raw)
    status, body, raw, _ = s.request("POST", "/api/scaffolder/v2/actions/catalog:fetch/run", {
        "workspacePath": "module-ws", "input": {"entityRef": "group:default/nobody"}})
    # Backstage throws a plain Error there (500), not a NotFoundError.
    check(status == 500 and error_name(body) == "Error" and
          body["error"]["message"] == "Entity group:default/nobody not found",
          "run catalog:fetch of a missing entity: 500 naming it (%s)" % raw)

    status, _, _, _ = s.request("GET", "/api/scaffolder/v2/nope")
    check(status == 404, "unknown scaffolder path: 404")
    status, _, _, _ = s.request("GET", "/.backstage/health/v1/liveness")
    check(status == 200, "the server is still up")


def yaml_template_as_json():
    # The first document of template.yaml, as the catalog serves it (no YAML
    # parser in the stdlib): read back from the server would carry catalog
    # annotations, which dry-run does not need. Kept literal here.
    return {
        "apiVersion": "scaffolder.backstage.io/v1beta3", "kind": "Template",
        "metadata": {"name": "new-service", "title": "New service"},
        "spec": {
            "owner": "group:default/platform", "type": "service",
            "parameters": [{"title": "Service", "required": ["name"], "properties": {
                "name": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"},
                "language": {"type": "string", "enum": ["go", "python"], "default": "go"}}}],
            "secrets": {"schema": {"required": ["token"], "properties": {"token": {"type": "string"}}}},
            "steps": [
                {"id": "fetch", "name": "Fetch skeleton", "action": "fetch:template",
                 "input": {"url": "./skeleton", "values": {"name": "${{ parameters.name }}",
                                                            "language": "${{ parameters.language }}"}}},
                {"id": "announce", "name": "Announce", "action": "debug:log",
                 "input": {"message": "using token ${{ secrets.token }} for ${{ parameters.name }}"}}],
            "output": {"links": [{"title": "Repository", "url": "https://example.com/${{ parameters.name }}"}],
                       "text": [{"title": "Language", "content": "${{ parameters.language }}"}]}}}


def bad_config(binary, work):
    """A wrong scaffolder key stops idp-server with file:line:column and the key."""
    config = os.path.join(work, "bad-config.yaml")
    with open(config, "w") as f:
        f.write("backend:\n  listen: 127.0.0.1:0\nscaffolder:\n  concurrentTasksLimit: many\n")
    p = subprocess.run([binary, "--config", config], cwd=work, capture_output=True, text=True, timeout=HANG)
    check(p.returncode == 2, "bad scaffolder config: exit 2 (got %d)" % p.returncode)
    check(config + ":4:25: scaffolder.concurrentTasksLimit: expected an integer from 0 to 256" in p.stderr,
          "bad scaffolder config message: %r" % p.stderr)
    with open(config, "w") as f:
        f.write("backend:\n  listen: 127.0.0.1:0\nintegrations:\n  github:\n    - host: ghe.example.com\n"
                "      apiBaseUrl: 42\n")
    p = subprocess.run([binary, "--config", config], cwd=work, capture_output=True, text=True, timeout=HANG)
    check(p.returncode == 2, "bad integrations config: exit 2 (got %d)" % p.returncode)
    check(config + ":6:19: integrations.github[0].apiBaseUrl: expected a string" in p.stderr,
          "bad integrations config message: %r" % p.stderr)
    with open(config, "w") as f:
        f.write("backend:\n  listen: 127.0.0.1:0\nscaffolder:\n  defaultAuthor:\n    email: [a]\n")
    p = subprocess.run([binary, "--config", config], cwd=work, capture_output=True, text=True, timeout=HANG)
    check(p.returncode == 2 and config + ":5:12: scaffolder.defaultAuthor.email: expected a string" in p.stderr,
          "bad defaultAuthor config: %r" % p.stderr)


def readonly_register(binary, work):
    """catalog.readonly: catalog:register is refused as POST /locations is; nothing is added."""
    s = Server(binary, work, readonly=True)
    try:
        before = s.request("GET", "/api/catalog/locations")[1]
        status, body, raw, _ = s.request("POST", "/api/scaffolder/v2/tasks", {
            "templateRef": "template:default/catalog-register",
            "values": {"url": "file://" + os.path.join(CATALOG, "registered", "other.yaml")}})
        check(status == 201, "create the readonly register task: 201 (got %d %s)" % (status, raw))
        done = all_events(s, body["id"])[-1]["body"]
        check(done.get("message") == "Run completed with status: failed" and
              done.get("error", {}).get("name") == "NotAllowedError" and
              done["error"].get("message") == "This operation not allowed in readonly mode",
              "readonly: catalog:register fails with NotAllowedError: %s" % done)
        check(s.request("GET", "/api/catalog/locations")[1] == before, "readonly: no location added")
    finally:
        s.stop()


def crash_and_recover(binary, work):
    """SIGKILL in the middle of a task; the restart (recovery on) runs it again."""
    s = Server(binary, work)
    status, body, _, _ = s.request("POST", "/api/scaffolder/v2/tasks", {"templateRef": "template:default/slow",
                                                                      "values": {"seconds": 2}})
    check(status == 201, "create the task to crash")
    task_id = body["id"]
    wait_for(lambda: any(e["body"].get("stepId") == "wait" for e in
                         s.request("GET", "/api/scaffolder/v2/tasks/%s/events" % task_id)[1]), "the wait step")
    s.stop(signal.SIGKILL)
    s = Server(binary, work, recover=True)
    try:
        events = all_events(s, task_id)
        types = [e["type"] for e in events]
        check("recovered" in types, "the crashed task got a recovered event: %s" % types)
        check(events[-1]["body"]["message"] == "Run completed with status: completed",
              "the recovered task completes: %s" % events[-1]["body"])
        status, task, _, _ = s.request("GET", "/api/scaffolder/v2/tasks/" + task_id)
        check(task["status"] == "completed", "recovered task status completed")
    finally:
        s.stop()


if __name__ == "__main__":
    sys.exit(main())
