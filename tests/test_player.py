"""The backpropagation player without a browser: its steps, their numbers against the engine's
own backward pass, what it leaves alone, the node limit and folding, the page's content, the
GIF and the command line. tests/test_player_browser.py opens the page in Chromium.
"""

import json
import math
import os
import re
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from autograd import GraphError, Operation, Player, Value, name_scope, play_backprop
from autograd.draw import labels, page
from autograd.draw.examples import neuron
from autograd.draw.walk import walk


def every_value(output: Value) -> list[Value]:
    return walk(output).order


def final_grads(player: Player) -> dict[str, str]:
    """What each value's record says of its gradient after the last step."""
    shown = dict(player.no_gradient_yet)
    for scene in player.scenes:
        shown.update({name: text for name, (text, _) in scene.grads.items()})
    return shown


def test_the_neuron_is_walked_forward_then_backward_with_the_engines_numbers():
    o = neuron()
    player = play_backprop(o)
    assert len(player) == 11
    assert [s.phase for s in player.scenes] == ["forward"] * 5 + ["backward"] * 6
    assert player.steps[4] == "step 5 of 11: `tanh` computes o = 0.7071 from n = 0.8814"
    assert player.steps[5] == "step 6 of 11: the backward pass starts at o: do/do = 1.0000"
    assert player.steps[6] == "step 7 of 11: `tanh` hands n the gradient 1.0000 × 0.5000 = 0.5000"
    assert player.steps[10] == ("step 11 of 11: `*` hands x1 the gradient 0.5000 × -3.0000 = "
                                "-1.5000 and w1 the gradient 0.5000 × 2.0000 = 1.0000")
    o.backward()
    shown = final_grads(player)
    values = every_value(o)
    assert len(shown) == len(values) == 10
    for i, value in enumerate(values):
        assert shown[f"v{i}"] == f"grad {value.grad:.4f}", value.label


def test_the_player_leaves_every_value_and_gradient_as_it_was():
    x = Value(np.array([1.0, -2.0, 3.0]), label="x")
    w = Value(np.array([0.5, 0.5, 0.5]), label="w")
    loss = ((x * w).tanh() * w).sum()
    w.grad = np.ones(3)  # an earlier gradient, which backward would add to
    data = [v.data.copy() for v in (x, w)]
    player = play_backprop(loss)
    assert x._grad is None and np.array_equal(w.grad, np.ones(3))
    assert all(np.array_equal(v.data, d) for v, d in zip((x, w), data, strict=True))
    assert not loss.released  # the tensor graph is kept: backward still works
    loss.backward()
    assert np.allclose(w.grad - 1, x.data * (1 - np.tanh(x.data * 0.5) ** 2) * 0.5
                       + np.tanh(x.data * 0.5))
    assert len(player) == 1 + 3 + 1 + 4  # forward 3 ops + sum; seed; backward 4 ops


def test_a_reused_value_adds_up_its_parts_step_by_step():
    w = Value(3.0, label="w")
    y = w * w + w  # w is used three times
    y.label = "y"
    player = play_backprop(y)
    w_node = f"v{walk(y).index[id(w)]}"
    changes = [scene.grads[w_node] for scene in player.scenes if w_node in scene.grads]
    assert changes == [("grad 1.0000", "partial"), ("grad 7.0000", "done")]
    assert "w the gradient 1.0000 × 1.0000 = 1.0000 (the 1st of its 3 parts)" in player.steps[3]
    assert ("w the gradient 1.0000 × 3.0000 = 3.0000 (its 2nd of 3 parts: 4.0000 so far) and w "
            "the gradient 1.0000 × 3.0000 = 3.0000 (its 3rd of 3 parts: 7.0000 so far)"
            in player.steps[4])
    rows = player.scenes[4].panel.rows
    assert rows == [["w", "3.0000", "3.0000", "4.0000 (2 of 3 parts)"],
                    ["w", "3.0000", "3.0000", "7.0000 (3 of 3 parts)"]]


