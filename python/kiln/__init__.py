"""Kiln from Python: compile a model to a .vgf and run it on a Vulkan device or the CPU.

    import kiln, numpy as np
    path = kiln.compile("demo-linear", scheme="qp8_f32_qc8w", output="m.vgf")
    session = kiln.Session(path)                 # backend="vulkan" | "cpu" | "auto"
    (y,) = session.run(np.ones((1, 256), np.float32))
    session.profile()   # per-segment GPU timings of that run

compile() runs the kiln-compile tool (the compiler is an MLIR program; the runtime
module links no MLIR). Session wraps kiln::rt::Session (docs/runtime.md) or the CPU
executor (docs/cpu-backend.md).
"""

import os
import shutil
import subprocess
import tempfile

import numpy as np

from . import _kiln

__all__ = ["compile", "Session", "KilnError"]


class KilnError(RuntimeError):
    """A compile or runtime failure; the message is Kiln's whole diagnostic."""


# .npy dtype names of kiln::rt::dtypeName. int4 is stored unpacked as int8.
_DTYPES = {
    "bool": np.bool_, "i4": np.int8, "i8": np.int8, "u8": np.uint8, "i16": np.int16,
    "i32": np.int32, "i64": np.int64, "f16": np.float16, "f32": np.float32, "f64": np.float64,
}

SCHEMES = ("pf32", "pf16", "pqs8_qc8w", "qp8_f32_qc8w", "qp8_f32_qb4w")


def _kiln_compile():
    """The kiln-compile executable: $KILN_COMPILE, else the one on PATH."""
    tool = os.environ.get("KILN_COMPILE") or shutil.which("kiln-compile")
    if not tool:
        raise KilnError("kiln-compile not found: put it on PATH or set KILN_COMPILE")
    return tool


def compile(model, scheme, output=None, calibration=None, extra_args=()):
    """Compiles `model` (a built-in model name such as "demo-linear", or a path to a
    .mlir model) in `scheme` to a .vgf and returns its path. Without `output` the
    container goes to a temporary directory. `calibration` is the .npy of calibration
    activations that the static scheme (pqs8_qc8w) needs."""
    if scheme not in SCHEMES:
        raise KilnError(f"unknown scheme '{scheme}', expected one of {', '.join(SCHEMES)}")
    if output is None:
        output = os.path.join(tempfile.mkdtemp(prefix="kiln-"), f"model.{scheme}.vgf")
    command = [_kiln_compile(), f"--scheme={scheme}", "-o", str(output)]
    if os.path.exists(str(model)):
        command.insert(1, str(model))
    else:
        command.insert(1, f"--model={model}")
    if calibration is not None:
        command.append(f"--calibration-data={calibration}")
    command += list(extra_args)
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise KilnError(done.stderr.strip() or f"{' '.join(command)} failed ({done.returncode})")
    return str(output)


class Session:
    """A compiled .vgf opened on a backend: "vulkan" (a device chosen by `device`, a
    name substring or index), "cpu" (the CPU executor), or "auto" (Vulkan, else the
    CPU when no usable Vulkan device exists). Not thread-safe: one thread at a time per
    session."""

    def __init__(self, path, backend="vulkan", device="", validation=False):
        try:
            self._session = _kiln.Session(str(path), backend, device, validation)
        except RuntimeError as e:
            raise KilnError(str(e)) from None
        self.inputs = self._session.inputs
        self.outputs = self._session.outputs
        self.device_name = self._session.device_name

    def run(self, *arrays):
        """Runs the model on `arrays` (one per input, in order; converted to the
        input's dtype, shape checked) and returns the outputs as numpy arrays."""
        if len(arrays) != len(self.inputs):
            raise KilnError(f"expected {len(self.inputs)} input array(s), got {len(arrays)}")
        try:
            for index, (array, info) in enumerate(zip(arrays, self.inputs)):
                data = np.ascontiguousarray(array, dtype=_DTYPES[info["dtype"]])
                if list(data.shape) != list(info["shape"]):
                    raise KilnError(f"input {index} '{info['name']}': expected shape "
                                    f"{tuple(info['shape'])}, got {data.shape}")
                self._session.set_input(index, data)
            self._session.run()
            return [np.frombuffer(self._session.read_output(index), dtype=_DTYPES[info["dtype"]])
                    .reshape(info["shape"]) for index, info in enumerate(self.outputs)]
        except RuntimeError as e:
            if isinstance(e, KilnError):
                raise
            raise KilnError(str(e)) from None

    def profile(self):
        """Timings of the last run: {"segments": [{"name", "microseconds",
        "start_microseconds", "operations", "bytes"}, ...], "wall_microseconds"}. The CPU
        backend has no per-segment clock: its segments list is empty."""
        try:
            return self._session.stats()
        except RuntimeError as e:
            raise KilnError(str(e)) from None
