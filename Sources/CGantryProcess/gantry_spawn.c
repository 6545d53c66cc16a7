#define _GNU_SOURCE
#include "gantry_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

/// The child's side, between fork and exec: async-signal-safe calls only. Writes errno to
/// `report` and exits 127 when it cannot exec.
static void start_child(const char *path, char *const argv[], char *const envp[], const char *cwd,
                        int out_fd, int err_fd, int report, pid_t parent) {
    setpgid(0, 0);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    // The parent may have died before the death signal was armed.
    if (getppid() != parent) _exit(127);
#endif
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    // Handlers are reset by exec; ignored signals (SIGPIPE) would stay ignored.
    for (int sig = 1; sig < NSIG; sig++) signal(sig, SIG_DFL);
    int input = open("/dev/null", O_RDONLY);
    if (input < 0 || dup2(input, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 || dup2(err_fd, STDERR_FILENO) < 0) goto failed;
    if (cwd != NULL && chdir(cwd) != 0) goto failed;
    execve(path, argv, envp);
failed:;
    int error = errno;
    ssize_t written = write(report, &error, sizeof error);
    (void)written;
    _exit(127);
}

pid_t gantry_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd, int out_fd, int err_fd) {
    int report[2];
    if (gantry_pipe_cloexec(report) != 0) return -1;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int error = errno;
        close(report[0]);
        close(report[1]);
        errno = error;
        return -1;
    }
    if (pid == 0) {
        close(report[0]);
        start_child(path, argv, envp, cwd, out_fd, err_fd, report[1], parent);
    }
    close(report[1]);
    // Also set in the parent, so a signal sent before the child's own setpgid reaches the group.
    setpgid(pid, pid);
    int error = 0;
    ssize_t got;
    do { got = read(report[0], &error, sizeof error); } while (got < 0 && errno == EINTR);
    close(report[0]);
    if (got == (ssize_t)sizeof error) {
        waitpid(pid, NULL, 0);
        errno = error;
        return -1;
    }
    return pid;
}

int gantry_pipe_cloexec(int fds[2]) {
#ifdef __linux__
    return pipe2(fds, O_CLOEXEC);
#else
    if (pipe(fds) != 0) return -1;
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    return 0;
#endif
}
