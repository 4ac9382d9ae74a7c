"""Textbook exercises with their published answers: closures, keys, covers, normal forms,
projections, the chase, 3NF synthesis and BCNF decomposition.

Sources (editions named once here):
* U&W — Ullman & Widom, A First Course in Database Systems, 3rd ed.
* SKS — Silberschatz, Korth & Sudarshan, Database System Concepts, 6th ed.
* E&N — Elmasri & Navathe, Fundamentals of Database Systems, 7th ed.
* R&G — Ramakrishnan & Gehrke, Database Management Systems, 3rd ed.
* Date — C. J. Date, An Introduction to Database Systems, 8th ed.
* Maier — D. Maier, The Theory of Relational Databases, 1983.
"""

from __future__ import annotations

import pytest

from dbarch.normalize.forms import NormalForm
from tests.normalize.notation import fd_text, letters, named_relation, relation

# --------------------------------------------------------------------------- closures


def test_closure_uw_example_3_8() -> None:
    # U&W Sect. 3.2.4, closure example: {A,B}+ = {A,B,C,D,E} under AB->C, BC->AD, D->E, CF->B
    r = relation("ABCDEF", "AB->C; BC->AD; D->E; CF->B")
    assert "".join(r.closure("AB")) == "ABCDE"
    assert "".join(r.closure("D")) == "DE"  # so D -> A does not follow


def test_closure_sks_ag() -> None:
    # SKS Sect. 8.4.2: (AG)+ = ABCGHI under A->B, A->C, CG->H, CG->I, B->H
    r = relation("ABCGHI", "A->B; A->C; CG->H; CG->I; B->H")
    assert "".join(r.closure("AG")) == "ABCGHI"
    assert r.candidate_keys() == [("A", "G")]


def test_closure_maier() -> None:
    # Maier Example 4.3 (closure): (AE)+ = ACDEI under A->D, AB->E, BI->E, CD->I, E->C
    r = relation("ABCDEI", "A->D; AB->E; BI->E; CD->I; E->C")
    assert "".join(r.closure("AE")) == "ACDEI"


def test_closure_date() -> None:
    # Date Exercise 11.x: A->BC, B->E, CD->EF imply AD->F
    r = relation("ABCDEF", "A->BC; B->E; CD->EF")
    assert "F" in r.closure("AD")


# --------------------------------------------------------------------------- keys


@pytest.mark.parametrize(
    ("source", "attributes", "fds", "keys"),
    [
        ("U&W Ex. 3.2.1 / 3.3.1(a)", "ABCD", "AB->C; C->D; D->A", {"AB", "BC", "BD"}),
        ("U&W Ex. 3.3.1(b)", "ABCD", "B->C; B->D", {"AB"}),
        ("U&W Ex. 3.3.1(c)", "ABCD", "AB->C; BC->D; CD->A; AD->B", {"AB", "AD", "BC", "CD"}),
        ("U&W Ex. 3.3.1(d)", "ABCD", "A->B; B->C; C->D; D->A", {"A", "B", "C", "D"}),
        ("U&W Ex. 3.3.1(e)", "ABCDE", "AB->C; DE->C; B->D", {"ABE"}),
        ("U&W Ex. 3.3.1(f)", "ABCDE", "AB->C; C->D; D->B; D->E", {"AB", "AC", "AD"}),
        ("SKS Practice Ex. 8.6", "ABCDE", "A->BC; CD->E; B->D; E->A", {"A", "E", "BC", "CD"}),
        ("R&G Ex. 19.2", "ABCDE", "A->B; BC->E; ED->A", {"ACD", "BCD", "CDE"}),
        ("U&W Example 3.27 (synthesis)", "ABCDE", "AB->C; C->B; A->D", {"ABE", "ACE"}),
    ],
)
def test_candidate_keys(source: str, attributes: str, fds: str, keys: set[str]) -> None:
    assert letters(relation(attributes, fds).candidate_keys()) == keys, source


# --------------------------------------------------------------------------- covers


def test_canonical_cover_sks() -> None:
    # SKS Sect. 8.4.3: the canonical cover of A->BC, B->C, A->B, AB->C is A->B, B->C
    assert fd_text(relation("ABC", "A->BC; B->C; A->B; AB->C").minimal_cover()) == {
        "A->B",
        "B->C",
    }


