#!/usr/bin/env python3
"""What copying a child's 200 MB of stdout into a file costs the copying
process, by method: the floor under the daemon-CPU row of runtime_bench.sh.

    bench/log_copy_floor.py [MEGABYTES]

For each method, `head -c N /dev/zero` writes into a pipe and this process
moves the bytes into a file in a mkdtemp dir, measuring its own user and
system CPU (getrusage) and the wall time:

  read/write 64K   read() into a 64 KiB buffer, write() it: what proctord
                   (runtime/logs/channel_reader.cc) and supervisord do
  read/write 1M    the same with the pipe grown to 1 MiB (F_SETPIPE_SZ) and
                   a 1 MiB buffer: fewer wake-ups and syscalls
  splice 64K pipe  splice(2) from the pipe into the file, no copy to user space
                   (needs a file opened without O_APPEND: splice refuses those)
  splice 1M pipe   both
  read only 1M     read() and drop the bytes: what any process that must see
                   the output (rotation, tail, events) pays before storing it
  O_DIRECT 1M      read() into an aligned buffer, write() it with O_DIRECT (no
                   page cache; unaligned remainders go through a second,
                   buffered descriptor)
"""
import fcntl, mmap, os, resource, shutil, subprocess, sys, tempfile, time

F_SETPIPE_SZ = 1031
N = int(sys.argv[1]) * 1_000_000 if len(sys.argv) > 1 else 200_000_000


def run(method, pipe_size, bufsize):
    tmp = tempfile.mkdtemp(prefix="proctor-rtbench-floor-")
    try:
        r, w = os.pipe()
        if pipe_size:
            fcntl.fcntl(r, F_SETPIPE_SZ, pipe_size)
        child = subprocess.Popen(["/usr/bin/head", "-c", str(N), "/dev/zero"], stdout=w)
        os.close(w)
        # splice(2) refuses an O_APPEND destination (EINVAL): it writes at an explicit offset.
        flags = os.O_WRONLY | os.O_CREAT | (0 if method in ("splice", "direct") else os.O_APPEND)
        out = os.open(os.path.join(tmp, "log"), flags, 0o644)
        direct = os.open(os.path.join(tmp, "log"), os.O_WRONLY | os.O_DIRECT) if method == "direct" else -1
        buf = mmap.mmap(-1, bufsize)  # page-aligned, as O_DIRECT needs
        ru0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.monotonic()
        total, calls = 0, 0
        while True:
            if method == "splice":
                n = os.splice(r, out, bufsize, offset_dst=total)
            elif method == "read":
                n = os.readv(r, [buf])
            elif method == "direct":
                n = os.readv(r, [buf])
                write_direct(direct, out, memoryview(buf)[:n], total)
            else:
                data = os.read(r, bufsize)
                n = len(data)
                if n:
                    os.write(out, data)
            calls += 1
            if not n:
                break
            total += n
        wall = time.monotonic() - t0
        ru1 = resource.getrusage(resource.RUSAGE_SELF)
        child.wait()
        os.close(r)
        os.close(out)
        if direct >= 0:
            os.close(direct)
        assert total == N, total
        return wall, ru1.ru_utime - ru0.ru_utime, ru1.ru_stime - ru0.ru_stime, calls
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_direct(direct, buffered, data, offset, block=4096):
    """O_DIRECT needs block-aligned offsets and lengths: the aligned middle goes
    straight to the device, any ragged edge through the page cache."""
    aligned = 0 if offset % block else len(data) - len(data) % block
    if aligned:
        os.pwrite(direct, data[:aligned], offset)
    if aligned < len(data):
        os.pwrite(buffered, data[aligned:], offset + aligned)


def main():
    print(f"| method ({N // 1_000_000} MB) | wall (s) | user (s) | sys (s) | reads/splices |")
    print("|---|---:|---:|---:|---:|")
    for name, method, pipe, buf in [("read/write, 64 KiB pipe", "rw", 0, 65536),
                                    ("read/write, 1 MiB pipe", "rw", 1 << 20, 1 << 20),
                                    ("splice, 64 KiB pipe", "splice", 0, 1 << 20),
                                    ("splice, 1 MiB pipe", "splice", 1 << 20, 1 << 20),
                                    ("read only (bytes dropped), 1 MiB pipe", "read", 1 << 20, 1 << 20),
                                    ("read + O_DIRECT write, 1 MiB pipe", "direct", 1 << 20, 1 << 20)]:
        runs = sorted(run(method, pipe, buf) for _ in range(3))
        wall, user, sys_, calls = runs[1]
        print(f"| {name} | {wall:.3f} | {user:.3f} | {sys_:.3f} | {calls} |")


if __name__ == "__main__":
    main()
