"""Storage of what is published while serving: API keys, alerts and the feed of changes.

SQLAlchemy 2 over SQLite by default (a file under the instance directory, nothing to install)
or PostgreSQL for several servers (``RISKZONES_DATABASE_URL``). The schema is Alembic's
(``service/store/migrations``): ``Store.open`` brings a database to the newest revision.
"""

from service.store.db import Store, default_url
from service.store.keys import AuthError, ScopeError, create_key, list_keys, revoke_key, verify_key

__all__ = [
    "AuthError",
    "ScopeError",
    "Store",
    "create_key",
    "default_url",
    "list_keys",
    "revoke_key",
    "verify_key",
]
