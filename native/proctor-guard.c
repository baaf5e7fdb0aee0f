/*
 * proctor-guard: sits between Proctor and one supervised child so that nothing the child starts
 * outlives the child or the app, even when the app is SIGKILLed. Linux only.
 *
 *   usage: proctor-guard [-w] APP_PID CWD COMMAND [ARG...]      (CWD "" keeps the current directory)
 *
 * fd 3 is the link to the app. We write "P <pid>\n" once COMMAND is running, or
 * "E <chdir|exec|fork> <errno>\n" when it could not start. EOF on fd 3 means the app is gone.
 * With -w we start nothing until the app writes a byte on fd 3: a guard spawned ahead of time, so
 * that an instant restart costs the app a write instead of a fork of its own (large) process.
 *
 * Why each piece is here:
 * - subreaper: orphans of the family (double-forked daemons) are re-parented to us, not to init,
 *   so they stay reachable and reapable.
 * - parent-death signal + getppid() check + EOF on fd 3: three independent ways to learn that the
 *   app died; any one of them is enough, so a race in one is covered by the others.
 * - the child gets its own process group so the app can signal the whole family with kill(-pgid)
 *   without hitting us; we sit in our own session (the app spawns us detached).
 * - when the child exits we SIGKILL what is left of its family and then exit the same way it did
 *   (same code, or the same signal re-raised) so the app reads the real exit status from us.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define LINK_FD 3
/* A real-time signal nobody sends by accident; it is never forwarded to the child. */
#define PARENT_DEATH_SIGNAL (SIGRTMIN + 2)

static pid_t child = -1;
static int child_status;
static int child_reaped;

static void say(const char *format, ...) {
  char line[64];
  va_list args;
  va_start(args, format);
  int length = vsnprintf(line, sizeof line, format, args);
  va_end(args);
  /* If the app is already gone the write fails with EPIPE (SIGPIPE is blocked); nothing to do. */
  if (length > 0 && write(LINK_FD, line, (size_t)length) < 0) return;
}

static void record(pid_t pid, int status) {
  if (pid == child) {
    child_status = status;
    child_reaped = 1;
  }
}

/* Reaps every child that has already died; returns 1 when we have no children left at all. */
static int reap_dead(void) {
  for (;;) {
    int status;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid > 0) {
      record(pid, status);
      continue;
    }
    return pid < 0 && errno == ECHILD;
  }
}

struct proc_entry {
  pid_t pid;
  pid_t ppid;
  int ours;
};

static pid_t parent_of(const char *pid_text) {
  char path[64];
  char stat[512];
  snprintf(path, sizeof path, "/proc/%s/stat", pid_text);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = read(fd, stat, sizeof stat - 1);
  close(fd);
  if (n <= 0) return -1;
  stat[n] = '\0';
  /* The command name may itself contain ") ", so the fields start after the last ')'. */
  char *end_of_name = strrchr(stat, ')');
  int ppid;
  if (end_of_name == NULL || sscanf(end_of_name + 1, " %*c %d", &ppid) != 1) return -1;
  return (pid_t)ppid;
}

/*
 * SIGKILLs every descendant, found by reading every process's parent from /proc: the way for a kernel
 * without children files, and slow on a busy machine (a read per process, then a quadratic walk).
 */
static void kill_descendants_by_scan(void) {
  DIR *dir = opendir("/proc");
  if (dir == NULL) return;
  size_t count = 0;
  size_t capacity = 256;
  struct proc_entry *table = malloc(capacity * sizeof *table);
  struct dirent *entry;
  while (table != NULL && (entry = readdir(dir)) != NULL) {
    if (entry->d_name[0] < '1' || entry->d_name[0] > '9') continue;
    pid_t ppid = parent_of(entry->d_name);
    if (ppid < 0) continue;
    if (count == capacity) {
      capacity *= 2;
      struct proc_entry *grown = realloc(table, capacity * sizeof *table);
      if (grown == NULL) break;
      table = grown;
    }
    table[count++] = (struct proc_entry){(pid_t)atol(entry->d_name), ppid, 0};
  }
  closedir(dir);
  if (table == NULL) return;

  pid_t self = getpid();
  for (int grew = 1; grew;) {
    grew = 0;
    for (size_t i = 0; i < count; i++) {
      if (table[i].ours) continue;
      int parent_is_ours = table[i].ppid == self;
      for (size_t j = 0; j < count && !parent_is_ours; j++)
        parent_is_ours = table[j].ours && table[j].pid == table[i].ppid;
      if (parent_is_ours) table[i].ours = grew = 1;
    }
  }
  for (size_t i = 0; i < count; i++)
    if (table[i].ours) kill(table[i].pid, SIGKILL);
  free(table);
}

