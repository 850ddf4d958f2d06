#!/usr/bin/env python3
"""Diagnostics behind bench/README.md's runtime findings (not part of the table).

    bench/runtime_probe.py rss PROCTORD           # smaps of proctord idle with 100 sleeps
    bench/runtime_probe.py perf-reload PROCTORD   # perf record of reread+update, 1,000 programs
    bench/runtime_probe.py perf-reload-rpc PROCTORD  # the same for the bench's XML-RPC sequence, 30 rounds
    bench/runtime_probe.py rss-trim PROCTORD      # the same, before and after malloc_trim(0) (gdb)
    bench/runtime_probe.py rpc-times DAEMON       # per-call cost of reloadConfig, remove+addProcessGroup
    bench/runtime_probe.py heap-live PROCTORD     # live heap by allocation site (heaptrack)
    bench/runtime_probe.py strace-log DAEMON      # strace -c of a daemon logging 200 MB

Uses runtime_measure.py's Daemon (mkdtemp dir, unix socket, killed at exit).
"""
import atexit, os, signal, subprocess, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import runtime_measure as m

signal.signal(signal.SIGINT, m.on_signal)
signal.signal(signal.SIGTERM, m.on_signal)
atexit.register(m.close_all)


def smaps_by_mapping(pid):
    out, cur = {}, None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            parts = line.split()
            if "-" in parts[0] and len(parts) >= 5 and not parts[0].endswith(":"):
                cur = parts[5] if len(parts) > 5 else "[anon]"
            elif parts[0] == "Rss:":
                out[cur] = out.get(cur, 0) + int(parts[1])
    return sorted(out.items(), key=lambda kv: -kv[1])


def rss(bin):
    argv = [bin] if "supervisord" in bin else [os.path.abspath(bin)]
    d = m.Daemon("probe", argv, m.sleeps(100), "probe")
    d.wait_running(100)
    time.sleep(5)
    print(open(f"/proc/{d.pid}/smaps_rollup").read())
    for name, kb in smaps_by_mapping(d.pid)[:15]:
        print(f"{kb:8d} kB  {name}")
    d.close()


def perf_report(data):
    rep = subprocess.run(["perf", "report", "-i", data, "--no-children", "--stdio", "--percent-limit", "1.5",
                          "-g", "none", "--sort", "symbol"], capture_output=True, text=True).stdout
    clean = lambda text: "\n".join(l.rstrip(" -")[:200] for l in text.splitlines() if l.strip() and not l.startswith("#"))
    print("self:\n" + clean(rep))
    rep = subprocess.run(["perf", "report", "-i", data, "--children", "--stdio", "--percent-limit", "3",
                          "-g", "none", "--sort", "symbol"], capture_output=True, text=True).stdout
    print("inclusive:\n" + clean(rep))


