"""Two-factor authentication (AUTH-7) on fakes: enrolment, confirmation, sign-in with a TOTP code
or a recovery code, replay, drift, the per-account budget, disabling."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from social.adapters.cache.memory_rate_limiter import InMemoryRateLimiter
from social.domain.accounts.disable_two_factor import DisableTwoFactor
from social.domain.accounts.enrol_totp import ConfirmTotpEnrolment, StartTotpEnrolment
from social.domain.accounts.jobs import SecurityEvent, SendSecurityNotice
from social.domain.accounts.log_in import LogIn, LogInCommand
from social.domain.accounts.second_factor import SecondFactor
from social.domain.accounts.two_factor import OtpRequired, hash_recovery_code
from social.domain.shared.errors import AuthenticationFailed, Conflict, Invalid, RateLimited
from social.domain.shared.identity import Viewer
from social.domain.shared.rate_limits import RateLimit
from tests.fakes.accounts import InMemoryUnitOfWork
from tests.fakes.two_factor import FakeOneTimeCodes
from tests.unit.harness import PASSWORD, Accounts

BUDGET = 8


@dataclass
class TwoFactor:
    accounts: Accounts
    codes: FakeOneTimeCodes
    start: StartTotpEnrolment
    confirm: ConfirmTotpEnrolment
    disable: DisableTwoFactor
    log_in: LogIn

    def code(self, secret: str, *, steps_from_now: int = 0) -> str:
        step = self.codes.time_step(self.accounts.clock.now()) + steps_from_now
        return self.codes.code_at(secret, step)

    async def enable(self, viewer: Viewer) -> tuple[str, list[str]]:
        """Two-factor on for ``viewer``: the secret and the recovery codes."""
        secret = (await self.start.execute(viewer, PASSWORD)).secret
        recovery = await self.confirm.execute(viewer, self.code(secret))
        self.accounts.clock.advance(seconds=30)  # the confirming code's step is spent
        return secret, recovery

    async def login(self, otp: str | None = None, login: str = "alice") -> str:
        tokens = await self.log_in.execute(LogInCommand(login=login, password=PASSWORD, otp=otp))
        return tokens.access_token


@pytest.fixture
def tf(accounts: Accounts) -> TwoFactor:
    codes, clock = FakeOneTimeCodes(), accounts.clock
    second = SecondFactor(
        codes=codes, clock=clock, limiter=InMemoryRateLimiter(), limit=RateLimit(BUDGET, 300)
    )

    def uow() -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(accounts.store)

    hasher = accounts.hasher
    return TwoFactor(
        accounts=accounts,
        codes=codes,
        start=StartTotpEnrolment(uow=uow, hasher=hasher, codes=codes, clock=clock, issuer="social"),
        confirm=ConfirmTotpEnrolment(uow=uow, second_factor=second, clock=clock),
        disable=DisableTwoFactor(uow=uow, hasher=hasher, second_factor=second),
        log_in=LogIn(
            uow=uow,
            hasher=hasher,
            tokens=accounts.authenticate._tokens,
            clock=clock,
            refresh_ttl=timedelta(days=1),
            second_factor=second,
        ),
    )


async def test_enrolment_needs_the_password_and_gives_a_provisioning_uri(tf: TwoFactor) -> None:
    _, _, alice = await tf.accounts.sign_up("alice")
    with pytest.raises(Invalid) as wrong:
        await tf.start.execute(alice, "not my password")
    assert wrong.value.errors[0].field == "password"
    found = await tf.start.execute(alice, PASSWORD)
    assert found.otpauth_uri == f"otpauth://totp/social%3Aalice?secret={found.secret}&issuer=social"
    assert not tf.accounts.user(alice).two_factor_enabled  # pending until confirmed
    assert await tf.login()  # signing in is unchanged meanwhile


async def test_confirmation_wants_the_current_code_then_gives_ten_recovery_codes(
    tf: TwoFactor,
) -> None:
    _, _, alice = await tf.accounts.sign_up("alice")
    with pytest.raises(Conflict):  # nothing to confirm yet
        await tf.confirm.execute(alice, "123456")
    secret = (await tf.start.execute(alice, PASSWORD)).secret
    with pytest.raises(Invalid) as wrong:
        await tf.confirm.execute(alice, tf.code(secret, steps_from_now=5))
    assert wrong.value.errors[0].field == "code"
    assert not tf.accounts.user(alice).two_factor_enabled
    recovery = await tf.confirm.execute(alice, tf.code(secret))
    assert len(recovery) == 10 and len(set(recovery)) == 10
    assert tf.accounts.user(alice).two_factor_enabled
    stored = {h for (user_id, h) in tf.accounts.store.recovery_codes if user_id == alice.user_id}
    assert stored == {hash_recovery_code(alice.user_id, code) for code in recovery}
    assert not any(code.encode() in h for code in recovery for h in stored)  # hashed only
    with pytest.raises(Conflict):  # on already: enrolling again is refused
        await tf.start.execute(alice, PASSWORD)


async def test_login_needs_the_code_once_two_factor_is_on(tf: TwoFactor) -> None:
    _, _, alice = await tf.accounts.sign_up("alice")
    secret, _ = await tf.enable(alice)
    with pytest.raises(OtpRequired):
        await tf.login()
    with pytest.raises(AuthenticationFailed) as wrong:
        await tf.login(tf.code(secret, steps_from_now=3))
    assert not isinstance(wrong.value, OtpRequired)
    assert await tf.login(tf.code(secret))


async def test_a_wrong_password_answers_as_before_whether_or_not_two_factor_is_on(
    tf: TwoFactor,
) -> None:
    _, _, alice = await tf.accounts.sign_up("alice")
    await tf.accounts.sign_up("bob")
    await tf.enable(alice)
    answers = []
    for login in ("alice", "bob"):
        with pytest.raises(AuthenticationFailed) as failed:
            await tf.log_in.execute(LogInCommand(login=login, password="wrong password 1"))
        answers.append((type(failed.value), failed.value.message))
    assert answers[0] == answers[1] == (AuthenticationFailed, answers[0][1])


async def test_a_code_cannot_be_replayed_and_drift_of_one_step_is_allowed(tf: TwoFactor) -> None:
    _, _, alice = await tf.accounts.sign_up("alice")
    secret, _ = await tf.enable(alice)
    code = tf.code(secret)
    assert await tf.login(code)
    with pytest.raises(AuthenticationFailed):
        await tf.login(code)  # the same code again, within its window
    earlier = tf.code(secret, steps_from_now=-1)
    with pytest.raises(AuthenticationFailed):
        await tf.login(earlier)  # a step before the last accepted one
    assert await tf.login(tf.code(secret, steps_from_now=1))  # the phone's clock a step ahead
    tf.accounts.clock.advance(seconds=90)
    assert await tf.login(tf.code(secret, steps_from_now=-1))  # a step behind
    with pytest.raises(AuthenticationFailed):
        await tf.login(tf.code(secret, steps_from_now=2))  # too far


async def test_a_recovery_code_works_once(tf: TwoFactor) -> None:
    _, _, alice = await tf.accounts.sign_up("alice")
    _, recovery = await tf.enable(alice)
    assert await tf.login(recovery[0].upper().replace("-", " "))  # case and separators ignored
    with pytest.raises(AuthenticationFailed):
        await tf.login(recovery[0])
    assert await tf.login(recovery[1])


async def test_code_checks_are_limited_per_account(tf: TwoFactor) -> None:
    _, _, alice = await tf.accounts.sign_up("alice")
    secret, _ = await tf.enable(alice)  # the confirmation was the first check
    for _ in range(BUDGET - 1):
        with pytest.raises(AuthenticationFailed):
            await tf.login("000000" if tf.code(secret) != "000000" else "111111")
    with pytest.raises(RateLimited):
        await tf.login(tf.code(secret))  # even the right code, until the window ends
    with pytest.raises(OtpRequired):
        await tf.login()  # no code, no check: nothing counted


async def test_disabling_needs_the_password_and_a_code(tf: TwoFactor) -> None:
    _, _, alice = await tf.accounts.sign_up("alice")
    secret, recovery = await tf.enable(alice)
    with pytest.raises(Invalid) as wrong:
        await tf.disable.execute(alice, "not my password", tf.code(secret))
    assert wrong.value.errors[0].field == "password"
    with pytest.raises(Invalid) as wrong:
        await tf.disable.execute(alice, PASSWORD, tf.code(secret, steps_from_now=4))
    assert wrong.value.errors[0].field == "otp"
    assert tf.accounts.user(alice).two_factor_enabled
    await tf.disable.execute(alice, PASSWORD, recovery[3])  # a lost phone: a recovery code does
    assert not tf.accounts.user(alice).two_factor_enabled
    assert not tf.accounts.store.totp and not tf.accounts.store.recovery_codes
    assert await tf.login()  # the password alone again
    with pytest.raises(Conflict):
        await tf.disable.execute(alice, PASSWORD, tf.code(secret))


async def test_the_composition_root_builds_the_two_factor_use_cases(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    found = await accounts.start_totp_enrolment.execute(alice, PASSWORD)
    assert found.otpauth_uri.startswith("otpauth://totp/social:alice?secret=")


async def test_turning_two_factor_on_and_off_mails_the_owner(tf: TwoFactor) -> None:
    _, _, alice = await tf.accounts.sign_up("alice")
    secret, _ = await tf.enable(alice)
    await tf.disable.execute(alice, PASSWORD, tf.code(secret))
    notices = [job for job in tf.accounts.store.jobs if isinstance(job, SendSecurityNotice)]
    assert notices == [
        SendSecurityNotice(alice.user_id, SecurityEvent.TWO_FACTOR_ENABLED),
        SendSecurityNotice(alice.user_id, SecurityEvent.TWO_FACTOR_DISABLED),
    ]
