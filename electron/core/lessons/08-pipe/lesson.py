"""Lesson 8: a duplex Pipe: the parent asks, the child answers."""
import os
import time
from multiprocessing import Pipe, Process, set_start_method

from proctor_lesson import report, say

ROUNDS = 100


def echo(conn):
    time.sleep(0.5)  # the tree shows the pair before the talk starts
    while (number := conn.recv()) is not None:
        conn.send((os.getpid(), number * 2))


if __name__ == "__main__":
    set_start_method("fork")
    parent_end, child_end = Pipe()  # duplex: a socket pair, both ends can send and receive
    child = Process(target=echo, args=(child_end,))
    child.start()
    correct = 0
    repliers = set()
    for number in range(ROUNDS):
        parent_end.send(number)
        replier, doubled = parent_end.recv()
        repliers.add(replier)
        correct += doubled == number * 2
    time.sleep(1.0)
    parent_end.send(None)  # tells the child to stop
    child.join()
    say(f"{correct}/{ROUNDS} round trips answered by {sorted(repliers)}")
    report("roundtrip", rounds=ROUNDS, correct=correct, repliers=sorted(repliers), child=child.pid)
