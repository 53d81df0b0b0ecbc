"""Graph diagrams: the structure, labels, colours and grouping read from the DOT source, and a
few diagrams rendered for real with Graphviz's `dot` and read back as SVG.

Most tests read `diagram.source` (where rendering through `dot` adds nothing, and which is much
faster); the tests of direction, cluster frames, saving, Jupyter, the error without `dot` and
the command line render, and one test checks that the source reader and the rendered SVG agree.
A node is known by its DOT name and its texts; an edge by (tail, head).
"""

import html
import math
import os
import re
import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import (
    Diagram,
    GraphError,
    GraphvizNotFoundError,
    Value,
    draw_graph,
    name_scope,
    no_grad,
)
from autograd.draw import COLORMAP, NO_GRAD_COLOR, NOT_FINITE_COLOR

SVG = "{http://www.w3.org/2000/svg}"
LOW_COLOR, MIDDLE_COLOR, HIGH_COLOR = ("#{:02x}{:02x}{:02x}".format(*COLORMAP[i])
                                      for i in (0, 2, 4))


class Picture:
    """A diagram rendered to SVG by `dot` and parsed: nodes, edges and clusters."""

    def __init__(self, svg: bytes | str) -> None:
        self.root = ET.fromstring(svg)
        self.nodes: dict[str, list[str]] = {}  # name -> its texts, in order
        self.fills: dict[str, str | None] = {}  # name -> fill of its outline (if drawn)
        self.points: dict[str, list[tuple[float, float]]] = {}  # name -> where its texts are
        self.edges: dict[tuple[str, str], list[str]] = {}  # (tail, head) -> label texts
        self.edge_styles: dict[tuple[str, str], str] = {}
        self.clusters: dict[str, tuple[float, float, float, float]] = {}  # name -> box
        for group in self.root.iter(f"{SVG}g"):
            kind, title = group.get("class"), group.findtext(f"{SVG}title")
            texts = [t.text or "" for t in group.iter(f"{SVG}text")]
            if kind == "node":
                self.nodes[title] = texts
                outline = next((s for s in group if s.tag in (f"{SVG}polygon", f"{SVG}ellipse",
                                                                f"{SVG}path")), None)
                self.fills[title] = None if outline is None else outline.get("fill")
                self.points[title] = [(float(t.get("x")), float(t.get("y")))
                                      for t in group.iter(f"{SVG}text")]
            elif kind == "edge":
                tail, head = title.split("->")
                self.edges[tail, head] = texts
                self.edge_styles[tail, head] = group.find(f"{SVG}path").get("stroke-dasharray")
            elif kind == "cluster":
                outline = group.find(f"{SVG}path")  # a rounded frame is a path
                xs, ys = zip(*((float(x), float(y)) for x, y in
                               re.findall(r"(-?[\d.]+),(-?[\d.]+)", outline.get("d"))),
                             strict=True)
                self.clusters[title] = (min(xs), min(ys), max(xs), max(ys))

    def named(self, label: str) -> str:
        """The node whose first text is `label` (a value's label), which must be unique."""
        found = [name for name, texts in self.nodes.items() if texts and texts[0] == label]
        assert len(found) == 1, f"{len(found)} nodes labelled {label!r}: {self.nodes}"
        return found[0]

    def op_into(self, name: str) -> str:
        """The operation node that made the value node `name`."""
        (op,) = [tail for tail, head in self.edges if head == name]
        return op

    def value_nodes(self) -> list[str]:
        return [name for name, texts in self.nodes.items() if name != "legend" and any(
            t.startswith(("data ", "grad", "no grad")) for t in texts)]

    def inside(self, node: str, cluster: str) -> bool:
        x0, y0, x1, y1 = self.clusters[cluster]
        return all(x0 <= x <= x1 and y0 <= y <= y1 for x, y in self.points[node])


def render(diagram: Diagram) -> Picture:
    return Picture(diagram.pipe(format="svg"))


QUOTED = r'"(?:[^"\\]|\\.)*"'
STATEMENT = re.compile(rf"^\s*(?P<tail>{QUOTED}|[\w.]+)(?:\s*->\s*(?P<head>{QUOTED}|[\w.]+))?"
                       r"(?:\s*\[(?P<attributes>.*)\])?\s*$")
ATTRIBUTE = re.compile(rf"(\w+)=({QUOTED}|<.*>|[^\s\]]+)")


def unquote(token: str) -> str:
    return token[1:-1].replace('\\"', '"') if token.startswith('"') else token


