#!/usr/bin/env python3
"""Runs one command several times and prints, as JSON, the median wall time, the
median CPU time (user+sys), each run's times and the peak RSS over the runs.

Why not hyperfine alone: hyperfine exports only the MEAN user and system time, and
bench.sh computes every ratio on CPU time (the shared machine's queue makes wall time
noisy).  One disturbed run among five moved a mean by 20% and flipped growth ratios
between yes and NO on the same code; the median per run does not move with one
outlier, and it is what issue 18's tables used.  The CPU time of each run comes from
wait4(2) (the kernel's exact per-process runtime, children included), its peak RSS
too, so no extra run under GNU time is needed.

usage: runs.py [--runs N] [--repeat K] [--prepare SHELL-CMD] [--shell] [--append FILE]
              -- CMD [ARG...]
  --repeat K     one run = K back-to-back runs, its times their average: bench.sh gives
                 the small sizes of a growth ratio as many as make them as long as the
                 largest (10 x 10k beside one 100k), so both sides of a ratio sit through
                 the same mix of this VM's speed states; one 0.1 s run caught one state
                 and single rounds of one command ranged from 7x to 16x
  --shell        run CMD (one string) through bash -c, as hyperfine without -N does
  --append FILE  add the runs to those FILE holds (if it exists) and write the summary of
                 all of them to FILE instead of standard output: bench.sh interleaves the
                 runs of whatever a ratio compares (one command's sizes: 10k, 50k, 100k,
                 10k, ...) so that the machine's drift falls on both sides alike
"""
import json
import os
import statistics
import subprocess
import sys
import time


def run_once(argv):
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            devnull = os.open(os.devnull, os.O_RDWR)
            os.dup2(devnull, 0)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, code


def main(args):
    runs, repeat, prepare, shell, append = 5, 1, None, False, None
    while args and args[0] != "--":
        opt = args.pop(0)
        if opt == "--runs":
            runs = int(args.pop(0))
        elif opt == "--repeat":
            repeat = int(args.pop(0))
        elif opt == "--prepare":
            prepare = args.pop(0)
        elif opt == "--shell":
            shell = True
        elif opt == "--append":
            append = args.pop(0)
        else:
            sys.exit("runs.py: unknown option " + opt)
    if not args or len(args) < 2 or runs < 1 or repeat < 1:
        sys.exit(__doc__)
    cmd = args[1:]
    argv = ["bash", "-c", cmd[0]] if shell else cmd
    walls, cpus, rss = [], [], []
    if append and os.path.exists(append):
        with open(append) as f:
            old = json.load(f)
        walls, cpus, rss = old["times"], old["cpu_times"], [old["peak_rss_kib"]]
    for _ in range(runs):
        wall_sum = cpu_sum = 0.0
        for _ in range(repeat):
            if prepare:
                subprocess.run(["bash", "-c", prepare], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wall, cpu, maxrss, code = run_once(argv)
            if code != 0:
                sys.exit("runs.py: %s exited with %d" % (" ".join(cmd), code))
            wall_sum += wall
            cpu_sum += cpu
            rss.append(maxrss)
        walls.append(wall_sum / repeat)
        cpus.append(cpu_sum / repeat)
    out = json.dumps({
        "command": " ".join(cmd),
        "median": statistics.median(walls),
        "cpu_median": statistics.median(cpus),
        "times": walls,
        "cpu_times": cpus,
        "peak_rss_kib": max(rss),
    })
    if append:
        with open(append + ".tmp", "w") as f:
            f.write(out + "\n")
        os.replace(append + ".tmp", append)
    else:
        print(out)


if __name__ == "__main__":
    main(sys.argv[1:])