def test_canonical_cover_sks_practice() -> None:
    # SKS Practice Ex. 8.? (F = A->BC, CD->E, B->D, E->A): F is already canonical
    cover = relation("ABCDE", "A->BC; CD->E; B->D; E->A").minimal_cover()
    assert fd_text(cover) == {"A->B", "A->C", "CD->E", "B->D", "E->A"}


def test_minimal_cover_en_example_1() -> None:
    # E&N Sect. 14.2.4, Example 1: minimal cover of B->A, D->A, AB->D is B->D, D->A
    assert fd_text(relation("ABD", "B->A; D->A; AB->D").minimal_cover()) == {"B->D", "D->A"}


def test_minimal_cover_en_example_2() -> None:
    # E&N Sect. 14.2.4, Example 2: A->B, ABCD->E, EF->G, EF->H, ACDF->EG
    # has the minimal cover A->B, ACD->E, EF->G, EF->H
    cover = relation("ABCDEFGH", "A->B; ABCD->E; EF->G; EF->H; ACDF->EG").minimal_cover()
    assert fd_text(cover) == {"A->B", "ACD->E", "EF->G", "EF->H"}


def test_irreducible_cover_date() -> None:
    # Date Sect. 11.6: A->BC, B->C, A->B, AB->C, AC->D is irreducibly A->B, B->C, A->D
    cover = relation("ABCD", "A->BC; B->C; A->B; AB->C; AC->D").minimal_cover()
    assert fd_text(cover) == {"A->B", "B->C", "A->D"}


def test_minimal_cover_en_lots1a() -> None:
    # E&N Sect. 15.3 (3NF synthesis of LOTS1A): minimal cover P->Lot, P->Area,
    # County Lot->P, Area->County
    r = named_relation(
        "P, County, Lot, Area", "P -> County, Lot, Area; County, Lot -> P, Area; Area -> County"
    )
    cover = {(fd.lhs, fd.rhs) for fd in r.minimal_cover()}
    assert cover == {
        (("P",), ("Lot",)),
        (("P",), ("Area",)),
        (("County", "Lot"), ("P",)),
        (("Area",), ("County",)),
    }


# --------------------------------------------------------------------------- projection


def test_projection_uw() -> None:
    # U&W Sect. 3.2.8 (projecting FDs): A->B, B->C, C->D projected onto ACD is A->C, C->D
    r = relation("ABCD", "A->B; B->C; C->D")
    assert fd_text(r.project("ACD")) == {"A->C", "C->D"}


@pytest.mark.parametrize(
    ("onto", "cover", "form"),
    [
        ("ABC", {"AB->C", "AC->B", "BC->A"}, NormalForm.BCNF),
        ("ABCD", {"AB->C", "AC->B", "BC->A", "B->D"}, NormalForm.NF1),
        # B->D and AD->E give AB->E: keys AB, AC, BC, and E->G is transitive
        ("ABCEG", {"AB->C", "AC->B", "BC->A", "AB->E", "E->G"}, NormalForm.NF2),
        ("CDEGH", {"E->G"}, NormalForm.NF1),
        ("ACEH", {"AC->E"}, NormalForm.NF1),
    ],
)
def test_projection_rg_19_7(onto: str, cover: set[str], form: NormalForm) -> None:
    # R&G Ex. 19.7: R = ABCDEGH, F = AB->C, AC->B, AD->E, B->D, BC->A, E->G
    r = relation("ABCDEGH", "AB->C; AC->B; AD->E; B->D; BC->A; E->G")
    projected = r.project(onto)
    assert fd_text(projected) == cover
    part = relation(onto, "; ".join(sorted(cover)))
    assert part.normal_form() is form


# --------------------------------------------------------------------------- normal forms


