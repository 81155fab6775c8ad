"""Examples to run from a clone; tests import the demo writers from here."""
