"""Devicetree preprocessor functions for Kconfiglib, reading Gale's edt.json.

Kconfiglib imports this module through the KCONFIG_FUNCTIONS environment variable; the edt.json
path comes from GALE_EDT_JSON (unset: no devicetree, every function answers n or 0). The semantics
mirror gale-kconfig's built-in dt_* functions so that both can be compared in tests.
"""
import json
import os

_EDT = None
_LOADED = False


def _edt():
    global _EDT, _LOADED
    if not _LOADED:
        _LOADED = True
        path = os.environ.get("GALE_EDT_JSON")
        if path:
            with open(path, encoding="utf-8") as f:
                _EDT = json.load(f)
    return _EDT


def _nodes():
    edt = _edt()
    return edt.get("nodes", []) if edt else []


def _by_path(path):
    for node in _nodes():
        if node.get("path") == path:
            return node
    return None


def _by_label(label):
    for node in _nodes():
        if label in node.get("labels", []):
            return node
    return None


def _by_table(table, name):
    edt = _edt()
    if not edt:
        return None
    path = edt.get(table, {}).get(name)
    return _by_path(path) if path is not None else None


def _okay(node):
    return node is not None and bool(node.get("okay", False))


def _yn(value):
    return "y" if value else "n"


def _shift(unit):
    if not unit:
        return 0
    return {"k": 10, "m": 20, "g": 30}.get(unit[0].lower(), 0)


def _reg(node, index, unit, want_size):
    if node is None:
        return 0
    try:
        i = int(index)
    except ValueError:
        return 0
    regs = node.get("reg", [])
    if i < 0 or i >= len(regs):
        return 0
    entry = regs[i]
    value = entry[1] if want_size else entry[0]
    if len(entry) < 2 and want_size:
        value = 0
    return value >> _shift(unit)


def _fmt(value, name):
    return hex(value) if name.endswith("_hex") else str(value)


def dt_compat_enabled(kconf, _, compat):
    return _yn(any(_okay(n) and compat in n.get("compatible", []) for n in _nodes()))


def dt_chosen_enabled(kconf, _, chosen):
    return _yn(_okay(_by_table("chosen", chosen)))


def dt_nodelabel_enabled(kconf, _, label):
    return _yn(_okay(_by_label(label)))


def dt_path_enabled(kconf, _, path):
    return _yn(_okay(_by_path(path)))


def dt_alias_enabled(kconf, _, alias):
    return _yn(_okay(_by_table("aliases", alias)))


def dt_chosen_reg(kconf, name, chosen, index="0", unit=None):
    node = _by_table("chosen", chosen)
    return _fmt(_reg(node, index, unit, "_size_" in name), name)


def dt_nodelabel_reg(kconf, name, label, index="0", unit=None):
    node = _by_label(label)
    return _fmt(_reg(node, index, unit, "_size_" in name), name)


def dt_node_int_prop(kconf, name, path, prop, unit=None):
    node = _by_path(path)
    value = 0
    if node is not None:
        v = node.get("props", {}).get(prop)
        if isinstance(v, int) and not isinstance(v, bool):
            value = v >> _shift(unit)
    return _fmt(value, name)


def dt_has_prop(kconf, name, key, prop):
    node = _by_path(key) if name == "dt_node_has_prop" else _by_label(key)
    return _yn(node is not None and prop in node.get("props", {}))


functions = {
    "dt_compat_enabled": (dt_compat_enabled, 1, 1),
    "dt_chosen_enabled": (dt_chosen_enabled, 1, 1),
    "dt_nodelabel_enabled": (dt_nodelabel_enabled, 1, 1),
    "dt_path_enabled": (dt_path_enabled, 1, 1),
    "dt_alias_enabled": (dt_alias_enabled, 1, 1),
    "dt_chosen_reg_addr_hex": (dt_chosen_reg, 1, 3),
    "dt_chosen_reg_addr_int": (dt_chosen_reg, 1, 3),
    "dt_chosen_reg_size_hex": (dt_chosen_reg, 1, 3),
    "dt_chosen_reg_size_int": (dt_chosen_reg, 1, 3),
    "dt_nodelabel_reg_addr_hex": (dt_nodelabel_reg, 1, 3),
    "dt_nodelabel_reg_addr_int": (dt_nodelabel_reg, 1, 3),
    "dt_nodelabel_reg_size_hex": (dt_nodelabel_reg, 1, 3),
    "dt_nodelabel_reg_size_int": (dt_nodelabel_reg, 1, 3),
    "dt_node_int_prop_int": (dt_node_int_prop, 2, 3),
    "dt_node_int_prop_hex": (dt_node_int_prop, 2, 3),
    "dt_nodelabel_has_prop": (dt_has_prop, 2, 2),
    "dt_node_has_prop": (dt_has_prop, 2, 2),
}
