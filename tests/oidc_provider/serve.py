"""Run the test OpenID provider on a free 127.0.0.1 port; prints `PORT <n>` once it listens.

Usage: python -m tests.oidc_provider.serve < config.json, with config
{"client_id", "client_secret", "redirect_uri", "users": [{"username", "password", "email"}]}
and OIDC_PROVIDER_DB naming a fresh SQLite file.
"""

import json
import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oidc_provider.models import Client, ResponseType

    config = json.load(sys.stdin)
    call_command("migrate", verbosity=0)
    call_command("creatersakey", stdout=open(os.devnull, "w"))  # noqa: SIM115
    client = Client.objects.create(
        name="Samsyn",
        client_type="confidential",
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        jwt_alg="RS256",
        require_consent=True,
        reuse_consent=False,
        _redirect_uris=config["redirect_uri"],
    )
    client.response_types.add(ResponseType.objects.get(value="code"))
    for person in config["users"]:
        User.objects.create_user(person["username"], person["email"], person["password"])

    server = make_server(
        "127.0.0.1",
        0,
        get_wsgi_application(),
        server_class=ThreadingServer,
        handler_class=QuietHandler,
    )
    print(f"PORT {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
