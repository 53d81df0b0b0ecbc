"""The backpropagation player in a real browser: Debian's Chromium, headless, driven by
Playwright (never Playwright's own browser download). `bash run.sh test` installs Chromium when
run as root; elsewhere these tests fail and say how to install it: they never skip.

One saved page, opened once from disk, serves every test here (a module-scoped fixture); the
last test checks that nothing asked the network for anything and that no error was logged.
Screenshots are kept in pytest's temporary folder (printed with -s).
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from autograd import Value, name_scope, play_backprop
from autograd.draw.walk import walk

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def chromium() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or \
        shutil.which("chromium-browser")
    assert path, ("The player's tests drive Debian's chromium, which is not installed: run "
                  "`sudo apt-get install chromium` (bash run.sh test does it when run as root), "
                  "or set CHROMIUM to a Chromium program. These tests never skip.")
    return path


def network() -> tuple[Value, dict[str, Value]]:
    """A small network: two layers in name scopes, the weight w used by both (so its gradient
    adds up from two parts), a constant input x that needs no gradient."""
    w, b = Value(0.5, label="w"), Value(-0.2, label="b")
    x = Value(2.0, label="x", requires_grad=False)
    with name_scope("Net"):
        with name_scope("Layer0"):
            h = (w * x + b).tanh()
            h.label = "h"
        with name_scope("Layer1"):
            out = h * w + 0.1
            out = out * 1.5
    loss = (out - 1.0) ** 2
    loss.label = "loss"
    return loss, {"w": w, "b": b, "x": x, "h": h}


class Browser:
    """One page of the player, open in Chromium, with what it asked for and logged."""

    def __init__(self, playwright, folder: Path) -> None:
        self.context = playwright.chromium.launch_persistent_context(
            str(folder / "profile"), executable_path=chromium(), headless=True,
            args=CHROMIUM_FLAGS, viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: message.type in ("error", "warning")
                     and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.folder = folder
        self.opened: list[str] = []

    def open(self, path: Path) -> None:
        self.opened.append(path.as_uri())
        self.page.goto(path.as_uri())

    def step_text(self) -> str:
        return self.page.inner_text(".step-text")

    def grad_texts(self) -> dict[str, str]:
        """What each value's record shows of its gradient, by node name."""
        return self.page.eval_on_selector_all(
            "g.node", "groups => Object.fromEntries(groups.filter(g => g.querySelector("
            "'text.grad')).map(g => [g.dataset.name, g.querySelector('text.grad')"
            ".textContent]))")

    def screenshot(self, name: str) -> Path:
        path = self.folder / name
        self.page.screenshot(path=path, full_page=True)
        return path


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    """The network's player, saved and opened; the engine's gradients after it was made."""
    from playwright.sync_api import sync_playwright

    loss, values = network()
    player = play_backprop(loss, fold_above=3)
    folder = tmp_path_factory.mktemp("player")
    page = player.save(folder / "network.html")
    loss.backward()  # after the player was made: the gradients it must show
    with sync_playwright() as playwright:
        browser = Browser(playwright, Path(tempfile.mkdtemp(dir=folder)))
        browser.open(page)
        yield browser, player, loss, page
        browser.context.close()


def expected_grads(loss: Value) -> dict[str, str]:
    """The engine's .grad of each value, as a record prints it."""
    expected = {}
    for i, value in enumerate(walk(loss).order):
        expected[f"v{i}"] = f"grad {value.grad:.4f}" if value.requires_grad else "no grad"
    return expected


def plain(step: str) -> str:
    return step.replace("`", "")  # the page shows `*` as code, without the backticks


def test_the_keyboard_steps_through_every_step_to_the_engines_gradients(played):
    browser, player, loss, _ = played
    page = browser.page
    page.keyboard.press("Home")
    assert browser.step_text() == plain(player.steps[0])
    assert set(browser.grad_texts().values()) == {"grad —", "no grad"}
    for k in range(1, len(player)):
        page.keyboard.press("ArrowRight")
        assert browser.step_text() == plain(player.steps[k])
    page.keyboard.press("ArrowRight")  # past the end: stays at the last step
    assert browser.step_text().startswith(f"step {len(player)} of {len(player)}:")
    assert browser.grad_texts() == expected_grads(loss)
    browser.screenshot("keyboard-end.png")
    page.keyboard.press("ArrowLeft")
    assert browser.step_text() == plain(player.steps[-2])
    page.keyboard.press("End")
    assert browser.step_text() == plain(player.steps[-1])


def test_the_buttons_and_the_slider_step_through_it_too(played):
    browser, player, loss, _ = played
    page = browser.page
    page.click("button[data-action=first]")
    assert browser.step_text() == plain(player.steps[0])
    w = f"v{walk(loss).index[id(loss)]}"  # the output, whose gradient the seed step sets
    for k in range(1, len(player)):
        page.click("button[data-action=next]")
        shown = browser.grad_texts()
        if player.scenes[k].text.startswith(f"step {k + 1} of {len(player)}: the backward"):
            assert shown[w] == "grad 1.0000"
    assert browser.grad_texts() == expected_grads(loss)
    page.click("button[data-action=previous]")
    assert browser.step_text() == plain(player.steps[-2])
    page.fill("input[type=range]", "3")
    assert browser.step_text() == plain(player.steps[2])
    browser.screenshot("slider-step-3.png")