@pytest.mark.parametrize("make", [
    lambda x: x.tanh(), lambda x: x.exp(), lambda x: x ** 3, lambda x: 2.0 / x,
    lambda x: x.sigmoid(), lambda x: x.log(), lambda x: x.relu(), lambda x: x.sqrt(),
], ids=["tanh", "exp", "cube", "divide", "sigmoid", "log", "relu", "sqrt"])
def test_each_local_derivative_is_the_operations_own_derivative(make):
    x = Value(0.7, label="x")
    y = make(x) * 1.5  # an upstream gradient of 1.5 reaches the operation under test
    (step,) = [s for s in play_backprop(y).scenes if s.panel.title.startswith("Backward: `")
               and "`*`" not in s.panel.title]
    _, local, part, total = step.panel.rows[0]
    h = 1e-6
    numeric = (make(Value(0.7 + h)).data - make(Value(0.7 - h)).data) / (2 * h)
    assert float(local) == pytest.approx(numeric, rel=1e-4, abs=1e-4)
    y.backward()
    assert part == total == f"{x.grad:.4f}"



def test_a_rule_that_reuses_its_array_shows_each_steps_own_local_derivative():
    # Operation allows a rule to fill one array of its own on every call; each step's local
    # derivative must be what the rule returned for that step, not for the last call.
    buffer = np.zeros(3)

    def rule(g, out, x):
        buffer[...] = g * 2 * x
        return buffer

    sum_of_squares = Operation("sum_of_squares", lambda x: float(np.sum(x ** 2)), rule)
    a = Value(np.array([1.0, 2.0, 3.0]), label="a")
    b = Value(np.array([10.0, 20.0, 30.0]), label="b")
    y = sum_of_squares(a) + sum_of_squares(b)
    rows = {row[0]: row for scene in play_backprop(y).scenes for row in scene.panel.rows
            if scene.phase == "backward"}
    assert rows["a"][1] == "[2, 4, 6] (shape (3,))"
    assert rows["b"][1] == "[20, 40, 60] (shape (3,))"

def test_a_tensor_step_shows_shapes_norms_and_a_jacobian_applied_by_the_rule():
    rng = np.random.default_rng(0)
    W = Value(rng.normal(size=(3, 4)), label="W")
    x = Value(rng.normal(size=(5, 3)), label="x", requires_grad=False)
    loss = (x @ W).tanh().mean()
    loss.label = "loss"
    player = play_backprop(loss)
    matmul = next(s for s in player.scenes if s.panel.title == "Backward: `@`")
    loss.backward(retain_graph=True)
    norm = labels.number(float(np.linalg.norm(W.grad)))
    assert f"`@` hands W a gradient of shape (3, 4), norm {norm}" in matmul.text
    assert matmul.panel.rows[0][:2] == ["x", "—"]  # x needs no gradient
    assert matmul.panel.rows[1][1] == ("Jacobian (5, 4) × (3, 4), applied by the rule "
                                       "without being formed")
    mean = next(s for s in player.scenes if s.panel.title == "Backward: `mean`")
    local = mean.panel.rows[0][1]  # a scalar result: d loss/d input is an array, 1/20 each
    assert local.startswith("shape (5, 4), norm ") and "min 0.05 mean 0.05 max 0.05" in local
    shown = final_grads(player)
    assert shown[f"v{walk(loss).index[id(W)]}"] == f"grad norm {norm}"


def test_a_released_graph_is_refused_with_advice_but_a_scalar_one_is_replayed():
    t = Value(np.ones(2), label="t")
    z = (t * t).sum()
    z.backward()
    with pytest.raises(GraphError, match=r"play_backprop: backward\(\) released the graph "
                                         r"behind the 'sum' result.*retain_graph=True"):
        play_backprop(z)
    o = neuron()
    o.backward()
    assert len(play_backprop(o)) == 11  # a scalar graph stays whole


def changed_since_recorded() -> Player:
    a = Value(np.ones(3))
    y = (a * a).sum()
    a.data = np.zeros(3)
    return play_backprop(y)


