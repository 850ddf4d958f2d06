"""The "exit the container when a process dies" listener: on
PROCESS_STATE_FATAL it sends SIGTERM to its supervisor."""
import os
import signal
import sys

from supervisor import childutils


def main():
    while True:
        headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
        if headers['eventname'] == 'PROCESS_STATE_FATAL':
            sys.stderr.write('fatal: %s\n' % payload)
            sys.stderr.flush()
            os.kill(os.getppid(), signal.SIGTERM)
        childutils.listener.ok(sys.stdout)


if __name__ == '__main__':
    main()