@pytest.mark.parametrize(
    ("source", "attributes", "fds", "form"),
    [
        ("U&W Ex. 3.5.1(a): all attributes prime", "ABCD", "AB->C; C->D; D->A", NormalForm.NF3),
        ("U&W Ex. 3.5.1(b)", "ABCD", "B->C; B->D", NormalForm.NF1),
        ("U&W Ex. 3.3.1(c)", "ABCD", "AB->C; BC->D; CD->A; AD->B", NormalForm.BCNF),
        ("U&W Ex. 3.3.1(d)", "ABCD", "A->B; B->C; C->D; D->A", NormalForm.BCNF),
        ("R&G Ex. 19.2: in 3NF, not BCNF", "ABCDE", "A->B; BC->E; ED->A", NormalForm.NF3),
        ("R&G Ex. 19.3(1)", "ABCD", "C->D; C->A; B->C", NormalForm.NF2),
        ("R&G Ex. 19.3(2)", "ABCD", "B->C; D->A", NormalForm.NF1),
        ("R&G Ex. 19.3(3)", "ABCD", "ABC->D; D->A", NormalForm.NF3),
        ("R&G Ex. 19.3(4)", "ABCD", "A->B; BC->D; A->C", NormalForm.NF2),
        ("R&G Ex. 19.3(5)", "ABCD", "AB->C; AB->D; C->A; D->B", NormalForm.NF3),
        ("R&G Sect. 19.4, Hourly_Emps SNLRWH", "SNLRWH", "S->SNLRWH; R->W", NormalForm.NF2),
    ],
)
def test_normal_form(source: str, attributes: str, fds: str, form: NormalForm) -> None:
    assert relation(attributes, fds).normal_form() is form, source


def test_en_emp_proj_is_1nf_with_partial_dependencies() -> None:
    # E&N Sect. 14.3.4, EMP_PROJ: key {Ssn, Pnumber}; Ssn->Ename and
    # Pnumber->Pname, Plocation are partial dependencies (so only 1NF)
    r = named_relation(
        "Ssn, Pnumber, Hours, Ename, Pname, Plocation",
        "Ssn, Pnumber -> Hours; Ssn -> Ename; Pnumber -> Pname, Plocation",
    )
    assert r.normal_form() is NormalForm.NF1
    partial = {(v.fd.lhs, v.fd.rhs) for v in r.violations(NormalForm.NF2)}
    assert partial == {
        (("Ssn",), ("Ename",)),
        (("Pnumber",), ("Pname",)),
        (("Pnumber",), ("Plocation",)),
    }
    assert {v.breaks for v in r.violations(NormalForm.NF2)} == {NormalForm.NF2}


def test_en_emp_dept_is_2nf_with_transitive_dependency() -> None:
    # E&N Sect. 14.3.5, EMP_DEPT: Ssn -> Dnumber -> Dname, Dmgr_ssn (transitive)
    r = named_relation(
        "Ename, Ssn, Bdate, Address, Dnumber, Dname, Dmgr_ssn",
        "Ssn -> Ename, Bdate, Address, Dnumber; Dnumber -> Dname, Dmgr_ssn",
    )
    assert r.normal_form() is NormalForm.NF2
    [first, second] = r.violations(NormalForm.NF3)
    assert (first.fd.lhs, first.fd.rhs) == (("Dnumber",), ("Dname",))
    assert (second.fd.lhs, second.fd.rhs) == (("Dnumber",), ("Dmgr_ssn",))
    assert first.decomposition[0].columns == ("Dnumber", "Dname", "Dmgr_ssn")
    assert first.decomposition[1].columns == ("Ename", "Ssn", "Bdate", "Address", "Dnumber")


def test_en_lots_is_1nf() -> None:
    # E&N Sect. 14.4, LOTS: County_name -> Tax_rate is a partial dependency on the key
    # {County_name, Lot}; Area -> Price is transitive
    r = named_relation(
        "Property_id, County_name, Lot, Area, Price, Tax_rate",
        "Property_id -> County_name, Lot, Area, Price, Tax_rate; "
        "County_name, Lot -> Property_id, Area, Price, Tax_rate; "
        "County_name -> Tax_rate; Area -> Price",
    )
    assert set(r.candidate_keys()) == {("Property_id",), ("County_name", "Lot")}
    assert r.normal_form() is NormalForm.NF1
    [breaking] = r.violations(NormalForm.NF2)
    assert (breaking.fd.lhs, breaking.fd.rhs) == (("County_name",), ("Tax_rate",))
    assert "proper part of the key (County_name, Lot)" in breaking.reason


def test_sks_dept_advisor_3nf_not_bcnf() -> None:
    # SKS Sect. 8.3.4: dept_advisor(s_ID, i_ID, dept_name) is in 3NF but not BCNF
    r = named_relation("s_ID, i_ID, dept_name", "i_ID -> dept_name; s_ID, dept_name -> i_ID")
    assert set(r.candidate_keys()) == {("s_ID", "i_ID"), ("s_ID", "dept_name")}
    assert r.normal_form() is NormalForm.NF3
    [violation] = r.violations(NormalForm.BCNF)
    assert violation.breaks is NormalForm.BCNF
    assert (violation.fd.lhs, violation.fd.rhs) == (("i_ID",), ("dept_name",))


