#!/usr/bin/env python3
"""proctord against supervisord, measured in the same run (bench/runtime_bench.sh drives this).

    bench/runtime_measure.py --proctord BIN [--supervisord /usr/bin/supervisord]
                             [--only idle,spawn,restart,log,reload] [--quick] [--json OUT]

Every daemon runs from its own mkdtemp dir under /tmp, listens on a unix
socket only, and is started in a new session (its pid is its process
group). At exit, even on an exception or SIGINT/SIGTERM, every daemon is
killed by process group and every process it started is killed by pid
(found by walking /proc for descendants). Nothing outside the temp dirs is
written. Prints a markdown table on stdout; progress goes to stderr.
"""
import argparse
import atexit
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import xmlrpc.client

CTL = "/usr/bin/supervisorctl"
TICK = os.sysconf("SC_CLK_TCK")
HEADER = """[supervisord]
logfile = %(here)s/daemon.log
pidfile = %(here)s/daemon.pid
childlogdir = %(here)s
loglevel = info
nodaemon = true

[unix_http_server]
file = %(here)s/s.sock

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl = unix://%(here)s/s.sock

"""


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- /proc helpers

def stat_fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()


def cpu_ticks(pid):
    f = stat_fields(pid)
    return int(f[11]) + int(f[12])  # utime + stime (fields 14, 15)


def user_sys(pid):
    f = stat_fields(pid)
    return int(f[11]) / TICK, int(f[12]) / TICK


