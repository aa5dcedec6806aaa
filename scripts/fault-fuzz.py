#!/usr/bin/env python3
"""Bad input against a running web process (scripts/fault-suite.sh fuzz): every API route (src/TenantAtlas.Operations/Api,
the backup set download, the moved backup routes, health) and every static form a signed-in user reaches (sign-in,
accept invitation, add and edit tenant, sign-out), with antiforgery tokens taken from the pages as a browser does.

Promise checked: never a 5xx; an API 400 is ProblemDetails with a message; a rejected form shows a message. The caller
compares row counts before and after (nothing written). Writes one line per request to --report (OK/BAD, method, path,
status, case) and prints one summary line; exits 1 when any answer broke the promise. Standard library only."""

import argparse
import http.cookiejar
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid

parser = argparse.ArgumentParser()
for name in ("base", "token", "tenant", "workspace", "email", "password", "report"):
    parser.add_argument("--" + name, required=True)
args = parser.parse_args()
base = args.base.rstrip("/")

results = []


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


jar = http.cookiejar.CookieJar()
browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
plain = urllib.request.build_opener(NoRedirect)


def send(method, path, body=None, headers=None, opener=plain, raw_path=False):
    url = path if path.startswith("http") else base + path
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()
    except Exception as e:  # a dropped connection is an answer too, and a bad one
        return 0, {}, str(e).encode()


def record(case, method, path, status, ok, why=""):
    results.append(("OK" if ok else "BAD", method, path[:120], str(status), case + (f" — {why}" if why else "")))


def problem_message(headers, body):
    if "json" not in (headers.get("Content-Type") or ""):
        return None
    try:
        doc = json.loads(body)
    except ValueError:
        return None
    if not isinstance(doc, dict):
        return None
    return doc.get("detail") or doc.get("errors") or doc.get("title")


def api(case, method, path, body=None, content_type="application/json", token=args.token, expect=None, extra=None, kestrel=False):
    """kestrel: the server itself refuses the request line (a NUL in the path) before the app sees it: a bare 400."""
    headers = {}
    if token is not None:
        headers["Authorization"] = "Bearer " + token
    if body is not None and content_type:
        headers["Content-Type"] = content_type
    headers.update(extra or {})
    if isinstance(body, str):
        body = body.encode("utf-8", "surrogatepass")
    status, response_headers, content = send(method, path, body, headers)
    ok, why = True, ""
    if status == 0 or status >= 500:
        ok, why = False, content[:200].decode("utf-8", "replace")
    elif status == 400 and path.startswith("/api/") and not problem_message(response_headers, content) and not kestrel:
        ok, why = False, "400 without a ProblemDetails message"
    elif 400 <= status < 500 and not path.startswith("/api/") and status not in (401, 404, 405, 414, 431) and not content.strip() and not kestrel:
        ok, why = False, f"{status} without a message"
    elif expect and status not in expect:
        ok, why = False, f"expected {expect}"
    record(case, method, path, status, ok, why)
    return status, content


# ---- The operations API -------------------------------------------------------------------------------------------------
bad_ids = ["abc", "-1", "0", "1.5", "1e3", "99999999999999999999999", "9223372036854775808", "%00", "1%00", "%2e%2e%2f",
           "00000000-0000-0000-0000-00000000000g", str(uuid.uuid4()), "x" * 4000, "%F0%9F%92%A3", "%C0%AF", "+1", "%201", "%FF"]
for bad in bad_ids:
    nul = "%00" in bad
    api(f"run id '{bad[:20]}'", "GET", f"/api/operations/{bad}", expect=[400, 404], kestrel=nul)
    api(f"cancel id '{bad[:20]}'", "POST", f"/api/operations/{bad}/cancel", expect=[400, 404], kestrel=nul)

