"""Drives the server as an editor does: initialize, open FILE (COPIES times, under different
URIs), wait for every publishDiagnostics, shutdown. Prints the diagnostics, related entries and
message bytes of the first, the time to the last diagnostics, the idle RSS after them and the
peak RSS (/usr/bin/time -v). Usage: server_memory.py SERVER FILE [COPIES]"""
import json, subprocess, sys, time, threading
server, path = sys.argv[1], sys.argv[2]
copies = int(sys.argv[3]) if len(sys.argv) > 3 else 1
text = open(path).read()
p = subprocess.Popen(["/usr/bin/time", "-v", server], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
def send(m):
    b = json.dumps(m).encode()
    p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(b) + b); p.stdin.flush()
def read():
    n = None
    while True:
        line = p.stdout.readline()
        if not line: return None, 0
        line = line.strip()
        if not line: break
        if line.lower().startswith(b"content-length:"): n = int(line.split(b":")[1])
    body = p.stdout.read(n)
    return json.loads(body), n
t0 = time.time()
send({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":None,"rootUri":None,"capabilities":{}}})
while True:
    m, _ = read()
    if m.get("id") == 1: break
send({"jsonrpc":"2.0","method":"initialized","params":{}})
for i in range(copies):
    send({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":f"file:///d{i}.json","languageId":"json","version":1,"text":text}}})
seen = {}
while len(seen) < copies:
    m, n = read()
    if m is None: print("server ended"); break
    if m.get("method") == "textDocument/publishDiagnostics":
        d = m["params"]["diagnostics"]
        rel = sum(len(x.get("relatedInformation") or []) for x in d)
        seen[m["params"]["uri"]] = (len(d), rel, n)
t1 = time.time()
time.sleep(0.5)
try:
    child = open(f"/proc/{p.pid}/task/{p.pid}/children").read().split()[0]
    steady = [l.split()[1] for l in open(f"/proc/{child}/status") if l.startswith("VmRSS")][0]
except Exception as e:
    steady = f"? {e}"
send({"jsonrpc":"2.0","id":2,"method":"shutdown","params":None})
send({"jsonrpc":"2.0","method":"exit","params":None})
p.stdin.close()
p.stdout.read()
err = p.stderr.read().decode()
p.wait()
first = next(iter(seen.values()), None)
rss = [l for l in err.splitlines() if "Maximum resident" in l or "Elapsed" in l]
print(f"{path} x{copies}: idle RSS after diagnostics {steady} KB; diagnostics, related, message bytes of first: {first}; wall to diagnostics {t1-t0:.2f}s;", "; ".join(x.strip() for x in rss))
