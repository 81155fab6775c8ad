"""Reading: find the result files of a results directory, decode them strictly, place each in its
series from its head alone, and parse a run's tasks into a scored `Run`.

The first step of the flow. It may import only the package's base (`model`, `errors`, `settings`,
`rules`, `escape`, `timefmt`), never a later step.
"""
