"""Read models (the query side): plain SQL over the shared tables, shaped for JSON answers. Reads do
not go through the core's unit of work; they never change anything."""
