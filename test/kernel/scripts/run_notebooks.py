"""Executes notebooks with nbclient on the statarb kernel; prints {path: executed notebook} as JSON.

usage: run_notebooks.py OUT_DIR NOTEBOOK...   (each runs in its own folder, errors allowed)
"""
import json
import os
import sys

import nbformat
from nbclient import NotebookClient

out_dir = sys.argv[1]
result = {}
for path in sys.argv[2:]:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name="statarb", timeout=120, allow_errors=True, resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    client.execute()
    target = os.path.join(out_dir, os.path.basename(path))
    nbformat.write(nb, target)
    result[path] = json.loads(nbformat.writes(nb))
json.dump(result, sys.stdout)
