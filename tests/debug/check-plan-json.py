#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check-plan-json.py [ARG...] < plan.json: check a --json plan against
doc/plan-schema.md (version 1) and against itself; ARGs are the argv the
plan must carry.  Prints one line a problem; exits 0 when there is none."""
import json
import re
import sys

HEX = re.compile(r"^0x[0-9a-f]+$")
problems = []


def need(cond, what):
    if not cond:
        problems.append(what)
    return cond


def typed(obj, key, kind, where):
    """obj[key] exists and is of KIND: 'hex', 'int', 'str', 'bool', 'list',
    'obj', 'hex?', 'str?', 'obj?' (? = or null)."""
    if not need(isinstance(obj, dict) and key in obj, f"{where}.{key}: missing"):
        return None
    v = obj[key]
    if kind.endswith("?"):
        if v is None:
            return None
        kind = kind[:-1]
    ok = {
        "hex": lambda: isinstance(v, str) and HEX.match(v),
        "int": lambda: isinstance(v, int) and not isinstance(v, bool),
        "str": lambda: isinstance(v, str),
        "bool": lambda: isinstance(v, bool),
        "list": lambda: isinstance(v, list),
        "obj": lambda: isinstance(v, dict),
    }[kind]()
    need(ok, f"{where}.{key}: not {kind}: {v!r}")
    return v


def check_range(obj, key, where):
    r = typed(obj, key, "obj", where)
    if r is not None:
        typed(r, "start", "hex", f"{where}.{key}")
        typed(r, "end", "hex", f"{where}.{key}")


def check_image(img, where):
    for k, t in (("path", "str"), ("type", "str"), ("machine", "int"),
                 ("file_size", "int"), ("entry", "hex"), ("entry_unbiased", "hex"),
                 ("load_bias", "hex"), ("max_align", "hex"), ("phdr", "hex"),
                 ("phnum", "int"), ("interp", "str?"), ("stack_executable", "bool"),
                 ("bss_start", "hex"), ("bss_end", "hex"), ("phdrs", "list")):
        typed(img, k, t, where)
    for k in ("extent", "code", "data"):
        check_range(img, k, where)
    need(img.get("type") in ("ET_EXEC", "ET_DYN"), f"{where}.type: {img.get('type')}")
    need(len(img.get("phdrs", [])) == img.get("phnum"), f"{where}: phnum != len(phdrs)")
    for i, ph in enumerate(img.get("phdrs", [])):
        w = f"{where}.phdrs[{i}]"
        need(ph.get("index") == i, f"{w}.index")
        for k in ("offset", "vaddr", "filesz", "memsz", "align"):
            typed(ph, k, "hex", w)
        typed(ph, "type", "str", w)
        need(re.match(r"^[r-][w-][x-]$", str(ph.get("flags"))), f"{w}.flags")
    e, b, u = (int(img.get(k, "0x0"), 16) for k in ("entry", "load_bias", "entry_unbiased"))
    need(e == b + u, f"{where}: entry != load_bias + entry_unbiased")


def check_vector(st, key, want):
    v = typed(st, key, "obj", "stack")
    if v is None:
        return
    typed(v, "addr", "hex", f"stack.{key}")
    typed(v, "null_addr", "hex", f"stack.{key}")
    ents = typed(v, "entries", "list", f"stack.{key}") or []
    top = int(st["top"], 16)
    for i, e in enumerate(ents):
        w = f"stack.{key}.entries[{i}]"
        need(e.get("index") == i, f"{w}.index")
        for k in ("addr", "value", "top_offset"):
            typed(e, k, "hex", w)
        typed(e, "string", "str", w)
        need(int(e["value"], 16) == top - int(e["top_offset"], 16), f"{w}: top_offset")
        need(int(e["addr"], 16) == int(v["addr"], 16) + 8 * i, f"{w}: addr")
    if want is not None:
        need([e["string"] for e in ents] == want, f"stack.{key}: {want} expected")


def main():
    doc = json.load(sys.stdin)
    args = sys.argv[1:]
    need(doc.get("schema") == "uexec-plan", "schema")
    need(doc.get("version") == 1, "version")
    need(doc.get("status") == "ok", "status")
    typed(doc, "arch", "str", "")
    typed(doc, "handler", "str", "")
    for i, h in enumerate(typed(doc, "handlers", "list", "") or []):
        for k, t in (("handler", "str"), ("file", "str"), ("depth", "int"),
                     ("result", "str"), ("errno", "str?")):
            typed(h, k, t, f"handlers[{i}]")
        need(h.get("result") in ("accept", "rewrite", "decline", "fail"), f"handlers[{i}].result")
    hs = doc.get("handlers") or [{}]
    need(hs[-1].get("result") == "accept" and hs[-1].get("handler") == doc.get("handler"),
         "the last handler tried is the one that accepted")
    bp = typed(doc, "binprm", "obj", "") or {}
    for k, t in (("filename", "str"), ("interp_name", "str"), ("depth", "int"),
                 ("interp_flags", "obj"), ("execfd", "int"), ("argv", "list"), ("envp", "list")):
        typed(bp, k, t, "binprm")
    if args:
        need(bp.get("argv") == args, f"binprm.argv: {args} expected, got {bp.get('argv')}")
    check_image(typed(doc, "program", "obj", "") or {}, "program")
    interp = typed(doc, "interpreter", "obj?", "")
    if interp is not None:
        check_image(interp, "interpreter")
    lay = typed(doc, "layout", "obj", "") or {}
    typed(lay, "randomize", "bool", "layout")
    typed(lay, "personality", "hex", "layout")
    typed(lay, "gnu_properties", "str", "layout")
    need(lay.get("page_zero") in ("none", "map", "map-seal", "keep"),
         "layout.page_zero: %r" % (lay.get("page_zero"),))
    for i, m in enumerate(typed(doc, "mappings", "list", "") or []):
        w = f"mappings[{i}]"
        need(m.get("step") == i, f"{w}.step")
        need(m.get("kind") in ("reserve", "file", "zero", "anon", "unmap", "stack"), f"{w}.kind")
        need(m.get("what") in ("exe", "interp", "stack"), f"{w}.what")
        for k in ("start", "end", "size"):
            typed(m, k, "hex", w)
        typed(m, "offset", "hex" if m.get("kind") == "file" else "hex?", w)
        need(re.match(r"^[r-][w-][x-]$", str(m.get("prot"))), f"{w}.prot")
        pv = typed(m, "prot_value", "int", w)
        rwx = "".join(c if isinstance(pv, int) and pv & b else "-"
                      for c, b in (("r", 1), ("w", 2), ("x", 4)))
        need(rwx == m.get("prot"), f"{w}.prot_value {pv} agrees with prot {m.get('prot')}")
        need(int(m["end"], 16) - int(m["start"], 16) == int(m["size"], 16), f"{w}: size")
    brk = typed(doc, "brk", "obj", "") or {}
    typed(brk, "start_brk", "hex", "brk")
    typed(brk, "brk", "hex", "brk")
    st = typed(doc, "stack", "obj", "") or {}
    for k, t in (("top", "hex"), ("sp", "hex"), ("size", "hex"), ("rlimit", "hex?"),
                 ("argc", "int"), ("auxv_addr", "hex"), ("execfn", "obj"),
                 ("platform", "obj?"), ("random", "obj")):
        typed(st, k, t, "stack")
    for k in ("mapping", "args", "env"):
        check_range(st, k, "stack")
    sp, top = int(st["sp"], 16), int(st["top"], 16)
    need(sp % 16 == 0, "stack.sp: 16-byte aligned")
    need(top - sp == int(st["size"], 16), "stack: size == top - sp")
    need(st.get("argc") == len(bp.get("argv", [])), "stack.argc == len(binprm.argv)")
    check_vector(st, "argv", bp.get("argv"))
    check_vector(st, "envp", bp.get("envp"))
    need(re.match(r"^[0-9a-f]{32}$", str(st.get("random", {}).get("bytes"))), "stack.random.bytes")
    auxv = typed(doc, "auxv", "list", "") or []
    for i, a in enumerate(auxv):
        w = f"auxv[{i}]"
        need(a.get("index") == i, f"{w}.index")
        typed(a, "addr", "hex", w)
        typed(a, "key", "int", w)
        typed(a, "name", "str?", w)
        typed(a, "value", "hex", w)
        typed(a, "pointer", "bool", w)
    need(auxv and auxv[-1].get("name") == "AT_NULL", "auxv ends with AT_NULL")
    byname = {a.get("name"): a.get("value") for a in auxv}
    prog = doc.get("program", {})
    need(byname.get("AT_ENTRY") == prog.get("entry"), "AT_ENTRY == program.entry")
    need(byname.get("AT_PHDR") == prog.get("phdr"), "AT_PHDR == program.phdr")
    need(byname.get("AT_BASE") == (interp["load_bias"] if interp else "0x0"),
         "AT_BASE == the interpreter's load bias (0x0 without one)")
    need(byname.get("AT_RANDOM") == st.get("random", {}).get("addr"), "AT_RANDOM == stack.random.addr")
    need(byname.get("AT_EXECFN") == st.get("execfn", {}).get("addr"), "AT_EXECFN == stack.execfn.addr")
    entry = typed(doc, "entry", "hex", "")
    need(entry == (interp or prog).get("entry"), "entry == the interpreter's entry, else the program's")
    regs = typed(doc, "registers", "obj", "") or {}
    for k, v in regs.items():
        need(isinstance(v, str) and HEX.match(v), f"registers.{k}: hex")
    if doc.get("arch") == "x86_64":
        need(regs.get("rip") == entry, "registers.rip == entry")
        need(regs.get("rsp") == st.get("sp"), "registers.rsp == stack.sp")
        need(regs.get("rdx") == "0x0", "registers.rdx == 0x0")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
