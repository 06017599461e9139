"""Time whole `layerplan` processes and print each figure beside its target.

Run by hand, not in CI, from a clone with layerplan's dependencies installed:

    python tools/benchmark.py [--runs 5] [--reference-python PATH]

Every figure is the median wall time of several fresh processes (after one warm-up
run that is not counted) and the largest peak resident memory among them, read from
`os.wait4` for that process alone. Specs that are generated (the 10,000- and
100,000-layer stacks, a folder of 1,000 specs) go to a temporary folder. Where Keras
or torchinfo import in the reference interpreter, the same architectures are
summarised by them in the same run and the ratios printed. Standard library only.
"""

import argparse
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LAYERPLAN = "from cli.app import entry_point; entry_point()"
FLOOR = "import typer, yaml"
MIB = 1024 * 1024

# A layer group of a generated stack: four layers of the commonest kinds.
STACK_GROUP = (
    "  - Dense: {units: 32, activation: relu}\n"
    "  - BatchNormalization\n"
    "  - Dropout: 0.1\n"
    "  - Activation: relu\n"
)

TENSOR_SPEC = """\
name: tensor_sizes
input: [32, 32, 3]
layers:
  - Conv2D: {filters: 16, kernel_size: 3, padding: same, activation: relu}
  - MaxPooling2D: 2
  - Conv2D: {filters: 32, kernel_size: 3, strides: 2}
  - GlobalAveragePooling2D
  - Dense: 10
"""

KERAS_MODELS = {
    "three_dense": (
        "keras.Sequential([keras.Input((4,)),"
        " keras.layers.Dense(2, activation='relu'),"
        " keras.layers.Dense(3, activation='relu'), keras.layers.Dense(4)]).summary()"
    ),
    "resnet50": "keras.applications.ResNet50(weights=None).summary()",
    "vgg16": "keras.applications.VGG16(weights=None).summary()",
}

# torch equivalents of the same architectures, for when torchvision is not installed.
TORCH_MODELS = """
import torch.nn as nn

def three_dense():
    return nn.Sequential(nn.Linear(4, 2), nn.ReLU(), nn.Linear(2, 3), nn.ReLU(),
                         nn.Linear(3, 4)), (1, 4)

def vgg16():
    layers, width = [], 3
    for item in [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M",
                 512, 512, 512, "M"]:
        if item == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers += [nn.Conv2d(width, item, 3, padding=1), nn.ReLU()]
            width = item
    layers += [nn.Flatten(), nn.Linear(25088, 4096), nn.ReLU(), nn.Linear(4096, 4096),
               nn.ReLU(), nn.Linear(4096, 1000)]
    return nn.Sequential(*layers), (1, 3, 224, 224)

class Bottleneck(nn.Module):
    def __init__(self, channels, width, stride):
        super().__init__()
        out = width * 4
        self.conv1 = nn.Conv2d(channels, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, out, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(out)
        self.relu = nn.ReLU()
        self.downsample = None
        if stride != 1 or channels != out:
            self.downsample = nn.Sequential(
                nn.Conv2d(channels, out, 1, stride, bias=False), nn.BatchNorm2d(out))

    def forward(self, x):
        shortcut = x if self.downsample is None else self.downsample(x)
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.relu(self.bn2(self.conv2(x)))
        return self.relu(self.bn3(self.conv3(x)) + shortcut)

def resnet50():
    layers, channels = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64),
                        nn.ReLU(), nn.MaxPool2d(3, 2, 1)], 64
    for width, blocks, stride in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]:
        for index in range(blocks):
            layers.append(Bottleneck(channels, width, stride if index == 0 else 1))
            channels = width * 4
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2048, 1000)]
    return nn.Sequential(*layers), (1, 3, 224, 224)
"""

TORCHVISION_MODELS = """
import torchvision.models

def resnet50():
    return torchvision.models.resnet50(weights=None), (1, 3, 224, 224)
def vgg16():
    return torchvision.models.vgg16(weights=None), (1, 3, 224, 224)
"""

TORCHINFO_RUN = """
from torchinfo import summary
model, size = {name}()
summary(model, input_size=size, verbose=1)
"""


@dataclass
class Measure:
    """The median wall time and the largest peak memory of several runs of a command."""

    seconds: float
    cpu_seconds: float
    peak_mib: float
    exit_code: int
    error: str = ""


