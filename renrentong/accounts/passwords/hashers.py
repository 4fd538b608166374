from django.contrib.auth.hashers import Argon2PasswordHasher


class PlatformArgon2Hasher(Argon2PasswordHasher):
    """Argon2id with m=64 MiB, t=2, p=1 (docs/security.md weighs these against OWASP's guidance).

    OWASP's password storage cheat sheet asks for at least m=19 MiB, t=2, p=1; we spend more memory
    because each login may use one core for about 100 ms on a two-core web host, and memory is what
    makes a GPU attack on a stolen table expensive. p=1 keeps one login on one core, so concurrent
    logins scale with cores instead of fighting over them.
    """

    algorithm = "argon2"
    time_cost = 2
    memory_cost = 65536
    parallelism = 1
