/* An event listener that acknowledges every event at once, so the
 * benchmark measures the supervisor, not the listener: READY, then for
 * each envelope (header line with len:N, then N bytes) RESULT 2 OK and
 * READY again. After the N-th event it writes the time to OUTFILE.
 * Usage: ack_listener N OUTFILE
 * Lengths are counted in bytes: the benchmark's payloads are ASCII. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static char buf[1 << 20];

static void put(const char *s) {
  size_t n = strlen(s), off = 0;
  while (off < n) {
    ssize_t w = write(1, s + off, n - off);
    if (w <= 0) exit(1);
    off += (size_t)w;
  }
}

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  long want = atol(argv[1]), seen = 0;
  size_t have = 0;
  put("READY\n");
  for (;;) {
    ssize_t r = read(0, buf + have, sizeof buf - have);
    if (r <= 0) return 0;
    have += (size_t)r;
    for (;;) {
      char *nl = memchr(buf, '\n', have);
      if (!nl) break;
      *nl = 0;
      char *len = strstr(buf, "len:");
      size_t body = len ? (size_t)atol(len + 4) : 0;
      size_t total = (size_t)(nl - buf) + 1 + body;
      *nl = '\n';
      if (have < total) break;
      memmove(buf, buf + total, have - total);
      have -= total;
      if (++seen == want) {
        struct timeval tv;
        gettimeofday(&tv, NULL);
        FILE *f = fopen(argv[2], "w");
        if (f) {
          fprintf(f, "%ld.%06ld", (long)tv.tv_sec, (long)tv.tv_usec);
          fclose(f);
        }
      }
      put("RESULT 2\nOKREADY\n");
    }
  }
}