def perf_record(d, freq):
    data = os.path.join(d.dir, "perf.data")
    p = subprocess.Popen(["perf", "record", "--call-graph", "dwarf,16384", "-F", str(freq), "-o", data, "-p", str(d.pid)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
    return p, data


def perf_reload(bin):
    d = m.Daemon("probe", [os.path.abspath(bin)], m.reload_programs(1000, 0), "probe")
    d.write_programs(m.reload_programs(1000, 1))
    p, data = perf_record(d, 1000)
    for v in range(2, 8):  # three reread+update rounds
        m.ctl(d, "reread")
        m.ctl(d, "update")
        d.write_programs(m.reload_programs(1000, v))
    p.send_signal(signal.SIGINT)
    p.wait()
    perf_report(data)
    d.close()


def perf_reload_rpc(bin):
    """runtime_measure's XML-RPC reload round (reloadConfig, stop/remove/add x 10), 30 times."""
    d = m.Daemon("probe", [os.path.abspath(bin)], m.reload_programs(1000, 0), "probe")
    s = d.rpc()
    p, data = perf_record(d, 2000)
    for v in range(1, 31):
        d.write_programs(m.reload_programs(1000, v))
        [[_, changed, _]] = s.supervisor.reloadConfig()
        for g in changed:
            s.supervisor.stopProcessGroup(g)
            s.supervisor.removeProcessGroup(g)
            s.supervisor.addProcessGroup(g)
    p.send_signal(signal.SIGINT)
    p.wait()
    perf_report(data)
    d.close()


def strace_log(bin):
    argv = [bin] if "supervisord" in bin else [os.path.abspath(bin)]
    d = m.Daemon("probe", argv, f"[program:flood]\ncommand=/usr/bin/head -c {m.LOG_BYTES} /dev/zero\n"
                 "autostart=false\nautorestart=false\nstartsecs=0\nstdout_logfile=%(here)s/flood.log\n"
                 "stdout_logfile_maxbytes=50MB\nstdout_logfile_backups=3\n", "probe")
    out = os.path.join(d.dir, "strace.txt")
    f0 = m.stat_fields(d.pid)
    p = subprocess.Popen(["strace", "-c", "-o", out, "-p", str(d.pid)], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    d.rpc().supervisor.startProcess("flood", True)
    while d.rpc().supervisor.getProcessInfo("flood")["statename"] != "EXITED":
        time.sleep(0.05)
    time.sleep(0.3)
    p.send_signal(signal.SIGINT)
    p.wait()
    f1 = m.stat_fields(d.pid)
    print(open(out).read())
    print(f"utime {(int(f1[11]) - int(f0[11])) / m.TICK:.2f} s, stime {(int(f1[12]) - int(f0[12])) / m.TICK:.2f} s "
          "(under strace)")
    d.close()




def rss_trim(bin):
    """VmRSS before and after gdb calls malloc_trim(0) in the idle daemon:
    how much of the heap is freed memory glibc has kept."""
    d = m.Daemon("probe", [os.path.abspath(bin)], m.sleeps(100), "probe")
    d.wait_running(100)
    time.sleep(2)
    before = m.status_kb(d.pid, "VmRSS"), m.status_kb(d.pid, "RssAnon")
    r = subprocess.run(["gdb", "-p", str(d.pid), "-batch", "-ex", "call (void)malloc_stats()",
                        "-ex", "call (int)malloc_trim(0)", "-ex", "detach"], capture_output=True, text=True)
    after = m.status_kb(d.pid, "VmRSS"), m.status_kb(d.pid, "RssAnon")
    print(f"VmRSS/RssAnon before malloc_trim: {before} kB, after: {after} kB")
    time.sleep(0.3)
    print(open(os.path.join(d.dir, "daemon.stdout")).read()[-800:])
    d.close()


def heap_live(bin):
    """proctord under heaptrack, idle with 100 sleeps, then SIGKILLed: what
    heaptrack reports as leaked is exactly what was live while idle."""
    tmp = m.tempfile.mkdtemp(prefix="proctor-rtbench-heaptrack-")
    try:
        out = os.path.join(tmp, "ht")
        d = m.Daemon("probe", ["heaptrack", "-o", out, os.path.abspath(bin)], m.sleeps(100), "probe")
        d.wait_running(100)
        time.sleep(2)
        for pid in m.descendants(d.pid):  # the proctord under heaptrack's shell wrapper
            if os.readlink(f"/proc/{pid}/exe").endswith("/proctord"):
                print(f"proctord under heaptrack: VmRSS {m.status_kb(pid, 'VmRSS')} kB")
                os.kill(pid, signal.SIGKILL)
        time.sleep(3)
        d.close()
        files = [f for f in os.listdir(tmp) if f.startswith("ht")]
        folded = os.path.join(tmp, "folded")
        subprocess.run(["heaptrack_print", "-f", os.path.join(tmp, files[0]), "-F", folded,
                        "--flamegraph-cost-type", "leaked"], capture_output=True, text=True)
        # Live bytes by the innermost frame of ours (proctor::, runtime, main.cc) on each stack.
        by = {}
        total = 0
        for line in open(folded):
            stack, _, cost = line.rpartition(" ")
            frames = stack.split(";")
            total += int(cost)
            ours = [f for f in frames if "proctor" in f or f in ("main", "load_plan", "make_group", "process_json",
                                                                  "group_json")]
            if not ours:
                key = "(stack truncated; outermost frames kept:) " + " -> ".join(frames[:3])
            elif "Supervisor::Supervisor" in ours[-1] or "to_json" in ours[-1]:
                key = " <- ".join(reversed([f for f in frames if "json.hpp" not in f][-4:] + ours[-2:]))
            else:
                key = " <- ".join(reversed(ours[-3:]))
            by[key] = by.get(key, 0) + int(cost)
        print(f"live heap while idle: {total / 1024:.0f} KiB")
        for k, v in sorted(by.items(), key=lambda kv: -kv[1])[:30]:
            print(f"{v / 1024:8.1f} KiB  {k[:230]}")
    finally:
        m.shutil.rmtree(tmp, ignore_errors=True)


def rpc_times(bin):
    """Per-call cost of what `supervisorctl update` sends, 1,000 programs, median of 5."""
    argv = [bin] if "supervisord" in bin else [os.path.abspath(bin)]
    d = m.Daemon("probe", argv, m.reload_programs(1000, 0), "probe")
    s = d.rpc()
    def timed(f, *a):
        ts = []
        for _ in range(5):
            c0, t0 = d.cpu(), time.monotonic()
            f(*a)
            ts.append((time.monotonic() - t0, d.cpu() - c0))
        return sorted(ts)[2]
    print(f"{bin}:")
    print("  reloadConfig (nothing changed): wall %.3f s, CPU %.2f s" % timed(s.supervisor.reloadConfig))
    def remove_add(g):
        s.supervisor.removeProcessGroup(g)
        s.supervisor.addProcessGroup(g)
    print("  removeProcessGroup + addProcessGroup: wall %.4f s, CPU %.2f s" % timed(remove_add, "p0500"))
    def add_only(g):
        s.supervisor.removeProcessGroup(g)
        t0 = time.monotonic()
        s.supervisor.addProcessGroup(g)
        return time.monotonic() - t0
    print("  addProcessGroup alone: wall %.4f s (median of 5)" % sorted(add_only("p0400") for _ in range(5))[2])
    print("  getAllProcessInfo: wall %.4f s, CPU %.2f s" % timed(s.supervisor.getAllProcessInfo))
    d.close()


if __name__ == "__main__":
    {"rss": rss, "rss-trim": rss_trim, "heap-live": heap_live, "rpc-times": rpc_times, "perf-reload": perf_reload,
     "perf-reload-rpc": perf_reload_rpc,
     "strace-log": strace_log}[sys.argv[1]](sys.argv[2])
