"""The shells: the options table that builds one typed `Job` from flags, the config file or the
Action's inputs; `run.run(job)`, the one call both shells make; the gate's exit code; the
command line, the Action and the original proposal's `RunTrendAnalyzer`.

The last step of the flow: it may import every other package, and none imports it.
"""
