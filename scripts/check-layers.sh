#!/usr/bin/env bash
# The structure check of doc/ARCHITECTURE.md: derives which of our files use
# which (#include "..." between src/ and formats/, and, given a build folder,
# the calls and data references between the object files as `nm` lists
# them) and fails when
#   - two or more modules use each other in a circle (a module is x.c with
#     x.h: the file pair a reader opens together), or
#   - a module uses one on a higher floor (floors below).
#
#   scripts/check-layers.sh [BUILD_DIR]    (ctest runs it as lint.layers)
#
# Without BUILD_DIR only the includes are checked.  Prints every offending
# edge with the symbols or the #include line behind it; exit 1 if any.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-}"
if [ -n "$build" ] && [ ! -d "$build/CMakeFiles/pseconv_lib.dir" ]; then
    echo "check-layers: $build is not a pseconv build folder" >&2
    exit 2
fi
command -v nm >/dev/null || { [ -z "$build" ] || { echo "check-layers: nm not found" >&2; exit 2; }; }

exec python3 - "$root" "$build" <<'PY'
import collections, os, re, subprocess, sys

root, build = sys.argv[1], sys.argv[2]
os.chdir(root)

# Floors, lowest first: a module may use modules on its own floor or below.
FLOORS = [("src/core/", 1), ("formats/", 2), ("src/plan/", 3), ("src/diagnose/", 4),
          ("src/cmd/", 5), ("src/main", 6)]
# Where the compiler looks for "x.h" after the including file's folder
# (CMakeLists.txt: the library's include directories, then src/cmd).
SEARCH = ["src/core", "src/plan", "src/diagnose", "formats", "src/cmd"]

def floor(module):
    for prefix, n in FLOORS:
        if module.startswith(prefix):
            return n
    return 0

def module_of(path):
    return os.path.splitext(os.path.normpath(path))[0]

files = []
for top in ("src", "formats"):
    for d, _, names in os.walk(top):
        files += [os.path.join(d, n) for n in names if n.endswith((".c", ".h"))]
files.sort()

uses = collections.defaultdict(set)     # module -> modules it uses
why = collections.defaultdict(set)      # (a, b) -> reasons
include_re = re.compile(r'\s*#\s*include\s+"([^"]+)"')

def resolve(src, name):
    for d in [os.path.dirname(src)] + SEARCH:
        p = os.path.normpath(os.path.join(d, name))
        if os.path.isfile(p):
            return p
    return None

for f in files:
    with open(f, encoding="utf-8", errors="replace") as fh:
        for lineno, line in enumerate(fh, 1):
            m = include_re.match(line)
            if not m:
                continue
            target = resolve(f, m.group(1))
            if target is None:
                continue  # a system header spelled with quotes
            a, b = module_of(f), module_of(target)
            if a != b:
                uses[a].add(b)
                why[(a, b)].add('%s:%d #include "%s"' % (f, lineno, m.group(1)))

if build:
    defined, needed = {}, collections.defaultdict(set)
    for target in ("pseconv_lib.dir", "pseconv.dir"):
        base = os.path.join(build, "CMakeFiles", target)
        for d, _, names in os.walk(base):
            for n in names:
                if not n.endswith(".c.o"):
                    continue
                obj = os.path.join(d, n)
                src = os.path.relpath(obj, base)[: -len(".o")]
                if not os.path.isfile(src):
                    continue
                out = subprocess.run(["nm", obj], capture_output=True, text=True, check=True)
                for line in out.stdout.splitlines():
                    parts = line.split()
                    if len(parts) == 3 and parts[1] in "TDBRCVW":
                        defined.setdefault(parts[2], module_of(src))
                    elif len(parts) == 2 and parts[0] == "U":
                        needed[module_of(src)].add(parts[1])
    if not defined:
        print("check-layers: no object files under %s (build it first)" % build, file=sys.stderr)
        sys.exit(2)
    for a, symbols in needed.items():
        for s in symbols:
            b = defined.get(s)
            if b is not None and b != a:
                uses[a].add(b)
                why[(a, b)].add("calls/uses " + s)

problems = 0
for a in sorted(uses):
    for b in sorted(uses[a]):
        if floor(b) > floor(a):
            problems += 1
            print("upward: %s (floor %d) uses %s (floor %d): %s"
                  % (a, floor(a), b, floor(b), "; ".join(sorted(why[(a, b)]))))

# Circles: strongly connected components of more than one module (Tarjan).
index, low, stack, on_stack, circles = {}, {}, [], set(), []
sys.setrecursionlimit(100000)

def visit(v):
    index[v] = low[v] = len(index)
    stack.append(v)
    on_stack.add(v)
    for w in sorted(uses.get(v, ())):
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on_stack:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on_stack.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            circles.append(sorted(comp))

for v in sorted(set(uses) | {b for bs in uses.values() for b in bs}):
    if v not in index:
        visit(v)
for comp in circles:
    problems += 1
    print("circle: " + " <-> ".join(comp))
    members = set(comp)
    for a in comp:
        for b in sorted(uses[a] & members):
            print("    %s -> %s: %s" % (a, b, "; ".join(sorted(why[(a, b)]))))

nmods = len({module_of(f) for f in files})
if problems:
    print("check-layers: %d problem(s) in %d modules (see doc/ARCHITECTURE.md)" % (problems, nmods))
    sys.exit(1)
print("check-layers: %d modules, no circle, no upward use%s"
      % (nmods, "" if build else " (includes only)"))
PY
