/* The floor under any event throughput: two processes passing one event
 * envelope and its acknowledgement back and forth over two pipes, with no
 * supervisor in between. The parent writes an envelope of the size
 * proctord sends for REMOTE_COMMUNICATION and waits for the listener's
 * "RESULT 2\nOKREADY\n"; the child answers each envelope at once.
 * Usage: pipe_roundtrip N      prints the seconds N round trips took */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char envelope[] =
    "ver:3.0 server:supervisor serial:12345 pool:ack poolserial:12345 "
    "eventname:REMOTE_COMMUNICATION len:25\ntype:bench\n12345";
static const char ack[] = "RESULT 2\nOKREADY\n";

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  long n = atol(argv[1]);
  int down[2], up[2];
  char buf[4096];
  if (pipe(down) || pipe(up)) return 1;
  pid_t child = fork();
  if (child < 0) return 1;
  if (child == 0) {
    for (long i = 0; i < n; i++) {
      if (read(down[0], buf, sizeof buf) <= 0) _exit(1);
      if (write(up[1], ack, sizeof ack - 1) != (ssize_t)(sizeof ack - 1)) _exit(1);
    }
    _exit(0);
  }
  double start = now();
  for (long i = 0; i < n; i++) {
    if (write(down[1], envelope, sizeof envelope - 1) != (ssize_t)(sizeof envelope - 1)) return 1;
    if (read(up[0], buf, sizeof buf) <= 0) return 1;
  }
  printf("%.6f\n", now() - start);
  int status;
  waitpid(child, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