@dataclass
class Row:
    """One printed line: a figure, what was measured, its target and the verdict."""

    figure: str
    measured: str
    target: str = ""
    met: bool | None = None


def run_once(argv, env):
    """Run a command once: its wall and CPU time, peak memory (MiB), exit code, stderr."""
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(
            argv,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)

        stderr.seek(0)
        message = stderr.read().decode(errors="replace")

    scale = 1 if sys.platform == "darwin" else 1024
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss * scale / MIB, process.returncode, message


def measure(argv, runs, env):
    """Run a command once to warm caches, then `runs` times; the median and the peak."""
    run_once(argv, env)

    times, cpu_times, peaks = [], [], []
    for _ in range(runs):
        seconds, cpu, peak, code, message = run_once(argv, env)
        times.append(seconds)
        cpu_times.append(cpu)
        peaks.append(peak)

    error = message.strip().splitlines()[-1] if code != 0 and message.strip() else ""
    median = statistics.median
    return Measure(median(times), median(cpu_times), max(peaks), code, error)


def write_stack(folder, layers):
    """A Sequential spec of `layers` layers, four kinds in turn, on a 64-wide input."""
    path = folder / f"stack_{layers}.yaml"
    groups, rest = divmod(layers, 4)
    body = STACK_GROUP * groups + "".join(STACK_GROUP.splitlines(True)[:rest])
    path.write_text(f"name: stack_{layers}\ninput: [64]\nlayers:\n{body}")
    return path


def write_lint_folder(folder, count):
    """A folder of `count` specs: the shipped examples and small stacks, in turn.

    Examples that nest another spec file are left out, since the copies stand alone.
    """
    lint = folder / "lint"
    lint.mkdir()

    sources = sorted((REPO / "examples").glob("*.yaml"))
    texts = [path.read_text() for path in sources]
    texts = [text for text in texts if "Model:" not in text]
    texts.append(write_stack(folder, 40).read_text())
    for index in range(count):
        (lint / f"spec_{index:04d}.yaml").write_text(texts[index % len(texts)])
    return lint


def application_spec():
    """The ResNet50 spec when it exists, else VGG16 standing in: (path, name, note)."""
    resnet = REPO / "examples" / "applications" / "resnet50.yaml"
    if resnet.exists():
        return resnet, "resnet50", ""
    note = "examples/applications/resnet50.yaml not found: VGG16 stands in for ResNet50"
    return REPO / "examples" / "vgg16.yaml", "vgg16", note


def fmt_time(seconds):
    return f"{seconds * 1000:,.0f} ms"


def fmt_mib(mib):
    return f"{mib:.1f} MiB"


def fmt_ratio(ratio):
    return f"{ratio:.2f}x"


def cpu_row(label, result):
    """CPU time (user and system): steadier than wall time on a busy machine."""
    return Row(f"{label}: cpu time", fmt_time(result.cpu_seconds))


def layerplan_rows(label, result, memory_limit=None, time_limit=None):
    """A layerplan figure's time, CPU time and peak memory, with its targets if any."""
    if result.exit_code != 0:
        detail = f" ({result.error})" if result.error else ""
        return [Row(label, f"failed with exit code {result.exit_code}{detail}")]

    wall = Row(f"{label}: time", fmt_time(result.seconds))
    if time_limit is not None:
        wall.target = f"< {time_limit} s"
        wall.met = result.seconds < time_limit

    memory = Row(f"{label}: peak memory", fmt_mib(result.peak_mib))
    if memory_limit is not None:
        memory.target = f"< {memory_limit} MiB"
        memory.met = result.peak_mib < memory_limit
    return [wall, cpu_row(label, result), memory]


def probe(python, code, env):
    """Whether `python -c code` succeeds, and its first line of output."""
    try:
        done = subprocess.run(
            [python, "-c", code], env=env, capture_output=True, text=True, timeout=300
        )
    except OSError:
        return False, ""
    lines = done.stdout.strip().splitlines()
    return done.returncode == 0, lines[0] if lines else ""


def reference_env():
    """The environment for Keras: its torch backend unless another one is chosen."""
    return {**os.environ, "KERAS_BACKEND": os.environ.get("KERAS_BACKEND", "torch")}


def ratio_rows(figure, slow, fast, target="", test=None):
    """How many times longer `slow` takes than `fast`: by wall time, judged against the
    target, and by CPU time, shown beside it (steadier when other work shares the
    machine)."""
    wall = slow.seconds / fast.seconds
    cpu = slow.cpu_seconds / fast.cpu_seconds
    judged = Row(figure, fmt_ratio(wall), target, test(wall) if test else None)
    aside = f"({target})" if target else ""
    return [judged, Row(f"{figure}, by cpu time", fmt_ratio(cpu), aside)]


