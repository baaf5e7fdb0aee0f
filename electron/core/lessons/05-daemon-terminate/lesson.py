"""Lesson 5: a daemon child, and a child terminated at once; is_alive() before and after."""
import atexit
import os
import time

heartbeat_child = None


def after_exit_handlers():
    """Runs after multiprocessing's own exit handler (see below): is the daemon child gone?"""
    if heartbeat_child is None:
        return
    say(f"after exit handlers: daemon alive = {heartbeat_child.is_alive()}")
    report("after-exit", child=heartbeat_child.pid, alive=heartbeat_child.is_alive(),
           exitcode=heartbeat_child.exitcode)
    time.sleep(0.75)  # the tree shows this process still alive, its daemon child already gone


# atexit runs handlers last-registered first. multiprocessing registers its handler (terminate the
# daemon children, join the others) when it is imported, so registering ours first makes it run last.
atexit.register(after_exit_handlers)

from multiprocessing import Process, set_start_method  # noqa: E402

from proctor_lesson import report, say  # noqa: E402


def heartbeat():
    while True:
        say(f"daemon {os.getpid()}: still here")
        time.sleep(0.25)


def sleeper():
    time.sleep(30)


if __name__ == "__main__":
    set_start_method("fork")
    heartbeat_child = Process(target=heartbeat, daemon=True)
    heartbeat_child.start()
    report("daemon", child=heartbeat_child.pid)

    victim = Process(target=sleeper)
    victim.start()
    time.sleep(0.5)  # just long enough to be seen in the tree
    alive_before = victim.is_alive()
    victim.terminate()  # SIGTERM
    victim.join()
    say(f"victim {victim.pid}: alive {alive_before} -> {victim.is_alive()}, exitcode {victim.exitcode}")
    report("terminated", child=victim.pid, alive_before=alive_before,
           alive_after=victim.is_alive(), exitcode=victim.exitcode)
    time.sleep(1.0)
    report("main-done")
    # Falling off the end: multiprocessing terminates the daemon child; it is never joined by us.
