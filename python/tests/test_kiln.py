"""The kiln Python package: compile, run on lavapipe and on the CPU, profile, and its
errors. The two backends must agree (docs/numerics.md: the dynamic schemes' quantized
activations and int32 accumulators are bit-exact; the fp32 epilogue may differ in
the last bits)."""

import os
import subprocess
import sys

import numpy as np
import pytest

import kiln

DEVICE = "llvmpipe"  # the device every Kiln build has (scripts/setup.sh)


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return kiln.compile("demo-linear", scheme="qp8_f32_qc8w",
                        output=tmp_path_factory.mktemp("vgf") / "m.vgf")


def test_vulkan_runs_like_the_cpu_backend(model):
    vulkan = kiln.Session(model, device=DEVICE)
    cpu = kiln.Session(model, backend="cpu")
    assert vulkan.inputs == cpu.inputs == [{"name": vulkan.inputs[0]["name"], "dtype": "f32",
                                            "shape": [1, 256], "byte_size": 1024}]
    assert vulkan.outputs == cpu.outputs
    assert cpu.device_name.startswith("CPU (")
    x = np.random.default_rng(7).uniform(-1, 1, (1, 256)).astype(np.float32)
    (y,) = vulkan.run(x)
    (reference,) = cpu.run(x)
    assert y.dtype == np.float32 and y.shape == (1, 256)
    np.testing.assert_allclose(y, reference, rtol=0, atol=1e-5)
    assert np.abs(reference).max() > 0.01  # a real result, not zeros on both sides


def test_auto_picks_the_vulkan_device_when_there_is_one(model):
    assert kiln.Session(model, backend="auto").device_name == kiln.Session(model).device_name


def test_auto_falls_back_to_the_cpu_without_a_vulkan_driver(model, tmp_path):
    # The Vulkan loader reads its driver list once per process: hide it in a child.
    script = ("import kiln, numpy as np; s = kiln.Session(%r, backend='auto'); "
              "s.run(np.ones((1, 256), np.float32)); print(s.device_name)" % str(model))
    env = dict(os.environ, VK_ICD_FILENAMES=str(tmp_path / "none.json"))
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("CPU (")
    with pytest.raises(subprocess.CalledProcessError):
        subprocess.run([sys.executable, "-c", script.replace("'auto'", "'vulkan'")], env=env,
                       check=True, capture_output=True)


def test_rejects_an_unknown_backend(model):
    with pytest.raises(kiln.KilnError, match="unknown backend 'tpu', expected vulkan, cpu or auto"):
        kiln.Session(model, backend="tpu")


def test_cpu_profile_has_the_wall_time_only(model):
    session = kiln.Session(model, backend="cpu")
    session.run(np.zeros((1, 256), np.float32))
    stats = session.profile()
    assert stats["segments"] == [] and stats["wall_microseconds"] > 0


def test_profile_reports_the_last_run(model):
    session = kiln.Session(model, device=DEVICE)
    with pytest.raises(kiln.KilnError, match="no run yet"):
        session.profile()
    session.run(np.zeros((1, 256), np.float32))
    stats = session.profile()
    assert stats["wall_microseconds"] > 0
    assert len(stats["segments"]) >= 1
    assert all(s["microseconds"] >= 0 for s in stats["segments"])


@pytest.mark.parametrize("backend", ["vulkan", "cpu"])
def test_rejects_a_wrong_shape(model, backend):
    session = kiln.Session(model, backend=backend)
    with pytest.raises(kiln.KilnError, match=r"expected shape \(1, 256\), got \(2, 256\)"):
        session.run(np.zeros((2, 256), np.float32))
    with pytest.raises(kiln.KilnError, match=r"expected 1 input array\(s\), got 2"):
        session.run(np.zeros((1, 256), np.float32), np.zeros((1, 256), np.float32))


@pytest.mark.parametrize("backend", ["vulkan", "cpu"])
def test_reports_a_missing_file(tmp_path, backend):
    with pytest.raises(kiln.KilnError, match="cannot open"):
        kiln.Session(tmp_path / "missing.vgf", backend=backend)


def test_reports_compile_errors():
    with pytest.raises(kiln.KilnError, match="unknown scheme 'int3'"):
        kiln.compile("demo-linear", scheme="int3")
    with pytest.raises(kiln.KilnError):
        kiln.compile("no-such-model", scheme="pf32")
