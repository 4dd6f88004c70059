"""archreview: review AWS architectures written as infrastructure-as-code."""

__version__ = "0.1.0"
