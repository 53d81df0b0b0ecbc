"""Tensor workload: an epoch of MLP 784-256-256-10 training, ours against numpy and PyTorch.

MNIST-shaped random data (60,000 float32 images of 784 pixels, 10 classes; nothing is
downloaded), batches of 128 in order (the last one holds 96), softmax cross-entropy, SGD with
momentum 0.9. Four implementations start from the same weights and see the same batches:

- ours (nn): `nn.Sequential` of `nn.Linear(..., dtype=np.float32)` and `nn.ReLU()`,
  `nn.cross_entropy`, `nn.SGD(momentum=0.9)`: what our users write (weights of shape
  (out, in), as PyTorch's, so each layer computes x @ W.T + b);
- ours (Values): the engine alone: `autograd.Value` parameters, `x @ W + b`, `.relu()`,
  `.log_softmax()` and integer-array indexing for the cross-entropy, `backward()`, and the
  momentum update on `.data` written in place;
- numpy by hand: the same forward and backward written by hand, as a careful numpy programmer
  would, with the same in-place update;
- PyTorch: `torch.nn.Linear`, `F.cross_entropy`, `torch.optim.SGD(momentum=0.9)`, with its
  default number of threads.

Before timing, the script checks that all of them compute the same first loss (to 1e-5); with
--ours-only the numpy version still serves this check, but is not timed.

A full run measures in three fresh processes, one after the other, and pools their runs (see
harness.pool_processes); --processes 1 measures in this process only.

    python benchmarks/tensor_mlp.py [--quick] [--ours-only] [--repeats N] [--processes N]
                                    [--json FILE]
"""

from __future__ import annotations

from collections.abc import Callable

import harness
import numpy as np