list_params = {
    "workspaceId": ["garbage", "00000000-0000-0000-0000-00000000000g", "%00"],
    "tenantId": ["garbage", "-1", "{" + str(uuid.uuid4()) + "}x"],
    "status": ["foo", "QUEUED ", "%00"],
    "outcome": ["bar", "1"],
    "from": ["notadate", "2026-13-45T99:99:99Z", "-999999-01-01", "9" * 40],
    "to": ["yesterday", "0001-01-01T00:00:00+14:00"],
    "cursor": ["-1", "99999999999999999999", "abc", "1e9"],
    "limit": ["0", "-5", "100000", "abc", "2147483648"],
    "type": ["%00", "x" * 2000, "inventory.sync%00"],
    "initiator": ["%00%01", "y" * 3000],
}
for key, values in list_params.items():
    for value in values:
        api(f"list {key}={value[:20]}", "GET", f"/api/operations?{key}={value}", expect=[200, 400])
api("list: every filter bad at once", "GET", "/api/operations?" + "&".join(f"{k}={v[0]}" for k, v in list_params.items()), expect=[400])
api("list: 64 KB query string", "GET", "/api/operations?type=" + "a" * 65536, expect=[200, 400, 414, 431])
api("list: 1 MB query string", "GET", "/api/operations?type=" + "a" * 1048576, expect=[400, 414, 431])
api("list: repeated keys", "GET", "/api/operations?" + "&".join(["limit=1"] * 500), expect=[200, 400])

tenant = args.tenant
deep_array = "[" * 5000 + "]" * 5000
deep_object = '{"a":' * 5000 + "1" + "}" * 5000
bodies = {
    "not JSON": "type=inventory.sync",
    "truncated JSON": '{"type":"inventory.sync","tenantId":"',
    "empty body": "",
    "JSON null": "null",
    "JSON array": "[]",
    "JSON string": '"inventory.sync"',
    "JSON number": "12",
    "empty object": "{}",
    "type not a string": json.dumps({"type": 12, "tenantId": tenant}),
    "type null": json.dumps({"type": None, "tenantId": tenant}),
    "unknown type": json.dumps({"type": "no.such.type", "tenantId": tenant}),
    "system-only type": json.dumps({"type": "operations.maintenance", "tenantId": tenant}),
    "type with NUL": json.dumps({"type": "inventory.sync\u0000", "tenantId": tenant}),
    "type huge": json.dumps({"type": "t" * 100000, "tenantId": tenant}),
    "missing tenant": json.dumps({"type": "inventory.sync"}),
    "tenant not a GUID": json.dumps({"type": "inventory.sync", "tenantId": "contoso"}),
    "tenant GUID garbage": json.dumps({"type": "inventory.sync", "tenantId": "00000000-0000-0000-0000-00000000000g"}),
    "tenant a number": json.dumps({"type": "inventory.sync", "tenantId": 42}),
    "tenant unknown": json.dumps({"type": "inventory.sync", "tenantId": str(uuid.uuid4())}),
    "tenant empty GUID": json.dumps({"type": "inventory.sync", "tenantId": str(uuid.UUID(int=0))}),
    "tenant with NUL": json.dumps({"type": "inventory.sync", "tenantId": tenant + "\u0000"}),
    "inputs an array": json.dumps({"type": "inventory.sync", "tenantId": tenant, "inputs": [1, 2]}),
    "inputs a string": json.dumps({"type": "inventory.sync", "tenantId": tenant, "inputs": "x"}),
    "backup inputs unknown key": json.dumps({"type": "backup_schedule.run_now", "tenantId": tenant, "inputs": {"cron": "* * *"}}),
    "backup without schedule": json.dumps({"type": "backup_schedule.run_now", "tenantId": tenant, "inputs": {}}),
    "backup schedule garbage": json.dumps({"type": "backup_schedule.run_now", "tenantId": tenant, "inputs": {"scheduleId": "every day"}}),
    "backup schedule negative": json.dumps({"type": "backup_schedule.run_now", "tenantId": tenant, "inputs": {"scheduleId": -1}}),
    "backup schedule unknown": json.dumps({"type": "backup_schedule.run_now", "tenantId": tenant, "inputs": {"scheduleId": str(uuid.uuid4())}}),
    "backup schedule object": json.dumps({"type": "backup_schedule.run_now", "tenantId": tenant, "inputs": {"scheduleId": {"$ne": None}}}),
    "backup cron in inputs": json.dumps({"type": "backup_schedule.run_now", "tenantId": tenant, "inputs": {"cron": "61 25 * * *", "timeZone": "Mars/Olympus_Mons"}}),
    "retry of garbage": json.dumps({"type": "backup_schedule.retry", "tenantId": tenant, "inputs": {"retryOf": "abc"}}),
    "scheduled type from outside": json.dumps({"type": "backup_schedule.scheduled", "tenantId": tenant, "inputs": {"scheduleId": str(uuid.uuid4()), "scheduledFor": "not a time"}}),
    "restore with garbage": json.dumps({"type": "restore.execute", "tenantId": tenant, "inputs": {"backupSetId": "../../etc"}}),
    "deeply nested array": deep_array,
    "deeply nested object": deep_object,
    "deep inputs": '{"type":"inventory.sync","tenantId":"' + tenant + '","inputs":' + deep_object + "}",
    "duplicate keys": '{"type":"inventory.sync","type":"no.such","tenantId":"' + tenant + '","tenantId":"x"}',
    "huge number": '{"type":"backup_schedule.run_now","tenantId":"' + tenant + '","inputs":{"scheduleId":1' + "0" * 5000 + "}}",
    "invalid UTF-8": b'{"type":"inventory.sync\xff\xfe","tenantId":"' + tenant.encode() + b'"}',
    "raw NUL bytes": b'{"type":"inventory.sync",\x00"tenantId":"' + tenant.encode() + b'"}',
    "lone surrogate escape": '{"type":"inventory.sync\\ud800","tenantId":"' + tenant + '"}',
    "trailing garbage": '{"type":"inventory.sync","tenantId":"' + tenant + '"} trailing',
    "comments": '/* hi */ {"type":"inventory.sync","tenantId":"' + tenant + '"}',
    "4 MB of whitespace and a bad body": " " * (4 * 1024 * 1024) + "{",
    "3 MB body": "[" + "1," * (1536 * 1024) + "1]",
}
for case, body in bodies.items():
    api(f"start: {case}", "POST", "/api/operations", body=body, expect=[400, 403, 404, 413, 415])
