#!/usr/bin/env python3
"""v1to2.py FILE... — move 三定 documents from vocabulary 1 to 2 in place, line for line."""
import re, sys

TIER_DEFAULT = {'province': ('正处级', '副处级'), 'sub-provincial': ('正处级', '副处级'),
                'prefecture': ('正科级', '副科级'), 'county': ('股级', '股级'),
                'sub-provincial-district': ('正科级', '副科级')}

def posts(h, d, H, D, keep_zero=False):
    out = []
    if int(h) or keep_zero or not int(d):
        out.append(f'<post rank="{H}" role="head" count="{h}"/>')
    if int(d) or keep_zero:
        out.append(f'<post rank="{D}" role="deputy" count="{d}"/>')
    return ''.join(out)

def convert(s):
    if '<sanding' not in s:
        return s
    levels = {}
    H = D = None
    for m in re.finditer(r'<level\s+id="([^"]*)"\s+name="([^"]*)"\s+role="([^"]*)"', s):
        levels[m.group(1).strip()] = m.group(2).strip()
        if m.group(3).strip() == 'head': H = m.group(2).strip()
        else: D = m.group(2).strip()
    t = re.search(r'tier="\s*([a-z-]+)\s*"', s)
    dh, dd = TIER_DEFAULT.get(t.group(1) if t else 'sub-provincial', ('正处级', '副处级'))
    H = H or dh; D = D or dd
    s = re.sub(r'<leadership\s+head="([^"]*)"\s+deputy="([^"]*)"\s*/>',
               lambda m: f'<leadership>{posts(m.group(1), m.group(2), H, D)}</leadership>', s)
    s = re.sub(r'<before\s+posts="([^"]*)"\s+head="([^"]*)"\s+deputy="([^"]*)"\s*/>',
               lambda m: f'<before posts="{m.group(1)}">{posts(m.group(2), m.group(3), H, D)}</before>', s)
    def fu(m):
        attrs, h, d = m.group(1), m.group(2), m.group(3)
        return f'<formerUnit{attrs}>{posts(h, d, H, D)}</formerUnit>'
    s = re.sub(r'<formerUnit((?:\s+(?!head=|deputy=)[A-Za-z]+="[^"]*")*)\s+head="([^"]*)"\s+deputy="([^"]*)"\s*/>', fu, s)
    s = re.sub(r'<unit((?:\s+[A-Za-z]+="[^"]*")*)(\s*)>',
               lambda m: m.group(0) if 'rank=' in m.group(1) else f'<unit{m.group(1)} rank="{H}"{m.group(2)}>', s)
    s = re.sub(r'<level\s+id="[^"]*"\s+name="([^"]*)"\s+role="[^"]*"', lambda m: f'<level rank="{m.group(1).strip()}"', s)
    s = re.sub(r'<levelTotal\s+level="([^"]*)"', lambda m: f'<levelTotal rank="{levels.get(m.group(1).strip(), m.group(1))}"', s)
    s = re.sub(r'(<transfer(?:In|Out)\b[^>]*?)\sposts=', r'\1 adminPosts=', s)
    s = re.sub(r'<managedBy\s+name="([^"]*)"\s*/>', r'<managedBy name="\1" relation="managed"/>', s)
    s = re.sub(r'<otherLeader((?:\s+[A-Za-z]+="[^"]*")*)\s*/>',
               lambda m: m.group(0) if 'inTeam' in m.group(1) else f'<otherLeader{m.group(1)} inTeam="false"/>', s)
    return s

for p in sys.argv[1:]:
    raw = open(p, 'rb').read()
    m = re.match(rb'<\?xml[^>]*encoding="([^"]+)"', raw)
    enc = m.group(1).decode() if m else 'utf-8'
    try:
        src = raw.decode(enc)
    except (UnicodeDecodeError, LookupError):
        print(f'{p}: not {enc}, left alone', file=sys.stderr)
        continue
    out = convert(src)
    if out != src:
        assert src.count('\n') == out.count('\n'), p
        open(p, 'wb').write(out.encode(enc))
