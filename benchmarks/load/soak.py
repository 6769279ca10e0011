#!/usr/bin/env python3
"""Hostile soak of `saliency4j serve` on loopback (standard library only; run by soak.sh).

Runs, at the same time and for a bounded time: clients sending good requests (whose every answer must be 200),
slow clients trickling a body a byte at a time, expensive requests beyond the work bound, concurrent large images
(62 MP rendered at their original size, 36 MP on the model's crop), and a loop of hostile uploads (image bombs, a 1,000,000 x 1 PNG, a TIFF with
two widths, damaged files). Meanwhile it probes /healthz and samples the server's resident memory. Then good
requests alone for a while: each must succeed. Prints one line per traffic class, the commonest error messages,
and a JSON summary on the last line.
"""
import argparse
import http.client
import json
import os
import random
import socket
import struct
import threading
import time
import zlib
from collections import Counter


def png(width, height, row):
    """A PNG of `height` copies of the RGB row `row` (bytes, 3 x width), with filter 0."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    compressor = zlib.compressobj(9)
    parts = []
    line = b"\x00" + row
    for _ in range(height):
        parts.append(compressor.compress(line))
    parts.append(compressor.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"".join(parts)) + chunk(b"IEND", b""))


def chunk_bomb():
    """A 1x1 PNG followed by a chunk declaring 2 GB that is not there."""
    good = png(1, 1, b"\x00\x00\x00")
    return good[:33] + struct.pack(">I", 0x7ffffff0) + b"tEXt" + b"x" * 7


def ztxt_bomb(inflated):
    """A small PNG whose zTXt chunk inflates to `inflated` bytes."""
    compressor = zlib.compressobj(9)
    block = b"\x00" * (1 << 20)
    data = b"".join(compressor.compress(block) for _ in range(inflated >> 20)) + compressor.flush()
    body = b"Comment\x00\x00" + data
    chunk = struct.pack(">I", len(body)) + b"zTXt" + body + struct.pack(">I", zlib.crc32(b"zTXt" + body) & 0xffffffff)
    good = png(16, 16, b"\x80" * 48)
    return good[:33] + chunk + good[33:]


def tiff_two_widths():
    """A little-endian TIFF whose IFD holds ImageWidth twice: 100 first, 20000 after."""
    entries = [(256, 3, 1, 100), (256, 3, 1, 20000), (257, 3, 1, 20000), (258, 3, 1, 8), (259, 3, 1, 1),
               (262, 3, 1, 1), (273, 4, 1, 8 + 2 + 12 * 9 + 4), (277, 3, 1, 1), (279, 4, 1, 20000 * 20000)]
    ifd = struct.pack("<H", len(entries)) + b"".join(struct.pack("<HHII", *e) for e in entries) + b"\x00" * 4
    return b"II*\x00" + struct.pack("<I", 8) + ifd + b"\x00" * 4096


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = {}
        self.latencies = {}
        self.messages = {}

    def add(self, kind, status, seconds, message=None):
        with self.lock:
            self.statuses.setdefault(kind, Counter())[status] += 1
            self.latencies.setdefault(kind, []).append(seconds)
            if message is not None:
                self.messages.setdefault(kind, {}).setdefault(str(status), Counter())[message] += 1


def post(host, port, path, body, timeout, content_type="image/png"):
    """(status, seconds, the error message of a JSON error answer or None)."""
    start = time.monotonic()
    message = None
    try:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        connection.request("POST", path, body=body, headers={"Content-Type": content_type, "Accept": "image/png"})
        response = connection.getresponse()
        answer = response.read()
        status = response.status
        if status != 200:
            try:
                # The message without its numbers, so that alike errors count together.
                message = "".join(c for c in json.loads(answer)["error"] if not c.isdigit())[:90]
            except (ValueError, KeyError, TypeError):
                message = "(not JSON)"
        connection.close()
    except (OSError, http.client.HTTPException) as e:
        status = "error:" + type(e).__name__
    return status, time.monotonic() - start, message


def get(host, port, path, timeout):
    start = time.monotonic()
    try:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        status = response.status
        connection.close()
    except (OSError, http.client.HTTPException) as e:
        status = "error:" + type(e).__name__
    return status, time.monotonic() - start


def trickle(host, port, deadline, stats):
    """Declares a 100 kB body and sends one byte a second until the server gives up on it or the time is up."""
    start = time.monotonic()
    status = "open-at-end"
    try:
        s = socket.create_connection((host, port), timeout=5)
        s.sendall(b"POST /v1/explain HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 100000\r\n\r\n")
        s.settimeout(1)
        while time.monotonic() < deadline:
            try:
                s.sendall(b"\x89")
            except OSError:
                status = "cut-off"
                break
            try:
                answer = s.recv(4096)
                status = answer.split(b" ", 2)[1].decode() if answer else "closed"
                break
            except socket.timeout:
                pass
        s.close()
    except OSError as e:
        status = "error:" + type(e).__name__
    stats.add("slow", status, time.monotonic() - start)


def resident_mb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--good-image", required=True)
    parser.add_argument("--good-clients", type=int, default=4)
    parser.add_argument("--slow-clients", type=int, default=120)
    parser.add_argument("--large-clients", type=int, default=16)
    parser.add_argument("--large-side", type=int, default=7900,
                        help="side of the large square image rendered at its size (62 MP)")
    parser.add_argument("--large-crop-side", type=int, default=6000,
                        help="side of the large square image explained on the model's crop (36 MP)")
    parser.add_argument("--recovery-seconds", type=float, default=10)
    args = parser.parse_args()
    host, port = "127.0.0.1", args.port
    random.seed(7)
    good = open(args.good_image, "rb").read()
    def large_png(side):
        return png(side, side, bytes(random.getrandbits(8) for _ in range(3 * 64)) * (side // 64)
                   + b"\x40" * (3 * (side % 64)))
    large = {"original": large_png(args.large_side), "crop": large_png(args.large_crop_side)}
    hostile = {
        "chunk-bomb": chunk_bomb(),
        "ztxt-bomb": ztxt_bomb(1 << 30),
        "thin-1000000x1": png(1000000, 1, b"\x7f" * 3000000),
        "tiff-two-widths": tiff_two_widths(),
        "truncated": good[: len(good) // 2],
        "random": bytes(random.getrandbits(8) for _ in range(50000)),
        "text": b"this is not an image",
    }
    expensive = "/v1/explain?method=smoothgrad:integrated-gradients&samples=256&steps=256"
    stats = Stats()
    deadline = time.monotonic() + args.seconds
    peak = [resident_mb(args.pid)]
    health = []

    def good_loop():
        while time.monotonic() < deadline:
            stats.add("good", *post(host, port, "/v1/explain", good, 60))

    def expensive_loop():
        while time.monotonic() < deadline:
            stats.add("expensive", *post(host, port, expensive, good, 60))

    def large_loop(geometry):
        while time.monotonic() < deadline:
            stats.add("large-" + geometry, *post(host, port, "/v1/explain?geometry=" + geometry, large[geometry], 120))

    def hostile_loop():
        names = sorted(hostile)
        i = 0
        while time.monotonic() < deadline:
            name = names[i % len(names)]
            stats.add("hostile:" + name, *post(host, port, "/v1/explain", hostile[name], 60))
            i += 1

    def monitor():
        while time.monotonic() < deadline + 2:
            peak[0] = max(peak[0], resident_mb(args.pid))
            status, seconds = get(host, port, "/healthz", 10)
            health.append((status, seconds))
            time.sleep(0.25)

    threads = [threading.Thread(target=monitor)]
    threads += [threading.Thread(target=good_loop) for _ in range(args.good_clients)]
    threads += [threading.Thread(target=trickle, args=(host, port, deadline, stats)) for _ in range(args.slow_clients)]
    threads += [threading.Thread(target=expensive_loop)]
    # Half of them rendered at the original size, half on the model's crop.
    threads += [threading.Thread(target=large_loop, args=("original" if i % 2 == 0 else "crop",))
                for i in range(args.large_clients)]
    threads += [threading.Thread(target=hostile_loop)]
    for t in threads:
        t.daemon = True
        t.start()
    for t in threads:
        t.join(args.seconds + 180)
    # Then good requests alone: every one must succeed once the hostile traffic has stopped.
    recovery_deadline = time.monotonic() + args.recovery_seconds
    while time.monotonic() < recovery_deadline:
        stats.add("good-after", *post(host, port, "/v1/explain", good, 60))

    summary = {"seconds": args.seconds, "peak_resident_mb": round(peak[0]), "classes": {}}
    for kind in sorted(stats.statuses):
        counts = stats.statuses[kind]
        latencies = sorted(stats.latencies[kind])
        median = latencies[len(latencies) // 2] * 1000 if latencies else 0
        summary["classes"][kind] = {"requests": sum(counts.values()), "statuses": dict(sorted(
            (str(k), v) for k, v in counts.items())), "median_ms": round(median, 1)}
        print("%-24s requests=%-6d median_ms=%-8.1f %s" % (kind, sum(counts.values()), median,
                                                          " ".join("%s=%d" % (k, v) for k, v in sorted(
                                                              (str(k), v) for k, v in counts.items()))))
    for kind in sorted(stats.messages):
        for status, messages in sorted(stats.messages[kind].items()):
            for message, n in messages.most_common(3):
                print("  %-22s %s x%-6d %s" % (kind, status, n, message))
    good_counts = stats.statuses.get("good", Counter())
    after_counts = stats.statuses.get("good-after", Counter())
    summary["good_requests"] = sum(good_counts.values())
    # During the hostile traffic a good request may be turned away busy (503 with Retry-After), never fail.
    summary["good_failed"] = sum(v for k, v in good_counts.items() if k not in (200, 503))
    summary["good_busy"] = good_counts.get(503, 0)
    summary["good_after_requests"] = sum(after_counts.values())
    summary["good_after_failed"] = sum(v for k, v in after_counts.items() if k != 200)
    summary["server_errors"] = sum(v for counts in stats.statuses.values() for k, v in counts.items()
                                   if isinstance(k, int) and k >= 500 and k != 503)
    summary["busy_503"] = sum(v for counts in stats.statuses.values() for k, v in counts.items() if k == 503)
    health_seconds = sorted(s for _, s in health)
    summary["healthz"] = {"probes": len(health), "failed": sum(1 for st, _ in health if st != 200),
                          "max_ms": round(health_seconds[-1] * 1000, 1) if health_seconds else None}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
