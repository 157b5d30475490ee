#!/usr/bin/env python3
"""Builds common-passwords.txt, the list `auth::password_policy` refuses.

Source: the 30,000-entry password frequency list embedded in the `zxcvbn` crate (MIT,
`src/frequency_lists.rs`, constant PASSWORDS, most frequent first). Kept from it:
  * every entry of 10 characters or more (shorter ones fail the length rule anyway), and
  * entries of 4 to 9 letters among the 10,000 most frequent, which the policy matches
    against the "core" of a password (digits and symbols trimmed at both ends, l33t undone),
    so `password12`, `P@ssw0rd2026!` and `dragon12345` are refused too;
plus Vietnamese-typical passwords and cores (below). Lower-case, sorted, one per line.

Usage: python3 common_passwords.py PATH/TO/zxcvbn-3.x/src/frequency_lists.rs > common-passwords.txt
"""
import re
import sys

VIETNAMESE = """
matkhau matkhau123 matkhau@123 matkhau1234 matkhaumoi matkhau123456 123456789a 123456aa@
1234567890a 12345678a@ 123456789@ 1234567890@ anhyeuem anhyeuem123 anhyeuem1 emyeuanh
emyeuanh123 yeuem yeuanh yeuemnhieu anhyeuemnhieu vietnam vietnam123 vietnam1234 hanoi
hanoi123 hanoi1234 saigon saigon123 hochiminh hochiminh123 nguyen nguyen123 quantri
quantri123 quantrivien admin123456 admin@123 abc@12345 abcd@1234 0123456789 0987654321
123456789abc thanthien thanthien123 ubndxa ubndxa123 motcua motcua123 chinhquyen
matkhauxa xinchao xinchao123 tuanh iloveyou123 12345678910 111111111a 1111111111
""".split()


def main() -> None:
    src = open(sys.argv[1], encoding="utf-8").read()
    words = re.search(r'const PASSWORDS: &str = "([^"]*)"', src).group(1).split(",")
    keep = {w for w in words if len(w) >= 10}
    keep |= {w for w in words[:10000] if w.isalpha() and 4 <= len(w) <= 9}
    keep |= set(VIETNAMESE)
    print("# Common passwords refused by auth::password_policy; built by common_passwords.py.")
    for w in sorted(w.lower() for w in keep if w.isascii() and w.isprintable() and "," not in w):
        print(w)


if __name__ == "__main__":
    main()