SIZES = [784, 256, 256, 10]
SAMPLES = 60_000  # one MNIST training epoch
BATCH = 128
LEARNING_RATE = 0.01
MOMENTUM = 0.9
# size: batches per epoch (469). Three processes: where this workload's arrays land in memory
# moves every implementation's epoch by a few percent from one process to the next.
FULL = harness.Settings(repeats=5, size=-(-SAMPLES // BATCH), processes=3)
QUICK = harness.Settings(repeats=2, size=10)
LOSS_TOLERANCE = 1e-5
# Batches per slice: the implementations take turns every SLICE batches of an epoch (see
# harness.measure_in_slices), as the shared machine's busy spells are shorter than an epoch.
SLICE = 50

Step = Callable[[np.ndarray, np.ndarray], float]  # one training step on a batch; returns loss


def make_data(n_batches: int) -> tuple[np.ndarray, np.ndarray]:
    """Random images (standard normal, float32) and integer labels for `n_batches` batches."""
    rng = np.random.default_rng(0)
    n = min(n_batches * BATCH, SAMPLES)
    return rng.standard_normal((n, SIZES[0]), dtype=np.float32), rng.integers(0, SIZES[-1], n)


def initial_weights() -> list[np.ndarray]:
    """W1, b1, W2, b2, W3, b3 (W of shape (in, out)) drawn as torch.nn.Linear draws them:
    U(-1/sqrt(in), 1/sqrt(in)), in float32."""
    rng = np.random.default_rng(1)
    weights = []
    for n_in, n_out in zip(SIZES[:-1], SIZES[1:], strict=True):
        bound = 1 / np.sqrt(n_in)
        weights += [rng.uniform(-bound, bound, (n_in, n_out)).astype(np.float32),
                    rng.uniform(-bound, bound, n_out).astype(np.float32)]
    return weights


def momentum_update(params: list[np.ndarray], grads: list[np.ndarray],
                    velocities: list[np.ndarray]) -> None:
    """PyTorch's SGD with momentum (no dampening), in place: v = m v + g; p -= lr v."""
    for p, g, v in zip(params, grads, velocities, strict=True):
        v *= MOMENTUM
        v += g
        p -= LEARNING_RATE * v


def epoch(step: Step, X: np.ndarray, y: np.ndarray) -> float:
    """One pass over the data in batches of BATCH; returns the last batch's loss."""
    for start in range(0, len(X), BATCH):
        loss = step(X[start:start + BATCH], y[start:start + BATCH])
    return loss


# -- ours -----------------------------------------------------------------------------------


def nn_trainer() -> tuple[Step, Callable[[], None]]:
    """A training step as our users write it with `nn`, and a restart from the initial weights."""
    import nn

    layers = [nn.Linear(n_in, n_out, dtype=np.float32)
              for n_in, n_out in zip(SIZES[:-1], SIZES[1:], strict=True)]
    model = nn.Sequential(layers[0], nn.ReLU(), layers[1], nn.ReLU(), layers[2])
    optimizer = nn.SGD(model.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM)

    def step(x: np.ndarray, labels: np.ndarray) -> float:
        optimizer.zero_grad()
        loss = nn.cross_entropy(model(x), labels)
        loss.backward()
        optimizer.step()
        return loss.item()

    def restart() -> None:
        nonlocal optimizer
        weights = initial_weights()
        for layer, W, b in zip(layers, weights[::2], weights[1::2], strict=True):
            layer.weight.data[...] = W.T  # nn.Linear holds (out, in), as torch.nn.Linear does
            layer.bias.data[...] = b
        optimizer = nn.SGD(model.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM)

    return step, restart


def values_trainer() -> tuple[Step, Callable[[], None]]:
    """The same step on the engine alone (Values, no nn), with the momentum update in place."""
    from autograd import Value

    params = [Value(w) for w in initial_weights()]
    velocities = [np.zeros_like(p.data) for p in params]

    def step(x: np.ndarray, labels: np.ndarray) -> float:
        W1, b1, W2, b2, W3, b3 = params
        hidden = (x @ W1 + b1).relu()
        hidden = (hidden @ W2 + b2).relu()
        logits = hidden @ W3 + b3
        loss = -logits.log_softmax()[np.arange(len(labels)), labels].mean()
        for p in params:
            p.zero_grad()
        loss.backward()
        momentum_update([p.data for p in params], [p.grad for p in params], velocities)
        return loss.item()

    def restart() -> None:
        for p, w, v in zip(params, initial_weights(), velocities, strict=True):
            p.data[...] = w
            v[...] = 0

    return step, restart


# -- numpy by hand ----------------------------------------------------------------------------


def numpy_trainer() -> tuple[Step, Callable[[], None]]:
    """The same training step written by hand in numpy, float32 throughout."""
    params = initial_weights()
    velocities = [np.zeros_like(p) for p in params]

    def step(x: np.ndarray, labels: np.ndarray) -> float:
        W1, b1, W2, b2, W3, b3 = params
        rows = np.arange(len(labels))
        # forward, in place where the result is our own
        a1 = x @ W1
        a1 += b1
        np.maximum(a1, 0, out=a1)
        a2 = a1 @ W2
        a2 += b2
        np.maximum(a2, 0, out=a2)
        logits = a2 @ W3
        logits += b3
        logits -= logits.max(axis=1, keepdims=True)
        log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        loss = -log_probs[rows, labels].mean()
        # backward: d loss / d logits = (softmax - one_hot) / n; relu passes where it was > 0
        d_logits = np.exp(log_probs)
        d_logits[rows, labels] -= 1
        d_logits /= len(labels)
        d_a2 = d_logits @ W3.T
        d_a2 *= a2 > 0
        d_a1 = d_a2 @ W2.T
        d_a1 *= a1 > 0
        grads = [x.T @ d_a1, d_a1.sum(axis=0), a1.T @ d_a2, d_a2.sum(axis=0),
                 a2.T @ d_logits, d_logits.sum(axis=0)]
        momentum_update(params, grads, velocities)
        return float(loss)

    def restart() -> None:
        for p, w, v in zip(params, initial_weights(), velocities, strict=True):
            p[...] = w
            v[...] = 0

    return step, restart


# -- PyTorch ----------------------------------------------------------------------------------


def torch_trainer() -> tuple[Step, Callable[[], None]]:
    """The same training with torch.nn and torch.optim, as PyTorch users write it."""
    import torch
    import torch.nn.functional as F

    layers = [torch.nn.Linear(n_in, n_out) for n_in, n_out in zip(SIZES[:-1], SIZES[1:],
                                                                    strict=True)]
    model = torch.nn.Sequential(layers[0], torch.nn.ReLU(), layers[1], torch.nn.ReLU(),
                                layers[2])
    optimizer = None

    def step(x: np.ndarray, labels: np.ndarray) -> float:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(torch.from_numpy(x)), torch.from_numpy(labels))
        loss.backward()
        optimizer.step()
        return loss.item()

    def restart() -> None:
        nonlocal optimizer
        weights = initial_weights()
        with torch.no_grad():
            for layer, W, b in zip(layers, weights[::2], weights[1::2], strict=True):
                layer.weight.copy_(torch.from_numpy(W.T))
                layer.bias.copy_(torch.from_numpy(b))
        optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM)

    return step, restart


