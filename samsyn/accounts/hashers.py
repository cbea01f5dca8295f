"""Password hashing at OWASP's recommended Argon2id parameters."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with m = 19 MiB, t = 2, p = 1 (OWASP Password Storage Cheat Sheet).

    Django's own defaults (100 MiB, 8 lanes) cost four times the memory per login; these are
    OWASP's minimum for Argon2id. The algorithm name stays "argon2", so a hash made with other
    parameters is recognised and rehashed at the next login (Django's must_update).
    """

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