def reference_rows(tool, name, result, layerplan, minimum):
    """A reference tool's figures for one architecture and how much slower it is."""
    if result.exit_code != 0:
        return [Row(f"{tool} {name}", f"failed: {result.error}")]

    label = f"{tool} {name} summary"
    rows = [
        Row(f"{label}: time", fmt_time(result.seconds)),
        cpu_row(label, result),
        Row(f"{label}: peak memory", fmt_mib(result.peak_mib)),
    ]
    figure = f"layerplan faster than {tool} ({name})"
    if name == "three_dense":
        return rows + ratio_rows(figure, result, layerplan[name])
    target = f"> {minimum}x"
    return rows + ratio_rows(
        figure, result, layerplan[name], target, lambda ratio: ratio > minimum
    )


def keras_rows(python, runs, architectures, layerplan):
    """Keras's summary of each architecture, and how many times slower than layerplan."""
    env = reference_env()
    found, version = probe(python, "import keras; print(keras.__version__)", env)
    if not found:
        return [Row("Keras", f"not available in {python}: layerplan's figures alone")]

    rows = [Row("Keras", f"{version}, backend {env['KERAS_BACKEND']}")]
    for name in architectures:
        code = f"import keras; {KERAS_MODELS[name]}"
        result = measure([python, "-c", code], runs, env)
        rows += reference_rows("Keras", name, result, layerplan, 40)
    return rows


def torchinfo_rows(python, runs, architectures, layerplan):
    """torchinfo's summary of each architecture, and the ratio to layerplan's time."""
    env = dict(os.environ)
    found, version = probe(python, "import torchinfo; print(torchinfo.__version__)", env)
    if not found:
        return [Row("torchinfo", f"not available in {python}: layerplan's figures alone")]

    vision, _ = probe(python, "import torchvision.models", env)
    source = TORCHVISION_MODELS if vision else ""
    origin = "torchvision's models" if vision else "hand-built torch models"
    rows = [Row("torchinfo", f"{version}, {origin}")]

    for name in architectures:
        code = TORCH_MODELS + source + TORCHINFO_RUN.format(name=name)
        result = measure([python, "-c", code], runs, env)
        rows += reference_rows("torchinfo", name, result, layerplan, 15)
    return rows


def stack_rows(command, runs, env, folder, start_up):
    """The 10,000- and 100,000-layer stacks: times, memory, and growth per layer.

    Growth compares the time per layer of the two stacks once `start_up` (the small
    stack's run) is taken off both: 1.0 is linear.
    """
    results = {}
    rows = []
    for layers, limit in ((10_000, 1), (100_000, 10)):
        path = write_stack(folder, layers)
        result = measure([*command, "summary", str(path)], runs, env)
        results[layers] = result

        label = f"{layers:,}-layer stack summary"
        rows += layerplan_rows(label, result, time_limit=limit)

    if all(result.exit_code == 0 for result in results.values()):
        per_layer = {
            layers: Measure(
                (result.seconds - start_up.seconds) / layers,
                (result.cpu_seconds - start_up.cpu_seconds) / layers,
                result.peak_mib,
                0,
            )
            for layers, result in results.items()
        }
        rows += ratio_rows(
            "time per layer, 100,000 vs 10,000 (start-up taken off)",
            per_layer[100_000],
            per_layer[10_000],
            "<= 1.25x (linear)",
            lambda growth: growth <= 1.25,
        )
    return rows


def lint_rows(command, runs, env, folder):
    """Linting a folder of 1,000 specs in one process, or 'not available'."""
    available = (
        subprocess.run(
            [*command, "lint", "--help"], env=env, capture_output=True
        ).returncode
        == 0
    )
    if not available:
        return [Row("lint of 1,000 specs in one process", "not available")]

    lint = write_lint_folder(folder, 1000)
    result = measure([*command, "lint", str(lint)], runs, env)
    return layerplan_rows("lint of 1,000 specs in one process", result)


