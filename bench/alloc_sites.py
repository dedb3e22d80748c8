#!/usr/bin/env python3
"""Where a JFR recording's heap allocation comes from, by part of the request path.

Reads `jfr print --json` of jdk.ObjectAllocationInNewTLAB and jdk.ObjectAllocationOutsideTLAB
events on stdin. Each event stands for the bytes of its new TLAB (or of the object allocated
outside one) and goes to the part of the first frame, counted from the allocation site outwards,
that belongs to one of the parts below; the table gives each part's share. The events are a
sample, one per TLAB: take bytes per request from bench/alloc.sh and the split from here. Then the heaviest allocation sites, named by their first frame
outside java.*, jdk.* and sun.*.
Usage: jfr print --json --stack-depth 64 --events jdk.ObjectAllocationInNewTLAB,jdk.ObjectAllocationOutsideTLAB rec.jfr \
         | python3 bench/alloc_sites.py
"""
import collections
import json
import re
import sys

PARTS = [
    ("the MNIST-style preparation", r"DigitImagePreprocessor"),
    ("image decoding (ImageIO)", r"^(javax\.imageio|com\.sun\.imageio|com\.twelvemonkeys)|ImageDecoder"),
    ("multipart parsing", r"fileupload|[Mm]ultipart"),
    ("metrics (Micrometer, observations)", r"^io\.micrometer|\.observation\.|Observation"),
    ("ND4J arrays and the forward pass", r"^org\.(nd4j|deeplearning4j|bytedeco)|BatchQueue"),
    ("JSON reading and writing (Jackson)", r"^(tools\.jackson|com\.fasterxml\.jackson)"),
    ("our request code (controllers, inference)", r"^io\.github\.dl4jserving"),
    ("Spring MVC dispatch", r"^org\.springframework"),
    ("Tomcat (sockets, HTTP parsing, filters)", r"^org\.apache\.(catalina|coyote|tomcat)"),
]


def frames(event):
    stack = event["values"].get("stackTrace") or {}
    for f in stack.get("frames") or []:
        m = f["method"]
        yield m["type"]["name"].replace("/", ".") + "." + m["name"]


def main():
    events = json.load(sys.stdin)["recording"]["events"]
    by_part = collections.Counter()
    by_site = collections.Counter()
    total = 0
    for e in events:
        values = e["values"]
        weight = values.get("tlabSize") or values.get("allocationSize") or 1  # 1: an execution sample
        total += weight
        names = list(frames(e))
        part = next((label for n in names for label, pattern in PARTS if re.search(pattern, n)), "other")
        by_part[part] += weight
        site = next((n for n in names if not re.match(r"(java|jdk|sun)\.", n)), names[0] if names else "?")
        by_site[site] += weight
    print(f"{len(events)} samples standing for {total / 1e6:.1f} MB")
    print(f"{'part of the request path':45} {'share':>6}")
    for part, w in by_part.most_common():
        print(f"{part:45} {100 * w / total:5.1f}%")
    print("\nheaviest allocation sites (first frame outside the JDK):")
    for site, w in by_site.most_common(25):
        print(f"  {100 * w / total:5.1f}%  {site}")


if __name__ == "__main__":
    main()
