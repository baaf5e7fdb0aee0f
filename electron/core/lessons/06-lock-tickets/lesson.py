"""Lesson 6: ten buyers, five tickets, one JSON file: first without a Lock, then with one."""
import json
import os
import time
from multiprocessing import Lock, Process, set_start_method

from proctor_lesson import report, say, workdir

STOCK = 5
BUYERS = 10


class NoLock:
    """Round one's stand-in for a Lock: acquire() and release() that guard nothing."""

    def acquire(self):
        pass

    def release(self):
        pass


def buy(path, doors, lock, buyer, label):
    while not os.path.exists(doors):  # the queue at the door; when it opens, everyone rushes in
        time.sleep(0.005)
    lock.acquire()  # one buyer at a time from here...
    with open(path) as f:
        tickets = json.load(f)
    if tickets["left"] > 0:
        time.sleep(0.05)  # paying takes a moment: someone else may read the same count meanwhile
        tickets["left"] -= 1
        tickets["sold"] += 1
        with open(path, "w") as f:
            json.dump(tickets, f)
        say(f"{label}: buyer {buyer} got a ticket")
        report("bought", round=label, buyer=buyer)
    lock.release()  # ...to here


def sale(folder, label, lock):
    path = os.path.join(folder, f"tickets-{label.replace(' ', '-')}.json")
    with open(path, "w") as f:
        json.dump({"left": STOCK, "sold": 0}, f)
    doors = path + ".open"
    buyers = [Process(target=buy, args=(path, doors, lock, i, label)) for i in range(BUYERS)]
    for b in buyers:
        b.start()
    time.sleep(1.0)  # the tree shows all ten buyers waiting
    open(doors, "w").close()
    for b in buyers:
        b.join()
    with open(path) as f:
        tickets = json.load(f)
    say(f"{label}: file says {tickets}")
    report("sale", round=label, file=os.path.basename(path), stock=STOCK, buyers=[b.pid for b in buyers])


if __name__ == "__main__":
    set_start_method("fork")
    folder = workdir()
    sale(folder, "without lock", NoLock())
    sale(folder, "with lock", Lock())