@pytest.mark.parametrize("call, error, message", [
    (lambda: play_backprop(1.0), TypeError, "play_backprop: output must be a Value, got float"),
    (lambda: play_backprop(Value(np.ones(3)) * 2), GraphError,
     r"play_backprop: the output has shape \(3,\).*\.sum\(\)"),
    (lambda: play_backprop(neuron(), rankdir="UP"), ValueError, "rankdir must be one of"),
    (lambda: play_backprop(neuron(), fold_above=0), ValueError,
     "fold_above must be a positive integer or None, got 0"),
    (lambda: play_backprop(neuron(), max_nodes=0), ValueError,
     "max_nodes must be a positive integer, got 0"),
    (lambda: play_backprop(Value(2.0, requires_grad=False) * 3), GraphError,
     "^play_backprop: this Value does not require a gradient"),
    (changed_since_recorded, GraphError,
     r"^play_backprop: 'mul' cannot be backpropagated: the data of its input .* was assigned"),
])
def test_bad_input_is_refused_with_what_would_be_valid(call, error, message):
    with pytest.raises(error, match=message):
        call()


def chain(length: int) -> Value:
    x = Value(0.1, label="x")
    for i in range(length):
        x = x * 1.0001 if i % 2 else x + 0.5
    x.label = "out"
    return x


def test_beyond_the_node_limit_each_run_of_operations_not_drawn_is_one_step():
    out = chain(300)
    player = play_backprop(out, max_nodes=20)
    assert "281 more values not drawn" in player.layout.summary
    assert len(player) == 1 + 20 + 1 + 20 + 1  # a run, the drawn operations, the seed, ...
    assert player.steps[0] == ("step 1 of 43: … 280 values not drawn are computed "
                               "(add 140, mul 140)")
    assert player.steps[-1] == ("step 43 of 43: … 280 operations not drawn hand on their "
                                "gradients (mul 140, add 140)")
    assert player.scenes[0].appear == player.scenes[-1].active == ["omitted"]


def scoped_network() -> tuple[Value, dict[str, Value]]:
    """Two layers in name scopes sharing the weight w; the second layer's scope is large."""
    w = Value(0.5, label="w")
    x = Value(2.0, label="x")
    with name_scope("Net"):
        with name_scope("Layer0"):
            h = (w * x).tanh()
        with name_scope("Layer1"):
            out = h
            for _ in range(4):
                out = out * w + 0.1
    loss = (out - 1.0) ** 2
    loss.label = "loss"
    return loss, {"w": w, "x": x}


def test_name_scopes_are_frames_and_large_ones_start_folded():
    loss, _ = scoped_network()
    player = play_backprop(loss, fold_above=6)
    folds = player.folds
    assert set(folds) == {"cluster_Net", "cluster_Net/Layer0", "cluster_Net/Layer1"}
    assert (folds["cluster_Net/Layer1"].size, folds["cluster_Net/Layer1"].folded) == (8, True)
    # x, used by Layer0 alone, is drawn in it; w, used by both layers, in Net
    assert (folds["cluster_Net/Layer0"].size, folds["cluster_Net/Layer0"].folded) == (3, False)
    assert (folds["cluster_Net"].size, folds["cluster_Net"].values) == (1, 1 + 3 + 8)
    assert "cluster_Net/Layer1" in folds["cluster_Net"].members
    assert not any(fold.folded for fold in play_backprop(loss, fold_above=None).folds.values())


def test_the_page_holds_everything_and_asks_for_nothing(tmp_path):
    loss, _ = scoped_network()
    player = play_backprop(loss)
    path = player.save(tmp_path / "pages" / "loss.html")
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page
    assert "default-src 'none'" in page  # the page may not load anything, by its own policy
    outside = re.findall(r"""(?:src|href)\s*=|@import|url\(|https?://(?!www\.w3\.org)""", page)
    assert outside == []
    assert 'aria-live="polite"' in page and page.count("<button") == 5
    assert json.dumps(player.steps[-1], ensure_ascii=False) in page  # the steps as data
    fragments = [player._repr_html_() for _ in range(2)]
    ids = [re.search(r'id="(backprop-player-\w+)"', f)[1] for f in fragments]
    assert ids[0] != ids[1]  # two players in one notebook do not mix
    assert "keysOnDocument\": false" in fragments[0] and "<!DOCTYPE" not in fragments[0]