def test_a_reused_weight_visibly_adds_up(played):
    browser, player, loss, _ = played
    w = next(v for v in walk(loss).order if v.label == "w")
    node = f"v{walk(loss).index[id(w)]}"
    first = next(k for k, s in enumerate(player.scenes) if node in s.grads)
    browser.page.fill("input[type=range]", str(first + 1))
    field = browser.page.locator(f'g[data-name="{node}"] text.grad')
    assert "partial" in field.get_attribute("class").split()  # one part so far: not done
    assert "the 1st of its 2 parts" in browser.step_text()
    browser.page.click("button[data-action=last]")
    assert field.text_content() == f"grad {w.grad:.4f}"
    assert "done" in field.get_attribute("class").split()


def test_play_runs_to_the_end_and_stops(played):
    browser, player, _, _ = played
    page = browser.page
    page.fill("input[type=range]", str(len(player) - 4))
    page.select_option("select", "150")
    page.click("button[data-action=play]")
    assert page.inner_text("button[data-action=play]") == "⏸ pause"
    last = plain(player.steps[-1])
    page.wait_for_function("text => document.querySelector('.step-text').innerText === text",
                           arg=last, timeout=15_000)
    page.wait_for_function(
        "() => document.querySelector('[data-action=play]').innerText === '▶ play'")
    page.select_option("select", "2000")  # slow: no step passes while the next lines run
    page.focus(".backprop-player")
    page.keyboard.press(" ")  # space at the end plays again from the start
    assert browser.step_text() == plain(player.steps[0])
    page.keyboard.press(" ")  # and pauses
    assert page.inner_text("button[data-action=play]") == "▶ play"


def test_folding_a_frame_hides_its_nodes(played):
    browser, player, _, _ = played
    page = browser.page
    # fold_above=3: Layer0 (w*x, + b, tanh, x and b: 5 values) starts folded, Layer1 (3) not
    folded, opened = "cluster_Net/Layer0", "cluster_Net/Layer1"
    assert player.folds[folded].folded and not player.folds[opened].folded
    inside = [f'g[data-name="{name}"]' for name in player.folds[folded].members]
    assert inside and not any(page.is_visible(node) for node in inside)
    caption = page.locator(f'g[data-name="{folded}"] text.fold-caption')
    assert caption.is_visible() and caption.text_content() == (
        "▸ Layer0: 5 values folded, click to unfold")
    title = f'g[data-name="{folded}"] > text >> nth=0'  # the frame's title, "Layer0"
    page.click(title)
    assert all(page.is_visible(node) for node in inside)
    assert not caption.is_visible()
    browser.screenshot("unfolded.png")
    page.click(title)
    assert not any(page.is_visible(node) for node in inside)
    page.focus(f'g[data-name="{opened}"]')  # the keyboard folds too
    page.keyboard.press("Enter")
    members = [f'g[data-name="{name}"]' for name in player.folds[opened].members]
    assert not any(page.is_visible(node) for node in members)
    page.keyboard.press("Enter")
    assert all(page.is_visible(node) for node in members)


def test_two_players_in_one_notebook_page_keep_to_themselves(played, tmp_path):
    browser, _, _, _ = played
    first = play_backprop(network()[0])
    second = play_backprop(Value(3.0, label="a").exp())
    page_path = tmp_path / "notebook.html"
    page_path.write_text(f"<!DOCTYPE html><meta charset='utf-8'><body>{first._repr_html_()}"
                         f"{second._repr_html_()}</body>", encoding="utf-8")
    browser.open(page_path)
    players = browser.page.locator(".backprop-player")
    assert players.count() == 2
    players.nth(1).locator("button[data-action=next]").click()
    assert players.nth(1).locator(".step-text").inner_text() == plain(second.steps[1])
    assert players.nth(0).locator(".step-text").inner_text() == plain(first.steps[0])
    players.nth(0).focus()
    browser.page.keyboard.press("ArrowRight")  # keys go to the player that has the focus
    assert players.nth(0).locator(".step-text").inner_text() == plain(first.steps[1])
    assert players.nth(1).locator(".step-text").inner_text() == plain(second.steps[1])


def test_labels_that_look_like_html_are_shown_as_text(played, tmp_path):
    """A label with "<!--" and "<script" would, if written into the page's JSON as it is, keep
    the HTML parser from ending the data's <script> element where it ends, and the player
    would never start; labels and scopes with markup are text, in the sentence and the SVG."""
    browser, _, _, _ = played
    a = Value(2.0, label="<!--<script>")
    b = Value(3.0, label="</script><b>\"'")
    with name_scope("<i>scope"):
        y = a * b
    y.label = "<!-- y -->"
    player = play_backprop(y, fold_above=None)
    browser.open(player.save(tmp_path / "markup.html"))
    assert browser.step_text() == plain(player.steps[0])
    browser.page.keyboard.press("End")
    assert browser.step_text() == plain(player.steps[-1])
    texts = browser.page.eval_on_selector_all("svg text", "ts => ts.map(t => t.textContent)")
    assert "<!--<script>" in texts and "</script><b>\"'" in texts
    assert browser.page.locator("b, i").count() == 0  # no markup was made
    assert browser.errors == []


def test_the_page_asked_for_nothing_and_logged_no_error(played):
    browser, _, _, _ = played
    assert browser.requests == browser.opened  # each page itself, and nothing else
    assert all(url.startswith("file://") for url in browser.requests)
    assert browser.errors == []
    assert browser.screenshot("last.png").stat().st_size > 10_000