api("start: text/plain", "POST", "/api/operations", body="{}", content_type="text/plain", expect=[400, 415])
api("start: no content type", "POST", "/api/operations", body=json.dumps({"type": "inventory.sync", "tenantId": str(uuid.uuid4())}), content_type=None, expect=[400, 404, 415])
api("start: form content", "POST", "/api/operations", body="type=inventory.sync", content_type="application/x-www-form-urlencoded", expect=[400, 415])
api("cancel: unknown run with a body", "POST", "/api/operations/999999999/cancel", body=deep_object, expect=[404])
for method in ("PUT", "DELETE", "PATCH"):
    api(f"method {method}", method, "/api/operations", body="{}", expect=[404, 405])
    api(f"method {method} on a run", method, "/api/operations/1", body="{}", expect=[404, 405])
api("no credentials", "GET", "/api/operations", token=None, expect=[401])
api("garbage token", "GET", "/api/operations", token="garbage", expect=[401])
api("token with NUL", "GET", "/api/operations", token="ta_\u0001abc", expect=[400, 401])
api("16 KB token", "GET", "/api/operations", token="t" * 16384, expect=[401, 431])
api("start with garbage token", "POST", "/api/operations", body=bodies["tenant unknown"], token="garbage", expect=[401])
api("basic auth", "GET", "/api/operations", token=None, extra={"Authorization": "Basic Zm9vOmJhcg=="}, expect=[401])

# ---- The restore API ----------------------------------------------------------------------------------------------------
for bad in bad_ids:
    api(f"restore id '{bad[:20]}'", "GET", f"/api/restores/{bad}", expect=[400, 404], kestrel="%00" in bad)
