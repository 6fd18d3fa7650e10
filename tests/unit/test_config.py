"""The database setting: environment first, then the secrets file, then SQLite."""

from office_core import config


def test_environment_wins_over_the_secrets_file(tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('database_url = "postgresql+psycopg://a@b/c"\n')
    monkeypatch.setattr(config, "SECRETS", secrets)
    monkeypatch.setenv("DWIGITAL_DATABASE_URL", "sqlite:///x.db")

    assert config.database_url() == "sqlite:///x.db"


def test_the_secrets_file_is_read_by_the_command_line_too(tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('database_url = "postgresql+psycopg://a@b/c"\n')
    monkeypatch.setattr(config, "SECRETS", secrets)
    monkeypatch.delenv("DWIGITAL_DATABASE_URL", raising=False)

    assert config.database_url() == "postgresql+psycopg://a@b/c"


def test_without_settings_the_embedded_sqlite_file_is_used(tmp_path, monkeypatch):
    broken = tmp_path / "secrets.toml"
    broken.write_text("database_url = [not toml")
    monkeypatch.setattr(config, "SECRETS", broken)
    monkeypatch.delenv("DWIGITAL_DATABASE_URL", raising=False)

    assert config.database_url() == f"sqlite:///{config.DEFAULT_SQLITE}"
