"""A small list of passwords too common to allow (those long enough to pass the length rule).

Drawn from public breach-frequency lists; compared case-insensitively.
"""

from __future__ import annotations

__all__ = ["COMMON_PASSWORDS"]

COMMON_PASSWORDS = frozenset(
    """
    1234567890 0123456789 12345678910 123456789a 123456789q a123456789 q123456789 1234567890q
    1q2w3e4r5t 1q2w3e4r5t6y 1qaz2wsx3edc qwertyuiop qwertyuiop1 qwerty1234 qwerty12345
    qwerty123456 asdfghjkl1 asdfghjkl; zxcvbnm123 1qazxsw23edc zaq12wsxcde3 q1w2e3r4t5
    q1w2e3r4t5y6 password10 password11 password12 password123 password1234 password12345
    password123! passw0rd123 p@ssw0rd123 p@ssword123 iloveyou12 iloveyou123 iloveyou1234
    sunshine123 princess123 football123 baseball123 welcome123 welcome1234 letmein123
    letmein1234 monkey12345 dragon12345 master12345 shadow12345 superman123 batman12345
    trustno1234 whatever123 computer123 michael123 jennifer123 charlie123 starwars123
    123qweasdzxc 123qweasd123 qweasdzxc123 abc1234567 abcd123456 abcdefghij abcdefg123
    administrator admin12345 admin123456 changeme123 default1234 secret1234 test123456
    testtest123 1111111111 2222222222 5555555555 7777777777 9999999999 0000000000 1212121212
    1234512345 1122334455 1234554321 0987654321 9876543210 aaaaaaaaaa qqqqqqqqqq
    lovelove123 chocolate1 basketball soccer1234 hellohello helloworld helloworld1
    helloworld123 newpassword mypassword mypassword1 mypassword123 thisisapassword
    passwordpassword sayang1234 indonesia1 indonesia123 bismillah123 rahasia123 katasandi
    katasandi123 jakarta123 bandung123 surabaya123 cintaku123 1234qwer!@#$ !qaz2wsx
    """.split()  # noqa: SIM905 - a word list reads best as text
)