def tensor_rows(command, runs, env, folder):
    """One spec on a 32x32x3 and on a 100000x100000x3 input: memory must not differ."""
    path = folder / "tensor_sizes.yaml"
    path.write_text(TENSOR_SPEC)

    small = measure([*command, "summary", str(path)], runs, env)
    large_argv = [*command, "summary", str(path), "--input-shape", "100000,100000,3"]
    large = measure(large_argv, runs, env)
    rows = layerplan_rows("32x32x3 input", small, 40)
    rows += layerplan_rows("100000x100000x3 input", large, 40)

    if small.exit_code == 0 and large.exit_code == 0:
        difference = round(large.peak_mib - small.peak_mib, 1) + 0.0  # no -0.0
        rows.append(
            Row(
                "peak memory, 100000x100000x3 minus 32x32x3",
                fmt_mib(difference),
                "< 1.0 MiB",
                abs(difference) < 1.0,
            )
        )
    return rows


def print_rows(rows):
    """The table: fixed columns, so that two runs can be compared with diff."""
    width = max(len(row.figure) for row in rows)
    for row in rows:
        verdict = {None: "", True: "met", False: "NOT MET"}[row.met]
        line = f"{row.figure:<{width}}  {row.measured:>14}  {row.target:<18} {verdict}"
        print(line.rstrip())


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--runs", type=int, default=5, help="timed runs of each layerplan command"
    )
    parser.add_argument(
        "--reference-runs", type=int, default=3, help="timed runs of Keras and torchinfo"
    )
    parser.add_argument(
        "--reference-python",
        default=sys.executable,
        metavar="PATH",
        help="the interpreter that runs Keras and torchinfo (default: this one)",
    )
    parser.add_argument(
        "--layerplan",
        metavar="COMMAND",
        help="how to start layerplan, such as 'layerplan' (default: this clone's code "
        "under this interpreter)",
    )
    return parser.parse_args()


def main():
    args = parse_args()
    # The warm-up run writes bytecode caches, as installing a package does.
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = (
        shlex.split(args.layerplan)
        if args.layerplan
        else [sys.executable, "-c", LAYERPLAN]
    )
    app_path, app_name, app_note = application_spec()
    command_text = args.layerplan or f"{sys.executable} -c '{LAYERPLAN}'"

    print(
        f"layerplan benchmark, {date.today().isoformat()}: median of {args.runs} runs "
        "(after one warm-up), peak memory of the largest run"
    )
    print(
        f"machine: {platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print(f"layerplan: {command_text}")
    if app_note:
        print(f"note: {app_note}")
    load = os.getloadavg()[0]
    if load > 0.5 * (os.cpu_count() or 1):
        print(
            f"note: the machine is busy (load {load:.1f}): wall times run long; "
            "compare cpu times"
        )
    print()

    rows = []
    floor = measure([sys.executable, "-c", FLOOR], args.runs, env)
    rows += layerplan_rows(f'import floor: python -c "{FLOOR}"', floor)

    with tempfile.TemporaryDirectory(prefix="layerplan-bench-") as temporary:
        folder = Path(temporary)
        three = measure(
            [*command, "summary", str(REPO / "examples/three_dense.yaml")], args.runs, env
        )
        rows += layerplan_rows("three_dense.yaml summary", three, 40)

        app = measure([*command, "summary", str(app_path)], args.runs, env)
        label = f"{app_path.relative_to(REPO)} summary"
        rows += layerplan_rows(label, app, 40)
        if app.exit_code == 0 and floor.exit_code == 0:
            rows += ratio_rows(
                f"{label} / import floor",
                app,
                floor,
                "<= 1.2x",
                lambda ratio: ratio <= 1.2,
            )
            # The same summary as JSON needs no tabulate: what the table costs.
            as_json = measure(
                [*command, "summary", str(app_path), "-f", "json"], args.runs, env
            )
            rows += layerplan_rows(f"{label} --format json", as_json, 40)
            rows += ratio_rows(f"{label} --format json / import floor", as_json, floor)

        rows += stack_rows(command, args.runs, env, folder, three)
        rows += lint_rows(command, args.runs, env, folder)
        rows += tensor_rows(command, args.runs, env, folder)

    layerplan = {"three_dense": three, app_name: app}
    python = args.reference_python
    rows += keras_rows(python, args.reference_runs, list(layerplan), layerplan)
    rows += torchinfo_rows(python, args.reference_runs, list(layerplan), layerplan)

    print_rows(rows)
    unmet = sum(row.met is False for row in rows)
    print(f"\n{unmet} target(s) not met" if unmet else "\nall targets met")


if __name__ == "__main__":
    main()
