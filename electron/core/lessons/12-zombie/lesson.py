"""Lesson 12: a zombie: a child that has exited but was not joined yet."""
import os
import time
from multiprocessing import Process, set_start_method

from proctor_lesson import report, say


def quick():
    say(f"child {os.getpid()}: done at once")


if __name__ == "__main__":
    set_start_method("fork")
    child = Process(target=quick)
    child.start()
    report("started", child=child.pid)
    # Not joining: the child's exit status waits in the kernel, and the child stays a zombie (Z).
    time.sleep(1.5)
    report("joining", child=child.pid)
    child.join()  # waitpid(): collects the status, the zombie disappears
    report("joined", child=child.pid, exitcode=child.exitcode)
    time.sleep(1.0)
