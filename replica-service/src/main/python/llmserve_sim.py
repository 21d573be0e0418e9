#!/usr/bin/env python3
"""Entry point of the llmserve engine simulator (a vLLM-compatible server, stdlib only).

Usage: python3 llmserve_sim.py --port P --model NAME --profile tinyllama-a10g
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from llmsim.cli import main  # noqa: E402  (the path above must be set first)

if __name__ == "__main__":
    sys.exit(main())
