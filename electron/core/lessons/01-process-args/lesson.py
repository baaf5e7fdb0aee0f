"""Lesson 1: start a Process with arguments."""
import os
import time
from multiprocessing import Process, set_start_method

from proctor_lesson import report, say


def greet(name, count):
    say(f"child {os.getpid()}: my parent is {os.getppid()}, I got name={name!r} count={count}")
    report("child", ppid=os.getppid(), args=[name, count])
    time.sleep(1.0)  # long enough for the tree to show the child under its parent


if __name__ == "__main__":
    # Explicit, so the family looks the same on every Python (3.14 defaults to forkserver).
    set_start_method("fork")
    args = ("proctor", 3)
    say(f"parent {os.getpid()}: starting a child with args {args}")
    report("main", args=list(args))
    child = Process(target=greet, args=args)
    child.start()
    child.join()
    say(f"parent: child {child.pid} exited with {child.exitcode}")
    report("joined", child=child.pid, exitcode=child.exitcode)
