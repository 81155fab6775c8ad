"""The history: filing finished runs into a results directory (`trendgate add`, the gate's
`--add`) under names from their content, slim copies of them (`slim`), the files each SOURCE
brings, read apart from the filing (`sources`), the history kept on a git branch (`branch`,
with the git calls in `git`), and the atomic writes every writer uses.

It runs before the rest of the flow reads the directory. It may import the base and `read`,
never `judge`, `report` or `app`.
"""