struct pid_list {
  pid_t *pids;
  size_t count;
  size_t capacity;
};

/* A runaway family (a fork bomb) stops the walk here; kill_family's loop comes back for the rest. */
#define MAX_WALK 1000000

static void push_pid(struct pid_list *list, pid_t pid) {
  if (list->count == list->capacity) {
    if (list->capacity >= MAX_WALK) return;
    size_t capacity = list->capacity == 0 ? 64 : list->capacity * 2;
    pid_t *grown = realloc(list->pids, capacity * sizeof *grown);
    if (grown == NULL) return;
    list->pids = grown;
    list->capacity = capacity;
  }
  list->pids[list->count++] = pid;
}

/* Appends the pids a children file lists ("12 345 6789 "), read in pieces that may split a number. */
static void push_listed(int fd, struct pid_list *list) {
  char buffer[4096];
  long pid = 0;
  int in_number = 0;
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) {
    for (ssize_t i = 0; i < n; i++) {
      if (buffer[i] >= '0' && buffer[i] <= '9') {
        pid = pid * 10 + (buffer[i] - '0');
        in_number = 1;
      } else if (in_number) {
        push_pid(list, (pid_t)pid);
        pid = 0;
        in_number = 0;
      }
    }
  }
  if (in_number) push_pid(list, (pid_t)pid);
}

/* Appends pid's children: each of its threads has a children file of its own. */
static void push_children(pid_t pid, struct pid_list *list) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
  DIR *tasks = opendir(path);
  if (tasks == NULL) return; /* gone meanwhile: its children are ours now, and the next round sees them */
  struct dirent *task;
  while ((task = readdir(tasks)) != NULL) {
    if (task->d_name[0] < '1' || task->d_name[0] > '9') continue;
    char file[320];
    snprintf(file, sizeof file, "/proc/%d/task/%s/children", (int)pid, task->d_name);
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    push_listed(fd, list);
    close(fd);
  }
  closedir(tasks);
}

/* Whether the kernel lists each thread's children (CONFIG_PROC_CHILDREN, on in common distributions). */
static int children_files_exist(void) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)getpid(), (int)getpid());
  return access(path, R_OK) == 0;
}

/*
 * SIGKILLs every descendant, found by walking down from our own pid through the children files: only the
 * family is read, however many processes the machine runs.
 */
static void kill_descendants(void) {
  if (!children_files_exist()) {
    kill_descendants_by_scan();
    return;
  }
  struct pid_list family = {NULL, 0, 0};
  push_children(getpid(), &family);
  /* The list grows as it is walked: each member's children join at its end. */
  for (size_t i = 0; i < family.count; i++) push_children(family.pids[i], &family);
  for (size_t i = 0; i < family.count; i++) kill(family.pids[i], SIGKILL);
  free(family.pids);
}

/*
 * Kills the child's group and every descendant until we have no children left. As a subreaper,
 * "no children" means "no descendants": an orphan anywhere below us is re-parented to us.
 */
static void kill_family(void) {
  for (;;) {
    if (child > 0) kill(-child, SIGKILL);
    if (reap_dead()) return;
    kill_descendants();
    int status;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid > 0)
      record(pid, status);
    else if (errno == ECHILD)
      return;
  }
}

static void app_gone(void) {
  kill_family();
  _exit(1);
}

/* Exits exactly as the child did, so the app's exit event carries the child's code or signal. */
static void pass_through(int status) {
  if (WIFEXITED(status)) _exit(WEXITSTATUS(status));
  int sig = WTERMSIG(status);
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  signal(sig, SIG_DFL);
  sigset_t only;
  sigemptyset(&only);
  sigaddset(&only, sig);
  raise(sig);
  sigprocmask(SIG_UNBLOCK, &only, NULL);
  _exit(128 + sig);
}

