"""Event listener that records every event it is sent, then accepts it.

Usage: record.py OUTFILE [--fail-first] [--exit-first] [--delay SECONDS]

Each event becomes one JSON line in OUTFILE: the envelope headers and the
payload split into its header fields and body, as Supervisor's
childutils reads them. --fail-first answers FAIL to the first event (it
must come back); --exit-first exits without answering the first event the
first time it runs (the event must survive the restart; OUTFILE.died
remembers that it did); --delay sleeps before answering, to let events pile
up.
"""
import json
import os
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
    exit_first = '--exit-first' in sys.argv and not os.path.exists(out + '.died')
    delay = float(sys.argv[sys.argv.index('--delay') + 1]) if '--delay' in sys.argv else 0.0
    answered = 0
    while True:
        headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
        fields, body = split_payload(payload)
        with open(out, 'a') as f:
            f.write(json.dumps({'headers': headers, 'fields': fields, 'body': body}) + '\n')
        if exit_first:
            open(out + '.died', 'w').close()
            sys.exit(1)
        if delay:
            time.sleep(delay)
        if fail_first and answered == 0:
            childutils.listener.fail(sys.stdout)
        else:
            childutils.listener.ok(sys.stdout)
        answered += 1


if __name__ == '__main__':
    main()
