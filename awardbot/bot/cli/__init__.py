"""The ``awardbot`` command line (``main``): one module per command group, each importing
only what its commands use (``awardbot --help`` loads neither the Bot API stack nor the
database)."""
