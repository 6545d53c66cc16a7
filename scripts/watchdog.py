#!/usr/bin/env python3
"""Runs `swift test` under a watchdog and ends with one summary line.

The suite runs in its own process group with Swift Testing's event stream written to a
file. The watchdog reads that stream as it grows, so it knows which tests started and did
not end, and samples the load average. Past the run's limit, or when no test has ended for
the stall limit, it prints the tests still running (those holding a slot of the process
gate marked, from GANTRY_TEST_ACTIVITY), stops the run and exits non-zero.

Limits scale with GANTRY_TEST_PATIENCE, as every wait inside the suite does:
GANTRY_TEST_RUN_LIMIT (seconds, default 1200) and GANTRY_TEST_STALL_LIMIT (default 420).
GANTRY_TEST_COMMAND replaces `swift test --skip-build` (the watchdog's own test uses it).
Usage: scripts/watchdog.py [swift test arguments...]
"""
import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time

patience = float(os.environ.get("GANTRY_TEST_PATIENCE", "1") or "1")
run_limit = float(os.environ.get("GANTRY_TEST_RUN_LIMIT", "1200")) * patience  # the whole run
stall_limit = float(os.environ.get("GANTRY_TEST_STALL_LIMIT", "420")) * patience  # no test ended


class Stream:
    """What the event stream has said so far."""

    def __init__(self, path):
        self.path = path
        self.offset = 0
        self.partial = ""
        self.tests = {}  # id -> test record (functions and suites)
        self.started = {}  # id -> wall time the test started
        self.ended = {}  # id -> "pass" | "fail" | "skip"
        self.issues = set()  # ids with an unknown issue recorded
        self.last_end = time.monotonic()

    def read(self):
        try:
            with open(self.path, "r", encoding="utf-8", errors="replace") as f:
                f.seek(self.offset)
                chunk = f.read()
                self.offset = f.tell()
        except FileNotFoundError:
            return
        lines = (self.partial + chunk).split("\n")
        self.partial = lines.pop()  # the last line may still be written
        for line in lines:
            if line.strip():
                self.take(line)

    def take(self, line):
        try:
            record = json.loads(line)
        except ValueError:
            return
        payload = record.get("payload", {})
        if record.get("kind") == "test":
            self.tests[payload.get("id")] = payload
            return
        kind, test = payload.get("kind"), payload.get("testID")
        if kind == "testStarted":
            self.started[test] = time.time()
        elif kind == "testEnded":
            symbols = [m.get("symbol") for m in payload.get("messages", [])]
            self.ended[test] = "fail" if "fail" in symbols or test in self.issues else "pass"
            self.last_end = time.monotonic()
        elif kind == "testSkipped":
            self.ended[test] = "skip"
            self.last_end = time.monotonic()
        elif kind == "issueRecorded" and not payload.get("issue", {}).get("isKnown", False):
            self.issues.add(test)

    def functions(self):
        return {i for i, t in self.tests.items() if t.get("kind") == "function"}

    def running(self):
        functions = self.functions()
        return [i for i in self.started if i in functions and i not in self.ended]

    def describe(self, test):
        record = self.tests.get(test, {})
        where = record.get("sourceLocation", {})
        return "%s (%s:%s)" % (record.get("displayName") or record.get("name") or test,
                               where.get("fileID", "?"), where.get("line", "?"))


def holding(activity):
    """Test ids holding a slot of the process gate now."""
    held = {}
    try:
        with open(activity, encoding="utf-8", errors="replace") as f:
            for line in f:
                event, _, test = line.rstrip("\n").partition(" ")
                held[test] = held.get(test, 0) + (1 if event == "acquired" else -1)
    except FileNotFoundError:
        pass
    return {t for t, n in held.items() if n > 0}


def stop(process):
    """SIGTERM to the run's process group, then SIGKILL."""
    for sig, grace in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def main():
    work = tempfile.mkdtemp(prefix="gantry-watchdog-")
    events = os.path.join(work, "events.jsonl")
    activity = os.path.join(work, "activity")
    env = dict(os.environ, GANTRY_TEST_ACTIVITY=activity)
    command = shlex.split(os.environ.get("GANTRY_TEST_COMMAND", "swift test --skip-build")) + [
        "--event-stream-output-path", events, "--event-stream-version", "0"] + sys.argv[1:]
    began = time.monotonic()
    process = subprocess.Popen(command, env=env, start_new_session=True)
    stream = Stream(events)
    peak = 0.0
    verdict = None
    try:
        while process.poll() is None:
            try:
                process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
            stream.read()
            with open("/proc/loadavg") as f:
                peak = max(peak, float(f.read().split()[0]))
            now = time.monotonic()
            if now - began > run_limit:
                verdict = "the run passed its limit of %d s" % run_limit
            elif now - stream.last_end > stall_limit:
                verdict = "no test ended for %d s" % stall_limit
            if verdict:
                break
    except KeyboardInterrupt:
        verdict = "interrupted"
    if verdict:
        stream.read()
        held = holding(activity)
        running = stream.running()
        print("\nwatchdog: %s; %d test(s) still running:" % (verdict, len(running)), file=sys.stderr)
        for test in sorted(running, key=lambda t: stream.started[t]):
            print("  %s, started %d s ago%s" % (stream.describe(test), time.time() - stream.started[test],
                                                ", holding a process slot" if test in held else ""),
                  file=sys.stderr)
        stop(process)
    status = process.wait()
    stream.read()
    functions = stream.functions()
    results = [stream.ended.get(t) for t in functions]
    passed, failed, skipped = results.count("pass"), results.count("fail"), results.count("skip")
    unfinished = len([r for r in results if r is None]) if verdict else 0
    wall = time.monotonic() - began
    cores = os.cpu_count() or 1
    line = "tests: %d passed, %d failed" % (passed, failed + unfinished)
    if skipped:
        line += ", %d skipped" % skipped
    print("%s in %.0f s wall, peak load %.1f on %d cores" % (line, wall, peak, cores), flush=True)
    if verdict or failed or status != 0:
        sys.exit(status if status not in (0, None) and not verdict else 1)


if __name__ == "__main__":
    main()