def test_every_frame_of_the_page_is_found_by_its_name_whatever_the_scope_is_called():
    # The page finds a frame by the name Graphviz gives it back: "&lt;" in a scope's name
    # must not come back as "<", or the frame could never be unfolded.
    a = Value(2.0, label="a")
    for scope in ["&amp;", "a&lt;b", "<b>", "\\G", 'q"']:
        with name_scope(scope):
            a = (a * 2).tanh()
    player = play_backprop(a, fold_above=1)
    names = {g.get("data-name") for g in ET.fromstring(page.svg(player)).iter()}
    assert set(player.folds) <= names



def test_a_leaf_alone_is_one_value():
    player = play_backprop(Value(1.5, label="a"))
    assert player.layout.summary == "computation graph: 1 value, all drawn"
    assert player.steps == ["step 1 of 2: a is an input: 1.5000",
                            "step 2 of 2: the backward pass starts at a: da/da = 1.0000"]

def test_save_refuses_other_formats(tmp_path):
    with pytest.raises(ValueError, match=r"Player.save: cannot save as 'png'; name a \.html"):
        play_backprop(neuron()).save(tmp_path / "neuron.png")


def test_the_gif_has_one_frame_per_step(tmp_path):
    from PIL import Image

    player = play_backprop(neuron())
    path = player.save(tmp_path / "neuron.gif")
    with Image.open(path) as gif:
        assert gif.n_frames == len(player) == 11
        assert gif.info["loop"] == 0
        durations, pictures = [], []
        for k in range(gif.n_frames):
            gif.seek(k)
            durations.append(gif.info["duration"])
            pictures.append(np.asarray(gif.convert("RGB")))
    assert durations[:5] == [900] * 5 and durations[5:10] == [1800] * 5 and durations[10] == 4000
    assert all(p.shape == pictures[0].shape for p in pictures) and pictures[0].shape[1] >= 1000
    assert not np.array_equal(pictures[5], pictures[6])
    orange = np.all(np.abs(pictures[6].astype(int) - (217, 72, 15)) < 40, axis=-1)
    blue = np.all(np.abs(pictures[4].astype(int) - (24, 100, 171)) < 40, axis=-1)
    assert orange.sum() > 200 and blue.sum() > 200  # the backward and the forward highlight


@pytest.mark.parametrize("data", [2.0, np.array(2.0), np.array([2.0]), np.array([[2.0]])],
                         ids=["float", "0-d", "(1,)", "(1, 1)"])
def test_a_one_element_step_is_told_as_a_product_whatever_its_shape(data):
    step = play_backprop(Value(data, label="t") * 3.0).steps[-1]
    assert step == "step 3 of 3: `*` hands t the gradient 1.0000 × 3.0000 = 3.0000"


def test_a_part_of_several_elements_is_told_by_its_shape():
    x, w = Value(np.arange(3.0), label="x"), Value(np.array([2.0]), label="w")
    step = play_backprop((x * w).sum()).steps[-1]
    assert step == ("step 5 of 5: `*` hands x a gradient of [2, 2, 2] (shape (3,)) and w a "
                    "gradient of 3.0000")


def test_a_gif_too_large_to_hold_is_refused_before_anything_is_drawn(tmp_path, monkeypatch):
    from autograd.draw import gif

    chain = Value(1.0, label="x")
    for _ in range(40):  # laid out in a row: about 10,800 pixels wide
        chain = chain * 1.0001
    drawn = []
    monkeypatch.setattr(gif, "_graph_frame", lambda *args: drawn.append(args))
    with pytest.raises(ValueError, match=r"81 frames of \d+ × \d+ pixels.*as \.html"):
        play_backprop(chain).save(tmp_path / "chain.gif")
    assert drawn == [] and not (tmp_path / "chain.gif").exists()
    short = Value(1.0) * 2.0 * 3.0  # well within the limits: written
    monkeypatch.undo()
    assert play_backprop(short).save(tmp_path / "short.gif").read_bytes().startswith(b"GIF89a")


def test_without_pillow_the_gif_names_the_extra_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "PIL", None)  # import PIL now fails
    with pytest.raises(ImportError, match=r"pip install \"learngrad\[gif\]\""):
        play_backprop(neuron()).save(tmp_path / "neuron.gif")
    assert not (tmp_path / "neuron.gif").exists()