def label_texts(label: str) -> list[str]:
    """The texts a DOT label shows, as `dot` would write them: the fields of a record, the
    lines of a plain label, the cells of an HTML-like table."""
    if label.startswith("<"):
        return [html.unescape(text) for text in re.findall(r">([^<>]+)<", label)]
    texts, text, characters = [], "", iter(label)
    for char in characters:
        if char == "\\":
            following = next(characters)
            if following == "n":
                texts.append(text)
                text = ""
            else:
                text += following
        elif char == "|":
            texts.append(text)
            text = ""
        elif char not in "{}":
            text += char
    return [t.strip() for t in [*texts, text] if t.strip()]


class Source(Picture):
    """A diagram read from its DOT source, without rendering: the same questions as Picture,
    with clusters known by the nodes declared inside them."""

    def __init__(self, source: str) -> None:
        self.nodes, self.fills, self.edges, self.edge_styles = {}, {}, {}, {}
        self.members: dict[str, set[str]] = {}
        self.clusters = self.members
        open_clusters: list[str] = []
        for line in source.splitlines()[2:]:  # after the comment and "digraph {"
            line = line.strip()
            if line.startswith("subgraph"):
                open_clusters.append(unquote(line.split()[1]))
                self.members[open_clusters[-1]] = set()
                continue
            if line == "}":
                if open_clusters:
                    open_clusters.pop()
                continue
            match = STATEMENT.match(line)
            assert match, f"cannot read the DOT line {line!r}"
            tail, head = unquote(match["tail"]), match["head"] and unquote(match["head"])
            if tail in ("graph", "node", "edge"):
                continue
            attributes = {key: unquote(value) for key, value in
                          ATTRIBUTE.findall(match["attributes"] or "")}
            if head is None:
                self.nodes[tail] = label_texts(attributes.get("label", tail))
                self.fills[tail] = attributes.get("fillcolor")
                for cluster in open_clusters:
                    self.members[cluster].add(tail)
            else:
                self.edges[tail, head] = label_texts(attributes.get("label", ""))
                self.edge_styles[tail, head] = attributes.get("style")

    def inside(self, node: str, cluster: str) -> bool:
        return node in self.members[cluster]


def parse(diagram: Diagram) -> Source:
    return Source(diagram.source)