def torch_threads() -> int:
    import torch

    return torch.get_num_threads()


# -------------------------------------------------------------------------------------------


def main() -> None:
    args = harness.parse_args(__doc__, FULL, QUICK)
    if harness.pool_processes(args):
        return
    X, y = make_data(args.settings.size)
    trainers = {"ours (nn)": nn_trainer(), "ours (Values)": values_trainer(),
                "numpy by hand": numpy_trainer()}
    if not args.ours_only:
        trainers["PyTorch"] = torch_trainer()

    first_losses = {}
    for name, (step, restart) in trainers.items():
        restart()
        first_losses[name] = step(X[:BATCH], y[:BATCH])
    reference_loss = first_losses["numpy by hand"]
    if any(abs(loss - reference_loss) > LOSS_TOLERANCE for loss in first_losses.values()):
        raise SystemExit(f"tensor benchmark: the first losses differ ({first_losses}), so "
                         "the implementations would not compute the same thing")

    last_losses: dict[str, float] = {}

    def epoch_in_slices(name: str) -> harness.Slices:
        step, restart = trainers[name]

        def train(start: int) -> Callable[[], None]:
            end = start + SLICE * BATCH
            return lambda: last_losses.update({name: epoch(step, X[start:end], y[start:end])})

        def slices() -> list[Callable[[], None]]:
            restart()
            return [train(start) for start in range(0, len(X), SLICE * BATCH)]

        return slices

    timed_names = [name for name in trainers if name.startswith("ours") or not args.ours_only]
    candidates = harness.measure_in_slices({name: epoch_in_slices(name) for name in timed_names},
                                           args.settings.repeats)
    batches = -(-len(X) // BATCH)
    setup = [f"{len(X):,} samples = {batches} batches of {BATCH} per epoch, float32, "
             f"lr {LEARNING_RATE}, momentum {MOMENTUM}; first loss "
             f"{reference_loss:.6f} in all",
             f"the implementations take turns every {SLICE} batches of an epoch, in an order "
             "drawn anew each time; each one's epoch is the sum of its slices"]
    if not args.ours_only:
        setup.append(f"PyTorch with its default {torch_threads()} thread(s)")
    notes = ["loss after the epoch: " + ", ".join(f"{name} {loss:.5f}"
                                                  for name, loss in last_losses.items())]
    workload = harness.Workload(
        "tensor", "Tensor: an epoch of MLP 784-256-256-10 training (softmax cross-entropy, "
        "SGD momentum)", "epoch", setup, [harness.Goal("ours (nn)", "numpy by hand", 1.15)])
    ratios = [("ours (nn)", "numpy by hand"), ("ours (nn)", "PyTorch"),
              ("ours (Values)", "numpy by hand"), ("ours (Values)", "PyTorch")]
    harness.report(workload, candidates, ratios, args, notes)


if __name__ == "__main__":
    main()
