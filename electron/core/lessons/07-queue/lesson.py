"""Lesson 7: producers put items on a Queue; the parent consumes them."""
import os
import time
from multiprocessing import Process, Queue, set_start_method

from proctor_lesson import report, say

PRODUCERS = 2
ITEMS = 50  # per producer: 100 in all


def produce(queue, producer):
    for seq in range(ITEMS):
        queue.put((producer, seq))
        time.sleep(0.02)  # a steady trickle, so the family and its pipe stay on screen
    say(f"producer {producer} ({os.getpid()}): put {ITEMS} items")


if __name__ == "__main__":
    set_start_method("fork")
    queue = Queue()  # a pipe underneath, plus a lock, and a feeder thread in each producer
    producers = [Process(target=produce, args=(queue, p)) for p in range(PRODUCERS)]
    for p in producers:
        p.start()
    report("started", children=[p.pid for p in producers])
    # Take everything before joining: a producer whose items are still buffered cannot exit yet.
    received = [queue.get(timeout=5) for _ in range(PRODUCERS * ITEMS)]
    for p in producers:
        p.join()
    say(f"consumer {os.getpid()}: got {len(received)} items")
    report("received", items=received)
