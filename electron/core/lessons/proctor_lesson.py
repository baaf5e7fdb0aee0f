"""What every lesson shares with Proctor.

Each lesson prints its claims as machine-readable lines (``PROCTOR {json}``) next to the lines a
person reads. Proctor's check compares those claims with what its monitor saw of the real
processes (pids, parents, states). Outside Proctor the lines are simply printed.
"""
import json
import os
import sys
import tempfile


def say(text):
    """One line in one write: print() writes the text and the newline separately, so lines from
    processes sharing stdout could interleave mid-line."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def report(event, **fields):
    """One claim, on one line, flushed at once so it arrives while the process still lives."""
    say("PROCTOR " + json.dumps({"event": event, "pid": os.getpid(), **fields}))


def workdir():
    """Proctor passes a fresh temporary folder as the first argument; alone, make one."""
    return sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="lesson-")
