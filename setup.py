"""Packaging glue for one thing pyproject.toml cannot say: the top-level `checks/` folder
ships inside the package as `archreview.checks` (its subfolders found, not listed)."""

from setuptools import find_packages, setup

checks = ["archreview.checks"] + [f"archreview.checks.{name}" for name in find_packages("checks")]
setup(
    packages=find_packages(include=["archreview", "archreview.*"]) + checks,
    package_dir={"archreview.checks": "checks"},
)