some_set = str(uuid.uuid4())
restore_bodies = {
    "not JSON": "sourceBackupSetId=1",
    "empty body": "",
    "JSON array": "[]",
    "empty object": "{}",
    "set not a GUID": json.dumps({"sourceBackupSetId": "../../etc", "targetTenantId": tenant, "families": ["deviceConfigurations"]}),
    "tenant a number": json.dumps({"sourceBackupSetId": some_set, "targetTenantId": 7, "families": ["deviceConfigurations"]}),
    "tenant unknown": json.dumps({"sourceBackupSetId": some_set, "targetTenantId": str(uuid.uuid4()), "families": ["deviceConfigurations"]}),
    "set unknown": json.dumps({"sourceBackupSetId": some_set, "targetTenantId": tenant, "families": ["deviceConfigurations"]}),
    "families a string": json.dumps({"sourceBackupSetId": some_set, "targetTenantId": tenant, "families": "deviceConfigurations"}),
    "families of objects": json.dumps({"sourceBackupSetId": some_set, "targetTenantId": tenant, "families": [{"$ne": None}]}),
    "item ids of strings": json.dumps({"sourceBackupSetId": some_set, "targetTenantId": tenant, "itemIds": ["1 OR 1=1"]}),
    "item id huge": '{"sourceBackupSetId":"' + some_set + '","targetTenantId":"' + tenant + '","itemIds":[1' + "0" * 400 + "]}",
    "100k item ids": json.dumps({"sourceBackupSetId": some_set, "targetTenantId": tenant, "itemIds": list(range(100000))}),
    "suffix with NUL": json.dumps({"sourceBackupSetId": some_set, "targetTenantId": tenant, "families": ["x"], "copySuffix": "a\u0000"}),
    "suffix huge": json.dumps({"sourceBackupSetId": some_set, "targetTenantId": tenant, "families": ["x"], "copySuffix": "s" * 100000}),
    "unknown field": json.dumps({"sourceBackupSetId": some_set, "targetTenantId": tenant, "families": ["x"], "selection": "*"}),
    "deeply nested object": deep_object,
    "duplicate keys": '{"sourceBackupSetId":"' + some_set + '","sourceBackupSetId":"x","targetTenantId":"' + tenant + '"}',
    "invalid UTF-8": b'{"sourceBackupSetId":"\xff\xfe","targetTenantId":"' + tenant.encode() + b'"}',
}
for case, body in restore_bodies.items():
    api(f"restore create: {case}", "POST", "/api/restores", body=body, expect=[400, 403, 404, 413, 415])
for method in ["PUT", "DELETE", "PATCH"]:
    api(f"restore method {method}", method, "/api/restores", body="{}", expect=[404, 405])
api("restore: no credentials", "GET", f"/api/restores/{uuid.uuid4()}", token=None, expect=[401])

# ---- Other endpoints, anonymous and with the token (they want the cookie) ----------------------------------------------------
for path in ["/admin/backup-sets/garbage/download", f"/admin/backup-sets/{uuid.uuid4()}/download", "/admin/backup-sets/%00/download",
             "/healthz?x=%00", "/readyz?" + "a" * 5000]:
    api(f"anonymous {path[:40]}", "GET", path, token=None, expect=[200, 302, 400, 401, 404, 414, 431], kestrel="%00" in path.split("?")[0])

# ---- Signed in with a cookie, as a browser ---------------------------------------------------------------------------------
TOKEN_RE = re.compile(r'name="__RequestVerificationToken"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="__RequestVerificationToken"')
HANDLER_RE = re.compile(r'name="_handler"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="_handler"')


def form_tokens(path):
    status, _, content = send("GET", path, opener=browser)
    html = content.decode("utf-8", "replace")
    token = TOKEN_RE.search(html)
    handler = HANDLER_RE.search(html)
    return status, (token.group(1) or token.group(2)) if token else None, (handler.group(1) or handler.group(2)) if handler else None


def form(case, path, fields, expect=(200, 400, 404), with_token=True, handler=None, needs_message=True):
    status, token, page_handler = form_tokens(path)
    data = dict(fields)
    if with_token and token:
        data["__RequestVerificationToken"] = token
    if handler or page_handler:
        data["_handler"] = handler or page_handler
    body = urllib.parse.urlencode(data).encode()
    status, headers, content = send("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"}, opener=browser)
    html = content.decode("utf-8", "replace")
    ok, why = True, ""
    if status == 0 or status >= 500:
        ok, why = False, html[:200]
    elif status not in expect:
        ok, why = False, f"expected {expect}"
    elif status == 200 and needs_message and not re.search(r"mud-input-error|mud-error-text|validation-message|mud-alert-text-error|login-error|ta-problem", html):
        ok, why = False, "200 without a validation message"
    record(case, "POST", path, status, ok, why)
    return status, html


