"""Event listener that records every event it is sent, then accepts it.

Usage: record.py OUTFILE [--fail-first] [--delay SECONDS]

Each event becomes one JSON line in OUTFILE: the envelope headers and the
payload split into its header fields and body, as Supervisor's
childutils reads them. --fail-first answers FAIL to the first event (it
must come back); --delay sleeps before answering, to let events pile up.
"""
import json
import sys
import time

from supervisor import childutils


def split_payload(payload):
    line, sep, body = payload.partition('\n')
    fields = {}
    for token in line.split():
        key, _, value = token.partition(':')
        fields[key] = value
    return fields, body if sep else None


def main():
    out = sys.argv[1]
    fail_first = '--fail-first' in sys.argv
    delay = float(sys.argv[sys.argv.index('--delay') + 1]) if '--delay' in sys.argv else 0.0
    answered = 0
    while True:
        headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
        fields, body = split_payload(payload)
        with open(out, 'a') as f:
            f.write(json.dumps({'headers': headers, 'fields': fields, 'body': body}) + '\n')
        if delay:
            time.sleep(delay)
        if fail_first and answered == 0:
            childutils.listener.fail(sys.stdout)
        else:
            childutils.listener.ok(sys.stdout)
        answered += 1


if __name__ == '__main__':
    main()
