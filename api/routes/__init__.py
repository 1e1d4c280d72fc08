"""One module per resource; main.py includes their routers."""
