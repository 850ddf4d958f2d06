"""Sends supervisor.sendRemoteCommEvent(TYPE, DATA) for each TYPE DATA pair
to the supervisor at SERVER_URL, as a client of Supervisor's own RPC code."""
import sys

from supervisor import childutils


def main():
    rpc = childutils.getRPCInterface({'SUPERVISOR_SERVER_URL': sys.argv[1]})
    args = sys.argv[2:]
    for i in range(0, len(args), 2):
        rpc.supervisor.sendRemoteCommEvent(args[i], args[i + 1])


if __name__ == '__main__':
    main()
