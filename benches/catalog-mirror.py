#!/usr/bin/env python3
"""A full-size mirror of AWS's service reference, for measuring `catalog update` only.

    benches/catalog-mirror.py data /tmp/mirror     # then: catalog update --source /tmp/mirror

Writes service-list.json and <service>/<service>.json, in the layout of AWS's programmatic
Service Authorization Reference, from this repository's data/*.tsv (456 services, 22,091
actions, 8.7 MB). Write it outside the repository; the tests use the small hand-written
mirror of tests/catalog_update/mirror instead. See docs/PERFORMANCE.md.
"""
import csv, json, os, sys, collections
data, out = sys.argv[1], sys.argv[2]
def rows(name):
    with open(os.path.join(data, name)) as f:
        lines = [l for l in f if not l.startswith('#')]
    return list(csv.DictReader(lines, delimiter='\t'))
svc = [r['prefix'] for r in rows('services.tsv')]
acts, res, keys = collections.defaultdict(list), collections.defaultdict(list), collections.defaultdict(list)
for a in rows('actions.tsv'):
    lvl = a['access_level']
    acts[a['prefix']].append({"Name": a['action'],
      "ActionConditionKeys": [k for k in (a['condition_keys'] or '').split(',') if k],
      "Annotations": {"Properties": {"IsList": lvl == "List", "IsWrite": lvl in ("Write", "Tagging", "Permissions management"),
        "IsPermissionManagement": lvl == "Permissions management", "IsTaggingOnly": lvl == "Tagging"}},
      "Resources": [{"Name": r.lstrip('*')} for r in (a['resource_types'] or '').split(',') if r]})
for r in rows('resource-types.tsv'):
    res[r['prefix']].append({"Name": r['resource_type'], "ARNFormats": [r['arn']], "ConditionKeys": [k for k in (r['condition_keys'] or '').split(',') if k]})
for k in rows('condition-keys.tsv'):
    keys[k['prefix']].append({"Name": k['key'], "Types": [k['type']]})
os.makedirs(out, exist_ok=True)
lst = []
for p in svc:
    os.makedirs(os.path.join(out, p), exist_ok=True)
    with open(os.path.join(out, p, p + '.json'), 'w') as f:
        json.dump({"Name": p, "Actions": acts[p], "Resources": res[p], "ConditionKeys": keys[p], "Version": "v1.4"}, f)
    lst.append({"service": p, "url": f"https://servicereference.us-east-1.amazonaws.com/v1/{p}/{p}.json"})
json.dump(lst, open(os.path.join(out, 'service-list.json'), 'w'))
print(len(svc), sum(len(v) for v in acts.values()))
