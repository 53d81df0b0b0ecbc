"""nn: neural networks built on autograd, in PyTorch's conventions.

From a single perceptron to a trained deep network:

>>> import numpy as np
>>> import nn
>>> model = nn.Sequential(nn.Linear(2, 8, seed=0), nn.ReLU(), nn.Linear(8, 1, seed=1))
>>> loss = nn.binary_cross_entropy_with_logits(model(np.ones((4, 2))), np.ones((4, 1)))
>>> loss.backward()
>>> model[0].weight.grad.shape    # (out_features, in_features), as in PyTorch
(8, 2)
"""

import importlib.metadata

from nn.activations import elu, gelu, leaky_relu, relu, sigmoid, softmax, softplus, step, tanh
from nn.data import (
    batches,
    make_blobs,
    make_circles,
    make_moons,
    make_xor,
    one_hot,
    train_val_test_split,
)
from nn.diagnostics import GradientFlow
from nn.layers import (
    ELU,
    GELU,
    MLP,
    Dropout,
    Flatten,
    Layer,
    LeakyReLU,
    Linear,
    Neuron,
    ReLU,
    Sigmoid,
    Softmax,
    Softplus,
    Step,
    Tanh,
)
from nn.losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge_loss,
    mse_loss,
)
from nn.module import CheckpointError, HookHandle, Module, Sequential
from nn.optim import (
    SGD,
    Adam,
    ExponentialLR,
    Optimizer,
    ReduceLROnPlateau,
    StepLR,
    clip_grad_norm_,
)
from nn.perceptron import (
    Perceptron,
    XORNetwork,
    and_perceptron,
    nand_perceptron,
    not_perceptron,
    or_perceptron,
    xor_network,
)
from nn.regularization import l1_penalty, l2_penalty
from nn.training import (
    Callback,
    EarlyStopping,
    History,
    accuracy,
    evaluate,
    fit,
    random_restarts,
)


def _installed_version() -> str:
    """The version of the installed distribution `learngrad`, or "0+unknown" when nn is
    imported from a source tree that was never installed (`pip install -e .` installs it)."""
    try:
        return importlib.metadata.version("learngrad")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"


__version__ = _installed_version()

__all__ = [
    "Adam",
    "Callback",
    "CheckpointError",
    "Dropout",
    "ELU",
    "EarlyStopping",
    "ExponentialLR",
    "Flatten",
    "GELU",
    "GradientFlow",
    "History",
    "HookHandle",
    "Layer",
    "LeakyReLU",
    "Linear",
    "MLP",
    "Module",
    "Neuron",
    "Optimizer",
    "Perceptron",
    "ReLU",
    "ReduceLROnPlateau",
    "SGD",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "Step",
    "StepLR",
    "Tanh",
    "XORNetwork",
    "accuracy",
    "and_perceptron",
    "batches",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "clip_grad_norm_",
    "cross_entropy",
    "elu",
    "evaluate",
    "fit",
    "gelu",
    "hinge_loss",
    "l1_penalty",
    "l2_penalty",
    "leaky_relu",
    "make_blobs",
    "make_circles",
    "make_moons",
    "make_xor",
    "mse_loss",
    "nand_perceptron",
    "not_perceptron",
    "one_hot",
    "or_perceptron",
    "random_restarts",
    "relu",
    "sigmoid",
    "softmax",
    "softplus",
    "step",
    "tanh",
    "train_val_test_split",
    "xor_network",
]
