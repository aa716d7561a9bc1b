#!/usr/bin/env python3
"""Reads and writes through a base URL until a stop file appears, then
checks that every acknowledged write is stored (deploy/rolling-restart).

    deploy/load.py BASE_URL API_KEY STOP_FILE [--workers 6]

Each worker loops: a create (POST /api/v1/thematic-areas, which must answer
201), then reads of what it made and of a list (which must answer 200).
Any other answer, or none, is a failed request. After the stop file
appears, every id acknowledged with 201 is read back. Prints one JSON
object; exits 1 on any failed request or lost write.
"""

import argparse
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse


def request(base, method, path, key=None, body=None):
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    headers = {"Accept": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    try:
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    except (OSError, http.client.HTTPException) as e:
        return 0, str(e).encode()
    finally:
        conn.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("key")
    parser.add_argument("stop")
    parser.add_argument("--workers", type=int, default=6)
    args = parser.parse_args()

    lock = threading.Lock()
    acknowledged = []
    failures = []
    counts = {"reads": 0, "writes": 0}

    def worker(w):
        n = 0
        while not os.path.exists(args.stop):
            n += 1
            status, body = request(args.base, "POST", "/api/v1/thematic-areas", args.key,
                                   {"name": f"Rolling {w} {n} {time.time_ns()}"})
            with lock:
                counts["writes"] += 1
            if status != 201:
                with lock:
                    failures.append(f"POST -> {status} {body[:200]!r}")
                continue
            made = json.loads(body)
            with lock:
                acknowledged.append(made["id"])
            for path in (f"/api/v1/thematic-areas/{made['id']}", "/api/v1/partners?limit=5"):
                status, body = request(args.base, "GET", path)
                with lock:
                    counts["reads"] += 1
                    if status != 200:
                        failures.append(f"GET {path} -> {status} {body[:200]!r}")

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(args.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    lost = []
    for made in acknowledged:
        status, _ = request(args.base, "GET", f"/api/v1/thematic-areas/{made}")
        if status != 200:
            lost.append(made)
    report = {
        "writes": counts["writes"],
        "reads": counts["reads"],
        "acknowledged_writes": len(acknowledged),
        "failed_requests": len(failures),
        "lost_writes": len(lost),
        "first_failures": failures[:5],
    }
    print(json.dumps(report))
    sys.exit(1 if failures or lost else 0)


if __name__ == "__main__":
    main()
