#!/usr/bin/python3
"""Event throughput: proctord against Debian's supervisord, same run.

Usage: events_bench.py PROCTORD [--events N] [--runs R] [--supervisord PATH]

For each daemon: a mkdtemp dir, a unix socket, one [eventlistener:ack]
subscribed to REMOTE_COMMUNICATION with buffer_size N whose listener
(bench/ack_listener.c, built with cc: the listener must cost little)
answers OK at once,
and one system.multicall of N supervisor.sendRemoteCommEvent calls. The
time runs from just before the call until the listener has acknowledged
the N-th event (it writes its clock to a file then). Prints a markdown
table; best of R runs per daemon. Also the floor: the same number of
round trips between two bare C processes (bench/pipe_roundtrip.c), no
supervisor in between, best of R. Every daemon is killed (its process
group) when its run ends, also on failure.
"""
import argparse
import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xmlrpc.client

sys.path.insert(0, '/usr/lib/python3/dist-packages')
from supervisor import childutils  # noqa: E402


CONFIG = '''[supervisord]
logfile = {d}/d.log
pidfile = {d}/d.pid
childlogdir = {d}
loglevel = warn

[unix_http_server]
file = {d}/s.sock

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[eventlistener:ack]
command = {listener} {n} {d}/done
events = REMOTE_COMMUNICATION
buffer_size = {n}
startsecs = 0
stdout_logfile = NONE
stderr_logfile = NONE
'''


def rpc(sock):
    return childutils.getRPCInterface({'SUPERVISOR_SERVER_URL': 'unix://' + sock})


def wait_for(pred, limit):
    end = time.time() + limit
    while time.time() < end:
        try:
            if pred():
                return True
        except (OSError, xmlrpc.client.Error, http.client.HTTPException):
            pass
        time.sleep(0.05)
    return False


def cpu_seconds(pid):
    """utime + stime of `pid` from /proc (the daemon alone, not its listener)."""
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def stop(proc):
    """SIGTERM (the daemon stops its listener), SIGKILL after 10 s; a
    listener left behind sees end of file on stdin and exits."""
    for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def one_run(daemon, n, listener):
    d = tempfile.mkdtemp(prefix='events-bench-')
    proc = None
    try:
        conf = os.path.join(d, 'supervisord.conf')
        with open(conf, 'w') as f:
            f.write(CONFIG.format(d=d, n=n, listener=listener))
        proc = subprocess.Popen([daemon, '-c', conf, '-n'], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        sock = os.path.join(d, 's.sock')
        # A fresh proxy per attempt: a failed connect leaves one unusable.
        if not wait_for(lambda: all(p['statename'] == 'RUNNING' for p in rpc(sock).supervisor.getAllProcessInfo()), 15):
            raise RuntimeError('%s: listener did not start' % daemon)
        time.sleep(0.3)  # READY written and read
        calls = [{'methodName': 'supervisor.sendRemoteCommEvent', 'params': ['bench', str(i)]}
                 for i in range(n)]
        api = rpc(sock)
        cpu = cpu_seconds(proc.pid)
        start = time.time()
        api.system.multicall(calls)
        done = os.path.join(d, 'done')
        if not wait_for(lambda: os.path.exists(done) and os.path.getsize(done) > 0, 300):
            raise RuntimeError('%s: listener did not get %d events' % (daemon, n))
        cpu = cpu_seconds(proc.pid) - cpu
        with open(done) as f:
            return float(f.read()) - start, cpu
    finally:
        if proc is not None:
            stop(proc)
        shutil.rmtree(d, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('proctord')
    ap.add_argument('--events', type=int, default=20000)
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--supervisord', default='/usr/bin/supervisord')
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix='events-bench-bin-')
    here = os.path.dirname(os.path.abspath(__file__))
    listener = os.path.join(tmp, 'ack_listener')
    roundtrip = os.path.join(tmp, 'pipe_roundtrip')
    for exe, src in ((listener, 'ack_listener.c'), (roundtrip, 'pipe_roundtrip.c')):
        subprocess.run(['cc', '-O2', '-o', exe, os.path.join(here, src)], check=True)
    floor = min(float(subprocess.run([roundtrip, str(a.events)], check=True, capture_output=True,
                                     text=True).stdout) for _ in range(a.runs))
    best, cpu = {}, {}
    for name, path in (('proctord', a.proctord), ('supervisord', a.supervisord)):
        runs = [one_run(path, a.events, listener) for _ in range(a.runs)]
        best[name] = min(r[0] for r in runs)
        cpu[name] = min(r[1] for r in runs)
    shutil.rmtree(tmp, ignore_errors=True)
    rate = {k: a.events / v for k, v in best.items()}
    ratio = rate['proctord'] / rate['supervisord']
    per_event = {k: cpu[k] / a.events * 1e6 for k in cpu}
    print('| events | proctord | supervisord | ratio (wall) | daemon CPU per event: proctord | supervisord | ratio (CPU) |')
    print('|---:|---:|---:|---:|---:|---:|---:|')
    print('| %d | %.0f ev/s (%.3f s) | %.0f ev/s (%.3f s) | %.1fx | %.1f us | %.1f us | %.1fx |' % (
        a.events, rate['proctord'], best['proctord'], rate['supervisord'], best['supervisord'], ratio,
        per_event['proctord'], per_event['supervisord'],
        per_event['supervisord'] / max(per_event['proctord'], 1e-9)))
    print('floor: %d bare pipe round trips (bench/pipe_roundtrip.c) in %.3f s = %.0f/s; '
          '10x supervisord would be %.0f ev/s, %.0f%% of that floor' % (
              a.events, floor, a.events / floor, 10 * rate['supervisord'],
              100 * 10 * rate['supervisord'] / (a.events / floor)))
    print('target: >= 10x supervisord\'s rate (wall): %s' % ('pass' if ratio >= 10 else 'FAIL'))
    return 0


if __name__ == '__main__':
    sys.exit(main())
