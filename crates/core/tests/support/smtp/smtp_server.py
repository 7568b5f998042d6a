"""A real SMTP server on loopback for the client-pack mail tests (aiosmtpd, Debian's
python3-aiosmtpd), started by crates/core/tests/support/smtp/mod.rs.

    smtp_server.py --mode plain|starttls|tls --out DIR [--cert PEM --key PEM]
                   [--user NAME] [--refuse REGEX]

- plain: no encryption; starttls: STARTTLS offered and required before anything else;
  tls: TLS from the first byte. The certificate and key are needed for starttls and tls.
- --user: AUTH (PLAIN, LOGIN) is required, with that user name and the password in the
  environment variable SMTP_TEST_PASSWORD (not on the command line); only over TLS.
- --refuse: recipients matching the regular expression are refused with 550.

Each message received is written to DIR as NNNN.eml (the raw bytes, as received) with NNNN.json
beside it (envelope, whether the session was encrypted, who signed in), each written under a
temporary name and renamed, so a reader never sees half a file. The port (bound on 127.0.0.1,
chosen by the system) is printed on stdout, alone on a line, once the server is listening.
"""

import argparse
import asyncio
import json
import os
import re
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, out, refuse, tls_from_start):
        self.out = out
        self.refuse = re.compile(refuse) if refuse else None
        self.tls_from_start = tls_from_start
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse and self.refuse.search(address):
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown in virtual mailbox table"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.out, f"{self.count:04}")
        signed_in = session.auth_data if isinstance(session.auth_data, LoginPassword) else None
        login = signed_in.login.decode() if signed_in else None
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "encrypted": self.tls_from_start or session.ssl is not None,
            "login": login,
        }
        write(base + ".eml", envelope.original_content)
        write(base + ".json", json.dumps(meta).encode())
        return "250 2.0.0 Ok: queued as TEST"


def write(path, data):
    with open(path + ".part", "wb") as f:
        f.write(data)
    os.replace(path + ".part", path)


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == user
            and auth_data.password.decode() == password
        )
        # handled=False: aiosmtpd then answers a failure itself, with 535.
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    return check


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["plain", "starttls", "tls"], required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--user")
    parser.add_argument("--refuse")
    args = parser.parse_args()

    context = None
    if args.mode != "plain":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)

    handler = Handler(args.out, args.refuse, tls_from_start=args.mode == "tls")
    options = {"hostname": "smtp.test", "ident": "test-smtp"}
    if args.mode == "starttls":
        options.update(tls_context=context, require_starttls=True)
    if args.user:
        password = os.environ["SMTP_TEST_PASSWORD"]
        options.update(
            authenticator=authenticator(args.user, password),
            auth_required=True,
            # Implicit TLS is not STARTTLS, which is all aiosmtpd's own check knows.
            auth_require_tls=args.mode == "starttls",
        )

    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, **options),
        host="127.0.0.1",
        port=0,
        ssl=context if args.mode == "tls" else None,
    )
    print(server.sockets[0].getsockname()[1], flush=True)
    # Until the test ends it (killed), or its stdin closes.
    await loop.run_in_executor(None, sys.stdin.read)


if __name__ == "__main__":
    asyncio.run(main())
