"""The office libraries' `qn` with its answers kept gives their answers, everywhere they use it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import types

import pytest

from deliverables.backends import qnames


@pytest.mark.parametrize("library", ["pptx", "docx"])
def test_every_prefix_of_the_library_gets_the_same_clark_name(library):
    ns = pytest.importorskip(f"{library}.oxml.ns")
    original = getattr(ns.qn, "__wrapped__", ns.qn)
    remembered = qnames.remembering(original)
    prefixes = getattr(ns, "_nsmap", None) or ns.nsmap
    tags = [f"{prefix}:{local}" for prefix in prefixes for local in ("sp", "r", "tbl", "x", "ph")]
    for tag in tags + tags:  # the second time from what was kept
        assert remembered(tag) == original(tag)
    with pytest.raises(KeyError):
        remembered("nosuchprefix:sp")  # an unknown prefix stays an error, never kept


def test_install_reaches_the_modules_that_imported_qn_and_leaves_other_qn_alone():
    calls = []

    def qn(tag):
        calls.append(tag)
        return "{urn:x}" + tag.partition(":")[2]

    ns = types.ModuleType("fakelib.ns")
    ns.qn = qn
    user = types.ModuleType("fakelib.user")
    user.qn = qn
    other = types.ModuleType("elsewhere")
    other.qn = lambda tag: tag
    names = {"fakelib.ns": ns, "fakelib.user": user, "elsewhere": other}
    sys.modules.update(names)
    try:
        qnames.install(ns)
        assert ns.qn is user.qn and ns.qn is not qn and ns.qn.__wrapped__ is qn
        assert other.qn("a:b") == "a:b"
        assert [user.qn("a:b") for _ in range(3)] == ["{urn:x}b"] * 3
        assert calls == ["a:b"]  # asked once, then remembered
        installed = ns.qn
        qnames.install(ns)  # a second install changes nothing
        assert ns.qn is installed and user.qn is installed
    finally:
        for name in names:
            sys.modules.pop(name)


def test_the_backends_install_it_as_they_are_imported():
    code = textwrap.dedent(
        """
        import deliverables.backends.slides.base, deliverables.backends.word.kit
        import pptx.oxml.xmlchemy, docx.oxml.xmlchemy, pptx.oxml.ns, docx.oxml.ns
        for module in (pptx.oxml.xmlchemy, docx.oxml.xmlchemy, pptx.oxml.ns, docx.oxml.ns):
            assert hasattr(module.qn, "__wrapped__"), module
        print("ok")
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.stdout.strip() == "ok", done.stderr
