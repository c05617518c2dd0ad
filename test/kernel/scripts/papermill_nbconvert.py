"""papermill with parameters (number, list, dict, string, bool, null) on the statarb kernel, then
nbconvert --to html of an executed notebook with a Plot figure and a Panel table; prints JSON."""
import json
import os
import subprocess
import sys

venv_bin = os.path.dirname(sys.executable)
tmp = sys.argv[1]
nb_dir = os.path.join("test", "kernel", "notebooks")
out_nb = os.path.join(tmp, "params-out.ipynb")
subprocess.run([os.path.join(venv_bin, "papermill"), os.path.join(nb_dir, "params.ipynb"), out_nb, "-k", "statarb",
                "-p", "lookback", "60", "-p", "universe", '["KO","PEP"]', "-y", "config: {z: 5.5, nested: [1, 2]}",
                "-p", "label", "run 1", "-y", "flag: false", "-y", "missing: null"], check=True, capture_output=True)
with open(out_nb) as f:
    params = json.load(f)
report = os.path.join(tmp, "report-executed.ipynb")
subprocess.run([os.path.join(venv_bin, "jupyter"), "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=statarb",
                os.path.join(nb_dir, "report.ipynb"), "--output", os.path.abspath(report)], check=True, capture_output=True)
subprocess.run([os.path.join(venv_bin, "jupyter"), "nbconvert", "--to", "html", report, "--output", os.path.abspath(os.path.join(tmp, "report.html"))], check=True, capture_output=True)
with open(os.path.join(tmp, "report.html")) as f:
    html = f.read()
help_text = subprocess.run([os.path.join(venv_bin, "papermill"), "--help-notebook", os.path.join(nb_dir, "params.ipynb")], check=True, capture_output=True, text=True).stdout
json.dump({"params": params, "html": html, "helpNotebook": help_text}, sys.stdout)
