"""nn follows PyTorch's conventions: checked against what PyTorch itself computed.

tests/fixtures/torch_sequential.npz was written once by PyTorch (see make_torch_fixture.py
beside it): the state dict of a torch.nn.Sequential(Linear(3, 5), ReLU(), Linear(5, 4), Tanh(),
Linear(4, 2)), an input batch, PyTorch's output, cross-entropy loss and gradients. The same
model built with nn takes PyTorch's arrays by their names, with no renaming or transposing, and
must give the same numbers: PyTorch is not needed to run these tests.
"""

from pathlib import Path

import numpy as np
import pytest

import nn

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "torch_sequential.npz"


@pytest.fixture(scope="module")
def torch_arrays() -> dict[str, np.ndarray]:
    with np.load(FIXTURE, allow_pickle=False) as archive:
        return dict(archive)


def part(arrays: dict[str, np.ndarray], prefix: str) -> dict[str, np.ndarray]:
    return {name.removeprefix(prefix): array for name, array in arrays.items()
            if name.startswith(prefix)}


def our_model() -> nn.Sequential:
    return nn.Sequential(nn.Linear(3, 5, dtype=np.float32), nn.ReLU(),
                         nn.Linear(5, 4, dtype=np.float32), nn.Tanh(),
                         nn.Linear(4, 2, dtype=np.float32))


def test_the_fixture_is_what_its_script_says():
    with np.load(FIXTURE, allow_pickle=False) as archive:
        assert str(archive["torch_version"]).startswith("2.13.0")
        assert archive["input"].shape == (6, 3) and archive["output"].shape == (6, 2)


def test_the_state_dict_has_pytorchs_names_shapes_and_dtypes(torch_arrays):
    ours = our_model().state_dict()
    theirs = part(torch_arrays, "state.")
    assert list(ours) == list(theirs) == ["0.weight", "0.bias", "2.weight", "2.bias",
                                          "4.weight", "4.bias"]
    assert [(a.shape, a.dtype) for a in ours.values()] == [
        (a.shape, a.dtype) for a in theirs.values()]


def test_pytorchs_weights_load_by_name_and_give_pytorchs_outputs_and_gradients(torch_arrays):
    model = our_model()
    model.load_state_dict(part(torch_arrays, "state."))
    output = model(torch_arrays["input"])
    assert output.dtype == np.float32
    np.testing.assert_allclose(output.data, torch_arrays["output"], rtol=1e-6, atol=1e-7)
    loss = nn.cross_entropy(output, torch_arrays["labels"])
    assert loss.item() == pytest.approx(float(torch_arrays["loss"]), rel=1e-5)
    loss.backward()
    gradients = part(torch_arrays, "grad.")
    for name, parameter in model.named_parameters():
        assert parameter.grad.dtype == np.float32 and parameter.grad.shape == (
            gradients[name].shape)
        np.testing.assert_allclose(parameter.grad, gradients[name], rtol=1e-5, atol=1e-7,
                                   err_msg=name)


def test_our_state_dict_goes_back_to_pytorch_unchanged(torch_arrays, tmp_path):
    model = our_model()
    model.load_state_dict(part(torch_arrays, "state."))
    path = tmp_path / "model.npz"
    model.save(path)  # a checkpoint is the state dict: what torch.from_numpy would read
    with np.load(path, allow_pickle=False) as saved:
        for name, array in part(torch_arrays, "state.").items():
            assert saved[name].dtype == array.dtype
            np.testing.assert_array_equal(saved[name], array)
