"""Prints one line "N passed, N failed" from the TRX files under the given directory.

A run that failed outside any test (an error in a one-time setup or teardown, such as the end-of-run check for leaked
replication slots) counts as one failure, and its messages are printed first."""
import pathlib
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
passed = failed = 0
files = list(pathlib.Path(sys.argv[1]).rglob("*.trx")) if pathlib.Path(sys.argv[1]).exists() else []
for trx in files:
    summary = ET.parse(trx).getroot().find(f"{NS}ResultSummary")
    counters = summary.find(f"{NS}Counters") if summary is not None else None
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failures = sum(int(counters.get(k, 0)) for k in ("failed", "error", "timeout", "aborted"))
    run_errors = [info.findtext(f"{NS}Text", "") for info in summary.iter(f"{NS}RunInfo") if info.get("outcome") == "Error"]
    if failures == 0 and summary.get("outcome") in ("Failed", "Error") and run_errors:
        print("the run failed outside any test:\n" + "\n".join(run_errors), file=sys.stderr, flush=True)
        failures = 1
    failed += failures
if not files:
    print("no test results found (the build or the test host failed; see above)", file=sys.stderr)
print(f"{passed} passed, {failed} failed")
