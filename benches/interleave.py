#!/usr/bin/env python3
"""Time commands in interleaved rounds with hyperfine; write one hyperfine JSON.

    benches/interleave.py --rounds 9 --warmup 1 --export-json out.json \
        -n jobs1 'dossier check DIR --jobs 1' -n floor 'floor DIR'

hyperfine runs all of one command's runs before the next command's, so a
machine that drifts during the run (a neighbour's load, the page cache, the
CPU's clock) moves one command's figures and not the other's, and their ratio
with it: on the shared 2-core VM the floor's batch took 1.84 s in one run and
2.94 s in another while dossier's moved far less. Here each round runs every
command once (one `hyperfine --runs 1`), the order rotating from round to
round, so drift reaches every command alike and the ratios of medians are
steadier. The output has hyperfine's shape (`results`: command, times,
median, mean, stddev, min, max, user, system, exit_codes), so whatever reads
hyperfine's export reads this.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, required=True, help="runs of each command, one per round")
    p.add_argument("--warmup", type=int, default=1, help="untimed rounds first")
    p.add_argument("--export-json", required=True)
    p.add_argument("-n", "--named", nargs=2, action="append", metavar=("NAME", "COMMAND"), required=True)
    a = p.parse_args()
    if a.rounds < 1 or a.warmup < 0:
        p.error("--rounds must be at least 1 and --warmup at least 0")
    return a


def one_round(commands: list[tuple[str, str]], scratch: str) -> list[dict]:
    """One run of each command, in the order given; hyperfine's result per command."""
    args = ["hyperfine", "-N", "-i", "--style", "none", "--output", "null", "--runs", "1",
            "--export-json", scratch]
    for name, command in commands:
        args += ["-n", name, command]
    done = subprocess.run(args, stdout=subprocess.DEVNULL)
    if done.returncode != 0:
        names = ", ".join(name for name, _ in commands)
        sys.exit(f"interleave.py: hyperfine failed (exit {done.returncode}) timing {names}; its message is above")
    with open(scratch) as f:
        return json.load(f)["results"]


def main() -> int:
    a = parse()
    commands = [(name, command) for name, command in a.named]
    times = {name: [] for name, _ in commands}
    user = {name: [] for name, _ in commands}
    system = {name: [] for name, _ in commands}
    codes = {name: [] for name, _ in commands}
    with tempfile.TemporaryDirectory() as tmp:
        scratch = os.path.join(tmp, "round.json")
        for r in range(a.warmup + a.rounds):
            shift = r % len(commands)
            order = commands[shift:] + commands[:shift]
            results = one_round(order, scratch)
            if r < a.warmup:
                continue
            for (name, _), result in zip(order, results):
                times[name] += result["times"]
                user[name].append(result["user"])
                system[name].append(result["system"])
                codes[name] += result.get("exit_codes") or []
            print(f"  round {r - a.warmup + 1}/{a.rounds}: "
                  + ", ".join(f"{name} {times[name][-1]:.4f} s" for name, _ in commands), file=sys.stderr)
    out = []
    for name, command in commands:
        t = times[name]
        out.append({
            "command": name,
            "shell_command": command,
            "mean": statistics.fmean(t),
            "stddev": statistics.stdev(t) if len(t) > 1 else None,
            "median": statistics.median(t),
            "user": statistics.fmean(user[name]),
            "system": statistics.fmean(system[name]),
            "min": min(t),
            "max": max(t),
            "times": t,
            "exit_codes": codes[name],
        })
    with open(a.export_json, "w") as f:
        json.dump({"results": out, "interleaved": {"rounds": a.rounds, "warmup": a.warmup}}, f, indent=2)
    for r in out:
        print(f"  {r['command']}: median {r['median']:.4f} s, user {r['user']:.4f} s, "
              f"system {r['system']:.4f} s ({len(r['times'])} runs)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
