#define _GNU_SOURCE
#include "gantry_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

// Between fork and exec (and in the supervisor, which never execs) only async-signal-safe
// calls: the other threads of Gantry do not exist there.

/// What the supervisor and the child tell Gantry through the report pipe.
enum { REPORT_CHILD = 1, REPORT_ERRNO = 2 };
struct report { int kind; int value; };

/// The descriptor of the report pipe in the supervisor and the child (after stdio).
enum { REPORT_FD = 3 };

/// The child's group, for the supervisor's death-signal handler.
static volatile pid_t supervised_group = 0;

static void write_report(int kind, int value) {
    struct report message = {kind, value};
    ssize_t written;
    do { written = write(REPORT_FD, &message, sizeof message); } while (written < 0 && errno == EINTR);
}

/// Gantry died: its build dies with it, the whole group.
static void gantry_died(int sig) {
    (void)sig;
    if (supervised_group > 0) kill(-supervised_group, SIGKILL);
    _exit(128 + SIGKILL);
}

/// Closes every descriptor from `first` on.
static void close_from(int first) {
#if defined(__linux__) && defined(SYS_close_range)
    if (syscall(SYS_close_range, first, ~0U, 0) == 0) return;
#endif
    struct rlimit limit;
    int last = getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < 1048576 ? (int)limit.rlim_cur : 65536;
    for (int fd = first; fd < last; fd++) close(fd);
}

static void start_child(const char *path, char *const argv[], char *const envp[], const char *cwd, pid_t supervisor) {
    setpgid(0, 0);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != supervisor) _exit(127);
#else
    (void)supervisor;
#endif
    // The supervisor ignores what Gantry handles; the child gets every signal's default.
    for (int sig = 1; sig < NSIG; sig++) signal(sig, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (cwd == NULL || chdir(cwd) == 0) execve(path, argv, envp);
    write_report(REPORT_ERRNO, errno);
    _exit(127);
}

/// The supervisor: starts the child, waits for it, and ends as it ended.
static void supervise(const char *path, char *const argv[], char *const envp[], const char *cwd,
                      int out_fd, int err_fd, int report, pid_t gantry) {
    int input = open("/dev/null", O_RDONLY);
    if (input < 0 || dup2(input, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 || dup2(err_fd, STDERR_FILENO) < 0
        || dup2(report, REPORT_FD) < 0) {
        _exit(127);
    }
    fcntl(REPORT_FD, F_SETFD, FD_CLOEXEC);
    // Gantry's sockets, locks and other children's pipes stay with Gantry.
    close_from(REPORT_FD + 1);
    struct sigaction action = {0};
    action.sa_handler = gantry_died;
    sigemptyset(&action.sa_mask);
    sigaction(SIGUSR1, &action, NULL);
    // Ctrl-C, a closed terminal and SIGTERM reach Gantry's whole group, this process too:
    // Gantry decides what they do to its builds.
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGUSR1);
    // Gantry may have died before the death signal was armed.
    if (getppid() != gantry) _exit(127);
#else
    (void)gantry;
#endif
    pid_t supervisor = getpid();
    pid_t child = fork();
    if (child < 0) {
        write_report(REPORT_ERRNO, errno);
        _exit(127);
    }
    if (child == 0) start_child(path, argv, envp, cwd, supervisor);
    setpgid(child, child);
    supervised_group = child;
    write_report(REPORT_CHILD, child);
    close(REPORT_FD);
    int status = 0;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) _exit(127);
    }
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
#ifdef __linux__
        prctl(PR_SET_PDEATHSIG, 0);
#endif
        signal(sig, SIG_DFL);
        kill(supervisor, sig);
        _exit(128 + sig);
    }
    _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 127);
}

pid_t gantry_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd, int out_fd, int err_fd, pid_t *group) {
    int report[2];
    if (gantry_pipe_cloexec(report) != 0) return -1;
    pid_t gantry = getpid();
    pid_t supervisor = fork();
    if (supervisor < 0) {
        int error = errno;
        close(report[0]);
        close(report[1]);
        errno = error;
        return -1;
    }
    if (supervisor == 0) supervise(path, argv, envp, cwd, out_fd, err_fd, report[1], gantry);
    close(report[1]);
    // Until EOF: the supervisor closes its end once the child runs, the child's closes at exec.
    pid_t child = 0;
    int error = 0;
    struct report message;
    for (;;) {
        ssize_t got = read(report[0], &message, sizeof message);
        if (got < 0 && errno == EINTR) continue;
        if (got != (ssize_t)sizeof message) break;
        if (message.kind == REPORT_CHILD) child = message.value;
        if (message.kind == REPORT_ERRNO) error = message.value;
    }
    close(report[0]);
    if (child <= 0 || error != 0) {
        waitpid(supervisor, NULL, 0);
        errno = error != 0 ? error : ECHILD;
        return -1;
    }
    *group = child;
    return supervisor;
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
