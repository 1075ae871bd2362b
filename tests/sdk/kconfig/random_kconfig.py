"""Generates a random Kconfig tree and fragment for the randomized differential test.

usage: random_kconfig.py SEED OUT_DIR   (writes OUT_DIR/Kconfig and OUT_DIR/prj.conf)

Covers bool/int/hex/string symbols, prompts with conditions, dependencies, defaults with
conditions, ranges, select/imply, choices (optional, with defaults and dependencies), menus with
'depends on'/'visible if', if blocks, comments, menuconfig and symbols defined twice. Some trees
contain dependency loops; Kconfiglib rejects those and the test skips them.
"""
import os
import random
import re
import sys

seed = int(sys.argv[1])
os.chdir(sys.argv[2])
random.seed(seed)
syms = []  # (name, type)
out = []
def bools(): return [n for n, t in syms if t == "bool"]
def cond():
    b = bools()
    if not b or random.random() < 0.4: return ""
    return " if " + expr()
def atom():
    b = bools()
    r = random.random()
    if b and r < 0.6: return random.choice(b)
    if r < 0.7: return random.choice(["y", "n", "m"])
    ints = [n for n, t in syms if t in ("int", "hex")]
    if ints and r < 0.9: return f"{random.choice(ints)} {random.choice(['=', '!=', '<', '>=', '>'])} {random.randint(0, 20)}"
    strs = [n for n, t in syms if t == "string"]
    if strs: return f'{random.choice(strs)} = "v{random.randint(0,2)}"'
    return "y"
def expr(d=0):
    r = random.random()
    if d < 2 and r < 0.2: return f"{expr(d+1)} && {expr(d+1)}"
    if d < 2 and r < 0.35: return f"({expr(d+1)} || {expr(d+1)})"
    if r < 0.45: return "!" + atom() if " " not in atom() else atom()
    return atom()
counter = [0]
def newname():
    counter[0] += 1; return f"S{counter[0]}"
def symbol(depth, in_choice=False):
    n = newname()
    t = "bool" if in_choice else random.choice(["bool"] * 5 + ["int", "hex", "string"])
    lines = [f"{'menuconfig' if random.random() < 0.1 and not in_choice else 'config'} {n}"]
    if random.random() < 0.8 or in_choice: lines.append(f'\t{t} "{n} prompt"{cond() if not in_choice or random.random()<0.3 else ""}')
    else: lines.append(f"\t{t}")
    for _ in range(random.randint(0, 2)):
        if random.random() < 0.5 and bools(): lines.append(f"\tdepends on {expr()}")
    if not in_choice:
        for _ in range(random.randint(0, 2)):
            if t == "bool": v = expr() if random.random() < 0.5 else random.choice(["y", "n"])
            elif t == "int": v = str(random.randint(-5, 30)) if random.random() < 0.8 else random.choice([x for x, tt in syms if tt == "int"] or ["3"])
            elif t == "hex": v = random.choice(["0x10", "0x1f", "1f", "0XAB", "0x0"])
            else: v = random.choice(['"v0"', '"v1"', '"a\\"b"', '"$(VAR)"', 'UNDEF_X'] + [x for x, tt in syms if tt == "string"])
            lines.append(f"\tdefault {v}{cond()}")
        if t in ("int", "hex") and random.random() < 0.5:
            lo = random.randint(0, 10); hi = lo + random.randint(0, 10)
            lines.append(f"\trange {lo if t=='int' else hex(lo)} {hi if t=='int' else hex(hi)}{cond()}")
        if t == "bool" and random.random() < 0.3:
            lines.append(f"\tselect S{counter[0] + random.randint(1, 6)}{cond()}")
        if t == "bool" and random.random() < 0.2:
            lines.append(f"\timply S{counter[0] + random.randint(1, 6)}{cond()}")
    syms.append((n, t))
    return lines
def block(depth):
    lines = []
    for _ in range(random.randint(2, 7)):
        r = random.random()
        if depth < 3 and r < 0.1:
            lines += [f'menu "Menu {newname()}"'] + ([f"\tdepends on {expr()}"] if random.random() < 0.5 and bools() else []) + ([f"\tvisible if {expr()}"] if random.random() < 0.3 and bools() else []) + block(depth + 1) + ["endmenu"]
        elif depth < 3 and r < 0.2 and bools():
            lines += [f"if {expr()}"] + block(depth + 1) + ["endif"]
        elif r < 0.28:
            ch = ["choice", f'\tprompt "choice {newname()}"{cond()}']
            if random.random() < 0.3: ch.append("\toptional")
            if bools() and random.random() < 0.3: ch.append(f"\tdepends on {expr()}")
            members = []
            body = []
            for _ in range(random.randint(1, 4)):
                l = symbol(depth, True); members.append(syms[-1][0]); body += l
            if random.random() < 0.5: ch.append(f"\tdefault {random.choice(members)}{cond()}")
            lines += ch + body + ["endchoice"]
        elif r < 0.33:
            lines += [f'comment "comment {newname()}"'] + ([f"\tdepends on {expr()}"] if bools() and random.random() < 0.5 else [])
        else:
            lines += symbol(depth)
    return lines
# redefinitions
body = ["VAR := var-value"] + block(0)
for _ in range(random.randint(0, 2)):
    b = bools()
    if b:
        n = random.choice(b); body += [f"config {n}", f'\tbool "again {n}"', f"\tdepends on {expr()}", f"\tdefault {random.choice(['y','n'])}"]
types = dict(syms)
body = [l for l in body if not re.match(r"\t(select|imply) (S\d+)", l) or types.get(re.match(r"\t(select|imply) (S\d+)", l).group(2)) == "bool"]
open("Kconfig", "w").write("\n".join(body) + "\n")
frag = []
for n, t in random.sample(syms, min(len(syms), random.randint(0, 10))):
    if t == "bool": frag.append(random.choice([f"CONFIG_{n}=y", f"# CONFIG_{n} is not set"]))
    elif t == "int": frag.append(f"CONFIG_{n}={random.randint(-3, 25)}")
    elif t == "hex": frag.append(f"CONFIG_{n}={random.choice(['0x5','12','0x100'])}")
    else: frag.append(f'CONFIG_{n}="u{random.randint(0,2)}"')
open("prj.conf", "w").write("\n".join(frag) + "\n")
