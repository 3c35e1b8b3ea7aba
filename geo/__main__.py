import sys

# `python -m geo …` stays the command users run; the commands themselves speak to people
# (words, presented tables), so they live outside the analysis package, in cli.py.
from cli import main

sys.exit(main())