login_path = "/Account/Login"
for case, email, password in [
    ("login: unknown user", f"nobody-{uuid.uuid4().hex[:6]}@demo.test", "x"),
    ("login: empty", "", ""),
    ("login: NUL in email", "a\u0000b@demo.test", "x"),
    ("login: 100 KB email", "a" * 100000 + "@demo.test", "x"),
    ("login: 100 KB password", f"nobody-{uuid.uuid4().hex[:6]}@demo.test", "p" * 100000),
    ("login: not an email", "'; DROP TABLE access.users; --", "x"),
]:
    form(case, login_path, {"Input.Email": email, "Input.Password": password})
form("login: no antiforgery token", login_path, {"Input.Email": "x@demo.test", "Input.Password": "x"}, with_token=False, expect=(400,), needs_message=False)
form("login: unknown form name", login_path, {"Input.Email": "x@demo.test"}, handler="no-such-form", expect=(400,), needs_message=False)
form("login: ReturnUrl elsewhere", login_path + "?ReturnUrl=http%3A%2F%2Fevil.example%2F", {"Input.Email": "x@demo.test", "Input.Password": "x"})

for token_value in ["garbage", "%00", "x" * 5000, ""]:
    status, _, _ = send("GET", "/Account/AcceptInvitation?token=" + token_value, opener=browser)
    record(f"invitation page token={token_value[:10]}", "GET", "/Account/AcceptInvitation", status, 0 < status < 500)
    form(f"accept invitation token={token_value[:10]}", "/Account/AcceptInvitation?token=" + token_value,
         {"Input.DisplayName": "x", "Input.Password": "Demo!2345x", "Input.ConfirmPassword": "Demo!2345x"}, needs_message=False)

# Sign in for real.
_, token, handler = form_tokens(login_path)
status, _, _ = send("POST", login_path, urllib.parse.urlencode({"Input.Email": args.email, "Input.Password": args.password,
                                                                  "__RequestVerificationToken": token or "", "_handler": handler or "login"}).encode(),
                    {"Content-Type": "application/x-www-form-urlencoded"}, opener=browser)
signed_in = any(c.name == "TenantAtlas.Auth" for c in jar)
record("sign in as the owner", "POST", login_path, status, signed_in, "" if signed_in else "no sign-in cookie")

