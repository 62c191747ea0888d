import sys

from aftercare_app.cli import main

sys.exit(main())
