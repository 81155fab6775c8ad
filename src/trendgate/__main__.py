"""Allow `python -m trendgate`."""

from trendgate.cli import main

raise SystemExit(main())
