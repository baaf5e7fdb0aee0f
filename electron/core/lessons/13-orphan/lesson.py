"""Lesson 13: an orphan: its parent exits while it keeps running."""
import os
import time
from multiprocessing import Process, set_start_method

from proctor_lesson import report, say, workdir


def orphan(done_file):
    report("orphan-before", ppid=os.getppid())
    time.sleep(2.0)  # outlives its parent
    say(f"orphan {os.getpid()}: my parent is now {os.getppid()}")
    report("orphan-after", ppid=os.getppid())
    open(done_file, "w").close()


def parent(done_file):
    kid = Process(target=orphan, args=(done_file,))
    kid.start()
    report("parent", child=kid.pid)
    time.sleep(1.0)
    # Leave without joining. A normal return would make multiprocessing join the kid first.
    os._exit(0)


if __name__ == "__main__":
    set_start_method("fork")
    done_file = os.path.join(workdir(), "orphan-done")
    middle = Process(target=parent, args=(done_file,))
    middle.start()
    middle.join()
    say(f"main {os.getpid()}: the parent {middle.pid} exited with {middle.exitcode}")
    report("parent-exited", child=middle.pid, exitcode=middle.exitcode)
    # The orphan is no longer our descendant in the kernel's eyes; wait for its sign instead of join.
    deadline = time.monotonic() + 5
    while not os.path.exists(done_file) and time.monotonic() < deadline:
        time.sleep(0.1)
    report("done", orphan_finished=os.path.exists(done_file))
