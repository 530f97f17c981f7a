"""``python -m audience_warehouse.demo_data``: run the command line."""

import sys

from .cli import main

sys.exit(main())