# --------------------------------------------------------------------------- the chase


@pytest.mark.parametrize(
    ("case", "fds", "lossless"),
    [
        ("a", "B->E; CE->A", False),
        ("b", "AC->E; BC->D", True),
        ("c", "A->D; D->E; B->D", True),
        ("d", "A->D; CD->E; E->D", False),
    ],
)
def test_chase_uw_3_4_1(case: str, fds: str, lossless: bool) -> None:
    # U&W Ex. 3.4.1: R(A,B,C,D,E) decomposed into ABC, BCD, ACE
    assert relation("ABCDE", fds).is_lossless(["ABC", "BCD", "ACE"]) is lossless, case


def test_chase_sks_practice_8_1() -> None:
    # SKS Practice Ex. 8.1: (A,B,C), (A,D,E) is lossless under A->BC, CD->E, B->D, E->A;
    # (A,B,C), (C,D,E) is not (SKS Practice Ex. 8.? / Sect. 8.4.4)
    r = relation("ABCDE", "A->BC; CD->E; B->D; E->A")
    assert r.is_lossless(["ABC", "ADE"])
    assert not r.is_lossless(["ABC", "CDE"])


def test_dependency_preservation_sks() -> None:
    # SKS Practice Ex. 8.? : (A,B,C), (A,D,E) is not dependency-preserving; CD->E and B->D
    # are lost
    r = relation("ABCDE", "A->BC; CD->E; B->D; E->A")
    assert fd_text(r.lost_dependencies(["ABC", "ADE"])) == {"CD->E", "B->D"}


# --------------------------------------------------------------------------- 3NF synthesis


@pytest.mark.parametrize(
    ("source", "attributes", "fds", "parts"),
    [
        ("U&W Example 3.27", "ABCDE", "AB->C; C->B; A->D", {"ABC", "AD", "ABE"}),
        ("U&W Ex. 3.5.1(b)", "ABCD", "B->C; B->D", {"BCD", "AB"}),
        (
            "SKS Practice Ex. 8.? (3NF of A->BC, CD->E, B->D, E->A)",
            "ABCDE",
            "A->BC; CD->E; B->D; E->A",
            {"ABC", "CDE", "BD", "AE"},
        ),
        (
            "E&N Ex. 14.19",
            "ABCDEFGHIJ",
            "AB->C; A->DE; B->F; F->GH; D->IJ",
            {"ABC", "ADE", "BF", "FGH", "DIJ"},
        ),
        (
            "E&N Ex. 14.20",
            "ABCDEFGHIJ",
            "AB->C; BD->EF; AD->GH; A->I; H->J",
            {"ABC", "BDEF", "ADGH", "AI", "HJ", "ABD"},
        ),
        ("R&G Sect. 19.4, Hourly_Emps", "SNLRWH", "S->SNLRWH; R->W", {"SNLRH", "RW"}),
    ],
)
def test_synthesis(source: str, attributes: str, fds: str, parts: set[str]) -> None:
    r = relation(attributes, fds)
    result = r.synthesize_3nf()
    assert {"".join(sorted(p)) for p in result} == {"".join(sorted(p)) for p in parts}, source
    assert r.is_lossless(result)
    assert r.lost_dependencies(result) == []


def test_synthesis_en_emp_proj() -> None:
    # E&N Sect. 15.3.1, Algorithm 15.4 example: U(Emp_ssn, Pno, Esal, Ephone, Dno, Pname,
    # Plocation) synthesizes into R1(Emp_ssn, Esal, Ephone, Dno), R2(Pno, Pname, Plocation)
    # and the key relation R3(Emp_ssn, Pno)
    r = named_relation(
        "Emp_ssn, Pno, Esal, Ephone, Dno, Pname, Plocation",
        "Emp_ssn -> Esal, Ephone, Dno; Pno -> Pname, Plocation; "
        "Emp_ssn, Pno -> Esal, Ephone, Dno, Pname, Plocation",
    )
    assert set(r.synthesize_3nf()) == {
        ("Emp_ssn", "Esal", "Ephone", "Dno"),
        ("Pno", "Pname", "Plocation"),
        ("Emp_ssn", "Pno"),
    }


