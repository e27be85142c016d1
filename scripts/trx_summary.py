"""Prints one line "N passed, N failed" from the TRX files under the given directory."""
import pathlib
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
passed = failed = 0
files = list(pathlib.Path(sys.argv[1]).rglob("*.trx")) if pathlib.Path(sys.argv[1]).exists() else []
for trx in files:
    counters = ET.parse(trx).getroot().find(f"{NS}ResultSummary/{NS}Counters")
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += sum(int(counters.get(k, 0)) for k in ("failed", "error", "timeout", "aborted"))
if not files:
    print("no test results found (the build or the test host failed; see above)", file=sys.stderr)
print(f"{passed} passed, {failed} failed")
