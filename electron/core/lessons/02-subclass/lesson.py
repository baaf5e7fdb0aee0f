"""Lesson 2: subclass Process and override run()."""
import os
import time
from multiprocessing import Process, set_start_method

from proctor_lesson import report, say


class Greeter(Process):
    def __init__(self, greeting):
        super().__init__()  # Process.__init__ must run: it sets up the name, the target, the config
        self.greeting = greeting

    def run(self):
        # start() forks; run() is what the new process executes, so os.getpid() is the child's.
        say(f"run() in pid {os.getpid()} (parent {os.getppid()}): {self.greeting}")
        report("run", ppid=os.getppid())
        time.sleep(1.0)


if __name__ == "__main__":
    set_start_method("fork")
    say(f"parent {os.getpid()}: starting Greeter")
    report("main")
    greeter = Greeter("hello from a subclass")
    greeter.start()
    report("started", child=greeter.pid)
    greeter.join()
    report("joined", child=greeter.pid, exitcode=greeter.exitcode)
