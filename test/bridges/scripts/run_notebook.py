"""Executes one notebook with nbclient on the statarb kernel (errors allowed); prints it as JSON.

usage: run_notebook.py NOTEBOOK OUT_PATH
"""
import json
import os
import sys

import nbformat
from nbclient import NotebookClient

path, out = sys.argv[1], sys.argv[2]
nb = nbformat.read(path, as_version=4)
NotebookClient(nb, kernel_name="statarb", timeout=120, allow_errors=True, resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}}).execute()
nbformat.write(nb, out)
json.dump(json.loads(nbformat.writes(nb)), sys.stdout)
