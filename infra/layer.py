"""Dependency layers: a requirements file installed by pip for the Lambda platform, without Docker.

`requirements.txt` makes the layer every function gets; `requirements-processing.txt` (Pillow, PDFium,
the media parsers) a second one that only the processor gets, so API functions stay small.

pip installs from each file's lock (`requirements.lock`, `requirements-processing.lock`): every package,
transitive ones included, pinned with the hashes of its wheels, so two builds install the same bytes.
`make lock` (`python -m infra.layer`) writes the locks with uv for the layers' platform and Python.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

import jsii
from aws_cdk import AssetHashType, BundlingOptions, DockerImage, ILocalBundling
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra import names
from infra.runtime import ARCHITECTURE, PYTHON_VERSION, ROOT, RUNTIME

REQUIREMENTS = ROOT / "requirements.txt"
PROCESSING_REQUIREMENTS = ROOT / "requirements-processing.txt"
LAYER_REQUIREMENTS = (REQUIREMENTS, PROCESSING_REQUIREMENTS)
MACHINE = {lambda_.Architecture.ARM_64.name: "aarch64", lambda_.Architecture.X86_64.name: "x86_64"}[ARCHITECTURE.name]
PLATFORMS = (f"manylinux2014_{MACHINE}", f"manylinux_2_28_{MACHINE}")
"""Wheel tags for `ARCHITECTURE`. Both are needed: with one alone pip silently picks old pydantic-core and Pillow."""
LOCK_PLATFORM = f"{MACHINE}-manylinux_2_28"
"""uv's name for the newer of `PLATFORMS`: glibc 2.28 and up, so manylinux2014 (glibc 2.17) wheels too."""
LOCK_COMMAND = "make lock"
"""What a lock's header says regenerates it."""
LAYER_PYTHON = PurePosixPath("/opt/python")
"""Where Lambda unpacks a layer's `python/` folder, on the import path."""


def lock_file(requirements: Path) -> Path:
    """`requirements.txt` -> `requirements.lock`."""
    return requirements.with_suffix(".lock")


def lock_command(requirements: Path) -> list[str]:
    """uv resolves for the layers' platform and Python, not this machine's, and writes the hash of every file
    PyPI has for each pinned version (the aarch64 and x86_64 wheels alike). Run in `requirements.parent`; it
    keeps the lock's transitive pins unless the requirements need others."""
    return [
        sys.executable,
        "-m",
        "uv",
        "pip",
        "compile",
        requirements.name,
        "--generate-hashes",
        "--only-binary=:all:",
        f"--python-version={PYTHON_VERSION}",
        f"--python-platform={LOCK_PLATFORM}",
        f"--custom-compile-command={LOCK_COMMAND}",
        f"--output-file={lock_file(requirements).name}",
        "--quiet",
    ]


def pip_options(requirements: Path = REQUIREMENTS) -> list[str]:
    """Everything but the target directory; part of the asset hash, so changing an option rebuilds the layer.

    `--require-hashes`: a package missing from the lock, or a file whose hash is not there, fails the build."""
    return [
        f"--requirement={lock_file(requirements).name}",
        "--require-hashes",
        *(f"--platform={platform}" for platform in PLATFORMS),
        "--only-binary=:all:",
        "--implementation=cp",
        f"--python-version={PYTHON_VERSION}",
        "--upgrade",
        "--no-compile",
        "--disable-pip-version-check",
    ]


def pip_command(output_dir: str, requirements: Path = REQUIREMENTS) -> list[str]:
    """Lambda layers for Python are unpacked to /opt, and /opt/python (`LAYER_PYTHON`) is on the import path."""
    target = f"--target={Path(output_dir) / LAYER_PYTHON.name}"
    return [sys.executable, "-m", "pip", "install", *pip_options(requirements), target]


def asset_hash(requirements: Path) -> str:
    digest = hashlib.sha256(lock_file(requirements).read_bytes())
    digest.update(" ".join(pip_options(requirements)).encode())
    return digest.hexdigest()


@jsii.implements(ILocalBundling)
class PipBundling:
    """Runs pip on this machine. It either succeeds or raises, so CDK never falls back to Docker."""

    def __init__(self, requirements: Path) -> None:
        self.requirements = requirements

    def try_bundle(self, output_dir: str, options: BundlingOptions) -> bool:
        command = pip_command(output_dir, self.requirements)
        subprocess.run(command, cwd=self.requirements.parent, check=True)  # noqa: S603 - our argv, no shell
        compile_bytecode(Path(output_dir) / LAYER_PYTHON.name)
        return True


def compile_bytecode(directory: Path) -> None:
    """Ship .pyc files: Lambda's file system is read-only, so without them every cold start recompiles
    the dependencies (measured locally: about 2x the import time). Only the runtime's own Python version
    writes usable bytecode; `unchecked-hash` because zip timestamps cannot be trusted. Each file's name in its
    bytecode is the one it has in Lambda (`-d /opt/python`), not the build directory's, so two builds in
    different directories write the same bytes (and tracebacks show the real path)."""
    python = f"python{PYTHON_VERSION}"
    version = "import sys; print('%d.%d' % sys.version_info[:2])"
    probe = (
        subprocess.run([python, "-c", version], capture_output=True, text=True, check=False)  # noqa: S603
        if shutil.which(python)
        else None
    )
    if probe is None or probe.returncode != 0 or probe.stdout.strip() != PYTHON_VERSION:
        print(f"warning: no working {python} here; the layer ships without bytecode", file=sys.stderr)
        return
    subprocess.run(  # noqa: S603 - our argv, no shell
        [
            python,
            *("-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash"),
            *("-d", str(LAYER_PYTHON), str(directory)),
        ],
        check=True,
    )


class DependenciesLayer(Construct):
    """A layer built from one requirements file's lock. Its asset hashes the lock and the pip options only.

    When bundling is skipped (`aws:cdk:bundling-stacks` is `[]`), CDK stages the source directory
    unbundled and nothing is installed: fine for synth and tests, never deployed that way.
    """

    def __init__(self, scope: Construct, id: str, requirements: Path = REQUIREMENTS) -> None:
        super().__init__(scope, id)
        code = lambda_.Code.from_asset(
            str(requirements.parent),
            asset_hash=asset_hash(requirements),
            asset_hash_type=AssetHashType.CUSTOM,
            bundling=BundlingOptions(
                image=DockerImage.from_registry("scratch"),  # required by the API, never pulled
                local=PipBundling(requirements),
            ),
        )
        self.layer = lambda_.LayerVersion(
            self,
            names.LAYER_VERSION,
            code=code,
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
            description=f"Third-party dependencies of the asset backend functions ({requirements.name}).",
        )


def lock(requirements: tuple[Path, ...] = LAYER_REQUIREMENTS) -> None:
    """`make lock`: rewrites each layer's lock from its requirements file."""
    for path in requirements:
        subprocess.run(lock_command(path), cwd=path.parent, check=True)  # noqa: S603 - our argv, no shell


if __name__ == "__main__":
    lock()
