"""Lesson 3: many children, all joined."""
import os
import time
from multiprocessing import Process, set_start_method

from proctor_lesson import report, say, workdir


def write_stars(folder, i):
    with open(os.path.join(folder, f"stars-{i}.txt"), "w") as out:
        out.write("*" * (i * 10))
    time.sleep(1.0)  # keeps all ten alive together for a moment, so the tree shows them side by side


if __name__ == "__main__":
    set_start_method("fork")
    folder = workdir()
    children = [Process(target=write_stars, args=(folder, i)) for i in range(10)]
    for child in children:
        child.start()
    say(f"parent {os.getpid()}: started {[c.pid for c in children]}")
    report("started", children=[c.pid for c in children])
    for child in children:
        child.join()  # wait for every one of them; none is left running or unreaped
    sizes = [os.path.getsize(os.path.join(folder, f"stars-{i}.txt")) for i in range(10)]
    say(f"exit codes {[c.exitcode for c in children]}, file sizes {sizes}")
    report("joined", exitcodes=[c.exitcode for c in children], sizes=sizes)