static void on_signal(int sig, pid_t app) {
  if (sig == SIGCHLD) {
    reap_dead();
    if (child_reaped) {
      kill_family();
      pass_through(child_status);
    }
    return;
  }
  if (sig == SIGPIPE) return;
  if (getppid() != app) app_gone();
  if (sig != PARENT_DEATH_SIGNAL && !child_reaped) kill(-child, sig);
}

struct start_failure {
  char stage;
  int error;
};

/* Blocks until the app says go (1) or closes the link (0): a spare that is not needed just ends. */
static int wait_for_go(void) {
  char go;
  ssize_t n;
  do n = read(LINK_FD, &go, 1);
  while (n < 0 && errno == EINTR);
  return n == 1;
}

int main(int argc, char **argv) {
  int spare = argc > 1 && strcmp(argv[1], "-w") == 0;
  argc -= spare;
  argv += spare;
  if (argc < 4) {
    fprintf(stderr, "usage: proctor-guard [-w] APP_PID CWD COMMAND [ARG...]\n");
    return 2;
  }
  pid_t app = (pid_t)atol(argv[1]);
  const char *cwd = argv[2];
  /* The family must never hold the link: only we may keep it open, or EOF would come late. */
  if (fcntl(LINK_FD, F_SETFD, FD_CLOEXEC) < 0) {
    fprintf(stderr, "proctor-guard: fd %d must be the link to the app\n", LINK_FD);
    return 2;
  }

  sigset_t watched, original;
  sigemptyset(&watched);
  const int watched_signals[] = {SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE};
  for (size_t i = 0; i < sizeof watched_signals / sizeof *watched_signals; i++)
    sigaddset(&watched, watched_signals[i]);
  sigaddset(&watched, PARENT_DEATH_SIGNAL);
  sigprocmask(SIG_BLOCK, &watched, &original);

  prctl(PR_SET_CHILD_SUBREAPER, 1);
  prctl(PR_SET_PDEATHSIG, PARENT_DEATH_SIGNAL);
  /* The app may have died before the death signal was armed; then nobody would ever send it. */
  if (getppid() != app) return 1;
  /* No child yet, so nothing to clean up: the parent-death signal (blocked) cannot end the wait, but the
     link's EOF does, as the app's death closes it. */
  if (spare && (!wait_for_go() || getppid() != app)) return 1;

  int signals = signalfd(-1, &watched, SFD_CLOEXEC | SFD_NONBLOCK);
  int failure_pipe[2];
  if (signals < 0 || pipe2(failure_pipe, O_CLOEXEC) < 0) {
    say("E fork %d\n", errno);
    return 127;
  }

  pid_t guard = getpid();
  child = fork();
  if (child < 0) {
    say("E fork %d\n", errno);
    return 127;
  }
  if (child == 0) {
    setpgid(0, 0);
    /* Should we ourselves be SIGKILLed (nothing we can catch), the child still goes with us. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != guard) _exit(127);
    sigprocmask(SIG_SETMASK, &original, NULL);
    struct start_failure failure = {'c', 0};
    if (cwd[0] != '\0' && chdir(cwd) < 0) {
      failure.error = errno;
    } else {
      execvp(argv[3], argv + 3);
      failure = (struct start_failure){'x', errno};
    }
    if (write(failure_pipe[1], &failure, sizeof failure) < 0) _exit(127);
    _exit(127);
  }
  /* Both sides set the group so it is in place whichever runs first. */
  setpgid(child, child);
  close(failure_pipe[1]);
  struct start_failure failure;
  ssize_t n;
  do n = read(failure_pipe[0], &failure, sizeof failure);
  while (n < 0 && errno == EINTR);
  close(failure_pipe[0]);
  if (n == (ssize_t)sizeof failure) {
    say("E %s %d\n", failure.stage == 'c' ? "chdir" : "exec", failure.error);
    waitpid(child, NULL, 0);
    return 127;
  }
  say("P %d\n", (int)child);

  struct pollfd watch[2] = {{.fd = LINK_FD, .events = POLLIN}, {.fd = signals, .events = POLLIN}};
  for (;;) {
    if (poll(watch, 2, -1) < 0) continue;
    if (watch[0].revents != 0) {
      char ignored[256];
      ssize_t got = read(LINK_FD, ignored, sizeof ignored);
      if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) app_gone();
    }
    struct signalfd_siginfo info;
    while (read(signals, &info, sizeof info) == (ssize_t)sizeof info) on_signal((int)info.ssi_signo, app);
  }
}
