"""The checks, one module per check, one folder per criterion (installed as archreview.checks)."""
