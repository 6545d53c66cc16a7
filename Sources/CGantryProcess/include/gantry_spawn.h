#ifndef GANTRY_SPAWN_H
#define GANTRY_SPAWN_H

#include <sys/types.h>

/// Starts `path` with `argv` and `envp` (NULL-terminated) as the leader of a new process
/// group, stdin from /dev/null, stdout and stderr on `out_fd` and `err_fd`, in `cwd` (NULL:
/// the current folder), with no signal blocked or ignored. On Linux the child gets SIGKILL
/// as its parent-death signal, so it never outlives the thread that called this (whatever
/// ends Gantry: a signal, SIGKILL, a crash): call it from a thread that lives as long as the
/// process. Returns the child's pid, or -1 with errno set (to exec's errno when the
/// executable could not be started).
pid_t gantry_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd, int out_fd, int err_fd);

/// A pipe whose two ends are close-on-exec (atomically where the system can: no child
/// forked meanwhile gets them). Returns 0, or -1 with errno set.
int gantry_pipe_cloexec(int fds[2]);

#endif
