"""``python -m generator`` is the ``portal`` command."""

from generator.cli import main

if __name__ == "__main__":
    main(prog_name="portal")
