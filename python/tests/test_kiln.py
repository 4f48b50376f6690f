"""The kiln Python package on lavapipe: compile, run, profile, and its errors. The
expected output comes from kiln-run's CPU backend ($KILN_RUN), as in tests/packaging."""

import os
import subprocess

import numpy as np
import pytest

import kiln

DEVICE = "llvmpipe"  # the device every Kiln build has (scripts/setup.sh)


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return kiln.compile("demo-linear", scheme="qp8_f32_qc8w",
                        output=tmp_path_factory.mktemp("vgf") / "m.vgf")


def cpu_reference(model, x, tmp_path):
    np.save(tmp_path / "x.npy", x)
    subprocess.run([os.environ["KILN_RUN"], model, "--backend=cpu", f"--input={tmp_path / 'x.npy'}",
                    f"--output={tmp_path / 'y.npy'}"], check=True, capture_output=True)
    return np.load(tmp_path / "y.npy")


def test_runs_like_the_cpu_backend(model, tmp_path):
    session = kiln.Session(model, device=DEVICE)
    assert session.inputs == [{"name": session.inputs[0]["name"], "dtype": "f32",
                               "shape": [1, 256], "byte_size": 1024}]
    x = np.random.default_rng(7).uniform(-1, 1, (1, 256)).astype(np.float32)
    (y,) = session.run(x)
    assert y.dtype == np.float32 and y.shape == (1, 256)
    np.testing.assert_allclose(y, cpu_reference(model, x, tmp_path), rtol=0, atol=1e-5)


def test_profile_reports_the_last_run(model):
    session = kiln.Session(model, device=DEVICE)
    with pytest.raises(kiln.KilnError, match="no run yet"):
        session.profile()
    session.run(np.zeros((1, 256), np.float32))
    stats = session.profile()
    assert stats["wall_microseconds"] > 0
    assert len(stats["segments"]) >= 1
    assert all(s["microseconds"] >= 0 for s in stats["segments"])


def test_rejects_a_wrong_shape(model):
    session = kiln.Session(model, device=DEVICE)
    with pytest.raises(kiln.KilnError, match=r"expected shape \(1, 256\), got \(2, 256\)"):
        session.run(np.zeros((2, 256), np.float32))


def test_reports_a_missing_file(tmp_path):
    with pytest.raises(kiln.KilnError, match="cannot open"):
        kiln.Session(tmp_path / "missing.vgf")


def test_reports_compile_errors():
    with pytest.raises(kiln.KilnError, match="unknown scheme 'int3'"):
        kiln.compile("demo-linear", scheme="int3")
    with pytest.raises(kiln.KilnError):
        kiln.compile("no-such-model", scheme="pf32")
