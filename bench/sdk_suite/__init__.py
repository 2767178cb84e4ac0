"""Files copied beside the official SDK's ported tests by ``bench/bench_sdk_suite.py``."""
