"""Event-stream flood of issue 32: N attempts to open GET /jobs/{id}/events from one address,
keeping those that open, while another thread times POST /predict (a JSON row) and the liveness
probe every 20 ms. Prints the attempts' statuses and the probe latencies (p50, p99, max).
Usage: python3 bench/stream_flood.py PORT JOB_ID [ATTEMPTS]"""
import json
import socket
import sys
import threading
import time
import urllib.request

port, job = int(sys.argv[1]), sys.argv[2]
attempts = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
ROW = json.dumps({"features": [5, 1, 1, 1, 2, 1, 3, 1, 1]}).encode()
done = threading.Event()
latencies, failures = [], []


def probe():
    while not done.is_set():
        start = time.perf_counter()
        try:
            req = urllib.request.Request(f"http://127.0.0.1:{port}/predict", ROW, {"Content-Type": "application/json"})
            urllib.request.urlopen(req, timeout=10).read()
            urllib.request.urlopen(f"http://127.0.0.1:{port}/actuator/health/liveness", timeout=10).read()
            latencies.append((time.perf_counter() - start) * 1000)
        except Exception as e:  # noqa: BLE001 - any failure is reported
            failures.append(repr(e))
        time.sleep(0.02)


prober = threading.Thread(target=probe)
prober.start()
statuses, kept = {}, []
start = time.perf_counter()
for _ in range(attempts):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(f"GET /jobs/{job}/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n".encode())
    head = s.recv(12)
    status = head[9:12].decode() if len(head) >= 12 else "none"
    statuses[status] = statuses.get(status, 0) + 1
    if status == "200":
        kept.append(s)
    else:
        s.close()
elapsed = time.perf_counter() - start
time.sleep(1)
done.set()
prober.join()
for s in kept:
    s.close()
lat = sorted(latencies)


def pct(q):
    return lat[min(len(lat) - 1, int(q * len(lat)))] if lat else float("nan")


print(f"{attempts} attempts in {elapsed:.1f} s: {statuses}; /predict + liveness, {len(lat)} rounds: "
      f"p50 {pct(0.5):.1f} ms, p99 {pct(0.99):.1f} ms, max {lat[-1] if lat else float('nan'):.1f} ms; "
      f"{len(failures)} failures {failures[:3]}")