if signed_in:
    valid = {"Input.DisplayName": "Fuzz tenant", "Input.EntraTenantId": str(uuid.uuid4()), "Input.ClientId": str(uuid.uuid4()),
             "Input.ClientSecret": "fuzz-secret", "Input.GraphBaseUrl": "", "Input.AuthorityHost": ""}
    bad_fields = {
        "Input.DisplayName": ["", " ", "\u0000", "n" * 10000, "<script>alert(1)</script>\u0000"],
        "Input.EntraTenantId": ["", "contoso.onmicrosoft.com", "00000000-0000-0000-0000-00000000000g", str(uuid.UUID(int=0)), "-1", "\u0000", "9" * 5000],
        "Input.ClientId": ["", "app", "-1", str(uuid.UUID(int=0)), "\u0000"],
        "Input.ClientSecret": [""],
        "Input.GraphBaseUrl": ["not a url", "javascript:alert(1)", "ftp://graph.example/", "http://", "https://graph.microsoft.com:99999/", "\u0000", "https://" + "a" * 5000],
        "Input.AuthorityHost": ["file:///etc/passwd", "https://", "relative/path", "\u0000"],
    }
    new_path = f"/admin/workspaces/{args.workspace}/tenants/new"
    for field, values in bad_fields.items():
        for value in values:
            fields = dict(valid, **{field: value})
            fields["Input.EntraTenantId"] = value if field == "Input.EntraTenantId" else str(uuid.uuid4())
            form(f"add tenant: {field}={value[:15]!r}", new_path, fields)
    edit_path = f"/admin/tenants/{args.tenant}/edit"
    for field, values in bad_fields.items():
        for value in values[:3]:
            if field == "Input.ClientSecret":
                continue  # blank keeps the secret on edit: valid
            form(f"edit tenant: {field}={value[:15]!r}", edit_path, dict(valid, **{field: value, "Input.EntraTenantId": value if field == "Input.EntraTenantId" else "x"}))
    form("add tenant: no antiforgery token", new_path, valid, with_token=False, expect=(400,), needs_message=False)
    form("add tenant: unknown workspace", f"/admin/workspaces/{uuid.uuid4()}/tenants/new", valid, expect=(400, 403, 404), needs_message=False)
    form("edit tenant: unknown tenant", f"/admin/tenants/{uuid.uuid4()}/edit", valid, expect=(400, 403, 404), needs_message=False)
    status, _, _ = send("POST", "/Account/Logout", b"", {"Content-Type": "application/x-www-form-urlencoded"}, opener=browser)
    record("sign out without antiforgery token", "POST", "/Account/Logout", status, 400 <= status < 500)
    status, _, _ = send("POST", "/api/operations", bodies["tenant unknown"].encode(), {"Content-Type": "application/json"}, opener=browser)
    record("cookie start without antiforgery token", "POST", "/api/operations", status, 400 <= status < 500)

    # Pages (prerendered over plain GET) with malformed ids and filters.
    pages = ["/admin/operations/abc", "/admin/operations/-1", "/admin/operations/99999999999999999999", "/admin/operations/%00",
             "/admin/operations?status=foo&outcome=bar&from=notadate&to=x&tenant=garbage&workspace=%00&type=" + "t" * 3000 + "&page=-1",
             "/admin/operations?cursor=-5&limit=100000", "/admin/tenants/garbage", "/admin/tenants/" + str(uuid.uuid4()),
             "/admin/tenants/" + args.tenant + "/inventory?family=%00&q=" + "q" * 3000 + "&page=-3",
             "/admin/tenants/" + args.tenant + "/directory?q=%00&page=99999999999",
             "/admin/tenants/" + args.tenant + "/configuration?x=%00",
             "/admin/tenants/" + args.tenant + "/backups?set=garbage",
             "/admin/backup-sets/garbage", "/admin/backup-sets/" + str(uuid.uuid4()), "/admin/backup-sets/" + str(uuid.uuid4()) + "/download",
             "/admin/backup-sets/garbage/download", "/admin/backup-schedules/garbage", "/admin/backup-schedules/" + str(uuid.uuid4()),
             "/admin/backup-schedules/" + str(uuid.uuid4()) + "/edit", "/admin/tenants/" + str(uuid.uuid4()) + "/backups/new",
             "/admin/backups?tenant=%00&page=-1", "/admin/workspaces/garbage", "/admin/workspaces/" + str(uuid.uuid4()),
             "/admin/workspaces/" + args.workspace + "/audit?from=notadate&page=-1&actor=%00", "/status/abc", "/status/999",
             "/admin/profile/tokens?x=%00", "/admin/workspaces/new?name=%00",
             "/admin/restores/garbage", "/admin/restores/" + str(uuid.uuid4()), "/admin/restores?x=%00",
             "/admin/tenants/" + args.tenant + "/restores?x=%00", "/admin/tenants/" + args.tenant + "/restores/new?set=garbage&x=%00",
             "/admin/tenants/" + str(uuid.uuid4()) + "/restores/new", "/admin/backup-sets/garbage/compare",
             "/admin/backup-sets/" + str(uuid.uuid4()) + "/compare?with=%00", "/admin/legacy?before=abc&table=%00"]
    for path in pages:
        status, _, content = send("GET", path, opener=browser)
        record(f"page {path[:50]}", "GET", path, status, 0 < status < 500, content[:200].decode("utf-8", "replace") if not 0 < status < 500 else "")

with open(args.report, "w", encoding="utf-8") as report:
    for line in results:
        report.write("\t".join(line) + "\n")
codes = {}
for line in results:
    codes[line[3]] = codes.get(line[3], 0) + 1
bad = [line for line in results if line[0] == "BAD"]
print(f"{len(results)} requests answered " + ", ".join(f"{n}×{c}" for c, n in sorted(codes.items())) + f"; {len(bad)} broke the promise")
for line in bad[:20]:
    print("  BAD " + " ".join(line[1:]), file=sys.stderr)
sys.exit(1 if bad else 0)
