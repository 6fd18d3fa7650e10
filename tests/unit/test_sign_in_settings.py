"""The sign-in policy and the token key come from the environment or defaults."""

import stat

from office_core import config


def test_the_policy_defaults_to_five_failures_fifteen_minutes_thirty_idle():
    policy = config.sign_in_policy()

    assert (policy.max_failed_attempts, policy.lock_minutes) == (5, 15)
    assert (policy.idle_minutes, policy.min_password_length) == (30, 10)


def test_the_policy_reads_the_environment_and_ignores_nonsense(monkeypatch):
    monkeypatch.setenv("DWIGITAL_LOCK_MINUTES", "60")
    monkeypatch.setenv("DWIGITAL_IDLE_MINUTES", "-5")
    monkeypatch.setenv("DWIGITAL_MAX_FAILED_ATTEMPTS", "tiga")

    policy = config.sign_in_policy()

    assert (policy.lock_minutes, policy.idle_minutes) == (60, 30)
    assert policy.max_failed_attempts == 5


def test_without_a_configured_key_one_is_generated_once_and_kept(monkeypatch, tmp_path):
    monkeypatch.delenv("DWIGITAL_SECRET_KEY")
    monkeypatch.setattr(config, "SECRETS", tmp_path / "tidak-ada.toml")
    monkeypatch.setattr(config, "SECRET_KEY_FILE", tmp_path / "data" / "secret_key")

    first, second = config.secret_key(), config.secret_key()

    assert first == second and len(first) >= 48
    saved = tmp_path / "data" / "secret_key"
    assert saved.read_text().strip() == first
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600


def test_a_configured_key_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("DWIGITAL_SECRET_KEY", "kunci-bersama-semua-salinan")
    monkeypatch.setattr(config, "SECRET_KEY_FILE", tmp_path / "secret_key")

    assert config.secret_key() == "kunci-bersama-semua-salinan"
    assert not (tmp_path / "secret_key").exists()


def test_the_policy_reads_numbers_from_the_secrets_file(monkeypatch, tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('lock_minutes = 45\nidle_minutes = "20"\n')
    monkeypatch.setattr(config, "SECRETS", secrets)

    policy = config.sign_in_policy()

    assert (policy.lock_minutes, policy.idle_minutes) == (45, 20)
