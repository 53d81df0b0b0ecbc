#!/usr/bin/env bash
# Usage: bash run.sh <command> [args...]
#   demo  [args...]  run the main demo (examples/demo.py)
#   test  [args...]  run the test suite (pytest)
#   lint             run ruff over the repository and mypy over autograd/ and nn/
#   bench [args...]  run the benchmarks (benchmarks/run_all.py)
#   exercises [N...] grade the exercises (--solutions; N --file PATH: a copy of yours; -h)
#   gallery          rewrite the README's pictures in examples/gallery/ (full runs, --gallery)
#   notebooks [--check]  regenerate examples/notebooks/ from the examples (--check: only compare)
#   docs [serve]     build the documentation site into site/, strictly (serve: while editing)
# Sets everything up on first use: a virtual environment in .venv (override with VENV=...),
# the project installed editable with its dev extra, Graphviz's `dot` program and, for the
# tests, Debian's chromium (the browser the tests of the backpropagation player drive).
# Choose the interpreter with PYTHON=... (default python3, must be >= 3.11).
set -euo pipefail
caller=$PWD  # where the command was run: a file given to `exercises` is found from there
cd "$(dirname "${BASH_SOURCE[0]}")"
root=$PWD

usage() { sed -n '2,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]##*/}"; }
[[ $# -ge 1 ]] || { usage >&2; exit 2; }
cmd=$1; shift
case "$cmd" in
    demo | test | lint | bench | exercises | gallery | notebooks | docs) ;;
    -h | --help | help) usage; exit 0 ;;  # asked for: on stdout, and not an error
    *) echo "run.sh: unknown command '$cmd'" >&2; usage >&2; exit 2 ;;
esac

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
[[ $VENV == /* ]] || VENV=$root/$VENV
is_root() { [[ $(id -u) -eq 0 ]]; }

# Install Debian packages when root; otherwise print the command to run and stop.
apt_install() {
    if ! is_root; then
        echo "run.sh: missing $*; please run: sudo apt-get install $*" >&2
        exit 1
    fi
    if ! command -v apt-get >/dev/null; then
        echo "run.sh: missing $* and apt-get is not available; install $* by hand" >&2
        exit 1
    fi
    echo "run.sh: installing $* with apt-get ..." >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

# 1. Python >= 3.11
command -v "$PYTHON" >/dev/null || { echo "run.sh: '$PYTHON' not found; Python >= 3.11 is needed" >&2; exit 1; }
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "run.sh: Python >= 3.11 is needed, but $PYTHON is $("$PYTHON" -V 2>&1); set PYTHON=..." >&2
    exit 1
}

# 2. Virtual environment (Debian ships venv/ensurepip separately, as python3-venv)
if [[ ! -x $VENV/bin/python || ! -x $VENV/bin/pip ]]; then
    echo "run.sh: creating virtual environment in $VENV ..." >&2
    if ! "$PYTHON" -m venv --clear "$VENV"; then
        rm -rf "$VENV"
        apt_install python3-venv
        "$PYTHON" -m venv "$VENV"
    fi
fi

# 3. The project, editable with the dev extra; skipped while pyproject.toml is unchanged
stamp=$VENV/.learngrad-stamp
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [[ ! -f $stamp || $(<"$stamp") != "$want" ]]; then
    echo "run.sh: installing learngrad[dev] into $VENV ..." >&2
    "$VENV/bin/python" -m pip install -q -e ".[dev]"
    echo "$want" >"$stamp"
fi

# 3b. The documentation tools (the docs extra), for `docs` only; the same scheme, its own stamp
docs_stamp=$VENV/.learngrad-docs-stamp
if [[ $cmd == docs && (! -f $docs_stamp || $(<"$docs_stamp") != "$want") ]]; then
    echo "run.sh: installing learngrad[dev,docs] into $VENV ..." >&2
    "$VENV/bin/python" -m pip install -q -e ".[dev,docs]"
    echo "$want" >"$docs_stamp"
fi

# 4. Graphviz's dot program (the graphviz Python package only calls it) and, for the tests,
#    the browser that Playwright drives (its own browser download is never used)
missing=()
command -v dot >/dev/null || missing+=(graphviz)
[[ $cmd != test ]] || command -v chromium >/dev/null || missing+=(chromium)
[[ ${#missing[@]} -eq 0 ]] || apt_install "${missing[@]}"

case "$cmd" in
    demo) exec "$VENV/bin/python" examples/demo.py "$@" ;;
    test) exec "$VENV/bin/python" -m pytest "$@" ;;
    lint) "$VENV/bin/ruff" check . && exec "$VENV/bin/mypy" ;;
    bench) exec "$VENV/bin/python" benchmarks/run_all.py "$@" ;;
    exercises) cd "$caller" && exec "$VENV/bin/python" "$root/examples/exercises/grade.py" "$@" ;;
    gallery)
        # The examples whose pictures the README shows, each in its full run; one BLAS thread, so
        # that the same code draws the same pixels (threaded sums round differently run to run).
        for example in demo draw_neuron backprop_player draw_vanishing_gradients local_minima_momentum \
            overfitting_underfitting; do
            echo "=== examples/$example.py --gallery ===" >&2
            MPLBACKEND=Agg OPENBLAS_NUM_THREADS=1 "$VENV/bin/python" "examples/$example.py" --gallery
        done ;;
    notebooks) exec "$VENV/bin/python" examples/_course.py "$@" ;;
    docs)
        # NO_MKDOCS_2_WARNING: Material's banner about its successor, printed on every build
        export NO_MKDOCS_2_WARNING=1
        if [[ ${1:-} == serve ]]; then exec "$VENV/bin/mkdocs" serve "${@:2}"; fi
        exec "$VENV/bin/mkdocs" build --strict "$@" ;;
esac
