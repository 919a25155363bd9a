#!/usr/bin/env python3
"""Load generator, sink and driver for benches/serve.sh (loopback only,
every wait bounded).

  serve_load.py BIN DATA RATE SECONDS IDLE_CONNS

For each measurement it starts `BIN serve` forwarding to a sink of its
own on 127.0.0.1, then:
  throughput: sends DATA over 1 and over 4 connections (contiguous
      shares cut at line boundaries, with sendfile) and times until the
      sink has every line;
  latency: sends RATE lines/s for SECONDS, each stamped with its send
      time, and reports p50/p99/max from send to arrival at the sink;
  idle: RSS of the sidecar before, with IDLE_CONNS idle connections, and
      after each of them sent one line.
"""
import os
import signal
import subprocess
import socket
import sys
import threading
import time


def sink_thread(listener, expect_lines, done, stamps=None):
    conn, _ = listener.accept()
    conn.settimeout(120)
    lines = 0
    nbytes = 0
    rest = b""
    while lines < expect_lines[0]:
        try:
            data = conn.recv(1 << 20)
        except socket.timeout:
            break
        if not data:
            break
        nbytes += len(data)
        if stamps is None:
            lines += data.count(b"\n")
        else:
            now = time.monotonic_ns()
            rest += data
            *full, rest = rest.split(b"\n")
            for l in full:
                lines += 1
                i = l.find(b"t=")
                if i >= 0:
                    t = int(l[i + 2:].split(b" ", 1)[0])
                    stamps.append(now - t)
    done.append((lines, nbytes, time.monotonic()))
    conn.close()


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for l in f:
            if l.startswith("VmRSS:"):
                return int(l.split()[1])
    return 0


def throughput(side_port, listener, path, conns):
    data = open(path, "rb").read()
    total_lines = data.count(b"\n")
    # Contiguous shares cut at newlines.
    cuts = [0]
    for k in range(1, conns):
        at = data.find(b"\n", len(data) * k // conns)
        cuts.append(at + 1 if at >= 0 else len(data))
    cuts.append(len(data))
    done = []
    t = threading.Thread(target=sink_thread,
                         args=(listener, [total_lines], done))
    t.start()
    t0 = time.monotonic()

    def send(a, b):
        s = socket.create_connection(("127.0.0.1", side_port))
        with open(path, "rb") as f:
            s.sendfile(f, a, b - a)
        s.close()

    senders = [threading.Thread(target=send, args=(cuts[k], cuts[k + 1]))
               for k in range(conns)]
    for s in senders:
        s.start()
    for s in senders:
        s.join()
    t.join(timeout=300)
    lines, nbytes, t1 = done[0]
    print(lines, nbytes, f"{t1 - t0:.3f}")


def latency(side_port, listener, rate, secs):
    stamps = []
    done = []
    n = int(rate * secs)
    t = threading.Thread(target=sink_thread,
                         args=(listener, [n], done, stamps))
    t.start()
    s = socket.create_connection(("127.0.0.1", side_port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    pad = b" GET /api/v1/orders 200 card 4111111111111111 user=alice"
    t0 = time.monotonic()
    sent = 0
    while sent < n:
        # Send what is due now (batches of about 1 ms).
        due = min(n, int((time.monotonic() - t0) * rate) + 1)
        buf = []
        while sent < due:
            buf.append(b"seq=%d t=%d%s\n" % (sent, time.monotonic_ns(), pad))
            sent += 1
        s.sendall(b"".join(buf))
        time.sleep(0.001)
    t.join(timeout=60)
    s.close()
    lat = sorted(stamps)
    q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] // 1000
    print(sent, len(lat), q(0.50), q(0.99), lat[-1] // 1000)


def idle(side_port, pid, n):
    before = rss_kib(pid)
    socks = [socket.create_connection(("127.0.0.1", side_port))
             for _ in range(n)]
    time.sleep(1.5)
    idle_rss = rss_kib(pid)
    for s in socks:
        s.sendall(b"one line with card 4111111111111111\n")
    time.sleep(1.5)
    after = rss_kib(pid)
    for s in socks:
        s.close()
    print(before, idle_rss, after)


def start_sidecar(binary):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    port = listener.getsockname()[1]
    proc = subprocess.Popen(
        [binary, "serve", "--listen", "127.0.0.1:0",
         "--forward", f"127.0.0.1:{port}"],
        stderr=subprocess.PIPE)
    line = proc.stderr.readline().decode()
    assert "listening on" in line, line
    side_port = int(line.rsplit(":", 1)[1])
    return proc, side_port, listener


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def main():
    binary, data = sys.argv[1], sys.argv[2]
    rate, secs, idle_n = float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
    size = os.path.getsize(data)
    for conns in (1, 4):
        best = None
        for _ in range(2):
            proc, port, listener = start_sidecar(binary)
            out = run_capture(throughput, port, listener, data, conns)
            stop(proc)
            lines, nbytes, t = out.split()
            t = float(t)
            best = t if best is None else min(best, t)
        print(f"sidecar {conns} conn: {int(lines)} lines in {best:.2f} s: "
              f"{int(lines) / best:,.0f} lines/s, {size / best / 1e6:.1f} MB/s")
    proc, port, listener = start_sidecar(binary)
    sent, got, p50, p99, mx = run_capture(
        latency, port, listener, rate, secs).split()
    stop(proc)
    print(f"latency at {rate:,.0f} lines/s for {secs:.0f} s: sent {sent}, "
          f"received {got}, p50 {p50} us, p99 {p99} us, max {mx} us")
    proc, port, listener = start_sidecar(binary)
    t = threading.Thread(target=lambda: listener.accept())
    t.start()
    before, idle_rss, after = run_capture(idle, port, proc.pid, idle_n).split()
    stop(proc)
    print(f"RSS: {int(before) / 1024:.1f} MiB before, "
          f"{int(idle_rss) / 1024:.1f} MiB with {idle_n} idle connections, "
          f"{int(after) / 1024:.1f} MiB after each sent one line")


def run_capture(fn, *args):
    import io
    import contextlib
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        fn(*args)
    return buf.getvalue().strip()


if __name__ == "__main__":
    main()