def run_cli(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograd.draw", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


def test_cli_writes_the_player_of_an_example_and_of_a_script(tmp_path):
    result = run_cli("--example", "neuron", "--html", "neuron.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ("wrote neuron.html (backpropagation player: 11 steps; "
                             "computation graph: 10 values, all drawn)\n")
    assert "`tanh` hands n the gradient" in (tmp_path / "neuron.html").read_text()
    (tmp_path / "model.py").write_text(textwrap.dedent("""
        from autograd import Value

        def loss():
            w = Value(0.2, label="w")
            return (w * w).tanh()
    """))
    result = run_cli("--script", "model.py", "--function", "loss", "--html", "out/loss.html",
                     "--gif", "loss.gif", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "loss.html").is_file()
    assert (tmp_path / "loss.gif").read_bytes().startswith(b"GIF89a")
    wrong = run_cli("--example", "neuron", "--html", "neuron.svg", cwd=tmp_path)
    assert wrong.returncode == 2 and "--html names the file to write, ending in .html" in \
        wrong.stderr
    mixed = run_cli("--example", "neuron", "--html", "n.html", "--color-by-grad", cwd=tmp_path)
    assert mixed.returncode == 2 and "--color-by-grad is for the diagram" in mixed.stderr
    assert sorted(os.listdir(tmp_path)) == ["loss.gif", "model.py", "neuron.html", "out"]



def test_cli_says_why_a_graph_cannot_be_played_or_a_file_not_written(tmp_path):
    (tmp_path / "model.py").write_text(textwrap.dedent("""
        import numpy as np
        from autograd import Value

        def vector():
            return Value(np.ones(3)) * 2

        def constant():
            return Value(1.0, requires_grad=False) * 2

        def released():
            loss = (Value(np.ones(2)) * 3).sum()
            loss.backward()
            return loss
    """))
    for function, words in (("vector", "the output has shape (3,)"),
                            ("constant", "does not require a gradient"),
                            ("released", "backward() released the graph")):
        result = run_cli("--script", "model.py", "--function", function, "--html", "p.html",
                         cwd=tmp_path)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert result.stderr.startswith(f"autograd.draw: {function}() returned a Value") and \
            words in result.stderr
    result = run_cli("--script", "model.py", "--function", "released", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "cannot be drawn" in result.stderr and "backward() released" in result.stderr
    (tmp_path / "taken").write_text("a file, where a folder is asked for")
    for flags in (["--html", "taken/n.html"], ["--gif", "taken/n.gif"], ["-o", "taken/n.svg"]):
        result = run_cli("--example", "neuron", *flags, cwd=tmp_path)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert result.stderr.startswith(f"autograd.draw: cannot write {flags[1]!r}: ")

def test_the_player_shows_the_numbers_of_any_small_graph():
    rng = np.random.default_rng(1)
    for _ in range(20):
        leaves = [Value(float(v), label=f"n{i}") for i, v in enumerate(rng.uniform(-2, 2, 3))]
        values = list(leaves)
        for _ in range(6):
            a, b = (values[k] for k in rng.integers(0, len(values), 2))
            values.append([a + b, a * b, a.tanh(), a - 1.0][rng.integers(0, 4)])
        root = values[-1]
        player = play_backprop(root)
        root.backward()
        shown = final_grads(player)
        for i, value in enumerate(every_value(root)):
            expected = labels.grad_field(value, value.grad)
            assert shown[f"v{i}"] == expected
            assert math.isfinite(value.grad)


def test_the_gif_is_wide_enough_for_every_line_of_its_captions(tmp_path):
    from autograd.draw import gif

    # a narrow graph (top to bottom) whose panels hold long tables of tensors
    a = Value(np.arange(6.0).reshape(2, 3), label="a_matrix_with_a_long_name")
    b = Value(np.arange(3.0), label="b_vector_with_a_long_name")
    frames = gif.animation(play_backprop((a * b).tanh().sum(), rankdir="TB"))
    for frame, _ in frames:  # nothing written up to the right edge, where text would be cut
        edge = np.asarray(frame.convert("RGB"))[:, -gif.TEXT_LEFT // 2:]
        assert (edge == 255).all()
