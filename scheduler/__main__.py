"""`python -m scheduler COMMAND`: see scheduler/cli.py."""

import sys

from jobcrawler.clitools import run
from scheduler.cli import main

sys.exit(run(main))
