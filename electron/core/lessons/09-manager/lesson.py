"""Lesson 9: a Manager's dict shared by 20 processes, without and with a lock."""
import os
import time
from contextlib import nullcontext
from multiprocessing import Manager, Process, active_children, set_start_method

from proctor_lesson import report, say

WORKERS = 20
TAKES = 5  # per worker: 100 decrements in all


def take(counter, arrived, start, lock):
    arrived.wait()  # a manager Barrier: this worker now holds its own connection to the manager
    start.wait()
    for _ in range(TAKES):
        with lock if lock is not None else nullcontext():
            left = counter["left"]  # a request to the manager process
            time.sleep(0.005)  # between read and write another worker may read the same value
            counter["left"] = left - 1


if __name__ == "__main__":
    set_start_method("fork")
    with Manager() as manager:  # starts the manager's server process, our first child
        report("manager", children=[p.pid for p in active_children()])
        for label, lock in (("without lock", None), ("with lock", manager.Lock())):
            counter = manager.dict(left=WORKERS * TAKES)
            arrived, start = manager.Barrier(WORKERS + 1), manager.Event()
            workers = [
                Process(target=take, args=(counter, arrived, start, lock)) for _ in range(WORKERS)
            ]
            for w in workers:
                w.start()
            arrived.wait()  # all twenty have connected, however long a busy machine took to start them
            time.sleep(0.5)  # on screen, each holding a connection to the manager
            start.set()
            for w in workers:
                w.join()
            say(f"{label}: {counter['left']} left (0 if no update was lost)")
            report("round", round=label, left=counter["left"], workers=[w.pid for w in workers])
