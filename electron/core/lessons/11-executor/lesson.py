"""Lesson 11: ProcessPoolExecutor(max_workers=3): the same idea as Pool, behind futures."""
import os
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from proctor_lesson import report, say


def square(x):
    time.sleep(0.01)
    return os.getpid(), x * x


if __name__ == "__main__":
    # With 'fork' all three workers start at the first submit; other start methods add them on demand.
    with ProcessPoolExecutor(max_workers=3, mp_context=get_context("fork")) as executor:
        mapped = list(executor.map(square, range(90)))
        futures = [executor.submit(square, x) for x in range(90, 100)]
        results = mapped + [f.result(timeout=5) for f in futures]
        time.sleep(1.0)  # the tree shows the three workers, still alive, waiting for more
    pids = [pid for pid, _ in results]
    correct = sum(value == x * x for x, (_, value) in enumerate(results))
    say(f"{len(results)} tasks, {correct} correct, done by workers {sorted(set(pids))}")
    report("tasks", pids=pids, correct=correct)
