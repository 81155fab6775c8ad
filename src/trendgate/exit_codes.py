"""The exit codes a CI system acts on, which the gate decides and every report states."""

EXIT_OK = 0
EXIT_REGRESSION = 1
EXIT_ERROR = 2
