"""Lesson 10: Pool(3): map and apply_async share three reused workers."""
import os
import time
from multiprocessing import Pool, set_start_method

from proctor_lesson import report, say


def square(x):
    time.sleep(0.01)
    return os.getpid(), x * x


if __name__ == "__main__":
    set_start_method("fork")
    with Pool(3) as pool:  # three workers, started now, fed through a task pipe, answering on a result pipe
        time.sleep(0.5)  # the tree shows the three idle workers
        mapped = pool.map(square, range(90))
        pending = [pool.apply_async(square, (x,)) for x in range(90, 100)]
        results = mapped + [p.get(timeout=5) for p in pending]
        time.sleep(0.5)
    pids = [pid for pid, _ in results]
    correct = sum(value == x * x for x, (_, value) in enumerate(results))
    say(f"{len(results)} tasks, {correct} correct, done by workers {sorted(set(pids))}")
    report("tasks", pids=pids, correct=correct)
