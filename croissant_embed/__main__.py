"""``python -m croissant_embed`` runs the command line."""

from .cli import main

main()
