"""Two-factor keys are kept only sealed: each stored key is sealed into ``totp_secret_sealed`` with
a key derived from the secret key, then the plain columns go. A two-factor set-up half done when
this runs starts again with a new key (the session's plain pending key is dropped).

Written with a table and the sealing defined here rather than the application's, so later changes
to those cannot change what this migration did. The sealing is that of ``panel/accounts/sealing.py``
(Fernet under an HKDF-SHA256 key, info "panel two-factor secrets v1").
"""

import base64

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Text, Varchar
from piccolo.table import Table

from panel.settings import load_settings

ID = "2026-12-02T06:06:19:547045"
VERSION = "1.38.0"
DESCRIPTION = "Two-factor keys kept only sealed"


class User(Table, tablename="panel_user"):
    totp_secret = Varchar(length=64, null=True, default=None)
    totp_secret_sealed = Text(null=True, default=None)


def sealer(secret_key: str) -> Fernet:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"panel two-factor secrets v1"
    ).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="panel", description=DESCRIPTION)

    async def seal_two_factor_keys():
        rows = await User.select(User.id, User.totp_secret).where(User.totp_secret.is_not_null())
        if not rows:
            return
        fernet = sealer(load_settings().secret_key)
        for row in rows:
            sealed = fernet.encrypt(row["totp_secret"].encode()).decode()
            await User.update({User.totp_secret_sealed: sealed, User.totp_secret: None}).where(
                User.id == row["id"]
            )

    manager.add_raw(seal_two_factor_keys)

    manager.drop_column(
        table_class_name="User",
        tablename="panel_user",
        column_name="totp_secret",
        db_column_name="totp_secret",
        schema=None,
    )
    manager.drop_column(
        table_class_name="WebSession",
        tablename="web_session",
        column_name="pending_totp_secret",
        db_column_name="pending_totp_secret",
        schema=None,
    )
    return manager
