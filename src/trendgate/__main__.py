"""Allow `python -m trendgate`."""

from trendgate.app.cli import main

raise SystemExit(main())