def status_kb(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def descendants(root):
    """Every live process below `root` (by PPid), found by walking /proc."""
    children = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            ppid = int(stat_fields(int(name))[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(name))
    out, todo = [], [root]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


# ---------------------------------------------------------------- XML-RPC over a unix socket

class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost")
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)


class _UnixTransport(xmlrpc.client.Transport):
    def __init__(self, path):
        super().__init__()
        self.path = path

    def make_connection(self, host):
        return _UnixConnection(self.path)


def rpc(sock_path):
    return xmlrpc.client.ServerProxy("http://localhost/RPC2", transport=_UnixTransport(sock_path))


# ---------------------------------------------------------------- daemons

LIVE = []  # every Daemon not yet closed


class Daemon:
    def __init__(self, kind, argv, programs, tag):
        self.kind = kind
        self.dir = tempfile.mkdtemp(prefix=f"proctor-rtbench-{tag}-{kind}-")
        self.conf = os.path.join(self.dir, "supervisord.conf")
        self.sock = os.path.join(self.dir, "s.sock")
        self.write_programs(programs)
        self.out = open(os.path.join(self.dir, "daemon.stdout"), "wb")
        self.proc = subprocess.Popen(argv + ["-c", self.conf, "-n"], stdin=subprocess.PIPE, stdout=self.out,
                                     stderr=subprocess.STDOUT, start_new_session=True, cwd=self.dir)
        self.pid = self.proc.pid
        self.known = set()  # pids ever seen below the daemon (killed by pid at close)
        LIVE.append(self)
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{kind} exited with {self.proc.returncode}; see {self.dir}/daemon.stdout")
            try:
                if self.rpc().supervisor.getState()["statename"] == "RUNNING":
                    return
            except (OSError, xmlrpc.client.Error, http.client.HTTPException):
                pass
            time.sleep(0.05)
        raise RuntimeError(f"{kind} did not answer on {self.sock}")

    def write_programs(self, programs):
        with open(self.conf + ".tmp", "w") as f:
            f.write(HEADER + programs)
        os.replace(self.conf + ".tmp", self.conf)

    def rpc(self):
        return rpc(self.sock)

    def remember_children(self):
        self.known.update(descendants(self.pid))

    def infos(self):
        return self.rpc().supervisor.getAllProcessInfo()

    def wait_running(self, count, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            info = self.infos()
            if sum(1 for p in info if p["statename"] == "RUNNING") >= count:
                self.remember_children()
                return
            time.sleep(0.1)
        raise RuntimeError(f"{self.kind}: not all {count} processes RUNNING")

    def cpu(self):
        return cpu_ticks(self.pid) / TICK

    def close(self):
        if self in LIVE:
            LIVE.remove(self)
        try:
            self.remember_children()
        except OSError:
            pass
        try:
            os.killpg(self.pid, signal.SIGTERM)  # the daemon stops its children itself
            self.proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        # Children lead their own process groups: kill each one we saw, by pid.
        for pid in sorted(self.known):
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self.out.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def close_all(*_):
    for d in list(LIVE):
        try:
            d.close()
        except Exception as e:  # keep closing the others
            log(f"cleanup of {d.dir}: {e}")


def on_signal(signum, _frame):
    close_all()
    sys.exit(128 + signum)


# ---------------------------------------------------------------- benchmarks

def sleeps(n, prefix="s", extra=""):
    return "".join(f"[program:{prefix}{i:04d}]\ncommand=/bin/sleep 100000\n{extra}\n" for i in range(n))


STRACE_WAITS = ("epoll_wait", "epoll_pwait", "epoll_pwait2", "poll", "ppoll", "select", "pselect6")


def strace_counts(pid, seconds, out_path):
    """Syscall counts of pid (all threads) over `seconds`, from strace -c."""
    p = subprocess.Popen(["strace", "-c", "-f", "-o", out_path, "-p", str(pid)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(seconds)
    p.send_signal(signal.SIGINT)
    p.wait(timeout=30)
    counts = {}
    with open(out_path) as f:
        for line in f:
            m = re.match(r"\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)\s*$", line)
            if m and m.group(2) != "total":
                counts[m.group(2)] = int(m.group(1))
    return counts


def bench_idle(daemons, settle=5, cpu_window=30, strace_window=10):
    """Both daemons run 100 sleeps at once; measured side by side."""
    ds = {}
    try:
        for kind, argv in daemons.items():
            ds[kind] = Daemon(kind, argv, sleeps(100), "idle")
        for d in ds.values():
            d.wait_running(100)
        log(f"idle: all RUNNING, settling {settle} s")
        time.sleep(settle)
        res = {k: {"rss_kb": status_kb(d.pid, "VmRSS"), "hwm_kb": status_kb(d.pid, "VmHWM")} for k, d in ds.items()}
        t0 = {k: (d.cpu(), status_kb(d.pid, "voluntary_ctxt_switches")) for k, d in ds.items()}
        log(f"idle: CPU over {cpu_window} s")
        time.sleep(cpu_window)
        for k, d in ds.items():
            res[k]["cpu_s"] = round(d.cpu() - t0[k][0], 3)
            res[k]["ctxsw"] = status_kb(d.pid, "voluntary_ctxt_switches") - t0[k][1]
        log(f"idle: strace -c over {strace_window} s")
        straces = {}
        for k, d in ds.items():  # sequential: one tracer at a time
            straces[k] = strace_counts(d.pid, strace_window, os.path.join(d.dir, "strace.txt"))
        for k, c in straces.items():
            res[k]["waits"] = sum(c.get(s, 0) for s in STRACE_WAITS)
            res[k]["syscalls"] = sum(c.values())
            res[k]["top"] = sorted(c.items(), key=lambda kv: -kv[1])[:6]
        return res
    finally:
        for d in ds.values():
            d.close()


def bench_spawn(kind, argv, n=100, reps=3):
    """startAllProcesses(wait=True) for n sleeps (startsecs=0): wall and daemon CPU, median of reps."""
    d = Daemon(kind, argv, sleeps(n, extra="autostart=false\nstartsecs=0\n"), "spawn")
    try:
        walls, cpus = [], []
        for _ in range(reps):
            s = d.rpc()
            c0, t0 = d.cpu(), time.monotonic()
            s.supervisor.startAllProcesses(True)
            wall = time.monotonic() - t0
            running = sum(1 for p in d.infos() if p["statename"] == "RUNNING")
            cpus.append(d.cpu() - c0)
            walls.append(wall)
            if running != n:
                raise RuntimeError(f"{kind}: {running}/{n} RUNNING after startAllProcesses")
            d.remember_children()
            d.rpc().supervisor.stopAllProcesses(True)
        return {"wall_ms": statistics.median(walls) * 1000, "cpu_ms": statistics.median(cpus) * 1000,
                "walls": [round(w * 1000, 1) for w in walls]}
    finally:
        d.close()


def wait_new_line(path, nlines, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(path) as f:
                lines = f.read().split()
            if len(lines) > nlines:
                return time.monotonic(), lines
        except FileNotFoundError:
            pass
        time.sleep(0.0002)
    raise RuntimeError(f"no new pid in {path}")


def bench_restart(kind, argv, reps=20):
    """kill -9 the child; time until the restarted child has written its pid."""
    d = Daemon(kind, argv, "[program:crash]\ncommand=/bin/sh -c 'echo $$ >> %(here)s/pids; exec /bin/sleep 100000'\n"
                           "autorestart=true\nstartsecs=0\nstartretries=100\n", "restart")
    pids = os.path.join(d.dir, "pids")
    try:
        _, lines = wait_new_line(pids, 0)
        time.sleep(0.2)
        samples = []
        for _ in range(reps):
            d.known.add(int(lines[-1]))
            t0 = time.monotonic()
            os.kill(int(lines[-1]), signal.SIGKILL)
            t1, lines = wait_new_line(pids, len(lines))
            samples.append((t1 - t0) * 1000)
            time.sleep(0.2)
        d.known.add(int(lines[-1]))
        return {"median_ms": statistics.median(samples), "min_ms": min(samples), "max_ms": max(samples)}
    finally:
        d.close()


def restart_floor(reps=20):
    """The same child started by python's fork/exec, no supervisor: the floor of the metric."""
    tmp = tempfile.mkdtemp(prefix="proctor-rtbench-floor-")
    pids = os.path.join(tmp, "pids")
    samples = []
    try:
        for _ in range(reps):
            n = len(open(pids).read().split()) if os.path.exists(pids) else 0
            t0 = time.monotonic()
            p = subprocess.Popen(["/bin/sh", "-c", f"echo $$ >> {pids}; exec /bin/sleep 100000"],
                                 start_new_session=True)
            t1, _ = wait_new_line(pids, n)
            samples.append((t1 - t0) * 1000)
            p.kill()
            p.wait()
        return statistics.median(samples)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


LOG_BYTES = 200_000_000


def log_once(kind, argv):
    """One run in a fresh daemon: a child writes 200 MB to stdout, logged with
    50MB x 3 backups rotation. Wall: startProcess RPC until the child has
    exited and every byte is in the log files (they stop growing if some are
    lost). CPU: the daemon's utime and stime over the same span."""
    d = Daemon(kind, argv, f"[program:flood]\ncommand=/usr/bin/head -c {LOG_BYTES} /dev/zero\n"
                           "autostart=false\nautorestart=false\nstartsecs=0\n"
                           "stdout_logfile=%(here)s/flood.log\nstdout_logfile_maxbytes=50MB\n"
                           "stdout_logfile_backups=3\n", "log")
    try:
        s = d.rpc()
        def logged():
            while True:  # a rotation may rename a file between listdir and stat
                try:
                    return sum(os.path.getsize(os.path.join(d.dir, f)) for f in os.listdir(d.dir)
                               if f.startswith("flood.log"))
                except FileNotFoundError:
                    continue
        c0, t0, us0 = d.cpu(), time.monotonic(), user_sys(d.pid)
        s.supervisor.startProcess("flood", False)
        child, last, last_change = None, -1, time.monotonic()
        while True:
            if child is None:
                child = s.supervisor.getProcessInfo("flood")["pid"] or None
                if child:
                    d.known.add(child)
            total, now = logged(), time.monotonic()
            if total != last:
                last, last_change = total, now
            exited = child and not os.path.exists(f"/proc/{child}")
            if exited and (total >= LOG_BYTES or now - last_change > 2):
                break
            if now - t0 > 300:
                raise RuntimeError(f"{kind}: logged {total} bytes in 300 s")
            time.sleep(0.005)
        wall = (last_change if total < LOG_BYTES else time.monotonic()) - t0
        us1 = user_sys(d.pid)
        cpu = d.cpu() - c0
        files = sorted(f for f in os.listdir(d.dir) if f.startswith("flood.log"))
        log(f"log {kind}: {wall:.2f} s wall, {cpu:.2f} s CPU, files {files}, {total} bytes")
        return {"wall_s": wall, "cpu_s": cpu, "user_s": us1[0] - us0[0], "sys_s": us1[1] - us0[1], "bytes": total}
    finally:
        d.close()  # removes the 200 MB (unlinked before writeback, mostly)


def cat_once():
    tmp = tempfile.mkdtemp(prefix="proctor-rtbench-cat-")
    try:
        t0 = time.monotonic()
        subprocess.run(f"/usr/bin/head -c {LOG_BYTES} /dev/zero | /bin/cat > {tmp}/out", shell=True, check=True)
        return time.monotonic() - t0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def bench_logging(daemons, reps=3):
    """cat, proctord and supervisord take turns, `reps` rounds; medians per column
    (dirty-page writeback from one run slows the next, so no one always goes first)."""
    runs = {k: [] for k in daemons}
    cats = []
    for rep in range(reps):
        cats.append(cat_once())
        time.sleep(1)
        order = list(daemons.items())
        for k, argv in (order if rep % 2 == 0 else order[::-1]):
            runs[k].append(log_once(k, argv))
            time.sleep(1)
    out = {"cat_s": statistics.median(cats), "cats": cats}
    for k, rs in runs.items():
        mid = sorted(rs, key=lambda r: r["cpu_s"])[len(rs) // 2]
        out[k] = {"wall_s": statistics.median(r["wall_s"] for r in rs), "cpu_s": mid["cpu_s"],
                  "user_s": mid["user_s"], "sys_s": mid["sys_s"], "bytes": min(r["bytes"] for r in rs), "runs": rs}
    return out


def reload_programs(n, variant, changed=10):
    """n programs; the first `changed` get a command that depends on variant."""
    out = []
    for i in range(n):
        arg = 100000 + (variant if i < changed else 0)
        out.append(f"[program:p{i:04d}]\ncommand=/bin/sleep {arg}\nautostart=false\n"
                   f"stdout_logfile=%(here)s/p{i:04d}.log\nenvironment=IDX=\"{i}\"\n\n")
    return "".join(out)


def ctl(d, *args):
    t0 = time.monotonic()
    r = subprocess.run([CTL, "-c", d.conf] + list(args), capture_output=True, text=True, timeout=600)
    return time.monotonic() - t0, r


def bench_reload(kind, argv, n=1000, reps=3):
    """supervisorctl reread && supervisorctl update, 10 of n programs changed."""
    d = Daemon(kind, argv, reload_programs(n, 0), "reload")
    try:
        if len(d.infos()) != n:
            raise RuntimeError(f"{kind}: expected {n} processes")
        floor = statistics.median(ctl(d, "pid")[0] for _ in range(3))
        cli, rpc_only, reread_cpu = [], [], []
        variant = 0
        for rep in range(reps):
            # supervisorctl: reread (reloadConfig), then update (reloadConfig + stop/remove/add per group).
            variant += 1
            d.write_programs(reload_programs(n, variant))
            c0 = d.cpu()
            t_reread, r1 = ctl(d, "reread")
            t_update, r2 = ctl(d, "update")
            reread_cpu.append(d.cpu() - c0)
            changed = r1.stdout.count(": changed")
            updated = r2.stdout.count(": updated process group")
            if changed != 10 or updated != 10 or r1.returncode or r2.returncode:
                raise RuntimeError(f"{kind}: reread said {r1.stdout!r} {r1.stderr!r}; update said {r2.stdout!r}")
            cli.append(t_reread + t_update)
            # The same work straight over XML-RPC (what update does, without supervisorctl's start-up).
            variant += 1
            d.write_programs(reload_programs(n, variant))
            s = d.rpc()
            t0 = time.monotonic()
            [[added, changed_groups, removed]] = s.supervisor.reloadConfig()
            for g in changed_groups:
                s.supervisor.stopProcessGroup(g)
                s.supervisor.removeProcessGroup(g)
                s.supervisor.addProcessGroup(g)
            rpc_only.append(time.monotonic() - t0)
            if len(changed_groups) != 10 or added or removed:
                raise RuntimeError(f"{kind}: reloadConfig gave {added} {changed_groups} {removed}")
        return {"cli_s": statistics.median(cli), "rpc_s": statistics.median(rpc_only),
                "cpu_s": statistics.median(reread_cpu), "ctl_floor_s": floor}
    finally:
        d.close()


# ---------------------------------------------------------------- table

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--proctord", required=True)
    ap.add_argument("--supervisord", default="/usr/bin/supervisord")
    ap.add_argument("--only", default="idle,spawn,restart,log,reload")
    ap.add_argument("--quick", action="store_true", help="short windows, fewer repetitions (smoke run)")
    ap.add_argument("--json", help="also write raw results here")
    a = ap.parse_args()
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    atexit.register(close_all)
    daemons = {"proctord": [os.path.abspath(a.proctord)], "supervisord": [a.supervisord]}
    only = set(a.only.split(","))
    q = a.quick
    raw = {"loadavg_start": open("/proc/loadavg").read().split()[:3]}
    rows = []

    def row(metric, p, s, target, ok, fmt="{:.1f}"):
        ratio = (p / s) if s else float("inf")
        rows.append((metric, fmt.format(p), fmt.format(s), f"{ratio:.3f}", target, "pass" if ok else "FAIL"))

    if "idle" in only:
        log("idle: 100 sleeps under each daemon")
        r = bench_idle(daemons, settle=5, cpu_window=5 if q else 30, strace_window=3 if q else 10)
        raw["idle"] = r
        p, s = r["proctord"], r["supervisord"]
        row("idle RSS, 100 `sleep` children (VmRSS, MiB)", p["rss_kb"] / 1024, s["rss_kb"] / 1024,
            "≤ 1/5 (0.200)", p["rss_kb"] * 5 <= s["rss_kb"])
        w = 5 if q else 30
        row(f"idle CPU over {w} s (utime+stime, ticks of 10 ms)", p["cpu_s"] * 100, s["cpu_s"] * 100,
            "no periodic work: 0 ticks", p["cpu_s"] == 0, fmt="{:.0f}")
        row(f"idle voluntary context switches over {w} s", p["ctxsw"], s["ctxsw"], "no periodic wake-ups: ≤ 1",
            p["ctxsw"] <= 1, fmt="{:.0f}")
        sw = 3 if q else 10
        row(f"idle epoll_wait/poll/select calls over {sw} s (strace -c -f)", p["waits"], s["waits"],
            "no polling: ≤ 1 (the call strace interrupts)", p["waits"] <= 1, fmt="{:.0f}")
        row(f"idle syscalls of any kind over {sw} s (strace -c -f)", p["syscalls"], s["syscalls"],
            "≈ 0", p["syscalls"] <= 2, fmt="{:.0f}")
    if "spawn" in only:
        r = {}
        for k, argv in daemons.items():
            log(f"spawn: {k}")
            r[k] = bench_spawn(k, argv, reps=1 if q else 3)
        raw["spawn"] = r
        row("spawn 100 processes: startAllProcesses(wait) wall (ms, median of 3)", r["proctord"]["wall_ms"],
            r["supervisord"]["wall_ms"], "(no target; report)", True)
        row("spawn 100 processes: daemon CPU (ms, median of 3)", r["proctord"]["cpu_ms"], r["supervisord"]["cpu_ms"],
            "(no target; report)", True, fmt="{:.0f}")
    if "restart" in only:
        r = {}
        for k, argv in daemons.items():
            log(f"restart: {k}")
            r[k] = bench_restart(k, argv, reps=5 if q else 20)
        r["floor_ms"] = restart_floor(5 if q else 20)
        raw["restart"] = r
        p, s = r["proctord"]["median_ms"], r["supervisord"]["median_ms"]
        row(f"restart after kill -9, until new pid written (ms, median of {5 if q else 20}; "
            f"floor: sh started by python = {r['floor_ms']:.1f} ms)", p, s, "≤ 1/10 (0.100)", p * 10 <= s, fmt="{:.2f}")
    if "log" in only:
        log("log: cat, proctord, supervisord in turns")
        r = bench_logging(daemons, reps=1 if q else 3)
        raw["log"] = r
        p, s, cat = r["proctord"]["wall_s"], r["supervisord"]["wall_s"], r["cat_s"]
        lost = "".join(f"; {k} LOST {LOG_BYTES - r[k]['bytes']} bytes" for k in daemons if r[k]["bytes"] < LOG_BYTES)
        row(f"log 200 MB (rotation 50MB x 3 backups): wall (s, median of {1 if q else 3}); "
            f"`head | cat > file` = {cat:.2f} s{lost}", p, s,
            f"proctord ≤ 1.5 × cat = {1.5 * cat:.2f} s", p <= 1.5 * cat and r["proctord"]["bytes"] >= LOG_BYTES,
            fmt="{:.2f}")
        p, s = r["proctord"]["cpu_s"], r["supervisord"]["cpu_s"]
        pu, ps_, su, ss = (r["proctord"]["user_s"], r["proctord"]["sys_s"], r["supervisord"]["user_s"],
                           r["supervisord"]["sys_s"])
        row(f"log 200 MB: daemon CPU, utime+stime (s) [proctord {pu:.2f} user + {ps_:.2f} sys; "
            f"supervisord {su:.2f} user + {ss:.2f} sys]", p, s, "≤ 1/5 (0.200)", p * 5 <= s, fmt="{:.2f}")
    if "reload" in only:
        r = {}
        for k, argv in daemons.items():
            log(f"reload: {k}")
            r[k] = bench_reload(k, argv, reps=1 if q else 3)
        raw["reload"] = r
        p, s = r["proctord"]["cli_s"], r["supervisord"]["cli_s"]
        fl = r["proctord"]["ctl_floor_s"]
        row(f"reload 1,000 programs, 10 changed: `supervisorctl reread && supervisorctl update` wall (s); "
            f"one `supervisorctl pid` = {fl:.2f} s", p, s, "≤ 1/10 (0.100)", p * 10 <= s, fmt="{:.3f}")
        p, s = r["proctord"]["rpc_s"], r["supervisord"]["rpc_s"]
        row("reload, same work over XML-RPC (reloadConfig + stop/remove/add × 10) wall (s)", p, s,
            "≤ 1/10 (0.100)", p * 10 <= s, fmt="{:.3f}")
        p, s = r["proctord"]["cpu_s"], r["supervisord"]["cpu_s"]
        row("reload: daemon CPU for reread + update (s)", p, s, "≤ 1/10 (0.100)", p * 10 <= s, fmt="{:.3f}")
    raw["loadavg_end"] = open("/proc/loadavg").read().split()[:3]
    if a.json:
        with open(a.json, "w") as f:
            json.dump(raw, f, indent=1, default=str)
    print("| metric | proctord | supervisord | ratio | target | result |")
    print("|---|---:|---:|---:|---|---|")
    for r in rows:
        print("| " + " | ".join(str(x) for x in r) + " |")
    print(f"\nload average at start {' '.join(raw['loadavg_start'])}, at end {' '.join(raw['loadavg_end'])}")
    return 0 if all(r[5] == "pass" for r in rows) else 3  # 1 is Python's own exit code on an exception


if __name__ == "__main__":
    sys.exit(main())
