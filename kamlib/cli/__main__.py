"""`python -m kamlib.cli`: the `kam` command, where its script is not on PATH."""

import sys

from kamlib.cli import main

sys.exit(main())
