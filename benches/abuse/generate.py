"""Writes the inputs of issue 13 ("Hold under abuse") into the current folder: N Allow * then
N Deny support:* statements (N = 1,000, 2,000, 5,000), 500,000 commas, and clean policies of
1, 10 and 50 MB and 50 KB. Usage: python3 benches/abuse/generate.py (in a scratch folder)."""
import json, sys
def allow_deny(n):
    st = [{"Effect":"Allow","Action":"*","Resource":"*"}]*n + [{"Effect":"Deny","Action":"support:*","Resource":"*"}]*n
    return json.dumps({"Version":"2012-10-17","Statement":st}, indent=1)
def clean(size):
    s = '{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::bucket/some/long/prefix/*"}'
    parts = ['{\n"Version": "2012-10-17",\n"Statement": [\n', s]
    n = len(s)
    while n < size:
        parts.append(",\n"+s); n += len(s)+2
    parts.append("\n]\n}\n")
    return "".join(parts)
open("ad1000.json","w").write(allow_deny(1000))
open("ad2000.json","w").write(allow_deny(2000))
open("ad5000.json","w").write(allow_deny(5000))
open("commas.json","w").write('{"Version":"2012-10-17","Statement":[' + ","*500000 + ']}')
for mb in (1,10,50):
    open(f"clean{mb}.json","w").write(clean(mb*1024*1024))
open("clean50k.json","w").write(clean(50*1024))