def test_synthesis_sks_cust_banker_branch() -> None:
    # SKS Sect. 8.5.2: cust_banker_branch synthesizes into one relation, because
    # (employee_id, branch_name) is contained in (customer_id, branch_name, employee_id, type)
    r = named_relation(
        "customer_id, employee_id, branch_name, type",
        "customer_id, branch_name -> employee_id, type; employee_id -> branch_name",
    )
    assert r.synthesize_3nf() == [("customer_id", "employee_id", "branch_name", "type")]


# --------------------------------------------------------------------------- BCNF


@pytest.mark.parametrize(
    ("source", "attributes", "fds", "parts", "lost"),
    [
        ("U&W Ex. 3.3.1(a)", "ABCD", "AB->C; C->D; D->A", {"AD", "CD", "BC"}, {"AB->C"}),
        ("U&W Ex. 3.3.1(b)", "ABCD", "B->C; B->D", {"BCD", "AB"}, set()),
        ("U&W Ex. 3.3.1(c)", "ABCD", "AB->C; BC->D; CD->A; AD->B", {"ABCD"}, set()),
        ("U&W Ex. 3.3.1(e)", "ABCDE", "AB->C; DE->C; B->D", {"BD", "ABC", "ABE"}, {"DE->C"}),
        (
            "U&W Ex. 3.3.1(f)",
            "ABCDE",
            "AB->C; C->D; D->B; D->E",
            {"AC", "BDE", "CD"},
            {"AB->C"},
        ),
        ("SKS Practice Ex. 8.?", "ABCDE", "A->BC; CD->E; B->D; E->A", {"BD", "ABCE"}, {"CD->E"}),
        ("R&G Ex. 19.3(1)", "ABCD", "C->D; C->A; B->C", {"ACD", "BC"}, set()),
        ("R&G Ex. 19.3(2)", "ABCD", "B->C; D->A", {"BC", "AD", "BD"}, set()),
        ("R&G Ex. 19.3(3)", "ABCD", "ABC->D; D->A", {"AD", "BCD"}, {"ABC->D"}),
        ("R&G Ex. 19.3(4)", "ABCD", "A->B; BC->D; A->C", {"BCD", "ABC"}, set()),
        (
            "R&G Ex. 19.3(5)",
            "ABCD",
            "AB->C; AB->D; C->A; D->B",
            {"AC", "BD", "CD"},
            {"AB->C", "AB->D"},
        ),
    ],
)
def test_bcnf(source: str, attributes: str, fds: str, parts: set[str], lost: set[str]) -> None:
    r = relation(attributes, fds)
    result = r.decompose_bcnf()
    got = {"".join(sorted(p.columns)) for p in result.parts}
    assert got == {"".join(sorted(p)) for p in parts}, source
    assert fd_text(list(result.lost)) == lost, source
    assert r.is_lossless([p.columns for p in result.parts])


def test_bcnf_sks_class() -> None:
    # SKS Sect. 8.3.2: class(course_id, title, dept_name, credits, sec_id, semester, year,
    # building, room_number, capacity, time_slot_id) decomposes into course, classroom and
    # section, losing nothing
    r = named_relation(
        "course_id, title, dept_name, credits, sec_id, semester, year, building, "
        "room_number, capacity, time_slot_id",
        "course_id -> title, dept_name, credits; building, room_number -> capacity; "
        "course_id, sec_id, semester, year -> building, room_number, time_slot_id",
    )
    result = r.decompose_bcnf()
    assert {p.columns for p in result.parts} == {
        ("course_id", "title", "dept_name", "credits"),
        ("building", "room_number", "capacity"),
        ("course_id", "sec_id", "semester", "year", "building", "room_number", "time_slot_id"),
    }
    assert result.lost == ()


def test_bcnf_en_lots1a() -> None:
    # E&N Sect. 14.5: LOTS1A with Area -> County_name decomposes into
    # (Area, County_name) and (Property_id, Lot, Area); FD2 (County_name, Lot -> ...) is lost
    r = named_relation(
        "Property_id, County_name, Lot, Area",
        "Property_id -> County_name, Lot, Area; County_name, Lot -> Property_id, Area; "
        "Area -> County_name",
    )
    assert r.normal_form() is NormalForm.NF3
    result = r.decompose_bcnf()
    assert {p.columns for p in result.parts} == {
        ("County_name", "Area"),
        ("Property_id", "Lot", "Area"),
    }
    assert [(fd.lhs, fd.rhs) for fd in result.lost] == [(("County_name", "Lot"), ("Property_id",))]
