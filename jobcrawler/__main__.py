import sys

from jobcrawler.cli import main
from jobcrawler.clitools import run

sys.exit(run(main))
