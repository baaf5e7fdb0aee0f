"""Lesson 4: each process has its own memory."""
import os
import time
from multiprocessing import Process, set_start_method

from proctor_lesson import report, say

counter = 100


def reset():
    global counter
    counter = 0  # changes the child's copy only
    say(f"child {os.getpid()}: counter = {counter}")
    report("child", value=counter)
    time.sleep(0.8)


if __name__ == "__main__":
    set_start_method("fork")
    child = Process(target=reset)
    child.start()
    child.join()
    say(f"parent {os.getpid()}: counter = {counter}")
    report("parent", value=counter, child=child.pid)