def luminance(color: str) -> float:
    r, g, b = (int(color[k:k + 2], 16) for k in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b


def test_graphviz_dot_is_installed():
    assert shutil.which("dot"), (
        "Graphviz's `dot` program is needed by these tests: install it "
        "(sudo apt-get install graphviz, brew install graphviz); they never skip")


# -- what is drawn ---------------------------------------------------------------------------


def test_scalar_expression_draws_each_value_and_operation_with_the_forward_edges():
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    y = d.tanh()
    y.label = "y"
    y.backward()
    picture = render(draw_graph(y))

    slope = 1 - math.tanh(4.0) ** 2
    expected = {"a": (2.0, -3 * slope), "b": (-3.0, 2 * slope), "c": (10.0, slope),
                "e": (-6.0, slope), "d": (4.0, slope), "y": (math.tanh(4.0), 1.0)}
    for label, (data, grad) in expected.items():
        assert picture.nodes[picture.named(label)] == [label, f"data {data:.4f}",
                                                       f"grad {grad:.4f}"]
    name = {label: picture.named(label) for label in expected}
    mul, add, tanh = (picture.op_into(name[v]) for v in "edy")
    assert [picture.nodes[op] for op in (mul, add, tanh)] == [["*"], ["+"], ["tanh"]]
    assert set(picture.edges) == {
        (name["a"], mul), (name["b"], mul), (mul, name["e"]),
        (name["e"], add), (name["c"], add), (add, name["d"]),
        (name["d"], tanh), (tanh, name["y"])}
    assert len(picture.nodes) == 9


def test_the_source_reader_agrees_with_the_rendered_picture():
    x = Value(1.0, label="{w|b} <in> \\ \"q\"")
    with name_scope("Net"), name_scope("Layer0"):
        h = (chain_from(x, 8) * x + 2.0).tanh()
    out = chain_from(h, 3)
    out.backward()
    diagram = draw_graph(out, group_by="cluster", color_by_grad=True, max_nodes=8)
    source, picture = parse(diagram), render(diagram)
    assert source.nodes == picture.nodes
    assert source.edges == picture.edges
    assert {name: fill for name, fill in source.fills.items() if fill} == {
        name: fill for name, fill in picture.fills.items() if name in source.fills
        and source.fills[name]}
    assert {edge: bool(style) for edge, style in source.edge_styles.items()} == {
        edge: bool(style) for edge, style in picture.edge_styles.items()}
    assert set(source.clusters) == set(picture.clusters) == {"cluster_Net",
                                                             "cluster_Net/Layer0"}
    for cluster, members in source.members.items():
        assert members and all(picture.inside(node, cluster) for node in members)
    assert source.nodes["omitted"] == ["… 7 more values not drawn (add 4, mul 3)"]
    assert "legend" in source.nodes and len(source.value_nodes()) == 8


def chain_from(x: Value, length: int) -> Value:
    for i in range(length):
        x = x * 1.0001 if i % 2 else x + 0.5
    x.label = "out"
    return x


def test_grad_field_says_whether_a_backward_pass_reached_the_value():
    x = Value(3.0, label="x")
    data = Value(2.0, label="data", requires_grad=False)
    y = x * data
    y.label = "y"
    before = parse(draw_graph(y))
    assert before.nodes[before.named("x")] == ["x", "data 3.0000", "grad —"]
    assert before.nodes[before.named("data")] == ["data", "data 2.0000", "no grad"]
    y.backward()
    after = parse(draw_graph(y))
    assert after.nodes[after.named("x")] == ["x", "data 3.0000", "grad 2.0000"]
    assert after.nodes[after.named("data")] == ["data", "data 2.0000", "no grad"]


def test_tiny_and_huge_numbers_switch_to_scientific_notation():
    x = Value(2e-6, label="x")
    y = x * 3e7
    y.backward()
    picture = parse(draw_graph(y))
    assert picture.nodes[picture.named("x")] == ["x", "data 2.000e-06", "grad 3.000e+07"]


def test_plain_numbers_and_arrays_given_to_an_operation_are_small_plain_nodes():
    x = Value(np.ones(3), label="x")
    y = (x * 2.5 + np.arange(3.0)) @ np.ones((3, 5))
    picture = parse(draw_graph(y))
    heads = {head for _, head in picture.edges}
    constants = [name for name in picture.nodes
                 if name not in heads and name not in picture.value_nodes()]
    assert sorted(picture.nodes[name][0] for name in constants) == [
        "2.5", "[0, 1, 2]", "array (3, 5)"]
    assert all(picture.fills[name] is None for name in constants)  # text only


def test_tensor_values_show_shape_dtype_data_summary_and_gradient_norm():
    rng = np.random.default_rng(0)
    w = Value(rng.normal(size=(4, 3)).astype(np.float32), label="W")
    b = Value(np.array([0.5, -1.0, 2.0]), label="b")
    loss = ((np.ones((2, 4)) @ w + b) ** 2).mean()
    loss.label = "loss"
    loss.backward(retain_graph=True)
    picture = parse(draw_graph(loss))
    data = w.data
    assert picture.nodes[picture.named("W")] == [
        "W", "shape (4, 3) float32",
        f"data min {data.min():.4g} mean {float(data.mean()):.4g} max {data.max():.4g}",
        f"grad norm {float(np.linalg.norm(w.grad)):.4f}"]
    assert picture.nodes[picture.named("b")][:3] == ["b", "shape (3,) float64",
                                                     "data [0.5, -1, 2]"]
    # A float64 mean is a Python float, so the loss is drawn like any scalar.
    assert picture.nodes[picture.named("loss")] == [
        "loss", f"data {loss.data:.4f}", "grad 1.0000"]


def test_operation_nodes_show_symbols_and_their_settings():
    x = Value(np.arange(12.0).reshape(3, 4), label="x")
    parts = [x[0, 1:3].sum() + x[:, ::2].sum(), x.sum(axis=1, keepdims=True).sum(),
             (-x).max(), x.T.sum()]
    total = parts[0] + parts[1] - parts[2] / parts[3]
    total.label = "total"
    operations = {tuple(texts) for name, texts in parse(draw_graph(total)).nodes.items()
                  if len(texts) <= 3 and not texts[0].startswith(("data", "total"))}
    assert {("getitem", "index=[0, 1:3]"), ("getitem", "index=[:, ::2]"),
            ("sum", "axis=1", "keepdims=True"), ("sum",), ("-x",), ("max",), ("transpose",),
            ("+",), ("-",), ("/",)} <= operations


def test_a_value_used_twice_by_one_operation_gets_one_edge_marked_x2():
    a = Value(3.0, label="a")
    square = a * a
    square.label = "square"
    picture = parse(draw_graph(square))
    mul = picture.op_into(picture.named("square"))
    assert picture.edges[picture.named("a"), mul] == ["×2"]


def test_labels_with_record_special_characters_are_shown_as_written():
    x = Value(1.0, label="{w|b} <in> \\ \"q\"")
    y = x + 1.0
    y.label = "y"
    picture = parse(draw_graph(y))
    assert picture.nodes[picture.named("{w|b} <in> \\ \"q\"")][1] == "data 1.0000"



def test_entities_and_markup_in_labels_and_scope_names_are_shown_as_written():
    # Graphviz reads "&lt;" in any label as "<", backslash escapes in a frame's label (\\G is
    # the graph's name) and a label in angle brackets as HTML, which may not even parse.
    x = Value(1.0, label="a &lt; b & c")
    scopes = ["<b>", "<<b>bold<b>>", "\\G \\l", "&amp;"]
    y = x
    for scope in scopes:
        with name_scope(scope):
            y = y * 2.0
    y.label = "y"
    picture = render(draw_graph(y, group_by="cluster"))
    assert picture.nodes[picture.named("a &lt; b & c")][1] == "data 1.0000"
    titles = [texts[0] for group in picture.root.iter(f"{SVG}g")
              if group.get("class") == "cluster"
              for texts in [[t.text for t in group.iter(f"{SVG}text")]]]
    assert sorted(titles) == sorted(scopes)

def test_rankdir_sets_the_direction_of_the_forward_pass():
    x = Value(1.0, label="x")
    y = x.exp()
    y.label = "y"
    for rankdir, axis, sign in (("LR", 0, 1), ("TB", 1, 1), ("RL", 0, -1), ("BT", 1, -1)):
        picture = render(draw_graph(y, rankdir=rankdir))
        start = picture.points[picture.named("x")][0][axis]
        end = picture.points[picture.named("y")][0][axis]
        assert sign * (end - start) > 0, rankdir


def test_gradients_made_with_create_graph_are_shown_by_their_value():
    x = Value(3.0, label="x")
    y = x ** 3
    y.backward(create_graph=True)
    picture = parse(draw_graph(y))
    assert picture.nodes[picture.named("x")][2] == "grad 27.0000"


# -- gradient colours ------------------------------------------------------------------------


def test_colors_follow_log_gradient_magnitude_on_the_given_scale():
    small, medium = Value(1.0, label="small"), Value(1.0, label="medium")
    fixed = Value(1.0, label="fixed", requires_grad=False)
    out = small * 1e-4 + medium * 1e-2 + fixed
    out.label = "out"
    out.backward()
    picture = parse(draw_graph(out, color_by_grad=True, grad_range=(1e-4, 1.0)))
    assert picture.fills[picture.named("small")] == LOW_COLOR
    assert picture.fills[picture.named("medium")] == MIDDLE_COLOR
    assert picture.fills[picture.named("out")] == HIGH_COLOR
    assert picture.fills[picture.named("fixed")] == NO_GRAD_COLOR
    legend = picture.nodes["legend"]
    assert legend[0] == "|grad| (norm for tensors), log scale"
    assert legend[1:] == ["≤1e-4", "1e-3", "1e-2", "1e-1", "≥1e0", "no grad"]


def test_vanishing_gradients_in_a_deep_sigmoid_chain_darken_toward_the_input():
    x = Value(0.5, label="x0")
    for i in range(1, 9):
        x = (x * 2.0).sigmoid()
        x.label = f"x{i}"
    x.backward()
    picture = parse(draw_graph(x, color_by_grad=True))
    shades = [luminance(picture.fills[picture.named(f"x{i}")]) for i in range(9)]
    assert shades == sorted(shades) and len(set(shades)) == 9
    low = math.floor(math.log10(abs(_first_grad(x))))
    assert picture.nodes["legend"][1] == f"≤1e{low}"


def _first_grad(last: Value) -> float:
    while last.op is not None:
        last = next(v for v in last.inputs if isinstance(v, Value))
    return last.grad


def test_a_tensor_graph_released_by_backward_is_refused_with_what_to_do():
    x = Value([1.0, 2.0], label="x")
    loss = (x * x).sum()
    loss.label = "loss"
    loss.backward()
    with pytest.raises(GraphError, match=r"released the graph behind the 'sum' result "
                                         r"\('loss', shape \(\)\).*retain_graph=True"):
        draw_graph(loss)


def test_no_gradient_yet_is_grey_and_the_legend_says_to_run_backward():
    y = Value(2.0, label="x").exp()
    picture = parse(draw_graph(y, color_by_grad=True))
    assert picture.fills[picture.named("x")] == NO_GRAD_COLOR
    assert picture.nodes["legend"] == ["no gradients yet: call backward() first"]


def test_zero_gradients_take_the_lowest_colour():
    x = Value(-1.0, label="x")
    y = x.relu()
    y.label = "y"
    y.backward(gradient=0.0)
    picture = parse(draw_graph(y, color_by_grad=True))
    assert picture.fills[picture.named("x")] == picture.fills[picture.named("y")] == LOW_COLOR
    assert picture.nodes["legend"][1:] == ["≤1e0", "≥1e1", "no grad"]


def test_infinite_or_nan_gradients_are_red_and_named_in_the_legend():
    x = Value(0.0, label="x")
    y = x.sqrt()
    with np.errstate(divide="ignore"):
        y.backward()  # d sqrt(x)/dx = inf at 0
    picture = parse(draw_graph(y, color_by_grad=True))
    assert picture.fills[picture.named("x")] == NOT_FINITE_COLOR
    assert picture.nodes["legend"][-1] == "inf or NaN"


def test_tensor_nodes_are_coloured_by_their_gradient_norm():
    w = Value(np.ones((2, 2)), label="w")
    loss = (w * np.array([[1e-3, 0.0], [0.0, 0.0]])).sum()
    loss.backward(retain_graph=True)
    picture = parse(draw_graph(loss, color_by_grad=True, grad_range=(1e-3, 1.0)))
    assert picture.fills[picture.named("w")] == LOW_COLOR


# -- grouping by name_scope ------------------------------------------------------------------


def two_layer_network() -> tuple[Value, dict[str, Value]]:
    """out = (w1 * relu(w0 * x)) with each layer in its own scope, parameters made outside any
    scope, and the input used by both layers."""
    params = {name: Value(value, label=name) for name, value in
              (("w0", 2.0), ("w1", -1.5), ("x", 0.5))}
    with name_scope("Net"):
        with name_scope("Layer0"):
            hidden = (params["w0"] * params["x"]).relu()
        with name_scope("Layer1"):
            out = params["w1"] * hidden + params["x"]
    loss = (out - 1.0) ** 2
    loss.label = "loss"
    loss.backward()
    return loss, params


def test_clusters_frame_each_scope_and_leaves_join_the_scope_of_their_users():
    loss, _ = two_layer_network()
    picture = render(draw_graph(loss, group_by="cluster"))
    assert set(picture.clusters) == {"cluster_Net", "cluster_Net/Layer0", "cluster_Net/Layer1"}
    assert picture.inside(picture.named("w0"), "cluster_Net/Layer0")
    assert picture.inside(picture.named("w1"), "cluster_Net/Layer1")
    assert not picture.inside(picture.named("w0"), "cluster_Net/Layer1")
    x = picture.named("x")  # used by both layers: belongs to Net only
    assert picture.inside(x, "cluster_Net")
    assert not picture.inside(x, "cluster_Net/Layer0")
    assert not picture.inside(x, "cluster_Net/Layer1")
    assert not picture.inside(picture.named("loss"), "cluster_Net")
    texts = {t.text for g in picture.root.iter(f"{SVG}g") if g.get("class") == "cluster"
             for t in g.iter(f"{SVG}text")}
    assert texts == {"Net", "Layer0", "Layer1"}


def test_cluster_depth_limits_the_nesting():
    loss, _ = two_layer_network()
    picture = parse(draw_graph(loss, group_by="cluster", depth=1))
    assert set(picture.clusters) == {"cluster_Net"}
    assert len(picture.value_nodes()) == len(parse(draw_graph(loss)).value_nodes())


def test_collapse_draws_each_scope_as_one_box_with_its_operations_and_leaf_gradients():
    loss, params = two_layer_network()
    picture = parse(draw_graph(loss, group_by="collapse", depth=2))
    boxes = {texts[0]: name for name, texts in picture.nodes.items()
             if texts[0].startswith("Net/")}
    assert set(boxes) == {"Net/Layer0", "Net/Layer1"}
    assert picture.nodes[boxes["Net/Layer0"]] == [
        "Net/Layer0", "2 operations: relu 1, mul 1",
        f"1 leaf, grad norm {abs(params['w0'].grad):.4f}"]
    assert picture.nodes[boxes["Net/Layer1"]] == [
        "Net/Layer1", "2 operations: add 1, mul 1",
        f"1 leaf, grad norm {abs(params['w1'].grad):.4f}"]
    assert (boxes["Net/Layer0"], boxes["Net/Layer1"]) in picture.edges
    # x is used by both layers, so it stays outside both boxes, feeding each.
    x = picture.named("x")
    assert {(x, boxes["Net/Layer0"]), (x, boxes["Net/Layer1"])} <= set(picture.edges)
    # The loss and its operations are outside any scope: drawn one by one.
    assert {picture.nodes[n][0] for n in picture.value_nodes()} == {"x", "loss", "data -2.0000"}


def test_collapse_at_depth_one_merges_everything_of_the_scope():
    loss, params = two_layer_network()
    picture = parse(draw_graph(loss, group_by="collapse", depth=1, color_by_grad=True))
    (box,) = [name for name, texts in picture.nodes.items() if texts[0] == "Net"]
    norm = math.hypot(params["w0"].grad, params["w1"].grad, params["x"].grad)
    assert picture.nodes[box] == ["Net", "4 operations: mul 2, add 1, relu 1",
                                  f"3 leaves, grad norm {norm:.4f}"]
    assert picture.fills[box].startswith("#") and picture.fills[box] != NO_GRAD_COLOR


def test_grouping_without_scopes_draws_the_plain_graph():
    x = Value(1.0, label="x")
    y = (x * 2.0).exp()
    plain = parse(draw_graph(y))
    for group_by in ("cluster", "collapse"):
        grouped = parse(draw_graph(y, group_by=group_by))
        assert grouped.nodes == plain.nodes and not grouped.clusters


# -- any graph ---------------------------------------------------------------------------------


def reachable(root: Value) -> list[Value]:
    """Every Value the root was computed from, found independently of the drawing."""
    found, stack = {id(root): root}, [root]
    while stack:
        for parent in stack.pop().inputs:
            if isinstance(parent, Value) and id(parent) not in found:
                found[id(parent)] = parent
                stack.append(parent)
    return list(found.values())


OPERATIONS = {"+": lambda a, b: a + b, "*": lambda a, b: a * b, "tanh": lambda a, b: a.tanh(),
              "- 1": lambda a, b: a - 1}


@settings(max_examples=50)
@given(leaves=st.integers(1, 3),
       steps=st.lists(st.tuples(st.sampled_from(sorted(OPERATIONS)),
                                st.integers(0, 50), st.integers(0, 50)), min_size=1, max_size=10),
       max_nodes=st.integers(1, 20))
def test_any_graph_draws_each_value_once_with_an_edge_from_every_drawn_input(
        leaves, steps, max_nodes):
    values = [Value(0.5 + i, label=f"n{i}") for i in range(leaves)]
    for kind, i, j in steps:
        a, b = values[i % len(values)], values[j % len(values)]
        values.append(OPERATIONS[kind](a, b))
        values[-1].label = f"n{len(values) - 1}"
    root = values[-1]
    root.backward()
    every = reachable(root)
    diagram = draw_graph(root, max_nodes=max_nodes)
    picture = parse(diagram)

    drawn = {picture.nodes[name][0]: name for name in picture.value_nodes()}
    assert len(drawn) == min(len(every), max_nodes)
    assert root.label in drawn
    left_out = len(every) - len(drawn)
    assert ("omitted" in picture.nodes) == (left_out > 0)
    if left_out:
        assert picture.nodes["omitted"][0].startswith(f"… {left_out} more value")
    for value in every:
        if value.label not in drawn or value.op is None:
            continue
        op = picture.op_into(drawn[value.label])
        tails = {tail for tail, head in picture.edges if head == op}
        inputs = [v for v in value.inputs if isinstance(v, Value)]
        expected = {drawn[v.label] for v in inputs if v.label in drawn}
        if any(v.label not in drawn for v in inputs):
            expected.add("omitted")
        constants = tails - expected
        assert len(constants) == len(value.inputs) - len(inputs)
        assert all(picture.nodes[c] == ["1"] for c in constants)
        assert expected <= tails
        if len(inputs) == 2 and inputs[0] is inputs[1] and inputs[0].label in drawn:
            assert picture.edges[drawn[inputs[0].label], op] == ["×2"]
        data, grad = (float(text.split()[1]) for text in picture.nodes[drawn[value.label]][1:])
        assert data == pytest.approx(value.data, rel=1e-3, abs=1e-4, nan_ok=True)
        assert grad == pytest.approx(value.grad, rel=1e-3, abs=1e-4, nan_ok=True)


# -- the node limit --------------------------------------------------------------------------


def chain(length: int) -> Value:
    return chain_from(Value(0.1, label="x"), length)


def test_a_graph_over_the_limit_draws_the_nearest_values_and_summarises_the_rest():
    out = chain(1000)  # 1001 values: 500 add, 500 mul, 1 leaf
    diagram = draw_graph(out, max_nodes=40)
    picture = parse(diagram)
    assert len(picture.value_nodes()) == 40
    assert picture.named("out") in picture.value_nodes()
    summary = "… 961 more values not drawn (mul 480, add 480, leaf 1)"
    assert picture.nodes["omitted"] == [summary]
    assert diagram.comment == f"computation graph: 1001 values, 40 drawn, {summary}"
    ((tail, head),) = [edge for edge in picture.edges if edge[0] == "omitted"]
    assert picture.edge_styles[tail, head] is not None  # dashed
    assert picture.nodes[head] in (["+"], ["*"])


def test_a_collapsed_scope_counts_as_one_node():
    with name_scope("Block"):
        inner = chain(300)
    out = inner * 2.0
    out.label = "out"
    picture = parse(draw_graph(out, group_by="collapse", max_nodes=2))
    assert "omitted" not in picture.nodes
    assert picture.nodes[picture.named("Block")][1] == "300 operations: mul 150, add 150"


def test_a_thousand_node_scalar_graph_renders_completely_when_the_limit_is_raised():
    out = Value(0.1, label="x")
    for i in range(1000):
        out = out.tanh() if i % 2 else out.sigmoid()
    out.backward()
    picture = render(draw_graph(out, max_nodes=2000, color_by_grad=True))
    assert len(picture.value_nodes()) == 1001
    assert len(picture.nodes) == 1001 + 1000 + 1  # values, operations, the legend
    assert len(picture.edges) == 2000


def test_a_very_deep_graph_is_walked_without_recursion():
    out = chain(50_000)  # far beyond Python's recursion limit
    diagram = draw_graph(out, max_nodes=10)
    assert "49991 more values not drawn" in diagram.comment
    assert len(parse(diagram).value_nodes()) == 10


# -- saving, Jupyter and missing Graphviz ----------------------------------------------------


@pytest.fixture
def diagram() -> Diagram:
    x = Value(2.0, label="x")
    return draw_graph((x * x).tanh())


@pytest.mark.parametrize("suffix, magic", [("svg", b"<?xml"), ("png", b"\x89PNG"),
                                           ("pdf", b"%PDF")])
def test_export_writes_exactly_the_picture_asked_for(diagram, tmp_path, suffix, magic):
    path = diagram.export(tmp_path / "pictures" / f"graph.{suffix}")
    assert path == tmp_path / "pictures" / f"graph.{suffix}"
    assert path.read_bytes().startswith(magic)
    assert os.listdir(path.parent) == [path.name]


def test_export_takes_the_format_from_the_argument_when_the_path_has_no_suffix(diagram,
                                                                             tmp_path):
    assert diagram.export(tmp_path / "graph", format="png").name == "graph.png"
    assert diagram.export(tmp_path / "plain").name == "plain.svg"
    Picture((tmp_path / "plain.svg").read_bytes())


def test_export_refuses_unknown_formats_and_contradictions(diagram, tmp_path):
    with pytest.raises(ValueError, match=r"Diagram.export: cannot save as 'gif'.*svg, png, pdf"):
        diagram.export(tmp_path / "graph.gif")
    with pytest.raises(ValueError, match=r"ends in \.svg but format='png'"):
        diagram.export(tmp_path / "graph.svg", format="png")


def test_graphviz_render_works_as_documented_by_graphviz(diagram, tmp_path):
    written = diagram.render(tmp_path / "graph", format="svg")
    assert written == str(tmp_path / "graph.svg")
    Picture((tmp_path / "graph.svg").read_bytes())


def test_jupyter_shows_the_diagram_inline_as_svg(diagram):
    bundle = diagram._repr_mimebundle_()
    assert list(bundle) == ["image/svg+xml"]
    picture = Picture(bundle["image/svg+xml"])
    assert picture.nodes[picture.named("x")] == ["x", "data 2.0000", "grad —"]


def test_without_dot_rendering_says_how_to_install_graphviz_and_the_source_still_works(
        diagram, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert "tanh" in diagram.source
    for attempt in (lambda: diagram.export(tmp_path / "g.svg"),
                    lambda: diagram.render(tmp_path / "g", format="png"),
                    diagram._repr_mimebundle_):
        with pytest.raises(GraphvizNotFoundError) as caught:
            attempt()
        message = str(caught.value)
        assert "sudo apt-get install graphviz" in message
        assert "brew install graphviz" in message
        assert "diagram.source" in message


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize("options, message", [
    ({"rankdir": "UP"}, "rankdir must be one of LR, TB, RL, BT, got 'UP'"),
    ({"group_by": "module"}, "group_by must be None, 'cluster' or 'collapse', got 'module'"),
    ({"depth": 0}, "depth must be a positive integer or None, got 0"),
    ({"max_nodes": 0}, "max_nodes must be a positive integer, got 0"),
    ({"grad_range": (1.0, 1e-3)}, r"grad_range must be \(low, high\) with 0 < low < high"),
    ({"grad_range": (0.0, 1.0)}, r"grad_range must be \(low, high\) with 0 < low < high"),
    ({"grad_range": (1e-3, 1.0), "color_by_grad": False}, "grad_range sets the colour scale; "
     "pass color_by_grad=True with it"),
    ({"depth": 2, "group_by": None}, "depth applies to grouping"),
])
def test_bad_options_are_refused_with_what_would_be_valid(options, message):
    with pytest.raises(ValueError, match=f"draw_graph: {message}"):
        draw_graph(Value(1.0), **options)


def test_the_root_must_be_a_value():
    with pytest.raises(TypeError, match="draw_graph: root must be a Value, got float"):
        draw_graph(1.0)


def test_a_constant_result_is_drawn_alone():
    with no_grad():
        y = Value(2.0, label="x") * 3.0
    y.label = "y"
    picture = parse(draw_graph(y))
    assert picture.nodes == {picture.named("y"): ["y", "data 6.0000", "no grad"]}


# -- the command line ------------------------------------------------------------------------


def run_cli(*args: str, cwd, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograd.draw", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=120)


def test_cli_renders_a_built_in_example(tmp_path):
    result = run_cli("--example", "expression", "-o", "expr.svg", "--color-by-grad",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "wrote expr.svg (computation graph: 7 values, all drawn)" in result.stdout
    picture = Picture((tmp_path / "expr.svg").read_bytes())
    assert picture.nodes[picture.named("L")] == ["L", "data -8.0000", "grad 1.0000"]
    assert picture.nodes[picture.named("a")] == ["a", "data 2.0000", "grad 6.0000"]
    assert "legend" in picture.nodes


def test_cli_collapses_the_built_in_mlp_by_layer(tmp_path):
    result = run_cli("--example", "mlp", "--group-by", "collapse", "--depth", "2",
                     "--format", "png", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "mlp.png").read_bytes().startswith(b"\x89PNG")


def test_cli_draws_a_function_from_a_script_and_runs_backward_for_it(tmp_path):
    (tmp_path / "helper.py").write_text("SCALE = 3.0\n")
    (tmp_path / "model.py").write_text(textwrap.dedent("""
        from autograd import Value
        from helper import SCALE

        def loss():
            w = Value(0.2, label="w")
            out = (w * SCALE).tanh()
            out.label = "out"
            return out

        def not_a_value():
            return 1.0
    """))
    result = run_cli("--script", "model.py", "--function", "loss", "-o", "out/loss.svg",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    picture = Picture((tmp_path / "out" / "loss.svg").read_bytes())
    grad = 3 * (1 - math.tanh(0.6) ** 2)
    assert picture.nodes[picture.named("w")] == ["w", "data 0.2000", f"grad {grad:.4f}"]

    missing = run_cli("--script", "model.py", "--function", "nope", cwd=tmp_path)
    assert missing.returncode == 1
    assert "has no function 'nope'; its functions: loss, not_a_value" in missing.stderr
    wrong = run_cli("--script", "model.py", "--function", "not_a_value", cwd=tmp_path)
    assert wrong.returncode == 1
    assert "not_a_value() returned float; it must return a Value" in wrong.stderr


def test_cli_prints_the_dot_source_without_rendering(tmp_path):
    result = run_cli("--example", "neuron", "--source", "--max-nodes", "3", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("// computation graph: 10 values, 3 drawn, … 7 more")
    assert "digraph {" in result.stdout and os.listdir(tmp_path) == []


def test_cli_without_dot_says_how_to_install_graphviz(tmp_path):
    result = run_cli(cwd=tmp_path, env=dict(os.environ, PATH=str(tmp_path)))
    assert result.returncode == 1
    assert "sudo apt-get install graphviz" in result.stderr
    assert "--source prints it here" in result.stderr
    assert os.listdir(tmp_path) == []


def test_cli_reports_usage_errors(tmp_path):
    result = run_cli("--script", "model.py", cwd=tmp_path)
    assert result.returncode == 2
    assert "--script needs --function NAME" in result.stderr
    result = run_cli("--script", "absent.py", "--function", "loss", cwd=tmp_path)
    assert result.returncode == 1
    assert "no script at 'absent.py'" in result.stderr
    result = run_cli("--max-nodes", "0", cwd=tmp_path)
    assert result.returncode == 2
    assert "max_nodes must be a positive integer, got 0" in result.stderr


def test_autograd_imports_nothing_from_nn():
    # A fresh interpreter: every module of autograd imported, the command line's MLP drawn.
    code = textwrap.dedent("""
        import importlib, pkgutil, sys
        import autograd
        for info in pkgutil.walk_packages(autograd.__path__, "autograd."):
            importlib.import_module(info.name)
        from autograd.draw.cli import main
        main(["--example", "mlp", "--source", "--group-by", "cluster"])
        print("nn imported" if "nn" in sys.modules else "nn not imported", file=sys.stderr)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "nn not imported"
    assert "cluster_MLP/Layer0/Neuron0" in result.stdout


def test_the_command_lines_mlp_is_nn_s_mlp_written_out():
    import nn
    from autograd.draw.examples import mlp
    from autograd.draw.walk import walk

    model = nn.MLP(3, [4, 4, 1], seed=0)
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    loss = sum((model(x) - y) ** 2 for x, y in zip(xs, [1.0, -1.0, -1.0, 1.0], strict=True))
    ours, theirs = walk(mlp()).order, walk(loss).order
    assert ours[0].data == loss.data
    assert [(v.op, v.scope, v.data) for v in ours] == [(v.op, v.scope, v.data) for v in theirs]
