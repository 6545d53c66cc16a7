#ifndef GANTRY_SPAWN_H
#define GANTRY_SPAWN_H

#include <sys/types.h>

/// Starts `path` with `argv` and `envp` (NULL-terminated) as the leader of a new process
/// group (its pid, the group's id, is stored in `group`), stdin from /dev/null, stdout and
/// stderr on `out_fd` and `err_fd`, in `cwd` (NULL: the current folder), with no signal
/// blocked or ignored and no other descriptor of Gantry's.
///
/// The process returned is the child's supervisor: a fork of Gantry that runs no code but
/// this file's, exits as the child does (its status, or the same signal) and, on Linux, has
/// a parent-death signal: when Gantry ends, however it ends (SIGKILL, a closed terminal, a
/// crash), it kills the child's whole group with SIGKILL. A death signal on the child itself
/// would spare the child's own children. Call it from a thread that lives as long as the
/// process: the death signal fires when the thread that forked exits.
/// Returns the supervisor's pid, or -1 with errno set (to exec's errno when the executable
/// could not be started).
pid_t gantry_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd, int out_fd, int err_fd, pid_t *group);

/// A pipe whose two ends are close-on-exec (atomically where the system can: no child
/// forked meanwhile gets them). Returns 0, or -1 with errno set.
int gantry_pipe_cloexec(int fds[2]);

#endif
