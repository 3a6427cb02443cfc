import sys

from jobcrawler.cli import main

sys.exit(main())
