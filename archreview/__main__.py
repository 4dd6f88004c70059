import sys

from archreview.cli import main

sys.exit(main())
