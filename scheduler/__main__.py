"""`python -m scheduler COMMAND`: see scheduler/cli.py."""

import sys

from scheduler.cli import main

sys.exit(main())
