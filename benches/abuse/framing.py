"""Time from the first byte of a request of MB megabytes (50 by default) to its answer, with a
right, too small (10) or missing Content-Length, and peak RSS. Usage: framing.py SERVER
right|small|missing [MB]"""
import json, subprocess, sys, time, threading
server, mode = sys.argv[1], sys.argv[2]
mb = int(sys.argv[3]) if len(sys.argv) > 3 else 50
p = subprocess.Popen(["/usr/bin/time", "-v", server], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
def frame(b, header=None):
    return (header or b"Content-Length: %d\r\n\r\n" % len(b)) + b
def read():
    n = None
    while True:
        line = p.stdout.readline()
        if not line: return None
        line = line.strip()
        if not line: break
        if line.lower().startswith(b"content-length:"): n = int(line.split(b":")[1])
    return json.loads(p.stdout.read(n))
body = json.dumps({"jsonrpc":"2.0","id":7,"method":"workspace/unknown","params":{"pad":"x"*(mb*1024*1024)}}).encode()
header = {"small": b"Content-Length: 10\r\n\r\n", "missing": b"Content-Type: application/json\r\n\r\n", "right": None}[mode]
data = frame(body, header)
t0 = time.time()
def write():
    p.stdin.write(data); p.stdin.flush()
threading.Thread(target=write).start()
while True:
    m = read()
    if m is None: print("ended"); break
    if m.get("id") == 7: break
t1 = time.time()
p.stdin.write(frame(json.dumps({"jsonrpc":"2.0","method":"exit"}).encode())); p.stdin.close()
p.stdout.read(); err = p.stderr.read().decode(); p.wait()
rss = [l.strip() for l in err.splitlines() if "Maximum resident" in l]
print(f"{mode} {mb} MB: answered in {t1-t0:.2f} s; {rss}")
